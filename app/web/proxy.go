package web

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// Who is asking, and by which URL, behind reverse proxies. Only when the
// direct peer is one of Options.TrustedProxies are X-Forwarded-For,
// X-Forwarded-Proto and X-Forwarded-Host believed; from anyone else they
// are text a client typed. Fiber's c.IP(), c.BaseURL() and c.Protocol()
// are not used: they believe Host and X-Forwarded-Host as sent, and with
// a proxy header configured c.IP() takes the leftmost X-Forwarded-For
// entry, which the client writes.

// peer is the address at the other end of the connection, IPv4 in its
// plain form.
func peer(c *fiber.Ctx) netip.Addr {
	a, ok := netip.AddrFromSlice(c.Context().RemoteIP())
	if !ok {
		return netip.Addr{}
	}
	return a.Unmap()
}

// trusted reports whether a is one of the trusted proxies.
func (s *Server) trusted(a netip.Addr) bool {
	if !a.IsValid() {
		return false
	}
	for _, p := range s.opts.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// fromTrustedProxy reports whether the direct peer is a trusted proxy.
func (s *Server) fromTrustedProxy(c *fiber.Ctx) bool {
	return len(s.opts.TrustedProxies) > 0 && s.trusted(peer(c))
}

// clientAddr is the visitor's address: the peer's, unless the peer is a
// trusted proxy; then the rightmost X-Forwarded-For entry that is not
// itself a trusted proxy, walking right to left. Each trusted proxy
// appends the address it was talked to by, so entries left of the first
// untrusted one were written by the client and prove nothing. When every
// entry is trusted, the leftmost is the client; an entry that is not an
// address stops the walk at the last address believed.
func (s *Server) clientAddr(c *fiber.Ctx) netip.Addr {
	client := peer(c)
	if !s.fromTrustedProxy(c) {
		return client
	}
	hops := forwardedFor(c)
	for i := len(hops) - 1; i >= 0; i-- {
		a, ok := parseHop(hops[i])
		if !ok {
			break
		}
		client = a
		if !s.trusted(a) {
			break
		}
	}
	return client
}

// forwardedFor lists the X-Forwarded-For entries of every such header, in order.
func forwardedFor(c *fiber.Ctx) []string {
	var out []string
	for _, h := range c.Request().Header.PeekAll(fiber.HeaderXForwardedFor) {
		for _, e := range strings.Split(string(h), ",") {
			if e = strings.TrimSpace(e); e != "" {
				out = append(out, e)
			}
		}
	}
	return out
}

// parseHop reads one X-Forwarded-For entry: an address, or an address with
// a port ("192.0.2.1:4711", "[2001:db8::1]:4711").
func parseHop(e string) (netip.Addr, bool) {
	if a, err := netip.ParseAddr(e); err == nil {
		return a.WithZone("").Unmap(), true
	}
	if ap, err := netip.ParseAddrPort(e); err == nil {
		return ap.Addr().WithZone("").Unmap(), true
	}
	return netip.Addr{}, false
}

// requestScheme is "https" or "http": as a trusted proxy's
// X-Forwarded-Proto says, else as the connection is.
func (s *Server) requestScheme(c *fiber.Ctx) string {
	if s.fromTrustedProxy(c) {
		switch v := strings.ToLower(lastValue(c.Get(fiber.HeaderXForwardedProto))); v {
		case "http", "https":
			return v
		}
	}
	if c.Context().IsTLS() {
		return "https"
	}
	return "http"
}

// forwardedHost is a trusted proxy's X-Forwarded-Host, lower-cased, when it
// is a plain host[:port]; otherwise ok is false.
func (s *Server) forwardedHost(c *fiber.Ctx) (host string, ok bool) {
	if !s.fromTrustedProxy(c) {
		return "", false
	}
	h := strings.ToLower(lastValue(c.Get(fiber.HeaderXForwardedHost)))
	if !validHost(h) {
		return "", false
	}
	return h, true
}

// lastValue is the last item of a comma-separated header: the one the
// proxy that talks to us wrote.
func lastValue(h string) string {
	if i := strings.LastIndexByte(h, ','); i >= 0 {
		h = h[i+1:]
	}
	return strings.TrimSpace(h)
}

// validHost accepts a DNS name or an IP address, with an optional port:
// "beacon.example", "beacon.example:8443", "192.0.2.1", "[2001:db8::1]:80".
// Anything else (paths, user info, spaces, quotes) is refused, so that a
// link built from it can only point at a host.
func validHost(h string) bool {
	if h == "" || len(h) > 261 {
		return false
	}
	host, port := h, ""
	if strings.HasPrefix(h, "[") {
		end := strings.IndexByte(h, ']')
		if end < 0 {
			return false
		}
		a, err := netip.ParseAddr(h[1:end])
		if err != nil || !a.Is6() || a.Zone() != "" {
			return false
		}
		rest := h[end+1:]
		if rest != "" {
			if !strings.HasPrefix(rest, ":") {
				return false
			}
			return validPort(rest[1:])
		}
		return true
	}
	if i := strings.LastIndexByte(h, ':'); i >= 0 {
		host, port = h[:i], h[i+1:]
		if !validPort(port) {
			return false
		}
	}
	if host == "" || len(host) > 253 || host[0] == '.' || host[0] == '-' || strings.Contains(host, "..") {
		return false
	}
	for _, r := range host {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '.') {
			return false
		}
	}
	return true
}

func validPort(p string) bool {
	n, err := strconv.Atoi(p)
	return err == nil && n >= 1 && n <= 65535 && p[0] != '+' && p[0] != '0'
}

// secureCookies reports whether cookies must be marked Secure: under an
// https base URL, or when a trusted proxy says the visitor came over https.
func (s *Server) secureCookies(c *fiber.Ctx) bool {
	return s.opts.SecureCookies || s.requestScheme(c) == "https"
}
