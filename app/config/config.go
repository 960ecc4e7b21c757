// Package config reads Beacon's configuration from flags and BEACON_*
// environment variables into one typed struct. It is the only reader of
// the environment and of command-line flags.
package config

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// Config is the whole configuration; every field has a flag and a BEACON_* variable.
type Config struct {
	Addr          string // BEACON_ADDR, -addr
	Database      string // BEACON_DATABASE, -database
	BaseURL       string // BEACON_BASE_URL, -base-url
	Secret        string // BEACON_SECRET, -secret
	DefaultLocale string // BEACON_DEFAULT_LOCALE, -default-locale
	LogFormat     string // BEACON_LOG_FORMAT, -log-format: text|json
	// TrustedProxies lists addresses and CIDRs whose X-Forwarded-* headers
	// are believed (BEACON_TRUSTED_PROXIES, -trusted-proxies); Proxies parses it.
	TrustedProxies string
	// RateLimits overrides rate limits by name, "login_account=10/m,..."
	// (BEACON_RATE_LIMITS, -rate-limits); Limits parses it over the defaults.
	RateLimits string
	// SMTPURL is the mail server Beacon sends through (BEACON_SMTP_URL,
	// -smtp-url), "smtp://user:pass@host:587?from=..."; SMTP parses it.
	// Empty: no mail (administrators issue reset links).
	SMTPURL string
	// MetricsAllow lists the networks that may read /metrics
	// (BEACON_METRICS_ALLOW, -metrics-allow), CIDRs or addresses, or
	// "none"; MetricsNetworks parses it.
	MetricsAllow string
	// MetricsToken, when set, lets a request from anywhere read /metrics
	// with "Authorization: Bearer <token>" (BEACON_METRICS_TOKEN, -metrics-token).
	MetricsToken string
	// SecurityContact is where to report a vulnerability to the operator,
	// served as /.well-known/security.txt (BEACON_SECURITY_CONTACT,
	// -security-contact); SecurityContacts parses it.
	SecurityContact string
}

// flagDef ties a flag to its environment variable and default.
type flagDef struct {
	name, env, def, usage string
	dst                   *string
}

func defs(c *Config) []flagDef {
	return []flagDef{
		{"addr", "BEACON_ADDR", ":8080", "address to listen on", &c.Addr},
		{"database", "BEACON_DATABASE", "data/beacon.db", "SQLite file, or a postgres:// URL", &c.Database},
		{"base-url", "BEACON_BASE_URL", "", "public URL of the site, for links in feeds and certificates", &c.BaseURL},
		{"secret", "BEACON_SECRET", "", "signing secret; generated and kept in the data folder when empty", &c.Secret},
		{"default-locale", "BEACON_DEFAULT_LOCALE", "en", "locale for visitors with no preference", &c.DefaultLocale},
		{"log-format", "BEACON_LOG_FORMAT", "text", "log format: text or json", &c.LogFormat},
		{"trusted-proxies", "BEACON_TRUSTED_PROXIES", "", "comma-separated addresses or CIDRs of reverse proxies whose X-Forwarded-* headers are believed", &c.TrustedProxies},
		{"rate-limits", "BEACON_RATE_LIMITS", "", "rate limits to change, name=N/unit comma-separated (units s, m, h; 0 disables), e.g. login_account=10/m", &c.RateLimits},
		{"smtp-url", "BEACON_SMTP_URL", "", "mail server for password resets and sign-up confirmations, smtp://user:pass@host:587?from=Beacon%20%3Cnoreply@example.org%3E (STARTTLS required) or smtps://... (TLS from the start); empty = no mail", &c.SMTPURL},
		{"metrics-allow", "BEACON_METRICS_ALLOW", "", "comma-separated addresses or CIDRs that may read /metrics, or none (empty: " + DefaultMetricsAllow + ")", &c.MetricsAllow},
		{"metrics-token", "BEACON_METRICS_TOKEN", "", "bearer token that opens /metrics from any address (at least 32 characters)", &c.MetricsToken},
		{"security-contact", "BEACON_SECURITY_CONTACT", "", "comma-separated mailto:, https: or tel: URIs for reporting vulnerabilities, served as /.well-known/security.txt", &c.SecurityContact},
	}
}

// Load parses args (flags after the command name) over the environment
// given by getenv, and returns the remaining arguments. Flags win over
// variables; variables win over defaults.
func Load(name string, args []string, getenv func(string) string, out io.Writer) (*Config, []string, error) {
	c := &Config{}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	for _, d := range defs(c) {
		def := d.def
		if v := getenv(d.env); v != "" {
			def = v
		}
		fs.StringVar(d.dst, d.name, def, d.usage+" ("+d.env+")")
	}
	if err := fs.Parse(args); err != nil {
		return nil, nil, err
	}
	return c, fs.Args(), nil
}

// Validate checks the values and says which one is wrong.
func (c *Config) Validate() error {
	var errs []error
	if c.Addr == "" {
		errs = append(errs, errors.New("BEACON_ADDR must not be empty"))
	}
	if c.Database == "" {
		errs = append(errs, errors.New("BEACON_DATABASE must not be empty"))
	}
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("BEACON_BASE_URL %q must be an http(s) URL", c.BaseURL))
		}
		c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, fmt.Errorf("BEACON_LOG_FORMAT %q must be text or json", c.LogFormat))
	}
	if c.Secret != "" && len(c.Secret) < 32 {
		errs = append(errs, errors.New("BEACON_SECRET must be at least 32 characters"))
	}
	if _, err := ParseTrustedProxies(c.TrustedProxies); err != nil {
		errs = append(errs, fmt.Errorf("BEACON_TRUSTED_PROXIES: %w", err))
	}
	if _, err := ParseRateLimits(c.RateLimits); err != nil {
		errs = append(errs, fmt.Errorf("BEACON_RATE_LIMITS: %w", err))
	}
	if _, err := ParseSMTP(c.SMTPURL); err != nil {
		errs = append(errs, fmt.Errorf("BEACON_SMTP_URL: %w", err))
	}
	if _, err := ParseMetricsAllow(c.MetricsAllow); err != nil {
		errs = append(errs, fmt.Errorf("BEACON_METRICS_ALLOW: %w", err))
	}
	if c.MetricsToken != "" && len(c.MetricsToken) < 32 {
		errs = append(errs, errors.New("BEACON_METRICS_TOKEN must be at least 32 characters (for example: openssl rand -hex 32)"))
	}
	if _, err := ParseSecurityContacts(c.SecurityContact); err != nil {
		errs = append(errs, fmt.Errorf("BEACON_SECURITY_CONTACT: %w", err))
	}
	return errors.Join(errs...)
}

// Postgres reports whether the database is a PostgreSQL URL.
func (c *Config) Postgres() bool {
	return strings.HasPrefix(c.Database, "postgres://") || strings.HasPrefix(c.Database, "postgresql://")
}

// DataDir is the folder that holds local state: the SQLite file's folder,
// or ./data with PostgreSQL.
func (c *Config) DataDir() string {
	if c.Postgres() {
		return "data"
	}
	return filepath.Dir(c.Database)
}

// EnsureSecret fills an empty Secret from <data>/secret, creating that file
// with a new random value on first start, so that sessions and tokens
// survive restarts without configuration.
func (c *Config) EnsureSecret() error {
	if c.Secret != "" {
		return nil
	}
	path := filepath.Join(c.DataDir(), "secret")
	if b, err := os.ReadFile(path); err == nil && len(strings.TrimSpace(string(b))) >= 32 {
		c.Secret = strings.TrimSpace(string(b))
		return nil
	}
	if err := os.MkdirAll(c.DataDir(), 0o750); err != nil {
		return fmt.Errorf("create data folder: %w", err)
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return fmt.Errorf("generate secret: %w", err)
	}
	c.Secret = hex.EncodeToString(raw)
	if err := os.WriteFile(path, []byte(c.Secret+"\n"), 0o600); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
