package web_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"beacon/app"
	"beacon/app/campaign"
	"beacon/app/store"
)

// TestVisits_CountedOncePerVisitor: a visitor's first public page counts
// once site-wide; more pages and admin pages add nothing; a campaign's
// landing page counts in the campaign too.
func TestVisits_CountedOncePerVisitor(t *testing.T) {
	srv := MustOpenServer(t)
	ctx := context.Background()
	visited := func(scope int64) int64 {
		t.Helper()
		now := time.Now().UTC()
		sum, err := srv.Store.StatsSummary(ctx, scope, now.AddDate(-1, 0, 0), now.AddDate(2, 0, 0))
		if err != nil {
			t.Fatal(err)
		}
		return sum[store.StatVisited].Total()
	}
	a := srv.client(t)
	a.get("/en/")
	a.get("/en/courses")
	a.get("/zh-Hans/courses/cyber-hygiene")
	if got := visited(0); got != 1 {
		t.Fatalf("one visitor counted %d times", got)
	}
	b := srv.client(t)
	b.get("/en/courses/nope") // a 404 is no visit
	if got := visited(0); got != 1 {
		t.Fatalf("an error page counted as a visit: %d", got)
	}
	b.get("/zh-Hans/")
	if got := visited(0); got != 2 {
		t.Fatalf("two visitors counted as %d", got)
	}
	admin := srv.signedIn(t, "visit-admin@example.org", app.RoleAdministrator)
	before := visited(0)
	admin.get("/en/admin/")
	if got := visited(0); got != before {
		t.Fatal("an admin page counted as a visit")
	}
	cp, err := srv.Store.FindCampaign(ctx, "security-education-day-2027")
	if err != nil {
		t.Fatal(err)
	}
	a.get("/en/campaigns/security-education-day-2027")
	a.get("/en/campaigns/security-education-day-2027")
	if got := visited(cp.ID); got != 1 {
		t.Fatalf("campaign visits = %d, want 1", got)
	}
}

// TestVisits_ChannelsCountPeopleNotScanners: a link preview or a
// prefetching scanner follows a channel link but loads no pixel, and a
// prefetch of the pixel is not a view: neither counts. A person's follow
// counts once for the channel, and reloading the landing page adds nothing.
func TestVisits_ChannelsCountPeopleNotScanners(t *testing.T) {
	srv := MustOpenServer(t)
	ctx := context.Background()
	ch, err := srv.Store.CreateChannel(ctx, srv.organizer(t), "security-education-day-2027", "Posters", campaign.NewCode)
	if err != nil {
		t.Fatal(err)
	}
	visits := func() int {
		t.Helper()
		got, err := srv.Store.FindChannel(ctx, ch.Code)
		if err != nil {
			t.Fatal(err)
		}
		return got.Visits
	}
	follow := func(c *client) {
		t.Helper()
		r := c.get("/c/" + ch.Code)
		if r.Status != 303 || r.Header.Get("Cache-Control") != "private, no-store" {
			t.Fatalf("/c/: %d %q", r.Status, r.Header.Get("Cache-Control"))
		}
		c.mustStatus(c.get(r.Location), 200)
	}
	preview := srv.client(t)
	preview.noPixel = true
	follow(preview)
	prefetch := srv.client(t)
	prefetch.noPixel = true
	follow(prefetch)
	req := httptest.NewRequest("GET", "/visit.gif?l=en&c=security-education-day-2027", nil)
	req.Header.Set("Sec-Purpose", "prefetch")
	prefetch.send(req)
	bot := srv.client(t)
	req = httptest.NewRequest("GET", "/visit.gif?l=en&c=security-education-day-2027", nil)
	req.Header.Set("User-Agent", "WhatsApp/2.23.20.0")
	bot.send(req)
	if n := visits(); n != 0 {
		t.Fatalf("scanners counted %d channel visits", n)
	}
	person := srv.client(t)
	follow(person)
	person.get("/en/campaigns/security-education-day-2027")
	person.get("/en/campaigns/security-education-day-2027")
	if n := visits(); n != 1 {
		t.Fatalf("one person following once counted %d channel visits", n)
	}
	if v := person.cookies["beacon_seen"]; !strings.Contains(v, "c:security-education-day-2027") {
		t.Errorf("seen cookie %q does not remember the campaign", v)
	}
	follow(person) // a second follow of the link is a second visit of the channel
	if n := visits(); n != 2 {
		t.Fatalf("two follows counted %d", n)
	}
}
