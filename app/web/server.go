package web

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/netip"
	"sync"
	"time"

	"beacon/app"
	"beacon/app/config"
	"beacon/app/credential"
	"beacon/app/i18n"
	"beacon/app/mail"
	"beacon/app/markdown"
	"beacon/app/shareimage"
	"beacon/app/store"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/template/html/v2"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/valyala/fasthttp"
)

// Options are what the server needs from its caller.
type Options struct {
	Store      *store.Store
	Bundle     *i18n.Bundle
	Templates  fs.FS // the templates folder
	Static     fs.FS // the static folder
	Migrations fs.FS // the migrations folder, for /readyz
	Secret     []byte
	BaseURL    string // public URL without trailing slash; empty = see baseURL
	// ListenURL is the listener's own address ("http://localhost:8080"):
	// the base of links when there is no BaseURL and no trusted proxy.
	ListenURL string
	// TrustedProxies are the peers whose X-Forwarded-* headers are believed (proxy.go).
	TrustedProxies []netip.Prefix
	Logger         *slog.Logger
	// Limits are the rate limits (ratelimit.go); the zero value means
	// config.DefaultRateLimits.
	Limits config.RateLimits
	// SecureCookies marks cookies Secure (behind TLS).
	SecureCookies bool
	// MetricsAllow are the networks that may read /metrics (ops.go); nil
	// means this machine only (config.DefaultMetricsAllow), empty means none.
	MetricsAllow []netip.Prefix
	// MetricsToken, when not empty, opens /metrics to a request carrying
	// "Authorization: Bearer <token>" from any address.
	MetricsToken string
	// NoPageCache renders every page in full and keeps none, for
	// benchmarks of rendering and for debugging templates.
	NoPageCache bool
	// Mailer sends password resets and sign-up confirmations; nil = no
	// mail (registration makes the account at once, administrators issue
	// reset links).
	Mailer *mail.Mailer
	// SecurityContacts are where to report a vulnerability (mailto:,
	// https: or tel: URIs), served as /.well-known/security.txt; none
	// means that file is not served.
	SecurityContacts []string
	// Clock, when set, is the server's clock (tests move time with it);
	// nil is the system clock.
	Clock func() time.Time
}

// Server is the HTTP side of Beacon.
type Server struct {
	opts   Options
	app    *fiber.App
	store  *store.Store
	bundle *i18n.Bundle
	log    *slog.Logger
	assets *assets

	markdown *markdown.Renderer
	// views are the loaded templates (views.go).
	views *html.Engine
	// lessonHTML caches rendered lesson bodies by revision, lesson and
	// locale; revisions are immutable, so entries never go stale.
	lessonCache sync.Map
	// searchText caches each revision's lower-cased text per locale for
	// catalog search; immutable like the revisions.
	searchText sync.Map
	// settings caches the site settings for a few seconds (admin_administrator.go).
	settings ttlCache[map[string]string]
	// alerts caches the active alerts for the banner (alert_cache.go).
	alerts ttlCache[*alertSnapshot]
	// pages keeps rendered public pages for anonymous visitors (pagecache.go).
	pages *pageCache
	// sessions and progress are the short-lived caches behind personal
	// pages (pagefill.go); warming holds the pages being warmed.
	sessions shortCache[*app.User]
	progress shortCache[map[string]bool]
	// fragments keeps rendered slot fills per kept page (pagefill.go).
	fragments shortCache[[]byte]
	warming   sync.Map

	metrics *metrics
	routes  []route
	handler fasthttp.RequestHandler // serveFast over Fiber (pagecache.go)
	// rates counts rate-limit hits (ratelimit.go).
	rates rateCounter
	// outbox sends mail after the answer (outbox.go); nil without a Mailer.
	outbox *outbox
	// credKey signs certificates' credentials (credential.go).
	credKey *credential.Key
	// openapi is the assembled OpenAPI document of /api/v1 (openapi.go).
	openapi []byte
	// shareImages draws and keeps the pages' share images (share.go).
	shareImages *shareimage.Renderer
	// icons are the favicon and the manifest's icons (findable.go).
	icons *icons
}

// maxHeaderBytes bounds a request's line and headers together (32 KiB);
// larger ones get 431 Request Header Fields Too Large.
const maxHeaderBytes = 32 << 10

// New builds the server and its routes.
func New(opts Options) (*Server, error) {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Limits == (config.RateLimits{}) {
		opts.Limits = config.DefaultRateLimits()
	}
	if opts.ListenURL == "" {
		opts.ListenURL = "http://localhost"
	}
	if opts.MetricsAllow == nil {
		opts.MetricsAllow, _ = config.ParseMetricsAllow(config.DefaultMetricsAllow)
	}
	if len(opts.Secret) < 16 {
		return nil, errors.New("web: secret too short")
	}
	s := &Server{opts: opts, store: opts.Store, bundle: opts.Bundle, log: opts.Logger}
	var err error
	if s.credKey, err = credential.DeriveKey(opts.Secret); err != nil {
		return nil, err
	}
	if s.assets, err = loadAssets(opts.Static); err != nil {
		return nil, err
	}
	s.rates = newRateCounter(opts.Store)
	if opts.Mailer != nil {
		s.outbox = newOutbox(opts.Logger)
	}
	if s.openapi, err = OpenAPIDocument(); err != nil {
		return nil, err
	}
	s.markdown = markdown.New()
	s.metrics = newMetrics()
	s.metrics.registerGroupCommits(opts.Store)
	if pool, err := opts.Store.Pool(); err == nil {
		// Open, in-use and idle connections and waits of the database pool.
		s.metrics.registry.MustRegister(collectors.NewDBStatsCollector(pool, "beacon"))
	}
	s.pages = newPageCache(s.metrics.registry)
	s.shareImages = shareimage.New(opts.Logger, shareImagesKept)
	if s.icons, err = newIcons(); err != nil {
		return nil, err
	}

	engine, err := newViews(opts.Templates, s.funcs(), slotFuncs())
	if err != nil {
		return nil, err
	}
	s.views = engine
	s.app = fiber.New(fiber.Config{
		Views:                 engine,
		ErrorHandler:          s.handleError,
		BodyLimit:             maxBody, // one route may take more: bodyLimit
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          30 * time.Second,
		IdleTimeout:           120 * time.Second,
		DisableStartupMessage: true,
		// Strings from requests are kept past handlers (cache keys, logs).
		Immutable: true,
		// A page (a lesson is about 10 KB with its headers) leaves in one
		// write instead of three with the default 4 KiB buffer: measured,
		// kept lessons went from 0.75× nginx to 1.1×. fasthttp pools the
		// buffers, so idle connections do not hold them.
		WriteBufferSize: 16 << 10,
		// The request line and headers must fit here, or fasthttp answers
		// 431 before any handler: browsers send up to about 16 KiB of
		// cookies, and a long search adds a few more. fasthttp pools these
		// buffers per connection too.
		ReadBufferSize: maxHeaderBytes,
	})
	s.middleware()
	s.mount()
	warmRender(s.app)
	s.handler = s.serveFast(s.app.Handler())
	s.app.Server().Handler = s.handler
	s.app.Server().HeaderReceived = s.bodyLimit
	return s, nil
}

// Handler is the server's whole HTTP handler (the kept-page fast path,
// then Fiber), for benchmarks that serve requests in process.
func (s *Server) Handler() fasthttp.RequestHandler { return s.handler }

// App exposes the Fiber app, for Listen and for app.Test in tests.
func (s *Server) App() *fiber.App { return s.app }

// Shutdown stops accepting connections and waits for requests in flight.
// Mail queued by the last requests is still sent, within ctx.
func (s *Server) Shutdown(ctx context.Context) error {
	err := s.app.ShutdownWithContext(ctx)
	if s.outbox != nil {
		s.outbox.close(ctx)
	}
	return err
}

// now is the server's clock.
func (s *Server) now() time.Time {
	if s.opts.Clock != nil {
		return s.opts.Clock().UTC()
	}
	return time.Now().UTC()
}

// metrics are the Prometheus collectors of one server (no global registry).
type metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	// What operators watch on a campaign day or during an alert.
	quizSubmissions *prometheus.CounterVec
	certificates    prometheus.Counter
	alertsPublished prometheus.Counter
}

// routeUnmatched labels every request that matched no route, so that
// probes of random paths cannot grow the metrics without bound; the
// Locals key localUnmatched marks such a request.
const (
	routeUnmatched = "unmatched"
	localUnmatched = "unmatched"
)

func newMetrics() *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "beacon_http_requests_total",
			Help: "HTTP requests by route pattern (\"unmatched\" for no route), method and status."}, []string{"route", "method", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "beacon_http_request_duration_seconds", Help: "HTTP request duration by route.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1}}, []string{"route"}),
		quizSubmissions: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "beacon_quiz_submissions_total",
			Help: "Quiz attempts stored, by outcome (passed or failed)."}, []string{"outcome"}),
		certificates: prometheus.NewCounter(prometheus.CounterOpts{Name: "beacon_certificates_issued_total",
			Help: "Certificates issued on passing a quiz."}),
		alertsPublished: prometheus.NewCounter(prometheus.CounterOpts{Name: "beacon_alerts_published_total",
			Help: "Alerts published (Alert, Update and Cancel messages)."}),
	}
	m.registry.MustRegister(m.requests, m.duration, m.quizSubmissions, m.certificates, m.alertsPublished,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// registerGroupCommits publishes the store's group-commit figures: the
// rollup writes of quiz submissions and visits, batched per transaction.
func (m *metrics) registerGroupCommits(st *store.Store) {
	for _, g := range []struct {
		kind string
		read func() store.GroupCommits
	}{{"quiz", st.QuizGroupCommits}, {"visit", st.VisitGroupCommits}} {
		labels := prometheus.Labels{"kind": g.kind}
		m.registry.MustRegister(
			prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "beacon_group_commits_total", ConstLabels: labels,
				Help: "Transactions that wrote a batch of quiz submissions or visits with their rollups."},
				func() float64 { return float64(g.read().Batches) }),
			prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "beacon_group_commit_items_total", ConstLabels: labels,
				Help: "Quiz submissions or visits written by group commits (divided by beacon_group_commits_total: the mean batch size)."},
				func() float64 { return float64(g.read().Items) }))
	}
}

// errorStatus maps an app error code to an HTTP status.
func errorStatus(code string) int {
	switch code {
	case app.ENOTFOUND:
		return fiber.StatusNotFound
	case app.EINVALID:
		return fiber.StatusUnprocessableEntity
	case app.ECONFLICT:
		return fiber.StatusConflict
	case app.EUNAUTHORIZED:
		return fiber.StatusUnauthorized
	case app.EFORBIDDEN:
		return fiber.StatusForbidden
	case app.ETOOMANY:
		return fiber.StatusTooManyRequests
	case app.EMALFORMED:
		return fiber.StatusBadRequest
	}
	return fiber.StatusInternalServerError
}

// handleError is the one error handler: it maps the error to a status,
// renders a localized page, and logs only internal errors.
func (s *Server) handleError(c *fiber.Ctx, err error) error {
	status := fiber.StatusInternalServerError
	msgID := "error.internal"
	var fe *fiber.Error
	var ae *app.Error
	switch {
	case errors.As(err, &ae):
		status, msgID = errorStatus(ae.Code), ae.MessageID
	case errors.As(err, &fe):
		status = fe.Code
		switch fe.Code {
		case fiber.StatusNotFound:
			msgID = "error.not_found"
		case fiber.StatusRequestEntityTooLarge:
			msgID = "error.too_large"
		case fiber.StatusMethodNotAllowed:
			msgID = "error.method"
		case fiber.StatusTooManyRequests:
			msgID = "error.too_many"
		case fiber.StatusRequestTimeout:
			msgID = "error.timeout"
		case fiber.StatusRequestHeaderFieldsTooLarge:
			msgID = "error.headers_too_large"
		default:
			if fe.Code < 500 {
				msgID = "error.bad_request"
			}
		}
	}
	if status >= 500 {
		s.log.Error("request failed", "err", err, "request_id", requestID(c), "method", c.Method(), "path", c.Path())
	}
	if done, ferr := s.feedProblem(c, status, msgID); done {
		return ferr
	}
	c.Status(status)
	loc := s.localeOf(c)
	if isAPI(c) {
		return s.apiProblem(c, status, msgID)
	}
	data := fiber.Map{"Status": status, "MessageID": msgID,
		"Title": s.bundle.Localizer(loc).T(fmt.Sprintf("error.title.%d", status), nil)}
	if rerr := s.render(c, "error", data); rerr != nil {
		s.log.Error("render error page", "err", rerr, "request_id", requestID(c))
		return c.SendString(s.bundle.Localizer(loc).T(msgID, nil))
	}
	return nil
}
