package web

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// Offline reading (#14 point 3). A service worker served at the site root
// (static/js/sw.js) keeps the offline page of every language and the
// static files; static/js/offline.js, loaded on course and offline pages
// and by site.js on the quiz page only when offline or when answers wait
// (lessons and quizzes are the heaviest public pages: #14 point 6), saves a course's pages into a cache of their own and keeps
// quiz answers chosen offline until the connection returns. Without the
// worker every page works as before.

// headerOfflineCopy is the request header offline.js sends when it fetches
// a page to keep on the device. Such requests carry no cookies
// (credentials "omit"); the quiz page then draws an open ticket (quiz.go).
const headerOfflineCopy = "Beacon-Offline-Copy"

// localOfflineCopy marks a request for a page to be kept on a device: it is
// rendered without a CSRF token and sets no cookie (render.go).
const localOfflineCopy = "offline_copy"

// offlineCopy reports a request for a page to be kept on a device: it
// carries the header and nothing personal.
func offlineCopy(c *fiber.Ctx) bool {
	if v, ok := c.Locals(localOfflineCopy).(bool); ok {
		return v
	}
	v := c.Get(headerOfflineCopy) == "1" && len(c.Request().Header.Peek(fiber.HeaderCookie)) == 0
	c.Locals(localOfflineCopy, v)
	return v
}

// swPrecacheMark is replaced, in sw.js, by the list of URLs the worker
// keeps on install; swVersionMark by a version that changes with them.
const (
	swPrecacheMark = "self.__PRECACHE__"
	swVersionMark  = "__VERSION__"
)

// serviceWorker answers /sw.js: the worker, with the hashed URLs of this
// release's static files and the offline page of every enabled language.
// It is read again by browsers on every navigation check (no-cache), and
// may control the whole site (Service-Worker-Allowed: /).
func (s *Server) serviceWorker(c *fiber.Ctx) error {
	src, ok := s.assets.body("js/sw.js")
	if !ok {
		return unmatched(c)
	}
	urls := []string{s.assets.url("css/site.css"), s.assets.url("js/site.js"), s.assets.url("js/offline.js"),
		s.assets.url("img/icon.svg"), "/icons/icon-192.png?v=" + s.icons.tag}
	for _, l := range s.enabledLocales(c.UserContext()) {
		urls = append(urls, "/"+l+"/offline")
	}
	list, err := json.Marshal(urls)
	if err != nil {
		return fmt.Errorf("service worker: %w", err)
	}
	// A new release or a new language makes a new worker with a new cache,
	// and the old cache goes when it activates.
	sum := sha256.Sum256(append(append([]byte{}, src...), list...))
	body := strings.Replace(string(src), swPrecacheMark, string(list), 1)
	body = strings.ReplaceAll(body, swVersionMark, hex.EncodeToString(sum[:6]))
	c.Set(fiber.HeaderCacheControl, "no-cache")
	c.Set("Service-Worker-Allowed", "/")
	c.Set(fiber.HeaderContentType, "text/javascript; charset=utf-8")
	return sendTagged(c, []byte(body))
}

// offlinePage answers /{lang}/offline: what the worker shows for a page
// not saved on the device. The saved courses and the answers waiting to be
// sent are listed by offline.js from the device's own storage.
func (s *Server) offlinePage(c *fiber.Ctx) error {
	l := s.bundle.Localizer(s.localeOf(c))
	return s.render(c, "offline/show", fiber.Map{"Title": l.T("offline.title", nil),
		"Meta": &pageMeta{Title: l.T("offline.title", nil)}, "OfflineJS": true})
}

// forgetDevice asks the browser to drop what this site kept on the device
// (saved courses, answers waiting to be sent, the service worker), so that
// the next person there finds none of it: on sign-out and account deletion.
func forgetDevice(c *fiber.Ctx) {
	c.Set("Clear-Site-Data", `"cache", "storage"`)
}
