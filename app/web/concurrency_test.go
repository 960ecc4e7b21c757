package web_test

import (
	"context"
	"fmt"
	"net/url"
	"sync"
	"testing"

	"beacon/app"
)

// TestConcurrency_SharedState drives every piece of state the server
// shares between requests from many goroutines at once: the page cache and
// its stamp (anonymous pages), page filling (the same pages for visitors
// with cookies), the lesson and search caches, the settings and alert
// caches, the session cache, the in-memory rate limiter (failed sign-ins,
// quiz submissions), and the store's batched commits (visits, progress,
// attempts), while an administrator saves settings, which drops the
// caches under the readers' feet. Run alone it checks that nobody gets an
// error; CI runs it under -race, which is what it is for.
func TestConcurrency_SharedState(t *testing.T) {
	srv := MustOpenServer(t)
	pc := srv.course(t, "cyber-hygiene")
	admin := srv.signedIn(t, "race-admin@example.org", app.RoleAdministrator)
	var learners []*client
	for i := range 2 {
		learners = append(learners, srv.signedIn(t, fmt.Sprintf("race-learner-%d@example.org", i)))
	}
	const rounds = 6
	public := []string{"/en/", "/fr/", "/en/courses", "/en/courses?q=password", "/en/courses/cyber-hygiene",
		"/en/courses/cyber-hygiene/lessons/passwords", "/zh-Hans/courses/cyber-hygiene/lessons/phishing",
		"/en/alerts", "/ar/campaigns", "/feeds/alerts.atom", "/healthz"}

	var wg sync.WaitGroup
	var mu sync.Mutex
	var failures []string
	fail := func(format string, a ...any) {
		mu.Lock()
		failures = append(failures, fmt.Sprintf(format, a...))
		mu.Unlock()
	}
	want := func(who string, r *response, status int) bool {
		if r.Status != status {
			fail("%s: status %d, want %d: %.200s", who, r.Status, status, r.Body)
			return false
		}
		return true
	}
	// Anonymous readers: kept pages, filled and refilled.
	for w := range 3 {
		wg.Go(func() {
			for i := range rounds * len(public) {
				c := srv.client(t)
				p := public[(i+w)%len(public)]
				want("anonymous "+p, c.get(p), 200)
			}
		})
	}
	// Guests and signed-in learners: pages with cookies (filled from kept
	// pages), progress, quiz attempts.
	takers := []*client{srv.client(t), srv.client(t)}
	takers = append(takers, learners...)
	for n, c := range takers {
		wg.Go(func() {
			for i := range rounds {
				lesson := pc.Lessons[i%len(pc.Lessons)]
				path := "/en/courses/" + pc.Slug + "/lessons/" + lesson.Slug
				page := c.get(path)
				if !want(fmt.Sprintf("taker %d lesson", n), page, 200) {
					return
				}
				if page.Doc.Find(`form[action="`+path+`/complete"]`).Length() > 0 {
					want(fmt.Sprintf("taker %d complete", n), c.postForm(page, path+"/complete", nil), 303)
				}
				quiz := c.get("/en/courses/" + pc.Slug + "/quiz")
				if !want(fmt.Sprintf("taker %d quiz", n), quiz, 200) {
					return
				}
				want(fmt.Sprintf("taker %d submit", n), c.postForm(quiz, "/en/courses/"+pc.Slug+"/quiz", rightAnswers(t, quiz, pc, i%2 == 0)), 303)
				want(fmt.Sprintf("taker %d home", n), c.get("/en/"), 200)
			}
		})
	}
	// Failed sign-ins: the rate limiter's counters.
	wg.Go(func() {
		c := srv.client(t)
		for i := range rounds * 2 {
			page := c.get("/en/login")
			if !want("login page", page, 200) {
				return
			}
			r := c.postForm(page, "/en/login", url.Values{"email": {fmt.Sprintf("nobody-%d@example.org", i%3)}, "password": {"wrong password"}})
			if r.Status >= 500 {
				fail("failed sign-in: status %d", r.Status)
			}
		}
	})
	// The administrator changes settings: caches dropped while read.
	wg.Go(func() {
		for i := range rounds {
			page := admin.get("/en/admin/settings")
			if !want("settings page", page, 200) {
				return
			}
			want("settings save", admin.postForm(page, "/en/admin/settings", url.Values{"site_name.en": {fmt.Sprintf("Safe City %d", i)}}), 303)
		}
	})
	wg.Wait()
	for _, f := range failures {
		t.Error(f)
	}
	for n, c := range takers[:2] { // the guests: their learner id is their cookie
		attempts, err := srv.Store.Attempts(context.Background(), c.cookies["beacon_learner"], pc.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(attempts) != rounds {
			t.Errorf("taker %d: %d attempts stored, want %d", n, len(attempts), rounds)
		}
	}
}
