package campaign_test

import (
	"testing"
	"time"

	"beacon/app"
	"beacon/app/campaign"
)

func TestWindow(t *testing.T) {
	shanghai, err := campaign.LoadZone("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	start, ok := campaign.ParseLocal("2027-04-08T00:00", shanghai)
	if !ok || !start.Equal(time.Date(2027, 4, 7, 16, 0, 0, 0, time.UTC)) {
		t.Fatalf("ParseLocal: %v %v", start, ok)
	}
	if _, ok := campaign.ParseLocal("2027-02-30T10:00", shanghai); ok {
		t.Fatal("accepted 30 February")
	}
	for _, bad := range []string{"", "Local", "Mars/Base", "../etc/passwd"} {
		if _, err := campaign.LoadZone(bad); err == nil {
			t.Errorf("LoadZone(%q) accepted", bad)
		}
	}
	// A pack campaign has only an offset; it is shown in that offset.
	c := &app.Campaign{Starts: time.Date(2027, 4, 8, 0, 0, 0, 0, time.FixedZone("", 8*3600))}
	c.Ends = c.Starts.Add(time.Hour)
	if got := campaign.Location(c).String(); got != "UTC+08:00" {
		t.Fatalf("Location %q", got)
	}
	if campaign.Phase(c, c.Starts.Add(-time.Second)) != campaign.PhaseUpcoming || campaign.Phase(c, c.Starts) != campaign.PhaseRunning ||
		campaign.Phase(c, c.Ends.Add(time.Second)) != campaign.PhaseEnded {
		t.Fatal("Phase")
	}
	if got := campaign.OffsetName(-(5*3600 + 30*60)); got != "UTC-05:30" {
		t.Fatalf("OffsetName %q", got)
	}
}

func TestCodes(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		c := campaign.NewCode()
		if !campaign.ValidCode(c) || seen[c] {
			t.Fatalf("code %q", c)
		}
		seen[c] = true
	}
	for _, bad := range []string{"", "abc", "ABCDEFGH", "abcdefg0", "abcdefghj"} {
		if campaign.ValidCode(bad) {
			t.Errorf("ValidCode(%q)", bad)
		}
	}
}
