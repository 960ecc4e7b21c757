package web_test

import (
	"context"
	"testing"
	"time"

	"beacon/app"
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
