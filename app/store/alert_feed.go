package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"beacon/app"

	"gorm.io/gorm"
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
// ever published. Four one-row queries on the time columns; the bodies
// are never read.
func (s *Store) AlertFeedChanged(ctx context.Context, now time.Time, keep time.Duration) (time.Time, error) {
	now = now.UTC()
	db := s.db.WithContext(ctx)
	public := func() *gorm.DB {
		return db.Model(&alertRow{}).Where("state = ? AND status IN ?", app.AlertPublished, publicStatuses)
	}
	standing := func() *gorm.DB { // messages that were in the feed until they left by the clock
		return public().Where("msg_type <> ? AND superseded_by = ''", "Cancel")
	}
	var latest time.Time
	for _, q := range []struct {
		col   string
		query *gorm.DB
		until time.Time // the column's value at or before this counts
		add   time.Duration
	}{
		{"sent", public(), now, 0},
		{"effective", standing(), now, 0},
		{"expires", standing(), now, 0},
		{"sent", public().Where("msg_type = ?", "Cancel"), now.Add(-keep), keep},
	} {
		var row alertRow
		err := q.query.Select(q.col).Where(q.col+" IS NOT NULL AND "+q.col+" <= ?", q.until).Order(q.col + " DESC").Limit(1).Take(&row).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			continue
		}
		if err != nil {
			return time.Time{}, fmt.Errorf("alert feed changed (%s): %w", q.col, err)
		}
		t := row.Effective
		switch q.col {
		case "sent":
			t = *row.Sent
		case "expires":
			t = row.Expires
		}
		if t = t.UTC().Add(q.add); t.After(latest) {
			latest = t
		}
	}
	return latest, nil
}
