package store_test

import (
	"context"
	"testing"
	"time"

	"beacon/app"
	"beacon/app/store"
)

// TestStore_CampaignScope: a participant's learning inside the window counts
// in the campaign's figures as well as site-wide; a non-participant's does not.
func TestStore_CampaignScope(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		courses := seed(t, st)
		c := course(t, courses, "cyber-hygiene")
		organizer := newUser(t, st, "org@example.org", "")
		now := time.Now().UTC()
		camp := &app.Campaign{Slug: "now-drive", SourceLocale: "en", Starts: now.Add(-time.Hour), Ends: now.Add(24 * time.Hour),
			Courses: []string{"cyber-hygiene"}, Regions: []string{}, Title: app.Text{"en": "Now"}, Description: app.Text{"en": "Now."}}
		if err := st.CreateCampaign(ctx, organizer, camp); err != nil {
			t.Fatal(err)
		}
		stored, err := st.FindCampaign(ctx, "now-drive")
		if err != nil {
			t.Fatal(err)
		}
		member, other := app.NewID(), app.NewID()
		if _, err := st.JoinCampaign(ctx, "now-drive", member); err != nil {
			t.Fatal(err)
		}
		for _, learner := range []string{member, other} {
			if _, err := st.CompleteLesson(ctx, store.Actor{LearnerID: learner, Locale: "en"}, c, c.Lessons[0].Slug); err != nil {
				t.Fatal(err)
			}
		}
		day := now.Add(-48 * time.Hour)
		site, err := st.StatsSummary(ctx, 0, day, now.Add(48*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		scoped, err := st.StatsSummary(ctx, stored.ID, day, now.Add(48*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if got := site[store.StatStarted].Total(); got != 2 {
			t.Fatalf("site-wide started = %d, want 2", got)
		}
		if got := scoped[store.StatStarted].Total(); got != 1 {
			t.Fatalf("campaign started = %d, want 1 (the participant only)", got)
		}
	})
}
