package web

import (
	"bytes"
	"context"
	"html/template"
	"strconv"
	"sync"
	"time"

	"beacon/app"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

// A signed-in reader, or a guest with progress, sees a public page that
// differs from everyone's in a few places only: the account links of the
// header, the alert banner (their region's alerts, the ones they hid) and,
// on a lesson, whether they completed it. Rendering the whole page for
// them costs a hundred times more than serving a kept one, so a shared
// page is kept with those places marked as slots (templates call slot and
// endslot), and a personal request on a route marked fillable gets the
// kept page with its slots filled for this visitor: small partial
// templates, the session and the progress read from short-lived caches.
// The answer is private, like every personal page.

// Slot markers around the personal places of a shared render; they never
// reach a client.
const (
	slotOpenPrefix = "<!--beacon:slot:"
	slotOpenSuffix = "-->"
	slotClose      = "<!--beacon:/slot-->"
)

// slotFuncs are the template functions that mark a slot in a shared
// render (and print nothing otherwise).
func slotFuncs() template.FuncMap {
	return template.FuncMap{
		"slot": func(shared bool, name string) template.HTML {
			if !shared {
				return ""
			}
			return template.HTML(slotOpenPrefix + name + slotOpenSuffix)
		},
		"endslot": func(shared bool) template.HTML {
			if !shared {
				return ""
			}
			return slotClose
		},
	}
}

// pagePart is a stretch of a kept page: text, or a slot with its text for
// everyone.
type pagePart struct {
	text []byte
	slot string
}

// splitSlots cuts a shared render at its slot markers; it returns the body
// everyone gets (markers removed) and the parts for personal fills. A
// render without markers is one part.
func splitSlots(body []byte) ([]byte, []pagePart) {
	if !bytes.Contains(body, []byte(slotOpenPrefix)) {
		return body, nil
	}
	var (
		plain []byte
		parts []pagePart
	)
	rest := body
	for {
		i := bytes.Index(rest, []byte(slotOpenPrefix))
		if i < 0 {
			break
		}
		head := rest[:i]
		rest = rest[i+len(slotOpenPrefix):]
		j := bytes.Index(rest, []byte(slotOpenSuffix))
		k := bytes.Index(rest, []byte(slotClose))
		if j < 0 || k < j {
			return body, nil // malformed: serve as is, fill nothing
		}
		name := string(rest[:j])
		inner := rest[j+len(slotOpenSuffix) : k]
		rest = rest[k+len(slotClose):]
		plain = append(append(plain, head...), inner...)
		parts = append(parts, pagePart{text: head}, pagePart{text: inner, slot: name})
	}
	plain = append(plain, rest...)
	parts = append(parts, pagePart{text: rest})
	return plain, parts
}

// fillMeta is what a fillable page's slots need besides the visitor: the
// lesson's course and slug (lesson.go sets it while rendering the shared page).
type fillMeta struct {
	CourseID   int64
	CourseSlug string
	LessonSlug string
}

// Locals keys of the fill.
const (
	localFillable = "fillable"  // the route may be filled for a personal request
	localFillMeta = "fill_meta" // *fillMeta of the page
)

// fillable is the route-table marker of a shared page whose personal
// variant is the shared page with its slots filled.
func fillable(c *fiber.Ctx) error {
	c.Locals(localFillable, true)
	return c.Next()
}

// personalFill answers a personal GET or HEAD from a kept page when it
// can: the page is kept and fillable, the visitor has no flash waiting,
// and their session (if any) is valid. It reports whether it answered.
func (s *Server) personalFill(c *fiber.Ctx, e *pageEntry) (bool, error) {
	if e.parts == nil || len(c.Request().Header.Cookie(cookieFlash)) > 0 {
		return false, nil
	}
	if token := c.Cookies(cookieSession); token != "" {
		u, err := s.sessionUser(c, token)
		if err != nil || u == nil {
			return false, nil // the full path clears a dead session cookie
		}
		c.Locals("user", u)
	}
	lang := e.lang
	u := currentUser(c)
	csrf := s.formToken(c)
	buf := fillBuffers.Get().(*bytes.Buffer)
	buf.Reset()
	defer fillBuffers.Put(buf)
	for _, p := range e.parts {
		if p.slot == "" {
			buf.Write(p.text)
			continue
		}
		var err error
		switch p.slot {
		case "account":
			staff := u != nil && hasAnyRole(u, accessStaff)
			err = s.fragment(buf, e, csrf, "account|"+strconv.FormatBool(u != nil)+strconv.FormatBool(staff), "partials/account-nav",
				fiber.Map{"User": u, "IsStaff": staff})
		case "banner":
			// Rendered even when empty: the partial's own white space is
			// part of the page, byte for byte.
			alerts := s.bannerAlerts(c, lang)
			key := "banner|" + c.Path()
			for _, a := range alerts {
				key += "|" + a.Identifier
			}
			err = s.fragment(buf, e, csrf, key, "partials/alert-banner", fiber.Map{"BannerAlerts": alerts, "Path": c.Path()})
		case "lesson":
			if e.meta == nil {
				return false, nil
			}
			done, derr := s.lessonsDone(c, e.meta.CourseID)
			if derr != nil {
				return false, derr
			}
			err = s.fragment(buf, e, csrf, "lesson|"+strconv.FormatBool(done[e.meta.LessonSlug]), "lesson/state",
				fiber.Map{"Done": done[e.meta.LessonSlug], "CourseSlug": e.meta.CourseSlug, "LessonSlug": e.meta.LessonSlug})
		default:
			return false, nil
		}
		if err != nil {
			return false, err
		}
	}
	h := &c.Response().Header
	for _, kv := range e.headers {
		h.SetCanonical(kv[0], kv[1])
	}
	h.Set(fiber.HeaderCacheControl, privateCacheControl)
	h.SetContentType(e.contentType)
	c.Status(fiber.StatusOK)
	if acceptsGzip(c) {
		c.Response().SetBodyRaw(fasthttp.AppendGzipBytesLevel(nil, buf.Bytes(), fasthttp.CompressBestSpeed))
		h.Set(fiber.HeaderContentEncoding, "gzip")
		h.Set(fiber.HeaderVary, fiber.HeaderAcceptEncoding)
		return true, nil
	}
	c.Response().SetBody(buf.Bytes()) // copied into the response's own reused buffer
	return true, nil
}

var fillBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// csrfPlaceholder stands for the visitor's CSRF token in a kept fragment;
// base64url characters and underscores pass through html/template as they are.
const csrfPlaceholder = "__beacon_csrf_token__"

// fragment writes the slot template name rendered with data for this
// visitor: the render is kept per page (its URL and stamp) and key, with
// a placeholder for the CSRF token, so that visitors in the same state
// share it and only their token is put in.
func (s *Server) fragment(buf *bytes.Buffer, e *pageEntry, csrf, key, name string, data fiber.Map) error {
	key = e.etag + "|" + key
	now := time.Now()
	b, ok := s.fragments.get(key, now)
	if !ok {
		data["L"] = s.bundle.Localizer(e.lang)
		data["Lang"] = e.lang
		data["CSRF"] = csrfPlaceholder
		var fb bytes.Buffer
		if err := renderBare(s.views, &fb, name, data); err != nil {
			return err
		}
		b = fb.Bytes()
		s.fragments.put(key, b, e.expires)
	}
	for {
		i := bytes.Index(b, []byte(csrfPlaceholder))
		if i < 0 {
			buf.Write(b)
			return nil
		}
		buf.Write(b[:i])
		buf.WriteString(csrf)
		b = b[i+len(csrfPlaceholder):]
	}
}

// Short-lived caches behind the fill (and the session middleware). A
// session ended on another instance, or an account disabled there, is
// still believed here for at most sessionCacheTTL; on this instance
// logout and every admin change forget at once. Progress is keyed by the
// visitor's cookiePrivate, which every change of theirs renews, so it is
// never stale for the browser that made the change, on any instance; a
// change made on another device shows within progressCacheTTL.
const (
	sessionCacheTTL  = 5 * time.Second
	progressCacheTTL = 10 * time.Second
	shortCacheMax    = 100_000
)

// shortCache is a bounded map whose entries live a few seconds.
type shortCache[T any] struct {
	m sync.Map // key → shortEntry[T]
	n sync.Mutex
	// size counts stores since the last clear, to bound memory.
	size int
}

type shortEntry[T any] struct {
	val   T
	until time.Time
}

func (sc *shortCache[T]) get(key string, now time.Time) (T, bool) {
	var zero T
	v, ok := sc.m.Load(key)
	if !ok {
		return zero, false
	}
	e := v.(shortEntry[T])
	if now.After(e.until) {
		return zero, false
	}
	return e.val, true
}

func (sc *shortCache[T]) put(key string, val T, until time.Time) {
	sc.n.Lock()
	sc.size++
	if sc.size > shortCacheMax {
		sc.m.Clear()
		sc.size = 1
	}
	sc.n.Unlock()
	sc.m.Store(key, shortEntry[T]{val: val, until: until})
}

func (sc *shortCache[T]) forget(key string) { sc.m.Delete(key) }

func (sc *shortCache[T]) clear() { sc.m.Clear() }

// sessionUser returns the account of a session token (nil, ENOTFOUND-like
// error for an unknown or expired one), from the session cache when it is
// fresh.
func (s *Server) sessionUser(c *fiber.Ctx, token string) (*app.User, error) {
	return s.sessionUserOf(c.UserContext(), token)
}

// sessionUserOf is sessionUser for code that has no Fiber context (the
// body limit, decided before the body is read).
func (s *Server) sessionUserOf(ctx context.Context, token string) (*app.User, error) {
	now := time.Now()
	if u, ok := s.sessions.get(token, now); ok {
		return u, nil
	}
	u, err := s.store.FindSession(ctx, token, s.sessionIdle(ctx))
	if err != nil {
		return nil, err
	}
	s.sessions.put(token, u, now.Add(sessionCacheTTL))
	return u, nil
}

// lessonsDone returns the visitor's completed lessons of a course, from
// the progress cache when it is fresh.
func (s *Server) lessonsDone(c *fiber.Ctx, courseID int64) (map[string]bool, error) {
	learner := s.learnerID(c)
	if learner == "" {
		return map[string]bool{}, nil
	}
	key := learner + "|" + strconv.FormatInt(courseID, 10) + "|" + c.Cookies(cookiePrivate)
	now := time.Now()
	if done, ok := s.progress.get(key, now); ok {
		return done, nil
	}
	done, err := s.store.LessonsDone(c.UserContext(), learner, courseID)
	if err != nil {
		return nil, err
	}
	s.progress.put(key, done, now.Add(progressCacheTTL))
	return done, nil
}

// warmPage renders the shared copy of a fillable page that a personal
// request found missing, as an anonymous request would, once at a time
// per page; the next personal request is then filled from it.
func (s *Server) warmPage(c *fiber.Ctx, key string) {
	if _, busy := s.warming.LoadOrStore(key, true); busy {
		return
	}
	var req fasthttp.Request
	c.Request().CopyTo(&req)
	req.Header.Del(fiber.HeaderCookie)
	req.Header.SetMethod(fiber.MethodGet)
	remote := c.Context().RemoteAddr()
	go func() {
		defer s.warming.Delete(key)
		var rc fasthttp.RequestCtx
		rc.Init(&req, remote, nil)
		s.app.Handler()(&rc)
	}()
}
