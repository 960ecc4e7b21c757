package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"beacon/app"
	"beacon/app/store"
	"beacon/app/testenv"
)

func TestStore_DraftFollowUpWith(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		org := userWithRoles(t, st, "org@example.org", "Org", app.RoleOrganizer)
		if err := st.CreateAlert(ctx, org, newAlert("storm")); err != nil {
			t.Fatal(err)
		}
		if err := st.PublishAlert(ctx, org, "storm", false, alertBase); err != nil {
			t.Fatal(err)
		}
		c, err := st.DraftFollowUpWith(ctx, org, "storm", "Cancel", "storm-cancel", func(a *app.Alert) {
			a.Headline = app.Text{"en": "Cancelled: River flood warning"}
			a.Description = app.Text{"en": "This warning has been withdrawn."}
			a.Instruction = nil
			a.AllClear = true
			a.Identifier, a.MsgType, a.References = "other", "Alert", nil // cannot be changed
		})
		if err != nil {
			t.Fatal(err)
		}
		got := mustFindAlert(t, st, "storm-cancel")
		if c.Identifier != "storm-cancel" || got.MsgType != "Cancel" || len(got.References) != 1 || got.References[0] != "storm" ||
			got.Headline["en"] != "Cancelled: River flood warning" || got.Instruction["en"] != "" || !got.AllClear || got.State != app.AlertDraft {
			t.Fatalf("drafted cancel: %+v", got)
		}
		// A follow-up of an all-clear message does not inherit all clear.
		if err := st.DeleteAlert(ctx, org, "storm-cancel"); err != nil {
			t.Fatal(err)
		}
		if _, err := st.DraftFollowUpWith(ctx, org, "storm", "Update", "storm-update-1", func(a *app.Alert) { a.AllClear = true }); err != nil {
			t.Fatal(err)
		}
		if err := st.PublishAlert(ctx, org, "storm-update-1", false, alertBase.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if _, err := st.DraftFollowUp(ctx, org, "storm-update-1", "Update", "storm-update-2"); err != nil {
			t.Fatal(err)
		}
		if mustFindAlert(t, st, "storm-update-2").AllClear {
			t.Error("the update of an all-clear update starts as all clear")
		}
	})
}

func TestStore_AlertFeedTimes(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		org := userWithRoles(t, st, "org@example.org", "Org", app.RoleOrganizer)
		keep := 48 * time.Hour
		if got, err := st.AlertFeedChanged(ctx, alertBase, keep); err != nil || !got.IsZero() {
			t.Fatalf("empty site: %v %v", got, err)
		}
		publish := func(a *app.Alert, at time.Time) {
			t.Helper()
			if err := st.CreateAlert(ctx, org, a); err != nil {
				t.Fatal(err)
			}
			if err := st.PublishAlert(ctx, org, a.Identifier, false, at); err != nil {
				t.Fatal(err)
			}
		}
		publish(newAlert("storm"), alertBase) // in force alertBase .. +24h
		wind := newAlert("wind")
		wind.Effective, wind.Expires = alertBase.Add(3*time.Hour), alertBase.Add(60*time.Hour)
		publish(wind, alertBase) // comes into force at +3h, leaves at +60h
		test := newAlert("probe")
		test.Status = "Test"
		publish(test, alertBase.Add(2*time.Hour)) // never public: not counted
		if _, err := st.DraftFollowUp(ctx, org, "storm", "Cancel", "storm-cancel"); err != nil {
			t.Fatal(err)
		}
		if err := st.PublishAlert(ctx, org, "storm-cancel", false, alertBase.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			at, want time.Duration
		}{{30 * time.Minute, 0}, {90 * time.Minute, time.Hour}, {4 * time.Hour, 3 * time.Hour}, {30 * time.Hour, 3 * time.Hour},
			{49 * time.Hour, 49 * time.Hour}, {59 * time.Hour, 49 * time.Hour}, {61 * time.Hour, 60 * time.Hour}, {100 * time.Hour, 60 * time.Hour}} {
			got, err := st.AlertFeedChanged(ctx, alertBase.Add(tc.at), keep)
			if err != nil || !got.Equal(alertBase.Add(tc.want)) {
				t.Errorf("at +%s: %s (%v), want +%s", tc.at, got, err, tc.want)
			}
		}
		cancels, err := st.CancelsSince(ctx, alertBase)
		if err != nil || identifiers(cancels) != "storm-cancel" {
			t.Fatalf("cancels since the start: %s %v", identifiers(cancels), err)
		}
		if cancels, _ := st.CancelsSince(ctx, alertBase.Add(time.Hour)); len(cancels) != 0 {
			t.Errorf("cancels since the cancel: %s", identifiers(cancels))
		}
	})
}

func TestStore_ImportAllClear(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		a := newAlert("quake")
		c := newAlert("quake-cancel")
		c.MsgType, c.References, c.AllClear = "Cancel", []string{"quake"}, true
		if _, err := st.ImportPack(ctx, &app.Pack{Alerts: []app.Alert{*a, *c}}); err != nil {
			t.Fatal(err)
		}
		if got := mustFindAlert(t, st, "quake-cancel"); !got.AllClear {
			t.Fatal("imported all clear lost")
		}
		pack, err := st.SitePack(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range pack.Alerts {
			if x.AllClear != (x.Identifier == "quake-cancel") {
				t.Errorf("exported %s all clear %v", x.Identifier, x.AllClear)
			}
		}
	})
}

// BenchmarkStore_AlertFeedChanged reads the feed's <updated> over a site
// with two thousand published alerts (years of history).
func BenchmarkStore_AlertFeedChanged(b *testing.B) {
	st := testenv.MustOpenStore(b)
	ctx := context.Background()
	for i := 0; i < 2000; i++ {
		a := newAlert(fmt.Sprintf("history-%d", i))
		a.Effective, a.Expires = alertBase.Add(time.Duration(i)*time.Hour), alertBase.Add(time.Duration(i+24)*time.Hour)
		if err := st.CreateAlert(ctx, nil, a); err != nil {
			b.Fatal(err)
		}
		if err := st.PublishAlert(ctx, nil, a.Identifier, false, a.Effective); err != nil {
			b.Fatal(err)
		}
	}
	now := alertBase.Add(3000 * time.Hour)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := st.AlertFeedChanged(ctx, now, 48*time.Hour); err != nil {
			b.Fatal(err)
		}
	}
}
