package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"

	"beacon/app"
	"beacon/app/stats"

	"github.com/gofiber/fiber/v2"
)

// The JSON API under /api/v1: read-only resources for portals, apps and
// aggregators, described by the OpenAPI document (openapi.go). Handlers
// answer with apiSend (JSON, ETag, caching) and fail with app errors,
// which handleError turns into problem details (apiProblem).

// apiPrefix is where the API's version 1 lives.
const apiPrefix = "/api/v1"

// Content types of the API.
const (
	apiJSON        = "application/json; charset=utf-8"
	apiProblemJSON = "application/problem+json; charset=utf-8"
)

// Cache-Control of API answers: public ones may be kept a minute by any
// cache; an answer to a request carrying credentials by none.
const (
	apiPublicCache  = "public, max-age=60"
	apiPrivateCache = "private, no-store"
)

// localAPILang is the Locals key apiLang sets: the body is localized, in
// that language (apiSend says so in Content-Language).
const localAPILang = "api_lang"

// Paging bounds of list endpoints.
const (
	apiDefaultLimit = 20
	apiMaxLimit     = 100
)

// apiList is the envelope of every list: one page of items, the total
// count, the page asked for, and the next page's URL when there is one.
type apiList struct {
	Items  any    `json:"items"`
	Total  int    `json:"total"`
	Limit  int    `json:"limit"`
	Offset int    `json:"offset"`
	Next   string `json:"next,omitempty"`
}

// apiRoutes are the rows of the route table under /api/v1 (all GET, so
// HEAD too); other methods on these paths answer 405 (mount).
func (s *Server) apiRoutes() []route {
	h := func(hs ...fiber.Handler) []fiber.Handler { return hs }
	return []route{
		{"GET", apiPrefix + "/openapi.json", accessPublic, h(s.apiOpenAPI)},
		{"GET", apiPrefix + "/courses", accessPublic, h(s.apiCourses)},
		{"GET", apiPrefix + "/courses/:slug", accessPublic, h(s.apiCourseShow)},
		{"GET", apiPrefix + "/campaigns", accessPublic, h(s.apiCampaigns)},
		{"GET", apiPrefix + "/campaigns/:slug", accessPublic, h(s.apiCampaignShow)},
		{"GET", apiPrefix + "/campaigns/:slug/results", accessPublic, h(s.apiCampaignResults)},
		{"GET", apiPrefix + "/alerts", accessPublic, h(s.apiAlerts)},
		{"GET", apiPrefix + "/alerts/:identifier", accessPublic, h(s.apiAlertShow)},
		{"GET", apiPrefix + "/regions", accessPublic, h(s.apiRegions)},
		{"GET", apiPrefix + "/regions/:code", accessPublic, h(s.apiRegionShow)},
	}
}

// apiSend answers v as JSON with a strong ETag of the bytes; a request
// whose If-None-Match names that tag gets 304 and no body. Answers may be
// kept by shared caches for a minute, unless the request carries an
// Authorization header. When the handler asked apiLang, the body is
// localized and Content-Language says in which language.
func (s *Server) apiSend(c *fiber.Ctx, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // lesson bodies are HTML; the content type is JSON and nosniff is set
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("api: encode %s: %w", c.Path(), err)
	}
	return s.apiSendBytes(c, buf.Bytes())
}

// apiSendBytes is apiSend for a body already encoded.
func (s *Server) apiSendBytes(c *fiber.Ctx, body []byte) error {
	sum := sha256.Sum256(body)
	etag := `"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`
	h := &c.Response().Header
	h.Set(fiber.HeaderETag, etag)
	if len(c.Get(fiber.HeaderAuthorization)) > 0 {
		h.Set(fiber.HeaderCacheControl, apiPrivateCache)
	} else {
		h.Set(fiber.HeaderCacheControl, apiPublicCache)
	}
	if lang, ok := c.Locals(localAPILang).(string); ok {
		h.Set(fiber.HeaderContentLanguage, lang)
		if c.Query("lang") == "" {
			h.Add(fiber.HeaderVary, fiber.HeaderAcceptLanguage)
		}
	}
	status := c.Response().StatusCode()
	if (status == 0 || status == fiber.StatusOK) && etagMatches(c.Get(fiber.HeaderIfNoneMatch), etag) {
		c.Response().ResetBody()
		return c.SendStatus(fiber.StatusNotModified)
	}
	c.Set(fiber.HeaderContentType, apiJSON)
	return c.Send(body)
}

// apiLang is the language of a localized answer: ?lang= (any tag, matched
// among the enabled locales as pages match Accept-Language), else the
// Accept-Language header, else the site default. A lang nothing matches
// is no error: it falls back like a missing one.
func (s *Server) apiLang(c *fiber.Ctx) string {
	enabled := s.enabledLocales(c.UserContext())
	lang, ok := s.bundle.MatchTag(c.Query("lang"), enabled)
	if !ok {
		lang, ok = s.bundle.MatchTag(c.Get(fiber.HeaderAcceptLanguage), enabled)
	}
	if !ok {
		lang = s.bundle.Default()
	}
	c.Locals(localAPILang, lang)
	return lang
}

// apiPaging reads ?limit= (1..100, default 20) and ?offset= (0 or more,
// default 0); anything else is an EMALFORMED error (a 400 problem).
func apiPaging(c *fiber.Ctx) (limit, offset int, err error) {
	limit, offset = apiDefaultLimit, 0
	if v := c.Query("limit"); v != "" {
		n, cerr := strconv.Atoi(v)
		if cerr != nil || n < 1 || n > apiMaxLimit {
			return 0, 0, app.Errorf(app.EMALFORMED, "api.problem.limit")
		}
		limit = n
	}
	if v := c.Query("offset"); v != "" {
		n, cerr := strconv.Atoi(v)
		if cerr != nil || n < 0 {
			return 0, 0, app.Errorf(app.EMALFORMED, "api.problem.offset")
		}
		offset = n
	}
	return limit, offset, nil
}

// apiPage cuts one page out of all and wraps it in the list envelope;
// when more follow, the envelope's next and a Link header (rel="next")
// name the next page, with the request's other parameters kept.
func apiPage[T any](s *Server, c *fiber.Ctx, all []T, limit, offset int) apiList {
	total := len(all)
	page := []T{}
	if offset < total {
		page = all[offset:min(offset+limit, total)]
	}
	l := apiList{Items: page, Total: total, Limit: limit, Offset: offset}
	if offset+limit < total {
		q := url.Values{}
		c.Context().QueryArgs().VisitAll(func(k, v []byte) { q.Add(string(k), string(v)) })
		q.Set("limit", strconv.Itoa(limit))
		q.Set("offset", strconv.Itoa(offset+limit))
		l.Next = s.baseURL(c) + c.Path() + "?" + q.Encode()
		c.Append(fiber.HeaderLink, "<"+l.Next+`>; rel="next"`)
	}
	return l
}

// apiProblem answers an error under /api as RFC 9457 problem details:
// the title is the message msgID in the request's API language, the
// instance the path asked for. Page-worded generic messages are swapped
// for their API wording.
func (s *Server) apiProblem(c *fiber.Ctx, status int, msgID string) error {
	if id, ok := apiProblemIDs[msgID]; ok {
		msgID = id
	}
	lang := s.apiLang(c)
	body, err := json.Marshal(apiProblemBody{Type: "about:blank", Title: s.bundle.Localizer(lang).T(msgID, nil),
		Status: status, Instance: c.Path()})
	if err != nil {
		return fmt.Errorf("api: encode problem: %w", err)
	}
	h := &c.Response().Header
	h.Set(fiber.HeaderContentLanguage, lang)
	h.Set(fiber.HeaderCacheControl, "no-store")
	c.Status(status)
	c.Set(fiber.HeaderContentType, apiProblemJSON)
	return c.Send(body)
}

// apiProblemBody is the problem details object (RFC 9457).
type apiProblemBody struct {
	Type     string `json:"type"`
	Title    string `json:"title"`
	Status   int    `json:"status"`
	Detail   string `json:"detail,omitempty"`
	Instance string `json:"instance"`
}

// apiProblemIDs word the site's generic errors for API clients ("this
// page" means nothing to a program).
var apiProblemIDs = map[string]string{
	"error.not_found":         "api.problem.not_found",
	"error.method":            "api.problem.method",
	"error.too_many":          "api.problem.too_many",
	"error.bad_request":       "api.problem.bad_request",
	"error.internal":          "api.problem.internal",
	"error.unauthorized":      "api.problem.unauthorized",
	"error.forbidden":         "api.problem.forbidden",
	"error.too_large":         "api.problem.bad_request",
	"error.timeout":           "api.problem.internal",
	"error.headers_too_large": "api.problem.bad_request",
	"error.invalid_utf8":      "api.problem.bad_request",
	"error.csrf":              "api.problem.forbidden",
}

// apiMethodNotAllowed answers a method an API path does not take: 405,
// the Allow header, as a problem.
func apiMethodNotAllowed(methods []string) fiber.Handler {
	allow := allowList(methods)
	return func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderAllow, allow)
		return fiber.ErrMethodNotAllowed
	}
}

// apiOpenAPI serves the OpenAPI document (openapi.go).
func (s *Server) apiOpenAPI(c *fiber.Ctx) error {
	return s.apiSendBytes(c, s.openapi)
}

// apiHidden is a protected count as the API gives it: null when hidden.
func apiHidden(x stats.Cell) *int64 {
	if x.Suppressed {
		return nil
	}
	return &x.N
}
