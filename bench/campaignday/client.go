package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

// browser is one simulated person's browser: the cookies it keeps, the
// address the proxy reports for it (X-Forwarded-For), its language.
type browser struct {
	cookies map[string]string
	addr    string
	lang    string
}

func newBrowser(addr, lang string) *browser {
	return &browser{cookies: map[string]string{}, addr: addr, lang: lang}
}

// cookieHeader is the Cookie header the browser sends ("" with none).
func (b *browser) cookieHeader() string {
	if len(b.cookies) == 0 {
		return ""
	}
	names := make([]string, 0, len(b.cookies))
	for n := range b.cookies {
		names = append(names, n)
	}
	sort.Strings(names)
	var s strings.Builder
	for i, n := range names {
		if i > 0 {
			s.WriteString("; ")
		}
		s.WriteString(n + "=" + b.cookies[n])
	}
	return s.String()
}

// absorb keeps the cookies a response sets and forgets those it clears.
func (b *browser) absorb(resp *http.Response) {
	for _, c := range resp.Cookies() {
		if c.MaxAge < 0 || c.Value == "" || (!c.Expires.IsZero() && c.Expires.Before(time.Now())) {
			delete(b.cookies, c.Name)
			continue
		}
		b.cookies[c.Name] = c.Value
	}
}

// reply is what one request got.
type reply struct {
	status   int
	header   http.Header
	body     []byte
	location string // path of a redirect
	err      error  // transport error, or an unexpected status
}

// driver sends the simulated traffic to one base URL and counts every
// request toward a bound.
type driver struct {
	hc      *http.Client
	base    string
	sent    atomic.Int64
	maxSent int64
	onBody  func(w *worker, body []byte) // sees every HTML page (alert detection)
}

func newDriver(base string, conns int, maxSent int64) *driver {
	tr := &http.Transport{
		Proxy:               nil,
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        conns * 2,
		MaxIdleConnsPerHost: conns * 2,
		IdleConnTimeout:     60 * time.Second,
	}
	return &driver{
		hc: &http.Client{Transport: tr, Timeout: 30 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
		base: base, maxSent: maxSent,
	}
}

// call is one request of a scenario.
type call struct {
	kind    string     // the label its latency is reported under
	method  string     // GET when empty
	path    string     // path and query
	form    url.Values // POST body
	cookies bool       // send the browser's cookies (false: a cookieless visitor)
	want    []int      // statuses that count as success (200 when empty)
}

// errBound stops a worker when the run's request bound is reached.
var errBound = errors.New("request bound reached")

// do sends one request as browser b, records its latency, status and
// cache status under c.kind, and keeps the cookies it sets.
func (d *driver) do(ctx context.Context, w *worker, b *browser, c call) reply {
	if d.sent.Add(1) > d.maxSent {
		return reply{err: errBound}
	}
	method := c.method
	if method == "" {
		method = http.MethodGet
	}
	var body io.Reader
	if c.form != nil {
		body = strings.NewReader(c.form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, d.base+c.path, body)
	if err != nil {
		return reply{err: err}
	}
	req.Header.Set("User-Agent", "beacon-campaignday/1 (load test)")
	req.Header.Set("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
	if b.lang != "" {
		req.Header.Set("Accept-Language", b.lang)
	}
	if b.addr != "" {
		req.Header.Set("X-Forwarded-For", b.addr)
	}
	if c.cookies {
		if h := b.cookieHeader(); h != "" {
			req.Header.Set("Cookie", h)
		}
	}
	if c.form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		// What a browser sends with a same-site form post.
		req.Header.Set("Origin", d.base)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	start := time.Now()
	resp, err := d.hc.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return reply{err: ctx.Err()}
		}
		w.rec.record(c.kind, time.Since(start), "", transportError(err))
		return reply{err: err}
	}
	data, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	dur := time.Since(start)
	if err != nil {
		if ctx.Err() != nil {
			return reply{err: ctx.Err()}
		}
		w.rec.record(c.kind, dur, resp.Header.Get("X-Cache-Status"), transportError(err))
		return reply{err: err}
	}
	b.absorb(resp)
	r := reply{status: resp.StatusCode, header: resp.Header, body: data}
	if loc := resp.Header.Get("Location"); loc != "" {
		if u, err := url.Parse(loc); err == nil {
			r.location = u.RequestURI()
		}
	}
	want := c.want
	if len(want) == 0 {
		want = []int{http.StatusOK}
	}
	failure := fmt.Sprintf("HTTP %d", resp.StatusCode)
	for _, s := range want {
		if s == resp.StatusCode {
			failure = ""
		}
	}
	if failure != "" {
		r.err = errors.New(failure)
	}
	w.rec.record(c.kind, dur, resp.Header.Get("X-Cache-Status"), failure)
	if d.onBody != nil && strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		d.onBody(w, data)
	}
	return r
}

// transportError names a transport failure by its kind, for the report.
func transportError(err error) string {
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, syscall.ECONNRESET):
		return "connection reset"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "connection closed early"
	case errors.Is(err, os.ErrDeadlineExceeded), errors.Is(err, context.DeadlineExceeded):
		return "timeout (30 s)"
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return "timeout (30 s)"
	}
	return "transport: " + err.Error()
}
