package store

import "context"

// Alert statistics kinds: a visitor saw an alert (its page or its banner
// link) and followed its "learn what to do" link.
const (
	StatAlertViewed  = "alert_viewed"
	StatAlertLearned = "alert_learned"
)

// RecordAlertEvent counts, once per visitor, that learnerID (an account's or
// a guest's learner id) viewed an alert or followed its "learn what to do"
// link (kind StatAlertViewed or StatAlertLearned), in locale, into the
// site-wide rollups.
func (s *Store) RecordAlertEvent(ctx context.Context, learnerID, locale string, alertID int64, kind string) error {
	return errAlertsPending
}
