package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"beacon/app/testenv"
	"beacon/app/web"
)

// TestServiceWorkerServed: /sw.js is JavaScript at the root with the
// whole site as its scope, never kept stale, listing this release's static
// files and every language's offline page; the offline page answers in
// six locales; the manifest has what installing needs; logout clears the
// device.
func TestServiceWorkerServed(t *testing.T) {
	srv := MustOpenServer(t)
	c := srv.client(t)
	r := c.get("/sw.js")
	c.mustStatus(r, 200)
	for h, want := range map[string]string{"Content-Type": "text/javascript; charset=utf-8", "Service-Worker-Allowed": "/", "Cache-Control": "no-cache"} {
		if got := r.Header.Get(h); got != want {
			t.Errorf("/sw.js %s: %q, want %q", h, got, want)
		}
	}
	if strings.Contains(r.Body, "__PRECACHE__") || strings.Contains(r.Body, "__VERSION__") {
		t.Errorf("/sw.js keeps its placeholders")
	}
	home := c.get("/en/")
	css, _ := home.Doc.Find(`link[rel="stylesheet"]`).Attr("href")
	if !strings.Contains(r.Body, `"`+css+`"`) {
		t.Errorf("/sw.js does not precache %s", css)
	}
	c.mustRevalidate("/sw.js", r)
	if head := c.do("HEAD", "/sw.js", nil); head.Status != 200 {
		t.Errorf("HEAD /sw.js: %d", head.Status)
	}

	titles := map[string]string{"en": "You are offline", "ar": "أنت غير متصل بالإنترنت", "es": "No tienes conexión",
		"fr": "Vous êtes hors ligne", "ru": "Нет подключения к интернету", "zh-Hans": "您处于离线状态"}
	for lang, title := range titles {
		if !strings.Contains(r.Body, `"/`+lang+`/offline"`) {
			t.Errorf("/sw.js does not precache /%s/offline", lang)
		}
		p := srv.client(t).get("/" + lang + "/offline")
		if p.Status != 200 {
			t.Fatalf("/%s/offline: %d", lang, p.Status)
		}
		if got := text(p, "h1"); got != title {
			t.Errorf("/%s/offline h1 %q, want %q", lang, got, title)
		}
		if l, _ := p.Doc.Find("html").Attr("lang"); l != lang {
			t.Errorf("/%s/offline lang %q", lang, l)
		}
		if p.Doc.Find("[data-offline-saved] [data-offline-none]").Length() != 1 || p.Doc.Find("[data-offline-waiting]").Length() != 1 {
			t.Errorf("/%s/offline lacks the saved list or the waiting list", lang)
		}
		if p.Doc.Find(`script[src*="/js/offline."]`).Length() != 1 {
			t.Errorf("/%s/offline does not load offline.js", lang)
		}
		if p.Header.Get("X-Robots-Tag") != "noindex" {
			t.Errorf("/%s/offline is indexable", lang)
		}
	}

	var m struct {
		StartURL, Scope, Display string `json:"-"`
		Start                    string `json:"start_url"`
		Sc                       string `json:"scope"`
		Disp                     string `json:"display"`
		Icons                    []struct{ Src, Sizes string }
	}
	mr := c.get("/ar/manifest.webmanifest")
	if err := json.Unmarshal([]byte(mr.Body), &m); err != nil {
		t.Fatal(err)
	}
	if m.Start != "/ar/" || m.Sc != "/" || m.Disp != "minimal-ui" {
		t.Errorf("manifest start_url %q scope %q display %q", m.Start, m.Sc, m.Disp)
	}
	sizes := map[string]bool{}
	for _, ic := range m.Icons {
		if ir := c.get(ic.Src); ir.Status == 200 {
			sizes[ic.Sizes] = true
		}
	}
	if !sizes["192x192"] || !sizes["512x512"] {
		t.Errorf("manifest icons served: %v", sizes)
	}

	u := srv.signedIn(t, "leaves@example.org")
	out := u.postForm(u.get("/en/me"), "/en/logout", nil)
	if out.Header.Get("Clear-Site-Data") != `"cache", "storage"` {
		t.Errorf("logout Clear-Site-Data %q", out.Header.Get("Clear-Site-Data"))
	}
}

// TestOfflineQuizTicket: a quiz page fetched to be kept on a device (no
// cookies, the Beacon-Offline-Copy header) sets no cookie and carries no
// CSRF token; its open ticket is scored for whoever submits it, once per
// learner, for seven days.
func TestOfflineQuizTicket(t *testing.T) {
	for name, open := range testenv.Stores(t) {
		t.Run(name, func(t *testing.T) {
			now := time.Now()
			srv := mustOpenServerOn(t, open(t), func(o *web.Options) { o.Clock = func() time.Time { return now } })
			pc := srv.course(t, "cyber-hygiene")
			quizURL := "/en/courses/" + pc.Slug + "/quiz"
			kept := func() *response {
				req := httptest.NewRequest(http.MethodGet, quizURL, nil)
				req.Header.Set("Beacon-Offline-Copy", "1")
				return srv.client(t).send(req)
			}
			page := kept()
			if page.Status != 200 || len(page.Header.Values("Set-Cookie")) != 0 {
				t.Fatalf("kept quiz page: %d, cookies %v", page.Status, page.Header.Values("Set-Cookie"))
			}
			if v := page.Doc.Find(`input[name="_csrf"]`).AttrOr("value", "?"); v != "" {
				t.Errorf("kept quiz page carries a CSRF token %q", v)
			}
			answers := rightAnswers(t, page, pc, false)

			guest := srv.client(t) // never visited: no learner cookie yet
			first := guest.postForm(page, quizURL, answers)
			guest.mustStatus(first, 303)
			again := guest.postForm(page, quizURL, answers)
			if again.Location != first.Location {
				t.Errorf("the same kept form twice: %s then %s", first.Location, again.Location)
			}
			if res := guest.get(first.Location); res.Status != 200 {
				t.Errorf("guest result: %d", res.Status)
			}
			other := srv.signedIn(t, "other@example.org")
			second := other.postForm(page, quizURL, answers)
			other.mustStatus(second, 303)
			if second.Location == first.Location {
				t.Errorf("another learner got the first learner's attempt %s", first.Location)
			}
			if r := guest.get(second.Location); r.Status != 404 {
				t.Errorf("guest reads the other learner's result: %d", r.Status)
			}
			got, err := srv.Store.Attempts(context.Background(), guest.cookies["beacon_learner"], pc.ID)
			if err != nil || len(got) != 1 {
				t.Fatalf("guest attempts %d, %v", len(got), err)
			}

			// A ticket bound to one learner still refuses another.
			bound := srv.client(t).get(quizURL)
			if r := srv.client(t).postForm(bound, quizURL, rightAnswers(t, bound, pc, false)); r.Status < 400 {
				t.Errorf("a bound ticket from another learner: %d", r.Status)
			}

			// Six days on a device is fine; eight is too long.
			late := kept()
			now = now.Add(6 * 24 * time.Hour)
			if r := srv.client(t).postForm(late, quizURL, rightAnswers(t, late, pc, false)); r.Status != 303 {
				t.Errorf("after six days: %d", r.Status)
			}
			now = now.Add(2 * 24 * time.Hour)
			if r := srv.client(t).postForm(late, quizURL, rightAnswers(t, late, pc, false)); r.Status < 400 {
				t.Errorf("after eight days: %d", r.Status)
			}
		})
	}
}
