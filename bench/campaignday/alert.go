package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// alertPack writes a content pack holding only one alert (CONTENT-FORMAT:
// "a pack may hold only some of these folders") whose headline carries
// nonce, in force from a minute ago for an hour, for everyone.
func alertPack(dir, nonce string) (headline string, err error) {
	id := "load-test-" + strings.ToLower(nonce)
	headline = "Load test alert " + nonce + " reached this page"
	now := time.Now().UTC()
	y := fmt.Sprintf(`identifier: %s
source_locale: en
status: Exercise
msg_type: Alert
scope: Public
category: [Safety]
urgency: Expected
severity: Minor
certainty: Likely
event:
  en: "Load test"
headline:
  en: "%s"
description:
  en: "This alert was published by the campaign-day load test to measure how fast a new alert reaches every visitor."
instruction:
  en: "Nothing to do: this is a test."
effective: %s
expires: %s
regions: []
`, id, headline, now.Add(-time.Minute).Format(time.RFC3339), now.Add(time.Hour).Format(time.RFC3339))
	if err := os.MkdirAll(filepath.Join(dir, "alerts"), 0o755); err != nil {
		return "", err
	}
	return headline, os.WriteFile(filepath.Join(dir, "alerts", id+".yaml"), []byte(y), 0o644)
}

// publication is when the alert went out and how long the import took.
type publication struct {
	started, done time.Time
	err           error
	output        string
}

// publishAlert imports the one-alert pack with `beacon import`, the
// product's own path for alerts prepared ahead (an organizer's form would
// write the same rows). Running instances show it within their alert
// cache lifetime; nginx within s-maxage plus the time to revalidate.
func publishAlert(ctx context.Context, b *beaconSetup, workDir, packDir string) publication {
	p := publication{started: time.Now()}
	p.output, p.err = b.command(ctx, workDir, "", "import", packDir)
	p.done = time.Now()
	return p
}
