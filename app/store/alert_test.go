package store_test

import (
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"beacon/app"
	"beacon/app/content"
	"beacon/app/i18n"
	"beacon/app/store"
	"beacon/app/testenv"
)

// alertBase is the fixed time the alert tests count from.
var alertBase = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

// newAlert is a valid everyone-alert in force from alertBase for a day,
// written in Paris time (+01:00) so the tests see the offset survive.
func newAlert(id string) *app.Alert {
	paris := time.FixedZone("", 3600)
	return &app.Alert{Identifier: id, SourceLocale: "en", Status: "Actual", MsgType: "Alert", Scope: "Public",
		Categories: []string{"Met", "Safety"}, Urgency: "Expected", Severity: "Severe", Certainty: "Likely",
		Event: app.Text{"en": "Flood"}, Headline: app.Text{"en": "River flood warning"},
		Description: app.Text{"en": "The river is rising."}, Instruction: app.Text{"en": "Move to higher ground."},
		Effective: alertBase.In(paris), Expires: alertBase.Add(24 * time.Hour).In(paris),
		Regions: []string{}, Lesson: &app.AlertLesson{Course: "floods", Lesson: "before"}}
}

// alertRows is the number of alerts in any state.
func alertRows(t *testing.T, st *store.Store) int {
	t.Helper()
	all, err := st.AdminAlerts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return len(all)
}

// identifiers lists the alerts' identifiers in order.
func identifiers(as []*app.Alert) string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.Identifier
	}
	return strings.Join(out, ",")
}

// bodyOf is the alert's JSON (its translated and CAP fields).
func bodyOf(t *testing.T, a *app.Alert) string {
	t.Helper()
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func mustFindAlert(t *testing.T, st *store.Store, id string) *app.Alert {
	t.Helper()
	a, err := st.FindAlert(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestStore_AlertTable(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *store.Store) {
		cols, err := st.Columns(context.Background(), "alerts")
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []string{"id", "identifier", "state", "status", "msg_type", "severity", "effective", "expires", "sent",
			"superseded_by", "body", "author_id", "editor_ids", "created_at", "updated_at"} {
			if !slices.Contains(cols, c) {
				t.Errorf("alerts has no column %s", c)
			}
		}
	})
}

func TestStore_AlertAuthoring(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		author := userWithRoles(t, st, "author@example.org", "Author", app.RoleOrganizer)
		editor := userWithRoles(t, st, "editor@example.org", "Editor", app.RoleOrganizer)
		other := userWithRoles(t, st, "other@example.org", "Other", app.RoleOrganizer)

		a := newAlert("flood-1")
		if err := st.CreateAlert(ctx, author, a); err != nil {
			t.Fatal(err)
		}
		if a.ID == 0 || a.State != app.AlertDraft || a.AuthorID != author.ID || a.UpdatedAt.IsZero() {
			t.Fatalf("created alert: %+v", a)
		}
		got := mustFindAlert(t, st, "flood-1")
		if got.State != app.AlertDraft || got.AuthorID != author.ID || !got.Sent.IsZero() || got.SupersededBy != "" {
			t.Fatalf("stored alert: %+v", got)
		}
		if _, off := got.Effective.Zone(); off != 3600 || !got.Effective.Equal(alertBase) {
			t.Fatalf("effective lost its offset: %v", got.Effective)
		}
		if bodyOf(t, got) != bodyOf(t, a) {
			t.Fatalf("stored body differs:\n%s\n%s", bodyOf(t, got), bodyOf(t, a))
		}
		if _, err := st.FindAlert(ctx, "no-such"); app.ErrorCode(err) != app.ENOTFOUND || app.ErrorMessageID(err) != "alert.not_found" {
			t.Fatalf("unknown alert: %v", err)
		}

		t.Run("DuplicateIdentifier", func(t *testing.T) {
			dup := newAlert("flood-1")
			dup.Headline = app.Text{"en": "Another"}
			err := st.CreateAlert(ctx, other, dup)
			if app.ErrorCode(err) != app.ECONFLICT || app.ErrorMessageID(err) != "admin.alerts.error.identifier_taken" {
				t.Fatalf("duplicate identifier: %v", err)
			}
			if n := alertRows(t, st); n != 1 {
				t.Fatalf("%d alerts after a refused duplicate", n)
			}
			if mustFindAlert(t, st, "flood-1").Headline["en"] != "River flood warning" {
				t.Fatal("the duplicate overwrote the alert")
			}
			if got := auditActions(t, st, "alert", "flood-1"); got != "alert:create" {
				t.Fatalf("audit after a refused duplicate: %s", got)
			}
		})

		t.Run("CreateInvalid", func(t *testing.T) {
			bad := newAlert("bad id")
			bad.Severity, bad.Headline, bad.Expires = "Awful", app.Text{}, bad.Effective
			err := st.CreateAlert(ctx, author, bad)
			for _, f := range []string{"identifier", "severity", "headline", "expires"} {
				if fieldErr(err, f) != "admin.alerts.error."+f {
					t.Errorf("field %s: %v", f, err)
				}
			}
			upd := newAlert("orphan-update")
			upd.MsgType = "Update"
			if fieldErr(st.CreateAlert(ctx, author, upd), "msg_type") == "" {
				t.Error("an Update without references was accepted")
			}
			if n := alertRows(t, st); n != 1 {
				t.Fatalf("%d alerts after refused creates", n)
			}
		})

		if err := st.EditAlert(ctx, author, "flood-1", "alert:update", func(a *app.Alert) error {
			a.Severity, a.Regions = "Extreme", []string{"north"}
			a.Identifier, a.MsgType = "renamed", "Cancel" // fixed: ignored
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if err := st.EditAlert(ctx, author, "flood-1", "alert:translate:fr", func(a *app.Alert) error {
			a.Headline["fr"], a.Event["fr"] = "Alerte crue", "Crue"
			a.Instruction["fr"] = "   " // blank: dropped, falls back
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		got = mustFindAlert(t, st, "flood-1")
		if got.Identifier != "flood-1" || got.MsgType != "Alert" || got.Severity != "Extreme" || got.Headline["fr"] != "Alerte crue" ||
			!reflect.DeepEqual(got.Regions, []string{"north"}) {
			t.Fatalf("edited alert: %+v", got)
		}
		if _, ok := got.Instruction["fr"]; ok {
			t.Fatal("a blank translation was stored")
		}
		if got := auditActions(t, st, "alert", "flood-1"); got != "alert:create,alert:update,alert:translate:fr" {
			t.Fatalf("audit: %s", got)
		}
		entries, _ := st.Audit(ctx, store.AuditFilter{ObjectType: "alert", ObjectID: "flood-1", Limit: 1})
		if len(entries) != 1 || entries[0].Actor != "author@example.org" || !strings.Contains(entries[0].After, "Alerte crue") {
			t.Fatalf("translate audit entry: %+v", entries)
		}

		t.Run("InvalidEditChangesNothing", func(t *testing.T) {
			before := mustFindAlert(t, st, "flood-1")
			err := st.EditAlert(ctx, other, "flood-1", "alert:update", func(a *app.Alert) error {
				a.Severity, a.Urgency, a.Categories = "", "Soon", []string{"Weather"}
				a.Headline["en"], a.Event["en"] = " ", ""
				a.Expires = a.Effective.Add(-time.Hour)
				return nil
			})
			for _, f := range []string{"severity", "urgency", "category", "headline", "event", "expires"} {
				if fieldErr(err, f) != "admin.alerts.error."+f {
					t.Errorf("field %s: %v", f, err)
				}
			}
			if err := st.EditAlert(ctx, other, "flood-1", "alert:update", func(*app.Alert) error {
				return app.Errorf(app.EINVALID, "x")
			}); app.ErrorCode(err) != app.EINVALID {
				t.Fatalf("failing fn: %v", err)
			}
			after := mustFindAlert(t, st, "flood-1")
			if bodyOf(t, after) != bodyOf(t, before) || !after.UpdatedAt.Equal(before.UpdatedAt) {
				t.Fatal("a refused edit changed the alert")
			}
			if edited, _ := st.AlertEditedBy(ctx, "flood-1", other.ID); edited {
				t.Fatal("a refused edit recorded its editor")
			}
			if got := auditActions(t, st, "alert", "flood-1"); got != "alert:create,alert:update,alert:translate:fr" {
				t.Fatalf("audit after refused edits: %s", got)
			}
			// Changing nothing writes nothing.
			if err := st.EditAlert(ctx, other, "flood-1", "alert:update", func(*app.Alert) error { return nil }); err != nil {
				t.Fatal(err)
			}
			if got := auditActions(t, st, "alert", "flood-1"); got != "alert:create,alert:update,alert:translate:fr" {
				t.Fatalf("audit after an empty edit: %s", got)
			}
		})

		// Review: submit, then an edit in review keeps it in review and adds the editor.
		if err := st.SubmitAlert(ctx, author, "flood-1"); err != nil {
			t.Fatal(err)
		}
		if err := st.SubmitAlert(ctx, author, "flood-1"); app.ErrorCode(err) != app.ECONFLICT {
			t.Fatalf("submit twice: %v", err)
		}
		if err := st.EditAlert(ctx, editor, "flood-1", "alert:translate:ar", func(a *app.Alert) error {
			a.Headline["ar"] = "تحذير من فيضان"
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if s := mustFindAlert(t, st, "flood-1").State; s != app.AlertInReview {
			t.Fatalf("state after an edit in review: %s", s)
		}
		for _, u := range []*app.User{author, editor} {
			if edited, err := st.AlertEditedBy(ctx, "flood-1", u.ID); err != nil || !edited {
				t.Fatalf("%s edited: %v %v", u.Email, edited, err)
			}
		}

		// Four eyes: neither the author nor an editor publishes; another organizer does.
		for _, u := range []*app.User{author, editor} {
			err := st.PublishAlert(ctx, u, "flood-1", true, alertBase)
			if app.ErrorCode(err) != app.EFORBIDDEN || app.ErrorMessageID(err) != "admin.alerts.error.four_eyes" {
				t.Fatalf("four-eyes let %s publish: %v", u.Email, err)
			}
		}
		if s := mustFindAlert(t, st, "flood-1").State; s != app.AlertInReview {
			t.Fatalf("a refused publish changed the state to %s", s)
		}
		sent := alertBase.Add(90*time.Second + 300*time.Millisecond)
		if err := st.PublishAlert(ctx, other, "flood-1", true, sent); err != nil {
			t.Fatal(err)
		}
		got = mustFindAlert(t, st, "flood-1")
		if got.State != app.AlertPublished || !got.Sent.Equal(sent.Truncate(time.Second)) {
			t.Fatalf("published alert: state %s sent %v", got.State, got.Sent)
		}
		if err := st.PublishAlert(ctx, other, "flood-1", false, sent); app.ErrorCode(err) != app.ECONFLICT {
			t.Fatalf("published twice: %v", err)
		}

		// Published alerts are never edited or deleted.
		if err := st.EditAlert(ctx, author, "flood-1", "alert:update", func(a *app.Alert) error {
			a.Severity = "Minor"
			return nil
		}); app.ErrorCode(err) != app.EINVALID || app.ErrorMessageID(err) != "admin.alerts.error.published" {
			t.Fatalf("edited a published alert: %v", err)
		}
		if err := st.DeleteAlert(ctx, author, "flood-1"); app.ErrorCode(err) != app.ECONFLICT || app.ErrorMessageID(err) != "admin.alerts.error.published" {
			t.Fatalf("deleted a published alert: %v", err)
		}
		if got := mustFindAlert(t, st, "flood-1"); got.Severity != "Extreme" {
			t.Fatal("a published alert changed")
		}

		// A draft can be deleted, with an audit entry.
		if err := st.CreateAlert(ctx, author, newAlert("scratch")); err != nil {
			t.Fatal(err)
		}
		if err := st.DeleteAlert(ctx, author, "scratch"); err != nil {
			t.Fatal(err)
		}
		if _, err := st.FindAlert(ctx, "scratch"); app.ErrorCode(err) != app.ENOTFOUND {
			t.Fatalf("deleted draft still found: %v", err)
		}
		if got := auditActions(t, st, "alert", "scratch"); got != "alert:create,alert:delete" {
			t.Fatalf("audit of a deleted draft: %s", got)
		}
		if got := auditActions(t, st, "alert", "flood-1"); got != "alert:create,alert:update,alert:translate:fr,alert:submit,alert:translate:ar,alert:publish" {
			t.Fatalf("audit: %s", got)
		}
	})
}

func TestStore_AlertChain(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		org := userWithRoles(t, st, "org@example.org", "Org", app.RoleOrganizer)
		second := userWithRoles(t, st, "second@example.org", "Second", app.RoleOrganizer)
		inside := alertBase.Add(time.Hour)

		a := newAlert("storm")
		a.Regions = []string{"north"}
		a.Headline["fr"] = "Tempête"
		if err := st.CreateAlert(ctx, org, a); err != nil {
			t.Fatal(err)
		}
		// Only a published alert that still stands can be followed up.
		if _, err := st.DraftFollowUp(ctx, org, "storm", "Update", "storm-update-1"); app.ErrorCode(err) != app.ECONFLICT ||
			app.ErrorMessageID(err) != "admin.alerts.error.not_current" {
			t.Fatalf("follow-up of a draft: %v", err)
		}
		if err := st.PublishAlert(ctx, org, "storm", false, alertBase); err != nil {
			t.Fatal(err)
		}
		if _, err := st.DraftFollowUp(ctx, org, "storm", "Alert", "storm-x"); fieldErr(err, "msg_type") == "" {
			t.Fatalf("follow-up of type Alert: %v", err)
		}
		if _, err := st.DraftFollowUp(ctx, org, "storm", "Update", "bad id"); fieldErr(err, "identifier") == "" {
			t.Fatalf("follow-up with a bad identifier: %v", err)
		}
		if _, err := st.DraftFollowUp(ctx, org, "storm", "Update", "storm"); app.ErrorCode(err) != app.ECONFLICT {
			t.Fatalf("follow-up with a taken identifier: %v", err)
		}

		u, err := st.DraftFollowUp(ctx, second, "storm", "Update", "storm-update-1")
		if err != nil {
			t.Fatal(err)
		}
		if u.MsgType != "Update" || !reflect.DeepEqual(u.References, []string{"storm"}) || u.State != app.AlertDraft ||
			u.AuthorID != second.ID || u.Headline["fr"] != "Tempête" || !reflect.DeepEqual(u.Regions, []string{"north"}) ||
			u.Lesson == nil || u.Lesson.Lesson != "before" || !u.Effective.Equal(a.Effective) || !u.Expires.Equal(a.Expires) ||
			!reflect.DeepEqual(u.Categories, a.Categories) {
			t.Fatalf("follow-up draft: %+v", u)
		}
		if got := auditActions(t, st, "alert", "storm-update-1"); got != "alert:follow_up" {
			t.Fatalf("follow-up audit: %s", got)
		}
		// A rival update drafted at the same time.
		if _, err := st.DraftFollowUp(ctx, org, "storm", "Update", "storm-update-2"); err != nil {
			t.Fatal(err)
		}
		if err := st.EditAlert(ctx, second, "storm-update-1", "alert:update", func(a *app.Alert) error {
			a.Severity, a.Headline["en"] = "Extreme", "Storm warning raised"
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if active, _ := st.ActiveAlerts(ctx, inside); identifiers(active) != "storm" {
			t.Fatalf("active before the update: %s", identifiers(active))
		}
		if err := st.PublishAlert(ctx, org, "storm-update-1", true, alertBase.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		if got := mustFindAlert(t, st, "storm"); got.SupersededBy != "storm-update-1" || got.Active(inside) {
			t.Fatalf("original after the update: %+v", got)
		}
		active, err := st.ActiveAlerts(ctx, inside)
		if err != nil || identifiers(active) != "storm-update-1" {
			t.Fatalf("active after the update: %s %v", identifiers(active), err)
		}
		// The original no longer stands: neither a new follow-up nor the rival draft goes through.
		if _, err := st.DraftFollowUp(ctx, org, "storm", "Cancel", "storm-cancel"); app.ErrorMessageID(err) != "admin.alerts.error.not_current" {
			t.Fatalf("second follow-up of a superseded alert: %v", err)
		}
		if err := st.PublishAlert(ctx, second, "storm-update-2", false, alertBase.Add(2*time.Minute)); app.ErrorCode(err) != app.ECONFLICT ||
			app.ErrorMessageID(err) != "admin.alerts.error.not_current" {
			t.Fatalf("rival update published: %v", err)
		}
		if got := mustFindAlert(t, st, "storm-update-2"); got.State != app.AlertDraft {
			t.Fatalf("refused rival changed state: %s", got.State)
		}

		// Cancel the update: nothing stays active, both stay in the archive.
		c, err := st.DraftFollowUp(ctx, org, "storm-update-1", "Cancel", "storm-cancel")
		if err != nil {
			t.Fatal(err)
		}
		if !c.Expires.Equal(a.Expires) || !reflect.DeepEqual(c.References, []string{"storm-update-1"}) {
			t.Fatalf("cancel draft: %+v", c)
		}
		if err := st.PublishAlert(ctx, second, "storm-cancel", true, alertBase.Add(3*time.Minute)); err != nil {
			t.Fatal(err)
		}
		if active, _ := st.ActiveAlerts(ctx, inside); len(active) != 0 {
			t.Fatalf("active after the cancel: %s", identifiers(active))
		}
		published, err := st.PublishedAlerts(ctx)
		if err != nil || identifiers(published) != "storm-cancel,storm-update-1,storm" {
			t.Fatalf("published: %s %v", identifiers(published), err)
		}
		if got := mustFindAlert(t, st, "storm-update-1"); got.SupersededBy != "storm-cancel" {
			t.Fatalf("update after the cancel: %+v", got)
		}
		if _, err := st.DraftFollowUp(ctx, org, "storm-cancel", "Update", "storm-cancel-update"); app.ErrorMessageID(err) != "admin.alerts.error.not_current" {
			t.Fatalf("follow-up of a cancel: %v", err)
		}
		if got := auditActions(t, st, "alert", "storm-cancel"); got != "alert:follow_up,alert:publish" {
			t.Fatalf("cancel audit: %s", got)
		}
		admin, _ := st.AdminAlerts(ctx)
		if len(admin) != 4 || admin[0].Identifier != "storm-cancel" {
			t.Fatalf("admin list: %s", identifiers(admin))
		}
	})
}

func TestStore_ActiveAlerts(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		org := userWithRoles(t, st, "org@example.org", "Org", app.RoleOrganizer)
		publish := func(a *app.Alert) {
			t.Helper()
			if err := st.CreateAlert(ctx, org, a); err != nil {
				t.Fatal(err)
			}
			if err := st.PublishAlert(ctx, org, a.Identifier, false, alertBase); err != nil {
				t.Fatal(err)
			}
		}
		later := newAlert("later")
		later.Effective, later.Expires = alertBase.Add(time.Hour), alertBase.Add(3*time.Hour)
		publish(later)
		minor := newAlert("minor")
		minor.Severity = "Minor"
		publish(minor)
		drill := newAlert("drill")
		drill.Status, drill.Severity = "Exercise", "Moderate"
		publish(drill)
		test := newAlert("test-message")
		test.Status = "Test"
		publish(test)
		if err := st.CreateAlert(ctx, org, newAlert("draft-only")); err != nil {
			t.Fatal(err)
		}

		cases := []struct {
			name string
			at   time.Time
			want string
		}{
			{"BeforeEffective", alertBase.Add(-time.Second), ""},
			{"AtEffective", alertBase, "drill,minor"},
			{"Inside", alertBase.Add(2 * time.Hour), "later,drill,minor"},
			{"AtExpiry", alertBase.Add(3 * time.Hour), "drill,minor"},
			{"AfterExpiry", alertBase.Add(25 * time.Hour), ""},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				active, err := st.ActiveAlerts(ctx, tc.at)
				if err != nil {
					t.Fatal(err)
				}
				if got := identifiers(active); got != tc.want {
					t.Fatalf("active at %v: %q, want %q", tc.at, got, tc.want)
				}
				for _, a := range active {
					if !a.Active(tc.at) {
						t.Fatalf("%s listed but not active", a.Identifier)
					}
				}
			})
		}
		// A time in another zone is the same instant.
		if active, _ := st.ActiveAlerts(ctx, alertBase.Add(2*time.Hour).In(time.FixedZone("", -7*3600))); len(active) != 3 {
			t.Fatalf("active in another zone: %s", identifiers(active))
		}
		published, _ := st.PublishedAlerts(ctx)
		if len(published) != 4 {
			t.Fatalf("published: %s", identifiers(published))
		}
	})
}

func TestStore_RegionChain(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		admin := userWithRoles(t, st, "root@example.org", "Root", app.RoleAdministrator)
		for _, r := range []app.Region{
			{Code: "north", Name: app.Text{"en": "North"}},
			{Code: "north-hill", ParentCode: "north", Name: app.Text{"en": "North Hill"}},
			{Code: "north-hill-village", ParentCode: "north-hill", Name: app.Text{"en": "Village"}},
			{Code: "south", Name: app.Text{"en": "South"}},
		} {
			if err := st.CreateRegion(ctx, admin, r); err != nil {
				t.Fatal(err)
			}
		}
		cases := []struct {
			code string
			want []string
		}{
			{"", nil},
			{"north", []string{"north"}},
			{"north-hill-village", []string{"north-hill-village", "north-hill", "north"}},
			{"south", []string{"south"}},
			{"gone", []string{"gone"}},
		}
		for _, tc := range cases {
			got, err := st.RegionChain(ctx, tc.code)
			if err != nil || !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("chain of %q: %v %v, want %v", tc.code, got, err, tc.want)
			}
		}
		north := newAlert("north-only")
		north.Regions = []string{"north"}
		for code, want := range map[string]bool{"north-hill": true, "north-hill-village": true, "south": false, "": false} {
			chain, _ := st.RegionChain(ctx, code)
			if north.Covers(chain) != want {
				t.Errorf("north alert covers %q: %v, want %v", code, !want, want)
			}
		}
	})
}

// alertPack is a pack of an alert and the update that replaces it.
func alertPack() *app.Pack {
	a := newAlert("pack-alert")
	a.Headline["fr"] = "Alerte"
	u := newAlert("pack-alert-update")
	u.MsgType, u.References, u.Severity = "Update", []string{"pack-alert"}, "Extreme"
	drill := newAlert("pack-drill")
	drill.Status, drill.Lesson, drill.Regions = "Exercise", nil, nil
	return &app.Pack{Alerts: []app.Alert{*u, *a, *drill}}
}

func TestStore_ImportPackAlerts(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		now := alertBase.Add(30 * time.Minute)
		st.SetClock(func() time.Time { return now })
		res, err := st.ImportPack(ctx, alertPack())
		if err != nil {
			t.Fatal(err)
		}
		if res.AlertsCreated != 3 || res.AlertsUpdated+res.AlertsUnchanged != 0 {
			t.Fatalf("first import: %+v", res)
		}
		a := mustFindAlert(t, st, "pack-alert")
		if a.State != app.AlertPublished || !a.Sent.Equal(now) || a.SupersededBy != "pack-alert-update" || a.AuthorID != 0 {
			t.Fatalf("imported alert: %+v", a)
		}
		if active, _ := st.ActiveAlerts(ctx, now); identifiers(active) != "pack-alert-update,pack-drill" {
			t.Fatalf("active after import: %s", identifiers(active))
		}

		// The same pack again changes nothing.
		st.SetClock(func() time.Time { return now.Add(time.Hour) })
		res, err = st.ImportPack(ctx, alertPack())
		if err != nil || res.AlertsUnchanged != 3 || res.AlertsCreated+res.AlertsUpdated != 0 {
			t.Fatalf("second import: %+v %v", res, err)
		}
		if got := mustFindAlert(t, st, "pack-alert"); !got.UpdatedAt.Equal(a.UpdatedAt) || !got.Sent.Equal(now) {
			t.Fatal("an unchanged alert was rewritten")
		}

		// A changed alert is updated and keeps when it was first sent.
		changed := alertPack()
		changed.Alerts[2].Headline["en"] = "Drill of the warning system"
		res, err = st.ImportPack(ctx, changed)
		if err != nil || res.AlertsUpdated != 1 || res.AlertsUnchanged != 2 {
			t.Fatalf("changed import: %+v %v", res, err)
		}
		if got := mustFindAlert(t, st, "pack-drill"); got.Headline["en"] != "Drill of the warning system" || !got.Sent.Equal(now) {
			t.Fatalf("updated drill: %+v", got)
		}

		// SitePack exports every published alert by identifier; importing
		// the export elsewhere gives the same alerts, and here changes nothing.
		if err := st.CreateAlert(ctx, nil, newAlert("unpublished")); err != nil {
			t.Fatal(err)
		}
		pack, err := st.SitePack(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, a := range pack.Alerts {
			ids = append(ids, a.Identifier)
		}
		if strings.Join(ids, ",") != "pack-alert,pack-alert-update,pack-drill" {
			t.Fatalf("exported alerts: %v", ids)
		}
		res, err = st.ImportPack(ctx, pack)
		if err != nil || res.AlertsUnchanged != 3 {
			t.Fatalf("re-import of the export: %+v %v", res, err)
		}
		t.Run("RoundTrip", func(t *testing.T) {
			other := testenv.MustOpenStore(t)
			if st.Dialect() == store.DialectPostgres {
				other = testenv.MustOpenPostgres(t)
			}
			if _, err := other.ImportPack(ctx, pack); err != nil {
				t.Fatal(err)
			}
			again, err := other.SitePack(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(again.Alerts) != len(pack.Alerts) {
				t.Fatalf("round trip: %d alerts, want %d", len(again.Alerts), len(pack.Alerts))
			}
			for i := range pack.Alerts {
				if bodyOf(t, &again.Alerts[i]) != bodyOf(t, &pack.Alerts[i]) || again.Alerts[i].SupersededBy != pack.Alerts[i].SupersededBy {
					t.Fatalf("round trip of %s:\n%s\n%s", pack.Alerts[i].Identifier, bodyOf(t, &again.Alerts[i]), bodyOf(t, &pack.Alerts[i]))
				}
			}
		})

		// An imported Update of an alert the site published marks it superseded.
		org := userWithRoles(t, st, "org@example.org", "Org", app.RoleOrganizer)
		site := newAlert("site-alert")
		if err := st.CreateAlert(ctx, org, site); err != nil {
			t.Fatal(err)
		}
		if err := st.PublishAlert(ctx, org, "site-alert", false, now); err != nil {
			t.Fatal(err)
		}
		cancel := newAlert("site-alert-cancel")
		cancel.MsgType, cancel.References = "Cancel", []string{"site-alert"}
		if _, err := st.ImportPack(ctx, &app.Pack{Alerts: []app.Alert{*cancel}}); err != nil {
			t.Fatal(err)
		}
		if got := mustFindAlert(t, st, "site-alert"); got.SupersededBy != "site-alert-cancel" {
			t.Fatalf("imported cancel did not supersede: %+v", got)
		}
	})
}

func TestStore_ImportSeedAlerts(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		b, err := i18n.Load(testenv.Sub(t, "content/locales"), "en")
		if err != nil {
			t.Fatal(err)
		}
		parse := func() *app.Pack {
			pack, err := content.Parse(testenv.Sub(t, "content"), content.Options{Locales: b.Locales()})
			if err != nil {
				t.Fatal(err)
			}
			return pack
		}
		pack := parse()
		res, err := st.ImportPack(ctx, pack)
		if err != nil || res.AlertsCreated != len(pack.Alerts) {
			t.Fatalf("seed import: %+v %v", res, err)
		}
		res, err = st.ImportPack(ctx, parse())
		if err != nil || res.AlertsUnchanged != len(pack.Alerts) || res.AlertsCreated+res.AlertsUpdated != 0 {
			t.Fatalf("seed import again: %+v %v", res, err)
		}
		for _, a := range pack.Alerts {
			got := mustFindAlert(t, st, a.Identifier)
			if got.State != app.AlertPublished || !got.Effective.Equal(a.Effective) || got.Effective.Format(time.RFC3339) != a.Effective.Format(time.RFC3339) {
				t.Fatalf("seed alert %s: %+v", a.Identifier, got)
			}
		}
	})
}
