package web_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"beacon/app"
	"beacon/app/campaign"
)

// TestExportMove: a site moves by its own site.zip. Site A has a published
// alert, sent two days ago, and a campaign with tracked channels; site B,
// fresh, uploads A's site.zip: the alert keeps its sent time and CAP
// identifier (so references "sender,identifier,sent" stay valid) and the
// printed links /c/{code} of A lead to the campaign on B.
func TestExportMove(t *testing.T) {
	ctx := context.Background()
	a := MustOpenServer(t)
	sent := time.Now().UTC().Add(-48 * time.Hour).Truncate(time.Second)
	alert := alertFixture("move-phishing-1", func(x *app.Alert) { x.Effective = sent.Add(-time.Hour) })
	org := a.organizer(t)
	if err := a.Store.CreateAlert(ctx, org, alert); err != nil {
		t.Fatal(err)
	}
	if err := a.Store.PublishAlert(ctx, org, alert.Identifier, false, sent); err != nil {
		t.Fatal(err)
	}
	const camp = "security-education-day-2027"
	var codes []string
	for _, name := range []string{"Posters at the station", "School talks"} {
		ch, err := a.Store.CreateChannel(ctx, org, camp, name, campaign.NewCode)
		if err != nil {
			t.Fatal(err)
		}
		codes = append(codes, ch.Code)
	}
	capA := a.client(t).get("/alerts/" + alert.Identifier + ".cap")
	a.client(t).mustStatus(capA, 200)

	admin := a.signedIn(t, "move-admin@example.org", app.RoleAdministrator)
	zipA := admin.get("/en/admin/packs/site.zip")
	admin.mustStatus(zipA, 200)

	b := MustOpenServer(t)
	badmin := b.signedIn(t, "move-admin-b@example.org", app.RoleAdministrator)
	r := badmin.uploadFile("/en/admin/packs", url.Values{"_csrf": {badmin.csrf()}}, "pack", "site.zip", []byte(zipA.Body))
	badmin.mustStatus(r, 200)
	if r.Doc.Find(".error-summary").Length() != 0 {
		t.Fatalf("upload refused: %s", text(r, "main"))
	}

	moved, err := b.Store.FindAlert(ctx, alert.Identifier)
	if err != nil {
		t.Fatal(err)
	}
	if !moved.Sent.Equal(sent) || moved.State != app.AlertPublished {
		t.Errorf("alert on B: state %s, sent %v; want published, sent %v as on A", moved.State, moved.Sent, sent)
	}
	guest := b.client(t)
	capB := guest.get("/alerts/" + alert.Identifier + ".cap")
	guest.mustStatus(capB, 200)
	for _, elem := range []string{"identifier", "sent"} {
		if got, want := between(capB.Body, elem), between(capA.Body, elem); got != want || want == "" {
			t.Errorf("CAP <%s> on B %q, on A %q", elem, got, want)
		}
	}
	for _, code := range codes {
		r := guest.get("/c/" + code)
		guest.mustStatus(r, 303)
		if !strings.HasSuffix(r.Location, "/campaigns/"+camp) {
			t.Errorf("/c/%s on B leads to %q", code, r.Location)
		}
	}

	// Uploading it again changes nothing and refuses nothing.
	again := badmin.uploadFile("/en/admin/packs", url.Values{"_csrf": {badmin.csrf()}}, "pack", "site.zip", []byte(zipA.Body))
	badmin.mustStatus(again, 200)
	if moved2, _ := b.Store.FindAlert(ctx, alert.Identifier); !moved2.Sent.Equal(sent) {
		t.Errorf("a second upload moved sent to %v", moved2.Sent)
	}
}

// between returns the text of the first <elem>…</elem> in s.
func between(s, elem string) string {
	_, rest, ok := strings.Cut(s, "<"+elem+">")
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(rest, "</"+elem+">")
	return v
}
