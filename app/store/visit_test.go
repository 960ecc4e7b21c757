package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"beacon/app"
	"beacon/app/campaign"
	"beacon/app/store"
)

// TestRecordVisit_ConcurrentBurst: a burst of visits from many goroutines
// (first visits, repeats, campaign landings and channel follows), written
// in group commits, counts each learner once per scope, every follow of a
// channel, the first channel a learner came by, and leaves rollups equal
// to a recount of the raw events.
func TestRecordVisit_ConcurrentBurst(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		seed(t, st)
		org := &app.User{Email: "burst@example.org", DisplayName: "Org", PasswordHash: "x", Roles: []string{app.RoleOrganizer}, Locale: "en"}
		if err := st.CreateUser(ctx, org); err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC().Truncate(time.Second)
		cp := &app.Campaign{Slug: "burst", SourceLocale: "en", Starts: now.Add(-time.Hour), Ends: now.Add(24 * time.Hour),
			Courses: []string{}, Regions: []string{}, TimeZone: "UTC", Title: app.Text{"en": "Burst"}, Description: app.Text{}}
		if err := st.CreateCampaign(ctx, org, cp); err != nil {
			t.Fatal(err)
		}
		posters, err := st.CreateChannel(ctx, org, "burst", "Posters", campaign.NewCode)
		if err != nil {
			t.Fatal(err)
		}
		radio, err := st.CreateChannel(ctx, org, "burst", "Radio", campaign.NewCode)
		if err != nil {
			t.Fatal(err)
		}
		const learners = 120
		ids := make([]string, learners)
		for i := range ids {
			ids[i] = app.NewID()
		}
		var wg sync.WaitGroup
		errs := make(chan error, learners*8)
		for i, id := range ids {
			wg.Go(func() {
				locale := []string{"en", "fr", "ar"}[i%3]
				for range 2 { // a first visit and a repeat
					errs <- st.RecordVisit(ctx, id, 0, 0, locale)
				}
				switch i % 4 {
				case 0: // follows the posters' link twice, then the radio's
					for _, code := range []string{posters.Code, posters.Code, radio.Code} {
						_, err := st.RecordChannelVisit(ctx, code, id)
						errs <- err
					}
				case 1: // lands on the campaign page on its own
					errs <- st.RecordVisit(ctx, id, cp.ID, 0, locale)
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		events := checkRecount(t, st)
		visited := map[string]int{}
		for _, e := range events {
			if e.Kind == store.StatVisited {
				visited[fmt.Sprint(e.Scope)]++
			}
		}
		if visited["0"] != learners {
			t.Errorf("site-wide visitors %d, want %d", visited["0"], learners)
		}
		if want := learners / 4; visited[fmt.Sprint(cp.ID)] != want {
			t.Errorf("campaign visitors %d, want %d", visited[fmt.Sprint(cp.ID)], want)
		}
		for _, tc := range []struct {
			ch   *store.Channel
			want int
		}{{posters, 2 * learners / 4}, {radio, learners / 4}} {
			got, err := st.FindChannel(ctx, tc.ch.Code)
			if err != nil {
				t.Fatal(err)
			}
			if got.Visits != tc.want {
				t.Errorf("channel %s: %d follows, want %d", tc.ch.Name, got.Visits, tc.want)
			}
		}
	})
}
