package config

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Rate is one rate limit: at most Max hits in a fixed window of Window.
// A Max of 0 disables the limit.
type Rate struct {
	Max    int
	Window time.Duration
}

// String writes the rate as BEACON_RATE_LIMITS does: "10/m", or "0".
func (r Rate) String() string {
	if r.Max == 0 {
		return "0"
	}
	for _, u := range rateUnits {
		if r.Window == u.d {
			return strconv.Itoa(r.Max) + "/" + u.name
		}
	}
	return strconv.Itoa(r.Max) + "/" + r.Window.String()
}

// RateLimits are the rate limits by name. Per-address limits are sized for
// carrier-grade NAT, where thousands of citizens share one address; the
// tight limits are kept per account and per learner.
type RateLimits struct {
	LoginAccount    Rate // login_account: sign-ins per e-mail address tried
	LoginAddress    Rate // login_address: sign-ins per client address
	RegisterAddress Rate // register_address: registrations per client address
	QuizLearner     Rate // quiz_learner: quiz submissions per learner
	QuizAddress     Rate // quiz_address: quiz submissions per client address
	// ResetAccount and ResetAddress bound password-reset requests, and
	// RegisterAccount registrations, by the e-mail address typed: each may
	// send a mail to that address, and the answer is the same whether or
	// not it has an account.
	ResetAccount    Rate // reset_account: reset requests per e-mail address
	ResetAddress    Rate // reset_address: reset requests and reset-link uses per client address
	RegisterAccount Rate // register_account: registrations per e-mail address
	// TokenAddress bounds failed API token attempts (unknown, revoked or
	// expired bearer tokens) per client address: guessing a 256-bit token
	// is hopeless, but a client stuck on a dead token should back off.
	TokenAddress Rate // token_address: failed API token attempts per client address
}

// DefaultRateLimits are the limits when BEACON_RATE_LIMITS names none.
func DefaultRateLimits() RateLimits {
	return RateLimits{
		LoginAccount:    Rate{10, time.Minute},
		LoginAddress:    Rate{300, time.Minute},
		RegisterAddress: Rate{300, time.Hour},
		QuizLearner:     Rate{10, time.Minute},
		QuizAddress:     Rate{3000, time.Minute},
		ResetAccount:    Rate{5, time.Hour},
		ResetAddress:    Rate{300, time.Hour},
		RegisterAccount: Rate{5, time.Hour},
		TokenAddress:    Rate{300, time.Minute},
	}
}

// rateNames ties each name of BEACON_RATE_LIMITS to its field, in the
// order the messages list them.
var rateNames = []struct {
	name  string
	field func(*RateLimits) *Rate
}{
	{"login_account", func(l *RateLimits) *Rate { return &l.LoginAccount }},
	{"login_address", func(l *RateLimits) *Rate { return &l.LoginAddress }},
	{"register_address", func(l *RateLimits) *Rate { return &l.RegisterAddress }},
	{"quiz_learner", func(l *RateLimits) *Rate { return &l.QuizLearner }},
	{"quiz_address", func(l *RateLimits) *Rate { return &l.QuizAddress }},
	{"reset_account", func(l *RateLimits) *Rate { return &l.ResetAccount }},
	{"reset_address", func(l *RateLimits) *Rate { return &l.ResetAddress }},
	{"register_account", func(l *RateLimits) *Rate { return &l.RegisterAccount }},
	{"token_address", func(l *RateLimits) *Rate { return &l.TokenAddress }},
}

var rateUnits = []struct {
	name string
	d    time.Duration
}{{"s", time.Second}, {"m", time.Minute}, {"h", time.Hour}}

// Limits returns the rate limits: the defaults, changed by RateLimits. Call
// it after Validate, which reports a bad value; here a bad value gives
// the defaults.
func (c *Config) Limits() RateLimits {
	l, err := ParseRateLimits(c.RateLimits)
	if err != nil {
		return DefaultRateLimits()
	}
	return l
}

// ParseRateLimits reads "name=N/unit" items separated by commas (units s,
// m, h; "name=0" disables a limit) over DefaultRateLimits: names not given
// keep their defaults. Each error names the item that is wrong.
func ParseRateLimits(s string) (RateLimits, error) {
	l := DefaultRateLimits()
	seen := map[string]bool{}
	var errs []error
	for _, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		name, value, ok := strings.Cut(item, "=")
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		if !ok || name == "" {
			errs = append(errs, fmt.Errorf("%q: want name=N/unit, for example login_account=10/m", item))
			continue
		}
		var field *Rate
		for _, n := range rateNames {
			if n.name == name {
				field = n.field(&l)
			}
		}
		if field == nil {
			errs = append(errs, fmt.Errorf("%q: unknown limit %q (known: %s)", item, name, knownRateNames()))
			continue
		}
		if seen[name] {
			errs = append(errs, fmt.Errorf("%q: %s is given twice", item, name))
			continue
		}
		seen[name] = true
		r, err := parseRate(value, field.Window)
		if err != nil {
			errs = append(errs, fmt.Errorf("%q: %w", item, err))
			continue
		}
		*field = r
	}
	if len(errs) > 0 {
		return DefaultRateLimits(), errors.Join(errs...)
	}
	return l, nil
}

// parseRate reads "N/unit", or "0" (disabled; the window is kept).
func parseRate(v string, window time.Duration) (Rate, error) {
	const want = "want N/unit with N a whole number and unit s, m or h (for example 10/m), or 0 to disable"
	if v == "0" {
		return Rate{0, window}, nil
	}
	num, unit, ok := strings.Cut(v, "/")
	if !ok {
		return Rate{}, errors.New(want)
	}
	n, err := strconv.Atoi(strings.TrimSpace(num))
	if err != nil || n < 0 || n > 1_000_000_000 {
		return Rate{}, fmt.Errorf("count %q: %s", num, want)
	}
	unit = strings.TrimSpace(unit)
	for _, u := range rateUnits {
		if u.name == unit {
			return Rate{n, u.d}, nil
		}
	}
	return Rate{}, fmt.Errorf("unit %q: %s", unit, want)
}

func knownRateNames() string {
	names := make([]string, len(rateNames))
	for i, n := range rateNames {
		names[i] = n.name
	}
	return strings.Join(names, ", ")
}
