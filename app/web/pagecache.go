package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/valyala/fasthttp"
)

// Public pages that carry nothing personal are rendered once and kept, in
// this process and in any shared cache in front of it (a CDN, a caching
// proxy), so that a national campaign day or a real alert is absorbed by
// caches rather than by the database.
//
// A request is anonymous when it carries none of the cookies that make a
// page personal (anonymous below). Only anonymous GET and HEAD requests to
// routes marked shared in the route table are kept. Such a page is rendered
// without a CSRF token (its forms are protected by the origin check in
// middleware.go), without flash and without Set-Cookie; visits are counted
// by the never-cached pixel (visit.go).
//
// How fresh a kept page is: the in-process entry is keyed by the site
// version (store.SiteVersion, raised by every admin change and pack import,
// read at most pageStampTTL old; a change on this instance drops it at
// once; a new version also reloads the settings and the alerts) and by the
// alerts in force for everyone (at most alertsTTL old, for an alert whose
// effective time arrives), and lives at most pageTTL. Shared caches keep it
// s-maxage and may serve it stale-while-revalidate longer, and so may a
// browser. A new alert or a published course therefore reaches every
// visitor within pageStampTTL + 15 s + 15 s + 15 s = 46 s (an alert that
// becomes effective by the clock: alertsTTL + pageStampTTL + 45 s = 51 s),
// under the 60 s the product promises.
const (
	// publicCacheControl lets shared caches keep a page 15 s and serve it
	// 15 s stale while they fetch it again; browsers revalidate every time
	// (a 304 is cheap), and may use their copy stale 15 s while they do.
	publicCacheControl = "public, max-age=0, s-maxage=15, stale-while-revalidate=15"
	// privateCacheControl is every other page: personal, or not meant to be kept.
	privateCacheControl = "private, no-store"
	pageTTL             = 10 * time.Second
	pageStampTTL        = time.Second
	// pageCacheMax bounds the kept pages; catalog searches with their query
	// strings are the only open-ended keys, and longer queries are not kept.
	pageCacheMax      = 4096
	pageCacheMaxQuery = 80
	// The cookies that make a page personal; a shared cache must not answer
	// (nor keep the answer to) a request that carries one: a session, a
	// learner's progress or hidden alerts (cookiePrivate), a flash message.
	cookiePrivate = "beacon_private"
)

// localShared marks a request whose answer may be kept and shared (set by
// the shared route marker for anonymous requests).
const localShared = "shared"

// pageStamp is what a kept page was rendered for; a page is served only
// while the stamp is still the current one.
type pageStamp struct {
	version int64
	alerts  string // identifiers of the alerts in force for everyone
	changed time.Time
}

// pageEntry is one kept page, with its gzip variant.
type pageEntry struct {
	stamp        pageStamp
	expires      time.Time
	contentType  string
	headers      [][2][]byte // the response headers to repeat (security headers), canonical
	body, gz     []byte
	etag, etagGz string
	lastModified string
	modified     time.Time
	// the same as bytes, for writing without conversions
	etagB, etagGzB, lastModifiedB []byte
	// parts, lang and meta serve personal requests (pagefill.go); parts is
	// nil for a page that is not fillable.
	parts []pagePart
	lang  string
	meta  *fillMeta
}

// pageCache holds the kept pages of this instance.
type pageCache struct {
	mu      sync.RWMutex
	entries map[string]*pageEntry
	stamps  ttlCache[pageStamp]

	// version is the site version last read, to notice a change.
	version atomic.Int64

	hits, misses, stores, fills prometheus.Counter
}

func newPageCache(reg *prometheus.Registry) *pageCache {
	vec := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "beacon_page_cache_total",
		Help: "Public page requests by outcome: hit (an anonymous one served from this instance's page cache), miss (rendered), store (rendered and kept), fill (a personal one filled from a kept page)."},
		[]string{"outcome"})
	reg.MustRegister(vec)
	return &pageCache{entries: map[string]*pageEntry{},
		hits: vec.WithLabelValues("hit"), misses: vec.WithLabelValues("miss"), stores: vec.WithLabelValues("store"),
		fills: vec.WithLabelValues("fill")}
}

func (pc *pageCache) get(key string) *pageEntry {
	pc.mu.RLock()
	e := pc.entries[key]
	pc.mu.RUnlock()
	return e
}

// getURI is get for a request URI as fasthttp holds it: the []byte key is
// looked up in place, without allocating a string.
func (pc *pageCache) getURI(uri []byte) *pageEntry {
	pc.mu.RLock()
	e := pc.entries[string(uri)]
	pc.mu.RUnlock()
	return e
}

// servable reports whether e may answer a request now: it was rendered for
// the current stamp and has not aged out.
func (e *pageEntry) servable(stamp pageStamp) bool {
	return e != nil && e.stamp == stamp && time.Now().Before(e.expires)
}

func (pc *pageCache) put(key string, e *pageEntry) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if _, ok := pc.entries[key]; !ok && len(pc.entries) >= pageCacheMax {
		for k := range pc.entries { // evict one at random (map order)
			delete(pc.entries, k)
			break
		}
	}
	pc.entries[key] = e
}

// invalidate forgets the current stamp after a change made on this
// instance, so the next request reads the new site version at once.
func (pc *pageCache) invalidate() { pc.stamps.invalidate() }

// anonymous reports a request that carries nothing personal: no session,
// no progress or hidden alert, no flash. Its public pages are the same for
// everyone.
func anonymous(c *fiber.Ctx) bool { return anonymousRequest(&c.Request().Header) }

// anonymousRequest is anonymous on the request's headers.
func anonymousRequest(h *fasthttp.RequestHeader) bool {
	if len(h.Peek(fiber.HeaderCookie)) == 0 {
		return true
	}
	for _, name := range [...]string{cookieSession, cookiePrivate, cookieFlash, cookieHiddenAlerts} {
		if len(h.Cookie(name)) > 0 {
			return false
		}
	}
	return true
}

// sharedPage reports whether this request's page is being rendered to be
// shared: no CSRF token, no flash, no Set-Cookie (render.go).
func sharedPage(c *fiber.Ctx) bool {
	v, _ := c.Locals(localShared).(bool)
	return v
}

// shared is the route-table marker of a page that may be kept and shared
// when the request is anonymous.
func shared(c *fiber.Ctx) error {
	if anonymous(c) {
		c.Locals(localShared, true)
	}
	return c.Next()
}

// currentStamp returns the stamp public pages are rendered for now.
func (s *Server) currentStamp(ctx context.Context) pageStamp {
	return s.pages.stamps.get(pageStampTTL, func() (pageStamp, error) {
		v, err := s.store.FindSiteVersion(ctx)
		if err == nil && s.pages.version.Swap(v.Version) != v.Version {
			// Something changed, here or on another instance: read the
			// settings and the alerts again now rather than when they age out.
			s.settings.invalidate()
			s.alerts.invalidate()
		}
		st := pageStamp{version: v.Version, changed: v.ChangedAt}
		var ids []string
		for _, a := range append(s.activeAlerts(ctx), s.allClearAlerts(ctx)...) {
			if a.Covers(nil) {
				ids = append(ids, a.Identifier)
			}
		}
		st.alerts = strings.Join(ids, " ")
		return st, err
	}, func(err error) { s.log.Warn("read site version", "err", err) })
}

// pageKey names a page: its URL, and the public base URL when a trusted
// proxy's forwarded host gives it (links in the page follow it; otherwise
// the base URL is the same for every request of this instance). ok is
// false for a URL whose query is too long to keep.
func (s *Server) pageKey(c *fiber.Ctx) (key string, ok bool) {
	uri := c.Request().RequestURI()
	if i := bytes.IndexByte(uri, '?'); i >= 0 && len(uri)-i-1 > pageCacheMaxQuery {
		return "", false
	}
	if s.opts.BaseURL == "" && s.fromTrustedProxy(c) {
		return s.baseURL(c) + string(uri), true
	}
	return string(uri), true
}

// keptPage finds the kept page of this request, as pageKey names it,
// without building the key in the common case.
func (s *Server) keptPage(c *fiber.Ctx) *pageEntry {
	uri := c.Request().RequestURI()
	if s.opts.BaseURL == "" && s.fromTrustedProxy(c) {
		return s.pages.get(s.baseURL(c) + string(uri))
	}
	return s.pages.getURI(uri)
}

// serveFast is the server's fasthttp handler: an anonymous GET or HEAD of
// a kept page is answered straight from the page cache, before Fiber
// acquires its context and walks the middleware chain; everything else
// goes to next (Fiber, where cachePages does the same for the requests
// this skips: a base URL that a trusted proxy's forwarded host gives).
func (s *Server) serveFast(next fasthttp.RequestHandler) fasthttp.RequestHandler {
	fast := !s.opts.NoPageCache && (s.opts.BaseURL != "" || len(s.opts.TrustedProxies) == 0)
	return func(ctx *fasthttp.RequestCtx) {
		if fast && (ctx.IsGet() || ctx.IsHead()) && anonymousRequest(&ctx.Request.Header) {
			if e := s.pages.getURI(ctx.RequestURI()); e.servable(s.currentStamp(context.Background())) {
				s.pages.hits.Inc()
				sendKept(ctx, e)
				return
			}
		}
		next(ctx)
	}
}

// cachePages is the first middleware: it answers anonymous GET and HEAD
// requests from kept pages, and keeps the shared pages it renders. Every
// other request passes through, and leaves as private unless its handler
// said otherwise.
func (s *Server) cachePages(c *fiber.Ctx) error {
	m := c.Method()
	if m != fiber.MethodGet && m != fiber.MethodHead {
		return c.Next()
	}
	if !anonymous(c) {
		return s.personalPage(c)
	}
	stamp := s.currentStamp(c.UserContext())
	if !s.opts.NoPageCache {
		if e := s.keptPage(c); e.servable(stamp) {
			s.pages.hits.Inc()
			return s.sendPage(c, e)
		}
	}
	key, keep := s.pageKey(c)
	keep = keep && !s.opts.NoPageCache
	s.pages.misses.Inc()
	// Render uncompressed: the kept copy is compressed once, here.
	gz := acceptsGzip(c)
	c.Request().Header.Del(fiber.HeaderAcceptEncoding)
	if err := c.Next(); err != nil {
		return err
	}
	res := c.Response()
	if !sharedPage(c) || res.StatusCode() != fiber.StatusOK || !keep {
		if gz {
			compressBody(c)
		}
		return nil
	}
	if hasSetCookie(c) {
		// A shared page must never carry a cookie: a handler that sets one
		// has made it personal, so it is neither kept nor shared.
		s.log.Error("shared page set a cookie: not kept", "path", c.Path(), "request_id", requestID(c))
		res.Header.Set(fiber.HeaderCacheControl, privateCacheControl)
		if gz {
			compressBody(c)
		}
		return nil
	}
	e := s.newEntry(c, stamp)
	s.pages.put(key, e)
	s.pages.stores.Inc()
	if gz {
		c.Request().Header.Set(fiber.HeaderAcceptEncoding, "gzip")
	}
	return s.sendPage(c, e)
}

// personalPage answers a personal GET or HEAD: filled from the kept page
// when the route allows it (pagefill.go), else rendered in full, and then
// the kept page is warmed for the next one.
func (s *Server) personalPage(c *fiber.Ctx) error {
	key, keep := s.pageKey(c)
	if !keep || s.opts.NoPageCache {
		return c.Next()
	}
	stamp := s.currentStamp(c.UserContext())
	if e := s.keptPage(c); e.servable(stamp) {
		if done, err := s.personalFill(c, e); done || err != nil {
			s.pages.fills.Inc()
			return err
		}
	}
	if err := c.Next(); err != nil {
		return err
	}
	if f, _ := c.Locals(localFillable).(bool); f && c.Response().StatusCode() == fiber.StatusOK {
		s.warmPage(c, key)
	}
	return nil
}

// Canonical header names and values that sendPage writes on every hit.
var (
	hdrCacheControl    = []byte(fiber.HeaderCacheControl)
	hdrPublic          = []byte(publicCacheControl)
	hdrVary            = []byte(fiber.HeaderVary)
	hdrAcceptEncoding  = []byte(fiber.HeaderAcceptEncoding)
	hdrLastModified    = []byte(fiber.HeaderLastModified)
	hdrContentEncoding = []byte(fiber.HeaderContentEncoding)
	hdrGzip            = []byte("gzip")
	hdrETag            = []byte(fiber.HeaderETag)
)

// skipHeaders are response headers that belong to one response, or that
// sendPage sets itself.
var skipHeaders = map[string]bool{
	"Set-Cookie": true, "Date": true, "Content-Length": true, "Content-Encoding": true, "Content-Type": true,
	"X-Request-Id": true, "Cache-Control": true, "Etag": true, "Last-Modified": true, "Vary": true,
	"Server": true, "Connection": true, "Transfer-Encoding": true,
}

// newEntry copies the rendered response into a kept page.
func (s *Server) newEntry(c *fiber.Ctx, stamp pageStamp) *pageEntry {
	res := c.Response()
	body := append([]byte(nil), res.Body()...)
	now := time.Now()
	e := &pageEntry{stamp: stamp, expires: now.Add(pageTTL), contentType: string(res.Header.ContentType()),
		lang: s.localeOf(c)}
	var parts []pagePart
	body, parts = splitSlots(body)
	e.body = body
	if f, _ := c.Locals(localFillable).(bool); f {
		e.parts = parts
		e.meta, _ = c.Locals(localFillMeta).(*fillMeta)
	}
	res.Header.VisitAll(func(k, v []byte) {
		if !skipHeaders[string(k)] {
			e.headers = append(e.headers, [2][]byte{append([]byte(nil), k...), append([]byte(nil), v...)})
		}
	})
	sum := sha256.Sum256(body)
	tag := hex.EncodeToString(sum[:12])
	e.etag, e.etagGz = `"`+tag+`"`, `"`+tag+`-gz"`
	// Last-Modified is the last change of the site, or the render when the
	// page shows the time-bound state of alerts and campaigns.
	e.modified = stamp.changed.Truncate(time.Second)
	if e.modified.IsZero() || e.modified.After(now) {
		e.modified = now.Truncate(time.Second)
	}
	e.lastModified = e.modified.UTC().Format(http.TimeFormat)
	e.etagB, e.etagGzB, e.lastModifiedB = []byte(e.etag), []byte(e.etagGz), []byte(e.lastModified)
	if len(body) > 512 {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		_, _ = zw.Write(body)
		_ = zw.Close()
		e.gz = buf.Bytes()
	}
	return e
}

// sendPage answers with a kept page: 304 when the client's copy is the
// same, else the page (gzip-compressed when the client takes it).
func (s *Server) sendPage(c *fiber.Ctx, e *pageEntry) error {
	sendKept(c.Context(), e)
	return nil
}

// sendKept is sendPage on the bare request, for the fast path too.
func sendKept(ctx *fasthttp.RequestCtx, e *pageEntry) {
	req := &ctx.Request.Header
	h := &ctx.Response.Header
	for _, kv := range e.headers {
		h.SetCanonical(kv[0], kv[1])
	}
	h.SetCanonical(hdrCacheControl, hdrPublic)
	h.SetCanonical(hdrVary, hdrAcceptEncoding)
	h.SetCanonical(hdrLastModified, e.lastModifiedB)
	body, etag := e.body, e.etagB
	if e.gz != nil && acceptsGzipRequest(req) {
		body, etag = e.gz, e.etagGzB
		h.SetCanonical(hdrContentEncoding, hdrGzip)
	}
	h.SetCanonical(hdrETag, etag)
	if notModified(req, e) {
		ctx.SetStatusCode(fiber.StatusNotModified)
		ctx.Response.ResetBody()
		h.Del(fiber.HeaderContentEncoding)
		return
	}
	h.SetContentType(e.contentType)
	ctx.SetStatusCode(fiber.StatusOK)
	ctx.Response.SetBodyRaw(body) // kept pages are never written to
}

// notModified applies If-None-Match (either variant's tag matches: they are
// the same page) and, when absent, If-Modified-Since.
func notModified(req *fasthttp.RequestHeader, e *pageEntry) bool {
	if inm := string(req.Peek(fiber.HeaderIfNoneMatch)); inm != "" {
		if strings.TrimSpace(inm) == "*" {
			return true
		}
		for _, t := range strings.Split(inm, ",") {
			t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
			if t == e.etag || t == e.etagGz {
				return true
			}
		}
		return false
	}
	if ims := string(req.Peek(fiber.HeaderIfModifiedSince)); ims != "" {
		if t, err := http.ParseTime(ims); err == nil && !e.modified.After(t) {
			return true
		}
	}
	return false
}

func acceptsGzip(c *fiber.Ctx) bool { return acceptsGzipRequest(&c.Request().Header) }

func acceptsGzipRequest(h *fasthttp.RequestHeader) bool {
	return bytes.Contains(h.Peek(fiber.HeaderAcceptEncoding), []byte("gzip"))
}

func hasSetCookie(c *fiber.Ctx) bool {
	found := false
	c.Response().Header.VisitAllCookie(func(_, _ []byte) { found = true })
	return found
}

// compressBody gzips a response that was rendered uncompressed for the
// page cache but is not kept (a private or error page to a client that
// takes gzip).
func compressBody(c *fiber.Ctx) {
	res := c.Response()
	body := res.Body()
	if len(body) < 512 || len(res.Header.Peek(fiber.HeaderContentEncoding)) > 0 {
		return
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
	_, _ = zw.Write(body)
	_ = zw.Close()
	res.SetBodyRaw(buf.Bytes())
	res.Header.Set(fiber.HeaderContentEncoding, "gzip")
	res.Header.Add(fiber.HeaderVary, fiber.HeaderAcceptEncoding)
}
