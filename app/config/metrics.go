package config

import (
	"net/netip"
	"strings"
)

// DefaultMetricsAllow is who may read /metrics unless told otherwise: this
// machine only.
const DefaultMetricsAllow = "127.0.0.0/8,::1"

// MetricsNetworks returns the networks that may read /metrics; empty
// (not nil) for "none". Call it after Validate, which reports a bad list;
// here a bad list allows no network.
func (c *Config) MetricsNetworks() []netip.Prefix {
	ps, err := ParseMetricsAllow(c.MetricsAllow)
	if err != nil {
		return []netip.Prefix{}
	}
	return ps
}

// ParseMetricsAllow reads BEACON_METRICS_ALLOW: addresses and CIDRs as
// ParseTrustedProxies takes them, "none" for no network at all (then only
// the bearer token opens /metrics), or empty for DefaultMetricsAllow. The
// result is never nil.
func ParseMetricsAllow(s string) ([]netip.Prefix, error) {
	if strings.TrimSpace(s) == "" {
		s = DefaultMetricsAllow
	}
	if strings.EqualFold(strings.TrimSpace(s), "none") {
		return []netip.Prefix{}, nil
	}
	ps, err := ParseTrustedProxies(s)
	if err != nil {
		return []netip.Prefix{}, err
	}
	return ps, nil
}
