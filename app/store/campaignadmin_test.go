package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"beacon/app"
	"beacon/app/campaign"
	"beacon/app/store"
)

func TestStore_CampaignParticipation(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		courses := seed(t, st)
		pc := course(t, courses, "cyber-hygiene")
		org := &app.User{Email: "org@example.org", DisplayName: "Org", PasswordHash: "x", Roles: []string{app.RoleOrganizer}, Locale: "en"}
		if err := st.CreateUser(ctx, org); err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC().Truncate(time.Second)
		cp := &app.Campaign{Slug: "drive", SourceLocale: "en", Starts: now.Add(-time.Hour), Ends: now.Add(24 * time.Hour),
			Courses: []string{pc.Slug}, Regions: []string{}, TimeZone: "UTC", Title: app.Text{"en": "Drive"}, Description: app.Text{}}
		if err := st.CreateCampaign(ctx, org, cp); err != nil {
			t.Fatal(err)
		}
		var fe app.FieldErrors
		if err := st.CreateCampaign(ctx, org, cp); !errors.As(err, &fe) || fe.For("slug") != "admin.campaigns.error.slug_taken" {
			t.Fatalf("second create: %v", err)
		}
		ch, err := st.CreateChannel(ctx, org, "drive", "Posters", campaign.NewCode)
		if err != nil || !campaign.ValidCode(ch.Code) {
			t.Fatalf("channel %+v: %v", ch, err)
		}
		if _, err := st.CreateChannel(ctx, org, "drive", "Posters", campaign.NewCode); !errors.As(err, &fe) || fe.For("channel-name") == "" {
			t.Fatalf("duplicate channel name: %v", err)
		}
		// A visitor by the channel, then joining twice: one participant with the channel.
		guest := app.NewID()
		for i := 0; i < 2; i++ {
			if _, err := st.RecordChannelVisit(ctx, ch.Code, guest); err != nil {
				t.Fatal(err)
			}
		}
		joined, err := st.JoinCampaign(ctx, "drive", guest)
		if err != nil || !joined {
			t.Fatalf("join: %v %v", joined, err)
		}
		if joined, _ := st.JoinCampaign(ctx, "drive", guest); joined {
			t.Fatal("joined twice")
		}
		p, err := st.FindParticipant(ctx, cp.ID, guest)
		if err != nil || p.ChannelID != ch.ID || p.How != store.JoinedByButton {
			t.Fatalf("participant %+v: %v", p, err)
		}
		// Joined on their own first, came by a channel later: the channel is filled in.
		early := app.NewID()
		if _, err := st.JoinCampaign(ctx, "drive", early); err != nil {
			t.Fatal(err)
		}
		if _, err := st.RecordChannelVisit(ctx, ch.Code, early); err != nil {
			t.Fatal(err)
		}
		if p, _ := st.FindParticipant(ctx, cp.ID, early); p.ChannelID != ch.ID {
			t.Fatalf("late channel not attributed: %+v", p)
		}
		chans, _ := st.Channels(ctx, cp.ID)
		if len(chans) != 1 || chans[0].Visits != 3 || chans[0].Learners != 2 || chans[0].Participants != 2 {
			t.Fatalf("channels %+v", chans)
		}
		// Auto-join on completion inside the window; the completion counts.
		auto := app.NewID()
		for _, l := range pc.Lessons {
			if _, err := st.CompleteLesson(ctx, store.Actor{LearnerID: auto, Locale: "en"}, pc, l.Slug); err != nil {
				t.Fatal(err)
			}
		}
		// The course also needs its quiz, so the lessons alone join nobody
		// (the handler tests complete it and see the auto-join).
		if _, err := st.FindParticipant(ctx, cp.ID, auto); app.ErrorCode(err) != app.ENOTFOUND {
			t.Fatalf("joined before completing: %v", err)
		}
		regions, err := st.CampaignRegions(ctx, cp)
		if err != nil || len(regions) != 1 || regions[0].Participants != 2 || regions[0].Region != "" {
			t.Fatalf("regions %+v: %v", regions, err)
		}
		if n, err := st.CampaignProgress(ctx, cp); err != nil || n != 0 {
			t.Fatalf("progress %d: %v", n, err)
		}
		// Close: ends now, audited; closing again conflicts; joining is refused.
		if err := st.CloseCampaign(ctx, org, "drive"); err != nil {
			t.Fatal(err)
		}
		if err := st.CloseCampaign(ctx, org, "drive"); app.ErrorCode(err) != app.ECONFLICT {
			t.Fatalf("close twice: %v", err)
		}
		if _, err := st.JoinCampaign(ctx, "drive", app.NewID()); app.ErrorCode(err) != app.ECONFLICT {
			t.Fatalf("join after close: %v", err)
		}
		got, _ := st.FindCampaign(ctx, "drive")
		if got.ClosedAt == nil || got.Ends.After(time.Now()) {
			t.Fatalf("closed %+v", got)
		}
		es, _ := st.Audit(ctx, store.AuditFilter{ObjectType: "campaign", ObjectID: "drive"})
		if len(es) != 3 { // create, channel, close
			t.Fatalf("audit %d entries", len(es))
		}
		if _, err := st.FindChannel(ctx, "zzzzzzzz"); app.ErrorCode(err) != app.ENOTFOUND {
			t.Fatalf("unknown code: %v", err)
		}
		if _, err := st.FindCampaign(ctx, "nope"); app.ErrorCode(err) != app.ENOTFOUND {
			t.Fatalf("unknown slug: %v", err)
		}
	})
}
