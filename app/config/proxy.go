package config

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
)

// Proxies returns the trusted proxies as prefixes (a single address is a
// /32 or /128). Call it after Validate, which reports a bad list; here a
// bad list is empty, trusting no one.
func (c *Config) Proxies() []netip.Prefix {
	ps, err := ParseTrustedProxies(c.TrustedProxies)
	if err != nil {
		return nil
	}
	return ps
}

// ParseTrustedProxies reads a comma-separated list of IPv4 and IPv6
// addresses and CIDRs ("10.0.0.1, 10.1.0.0/16, fd00::/8"). A CIDR with host
// bits set is refused rather than widened, since it may be a typo for a
// single address, and so is an IPv4 range written in IPv6 notation, which
// would never match (peers are compared in their plain IPv4 form).
func ParseTrustedProxies(s string) ([]netip.Prefix, error) {
	var (
		out  []netip.Prefix
		errs []error
	)
	for _, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		p, err := parseProxy(item)
		if err != nil {
			errs = append(errs, fmt.Errorf("%q %w", item, err))
			continue
		}
		out = append(out, p)
	}
	return out, errors.Join(errs...)
}

func parseProxy(item string) (netip.Prefix, error) {
	const example = "(for example 10.0.0.1, 10.0.0.0/8, fd00::1 or fd00::/8)"
	if strings.Contains(item, "/") {
		p, err := netip.ParsePrefix(item)
		if err != nil {
			return netip.Prefix{}, fmt.Errorf("is not an IP address or CIDR %s", example)
		}
		if p.Addr().Is4In6() {
			return netip.Prefix{}, errors.New("is an IPv4 range in IPv6 notation: write it as IPv4")
		}
		if p.Masked() != p {
			return netip.Prefix{}, fmt.Errorf("has host bits set: write %s for the range or %s for one address",
				p.Masked(), netip.PrefixFrom(p.Addr(), p.Addr().BitLen()))
		}
		return p, nil
	}
	a, err := netip.ParseAddr(item)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("is not an IP address or CIDR %s", example)
	}
	if a.Zone() != "" {
		return netip.Prefix{}, errors.New("has a zone: give the address without %zone")
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), nil
}
