package config

import (
	"fmt"
	"net/url"
	"strings"
)

// ParseSecurityContacts reads BEACON_SECURITY_CONTACT: comma-separated
// ways to report a vulnerability to whoever runs the site, each a
// mailto:, https: or tel: URI as RFC 9116 (security.txt) requires, e.g.
// "mailto:security@city.example,https://city.example/security". Empty
// gives none.
func ParseSecurityContacts(s string) ([]string, error) {
	var out []string
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		u, err := url.Parse(part)
		ok := err == nil && !strings.ContainsAny(part, " \t\r\n")
		switch {
		case ok && u.Scheme == "mailto":
			ok = strings.Contains(u.Opaque, "@")
		case ok && u.Scheme == "https":
			ok = u.Host != ""
		case ok && u.Scheme == "tel":
			ok = u.Opaque != ""
		default:
			ok = false
		}
		if !ok {
			return nil, fmt.Errorf("%q is not a mailto:, https: or tel: URI", part)
		}
		out = append(out, part)
	}
	return out, nil
}

// SecurityContacts returns the parsed BEACON_SECURITY_CONTACT (validated
// by Validate).
func (c *Config) SecurityContacts() []string {
	out, _ := ParseSecurityContacts(c.SecurityContact)
	return out
}
