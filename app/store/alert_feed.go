package store

import (
	"context"
	"fmt"
	"time"

	"beacon/app"
)

// publicStatuses are the CAP statuses citizens and the public feed see.
var publicStatuses = []string{"Actual", "Exercise"}

// CancelsSince lists the published public Cancel messages sent after
// since, newest first: what the Atom feed keeps as cancelled entries.
func (s *Store) CancelsSince(ctx context.Context, since time.Time) ([]*app.Alert, error) {
	var rows []alertRow
	if err := s.db.WithContext(ctx).
		Where("state = ? AND msg_type = ? AND status IN ? AND sent > ?", app.AlertPublished, "Cancel", publicStatuses, since.UTC()).
		Order("sent DESC, id DESC").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("cancels since %s: %w", since.Format(time.RFC3339), err)
	}
	return alertsOf(rows)
}

// AlertFeedChanged is the latest moment at or before now at which the
// public alert feed changed, so that the feed's <updated> never goes
// back: a public message sent, an alert coming into force, an alert in
// force expiring (leaving the feed), and a cancelled alert's entry leaving
// when keep has passed since its Cancel was sent. Zero when nothing was
// ever published. It reads only the time columns, never the bodies.
func (s *Store) AlertFeedChanged(ctx context.Context, now time.Time, keep time.Duration) (time.Time, error) {
	var rows []alertRow
	if err := s.db.WithContext(ctx).Select("msg_type, effective, expires, sent, superseded_by").
		Where("state = ? AND status IN ?", app.AlertPublished, publicStatuses).Find(&rows).Error; err != nil {
		return time.Time{}, fmt.Errorf("alert feed changed: %w", err)
	}
	var latest time.Time
	seen := func(t time.Time) {
		if !t.After(now) && t.After(latest) {
			latest = t
		}
	}
	for _, r := range rows {
		if r.Sent == nil {
			continue
		}
		sent := r.Sent.UTC()
		seen(sent)
		if r.MsgType == "Cancel" {
			seen(sent.Add(keep))
			continue
		}
		if r.SupersededBy == "" {
			seen(r.Effective.UTC())
			seen(r.Expires.UTC())
		}
	}
	return latest.UTC(), nil
}
