package store

import (
	"context"
	"errors"
	"time"

	"beacon/app"
)

// errAlertsPending marks the alert store API before it is written.
var errAlertsPending = errors.New("alert store: not written yet")

// CreateAlert stores a new alert as a draft written by actor: it checks the
// fields (app.ValidateAlert), refuses an identifier already used
// (ECONFLICT, field "identifier"), sets a.ID, a.State, a.AuthorID and
// a.UpdatedAt, and writes an audit entry, in one transaction.
func (s *Store) CreateAlert(ctx context.Context, actor *app.User, a *app.Alert) error {
	return errAlertsPending
}

// FindAlert returns the alert with this identifier in any state
// (ENOTFOUND "alert.not_found").
func (s *Store) FindAlert(ctx context.Context, identifier string) (*app.Alert, error) {
	return nil, errAlertsPending
}

// EditAlert changes an unpublished alert through fn in one transaction with
// its audit entry (action names the change, e.g. "alert:update",
// "alert:translate:fr"); it records actor as an editor (four-eyes) and
// re-checks the fields. A published alert cannot be edited (EINVALID
// "admin.alerts.error.published"): it is changed by an Update message.
func (s *Store) EditAlert(ctx context.Context, actor *app.User, identifier, action string, fn func(a *app.Alert) error) error {
	return errAlertsPending
}

// SubmitAlert sends a draft to review (four-eyes on): state in_review.
func (s *Store) SubmitAlert(ctx context.Context, actor *app.User, identifier string) error {
	return errAlertsPending
}

// PublishAlert publishes a draft or an alert in review at now (CAP <sent>).
// With fourEyes, nobody who wrote or edited it may publish it (EFORBIDDEN
// "admin.alerts.error.four_eyes"). Publishing an Update or Cancel marks
// every alert it references as superseded by it, in the same transaction.
func (s *Store) PublishAlert(ctx context.Context, actor *app.User, identifier string, fourEyes bool, now time.Time) error {
	return errAlertsPending
}

// DeleteAlert deletes an alert that was never published (a published one
// is ECONFLICT "admin.alerts.error.published"), with an audit entry.
func (s *Store) DeleteAlert(ctx context.Context, actor *app.User, identifier string) error {
	return errAlertsPending
}

// DraftFollowUp starts an Update or Cancel (msgType) of a published alert
// that still stands: a new draft named newIdentifier that copies its
// fields and references it. An alert already superseded, or not published,
// is ECONFLICT "admin.alerts.error.not_current".
func (s *Store) DraftFollowUp(ctx context.Context, actor *app.User, identifier, msgType, newIdentifier string) (*app.Alert, error) {
	return nil, errAlertsPending
}

// AdminAlerts lists every alert, newest change first.
func (s *Store) AdminAlerts(ctx context.Context) ([]*app.Alert, error) {
	return nil, errAlertsPending
}

// PublishedAlerts lists every published alert (active, expired, superseded
// and cancelled), newest sent first: the public archive and the feeds.
func (s *Store) PublishedAlerts(ctx context.Context) ([]*app.Alert, error) {
	return nil, errAlertsPending
}
