package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"beacon/app"

	"gorm.io/gorm"
)

// alertRow is one CAP message. Body is the JSON of app.Alert (its json
// fields); the columns beside it are what queries filter and sort on and
// are written from the body on every change. Times in columns are UTC; the
// alert's own offsets live in the body.
type alertRow struct {
	ID           int64 `gorm:"primaryKey"`
	Identifier   string
	State        string
	Status       string
	MsgType      string
	Severity     string
	Effective    time.Time
	Expires      time.Time
	Sent         *time.Time
	SupersededBy string
	Body         string
	AuthorID     *int64
	EditorIDs    string `gorm:"column:editor_ids"`
	// Sender and WebBase are the CAP sender and the configured site
	// address the alert was published with ('' when not recorded).
	Sender    string
	WebBase   string
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (alertRow) TableName() string { return "alerts" }

// alert decodes the row: the body's fields, then the columns that are not
// in the body.
func (r *alertRow) alert() (*app.Alert, error) {
	var a app.Alert
	if err := json.Unmarshal([]byte(r.Body), &a); err != nil {
		return nil, fmt.Errorf("decode alert %s: %w", r.Identifier, err)
	}
	normalizeAlert(&a)
	a.ID, a.Identifier, a.State, a.SupersededBy = r.ID, r.Identifier, r.State, r.SupersededBy
	a.Sender, a.WebBase = r.Sender, r.WebBase
	if r.Sent != nil {
		a.Sent = r.Sent.UTC()
	}
	if r.AuthorID != nil {
		a.AuthorID = *r.AuthorID
	}
	a.UpdatedAt = r.UpdatedAt.UTC()
	return &a, nil
}

// editors decodes editor_ids.
func (r *alertRow) editors() []int64 {
	var ids []int64
	_ = json.Unmarshal([]byte(r.EditorIDs), &ids)
	return ids
}

// columns are the values of the columns kept in step with the body.
func alertColumns(a *app.Alert, body string) map[string]any {
	return map[string]any{"status": a.Status, "msg_type": a.MsgType, "severity": a.Severity,
		"effective": a.Effective.UTC(), "expires": a.Expires.UTC(), "body": body}
}

// normalizeAlert gives an alert one stored shape, so that the same alert
// always encodes to the same body: empty lists rather than null, no blank
// translations (a cleared translation falls back to the source), no empty
// lesson.
func normalizeAlert(a *app.Alert) {
	if a.Categories == nil {
		a.Categories = []string{}
	}
	if a.Regions == nil {
		a.Regions = []string{}
	}
	if len(a.References) == 0 {
		a.References = nil
	}
	for _, t := range []*app.Text{&a.Event, &a.Headline, &a.Description, &a.Instruction} {
		out := app.Text{}
		for k, v := range *t {
			if strings.TrimSpace(v) != "" {
				out[k] = v
			}
		}
		*t = out
	}
	if a.Lesson != nil && a.Lesson.Course == "" && a.Lesson.Lesson == "" {
		a.Lesson = nil
	}
}

// encodeAlert normalizes a and returns its body.
func encodeAlert(a *app.Alert) (string, error) {
	normalizeAlert(a)
	b, err := json.Marshal(a)
	if err != nil {
		return "", fmt.Errorf("encode alert %s: %w", a.Identifier, err)
	}
	return string(b), nil
}

// checkAlert is app.ValidateAlert plus the chain rule CAP sets: an Alert
// references nothing; an Update or Cancel references at least one other
// message by a valid identifier.
func checkAlert(a *app.Alert) app.FieldErrors {
	errs := app.ValidateAlert(a)
	if errs.For("msg_type") != "" {
		return errs
	}
	bad := false
	switch a.MsgType {
	case "Alert":
		bad = len(a.References) > 0
	default:
		bad = len(a.References) == 0
		for _, r := range a.References {
			if !app.ValidAlertIdentifier(r) || r == a.Identifier {
				bad = true
			}
		}
	}
	if bad {
		errs = append(errs, app.FieldError("msg_type", "admin.alerts.error.msg_type"))
	}
	return errs
}

func actorID(u *app.User) int64 {
	if u == nil {
		return 0
	}
	return u.ID
}

// takeAlert reads the row with identifier, locked until the transaction
// ends on PostgreSQL (SQLite transactions are immediate and serialize
// writers already).
func (s *Store) takeAlert(tx *gorm.DB, identifier string) (*alertRow, error) {
	q := tx.Where("identifier = ?", identifier)
	if s.dialect == DialectPostgres {
		q = q.Clauses(forUpdate())
	}
	var row alertRow
	if err := q.Take(&row).Error; err != nil {
		return nil, notFound(err, "alert.not_found")
	}
	return &row, nil
}

// errIdentifierTaken is the error for an identifier already in use.
func errIdentifierTaken() error {
	return &app.Error{Code: app.ECONFLICT, MessageID: "admin.alerts.error.identifier_taken", Field: "identifier"}
}

// insertAlert writes a new draft row for a (already checked) by actor.
func insertAlert(tx *gorm.DB, actor *app.User, a *app.Alert, now time.Time) error {
	var n int64
	if err := tx.Model(&alertRow{}).Where("identifier = ?", a.Identifier).Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		return errIdentifierTaken()
	}
	body, err := encodeAlert(a)
	if err != nil {
		return err
	}
	row := alertRow{Identifier: a.Identifier, State: app.AlertDraft, Status: a.Status, MsgType: a.MsgType, Severity: a.Severity,
		Effective: a.Effective.UTC(), Expires: a.Expires.UTC(), Body: body, EditorIDs: "[]", CreatedAt: now, UpdatedAt: now}
	if id := actorID(actor); id != 0 {
		row.AuthorID = &id
	}
	if err := tx.Create(&row).Error; err != nil {
		if isUniqueViolation(err) {
			return errIdentifierTaken()
		}
		return err
	}
	a.ID, a.State, a.AuthorID, a.UpdatedAt = row.ID, app.AlertDraft, actorID(actor), now
	a.Sent, a.SupersededBy, a.Sender, a.WebBase = time.Time{}, "", "", ""
	return nil
}

// CreateAlert stores a new alert as a draft written by actor: it checks the
// fields (app.ValidateAlert), refuses an identifier already used
// (ECONFLICT, field "identifier"), sets a.ID, a.State, a.AuthorID and
// a.UpdatedAt, and writes an audit entry, in one transaction.
// Field errors come as app.FieldErrors (nothing written); an Update or
// Cancel must reference another message, an Alert none (field "msg_type").
// The taken identifier is an *app.Error with message id
// "admin.alerts.error.identifier_taken".
func (s *Store) CreateAlert(ctx context.Context, actor *app.User, a *app.Alert) error {
	normalizeAlert(a)
	if errs := checkAlert(a); len(errs) > 0 {
		return fmt.Errorf("create alert %s: %w", a.Identifier, errs)
	}
	now := s.now()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := insertAlert(tx, actor, a, now); err != nil {
			return err
		}
		return audit(tx, now, actor, "alert:create", "alert", a.Identifier, nil, a)
	})
	if err != nil {
		return fmt.Errorf("create alert %s: %w", a.Identifier, err)
	}
	return nil
}

// FindAlert returns the alert with this identifier in any state
// (ENOTFOUND "alert.not_found").
func (s *Store) FindAlert(ctx context.Context, identifier string) (*app.Alert, error) {
	var row alertRow
	if err := s.db.WithContext(ctx).Where("identifier = ?", identifier).Take(&row).Error; err != nil {
		return nil, fmt.Errorf("find alert %s: %w", identifier, notFound(err, "alert.not_found"))
	}
	return row.alert()
}

// AlertEditedBy reports whether the user wrote or edited the alert with
// this identifier, so may not publish it under four-eyes (ENOTFOUND
// "alert.not_found").
func (s *Store) AlertEditedBy(ctx context.Context, identifier string, userID int64) (bool, error) {
	var row alertRow
	if err := s.db.WithContext(ctx).Select("id, author_id, editor_ids").Where("identifier = ?", identifier).Take(&row).Error; err != nil {
		return false, fmt.Errorf("find alert %s: %w", identifier, notFound(err, "alert.not_found"))
	}
	return (row.AuthorID != nil && *row.AuthorID == userID) || slices.Contains(row.editors(), userID), nil
}

// EditAlert changes an unpublished alert through fn in one transaction with
// its audit entry (action names the change, e.g. "alert:update",
// "alert:translate:fr"); it records actor as an editor (four-eyes) and
// re-checks the fields. A published alert cannot be edited (EINVALID
// "admin.alerts.error.published"): it is changed by an Update message.
// fn may return an error (an *app.Error or app.FieldErrors) to save
// nothing; field errors of the result come as app.FieldErrors. The
// identifier, message type and references stay as they were (they are set
// by CreateAlert and DraftFollowUp); the state stays (an alert in review
// stays in review). A change that changes nothing writes nothing.
func (s *Store) EditAlert(ctx context.Context, actor *app.User, identifier, action string, fn func(a *app.Alert) error) error {
	if action == "" {
		action = "alert:update"
	}
	now := s.now()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		row, err := s.takeAlert(tx, identifier)
		if err != nil {
			return err
		}
		if row.State == app.AlertPublished {
			return app.Errorf(app.EINVALID, "admin.alerts.error.published")
		}
		before, err := row.alert()
		if err != nil {
			return err
		}
		work, err := row.alert()
		if err != nil {
			return err
		}
		if err := fn(work); err != nil {
			return err
		}
		work.ID, work.Identifier, work.MsgType, work.References = before.ID, before.Identifier, before.MsgType, before.References
		work.State, work.Sent, work.SupersededBy, work.AuthorID, work.UpdatedAt = before.State, before.Sent, before.SupersededBy, before.AuthorID, before.UpdatedAt
		normalizeAlert(work)
		if errs := checkAlert(work); len(errs) > 0 {
			return errs
		}
		body, err := encodeAlert(work)
		if err != nil {
			return err
		}
		if body == row.Body {
			return nil
		}
		editors := row.editors()
		if id := actorID(actor); id != 0 && !slices.Contains(editors, id) {
			editors = append(editors, id)
		}
		ids, err := json.Marshal(editors)
		if err != nil {
			return err
		}
		set := alertColumns(work, body)
		set["editor_ids"], set["updated_at"] = string(ids), now
		res := tx.Model(&alertRow{}).Where("id = ? AND state <> ?", row.ID, app.AlertPublished).Updates(set)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return app.Errorf(app.EINVALID, "admin.alerts.error.published")
		}
		return audit(tx, now, actor, action, "alert", identifier, before, work)
	})
	if err != nil {
		return fmt.Errorf("%s %s: %w", action, identifier, err)
	}
	return nil
}

// SubmitAlert sends a draft to review (four-eyes on): state in_review.
// Any other state is ECONFLICT "admin.alerts.error.wrong_state".
func (s *Store) SubmitAlert(ctx context.Context, actor *app.User, identifier string) error {
	now := s.now()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		row, err := s.takeAlert(tx, identifier)
		if err != nil {
			return err
		}
		if row.State != app.AlertDraft {
			return app.Errorf(app.ECONFLICT, "admin.alerts.error.wrong_state")
		}
		res := tx.Model(&alertRow{}).Where("id = ? AND state = ?", row.ID, app.AlertDraft).
			Updates(map[string]any{"state": app.AlertInReview, "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return app.Errorf(app.ECONFLICT, "admin.alerts.error.wrong_state")
		}
		return audit(tx, now, actor, "alert:submit", "alert", identifier,
			map[string]any{"state": app.AlertDraft}, map[string]any{"state": app.AlertInReview})
	})
	if err != nil {
		return fmt.Errorf("submit alert %s: %w", identifier, err)
	}
	return nil
}

// PublishAlert publishes a draft or an alert in review at now (CAP <sent>).
// With fourEyes, nobody who wrote or edited it may publish it (EFORBIDDEN
// "admin.alerts.error.four_eyes"). Publishing an Update or Cancel marks
// every alert it references as superseded by it, in the same transaction.
// The fields are checked again (app.FieldErrors); an alert already
// published is ECONFLICT "admin.alerts.error.wrong_state"; a referenced
// alert that is not published, or already superseded, is ECONFLICT
// "admin.alerts.error.not_current". Sent is kept to the whole second, as
// CAP writes it.
func (s *Store) PublishAlert(ctx context.Context, actor *app.User, identifier string, fourEyes bool, now time.Time) error {
	return s.PublishAlertFrom(ctx, actor, identifier, fourEyes, now, AlertOrigin{})
}

// AlertOrigin is who sends a message and from where: the CAP <sender> and
// the configured site address (for <web>) at publication. The alert keeps
// them, so that its CAP document and the <references> of later messages
// never change when the settings do.
type AlertOrigin struct {
	Sender  string
	WebBase string
}

// PublishAlertFrom is PublishAlert that also records origin with the
// message (an empty Sender is filled in later by FillAlertOrigins). A
// Sender that CAP cannot carry (app.ValidCAPSender) is EINVALID
// "admin.settings.error.cap_sender".
func (s *Store) PublishAlertFrom(ctx context.Context, actor *app.User, identifier string, fourEyes bool, now time.Time, origin AlertOrigin) error {
	if origin.Sender != "" && !app.ValidCAPSender(origin.Sender) {
		return fmt.Errorf("publish alert %s: %w", identifier, app.Errorf(app.EINVALID, "admin.settings.error.cap_sender"))
	}
	sent := now.UTC().Truncate(time.Second)
	at := s.now()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		row, err := s.takeAlert(tx, identifier)
		if err != nil {
			return err
		}
		if row.State != app.AlertDraft && row.State != app.AlertInReview {
			return app.Errorf(app.ECONFLICT, "admin.alerts.error.wrong_state")
		}
		if fourEyes {
			id := actorID(actor)
			if id == 0 || (row.AuthorID != nil && *row.AuthorID == id) || slices.Contains(row.editors(), id) {
				return app.Errorf(app.EFORBIDDEN, "admin.alerts.error.four_eyes")
			}
		}
		a, err := row.alert()
		if err != nil {
			return err
		}
		if errs := checkAlert(a); len(errs) > 0 {
			return errs
		}
		if a.MsgType == "Update" || a.MsgType == "Cancel" {
			for _, ref := range a.References {
				if err := s.supersede(tx, ref, identifier, at); err != nil {
					return err
				}
			}
		}
		res := tx.Model(&alertRow{}).Where("id = ? AND state = ?", row.ID, row.State).
			Updates(map[string]any{"state": app.AlertPublished, "sent": sent, "updated_at": at, "sender": origin.Sender, "web_base": origin.WebBase})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return app.Errorf(app.ECONFLICT, "admin.alerts.error.wrong_state")
		}
		after := map[string]any{"state": app.AlertPublished, "sent": sent}
		if origin.Sender != "" {
			after["sender"] = origin.Sender
		}
		if len(a.References) > 0 {
			after["supersedes"] = a.References
		}
		return audit(tx, at, actor, "alert:publish", "alert", identifier, map[string]any{"state": row.State}, after)
	})
	if err != nil {
		return fmt.Errorf("publish alert %s: %w", identifier, err)
	}
	return nil
}

// supersede marks the published alert ref as replaced by identifier at
// now; ECONFLICT "admin.alerts.error.not_current" when ref is missing,
// unpublished or already replaced.
func (s *Store) supersede(tx *gorm.DB, ref, identifier string, now time.Time) error {
	notCurrent := app.Errorf(app.ECONFLICT, "admin.alerts.error.not_current")
	row, err := s.takeAlert(tx, ref)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return notCurrent
	}
	if err != nil {
		return err
	}
	if row.State != app.AlertPublished || row.SupersededBy != "" {
		return notCurrent
	}
	res := tx.Model(&alertRow{}).Where("id = ? AND state = ? AND superseded_by = ''", row.ID, app.AlertPublished).
		Updates(map[string]any{"superseded_by": identifier, "updated_at": now})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return notCurrent
	}
	return nil
}

// DeleteAlert deletes an alert that was never published (a published one
// is ECONFLICT "admin.alerts.error.published"), with an audit entry.
func (s *Store) DeleteAlert(ctx context.Context, actor *app.User, identifier string) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		row, err := s.takeAlert(tx, identifier)
		if err != nil {
			return err
		}
		if row.State == app.AlertPublished {
			return app.Errorf(app.ECONFLICT, "admin.alerts.error.published")
		}
		before, err := row.alert()
		if err != nil {
			return err
		}
		res := tx.Where("id = ? AND state <> ?", row.ID, app.AlertPublished).Delete(&alertRow{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return app.Errorf(app.ECONFLICT, "admin.alerts.error.published")
		}
		return audit(tx, s.now(), actor, "alert:delete", "alert", identifier, before, nil)
	})
	if err != nil {
		return fmt.Errorf("delete alert %s: %w", identifier, err)
	}
	return nil
}

// DraftFollowUp starts an Update or Cancel (msgType) of a published alert
// that still stands: a new draft named newIdentifier that copies its
// fields and references it. An alert already superseded, or not published,
// is ECONFLICT "admin.alerts.error.not_current".
// A msgType other than Update or Cancel is a field error "msg_type", an
// invalid newIdentifier a field error "identifier" (app.FieldErrors); a
// taken one is ECONFLICT "admin.alerts.error.identifier_taken". A Cancel
// cannot itself be updated or cancelled (not_current). The draft is
// actor's, audited as "alert:follow_up".
func (s *Store) DraftFollowUp(ctx context.Context, actor *app.User, identifier, msgType, newIdentifier string) (*app.Alert, error) {
	return s.DraftFollowUpWith(ctx, actor, identifier, msgType, newIdentifier, nil)
}

// DraftFollowUpWith is DraftFollowUp with the draft's starting text set
// by edit (nil keeps the copy): a Cancel starts with a cancellation text
// rather than the words of the message it withdraws. edit gets the copy
// with its new identifier, message type and references, which it cannot
// change; the result is checked like any draft.
func (s *Store) DraftFollowUpWith(ctx context.Context, actor *app.User, identifier, msgType, newIdentifier string, edit func(*app.Alert)) (*app.Alert, error) {
	var errs app.FieldErrors
	if msgType != "Update" && msgType != "Cancel" {
		errs = append(errs, app.FieldError("msg_type", "admin.alerts.error.msg_type"))
	}
	if !app.ValidAlertIdentifier(newIdentifier) {
		errs = append(errs, app.FieldError("identifier", "admin.alerts.error.identifier"))
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("follow up alert %s: %w", identifier, errs)
	}
	now := s.now()
	var out *app.Alert
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var row alertRow
		if err := tx.Where("identifier = ?", identifier).Take(&row).Error; err != nil {
			return notFound(err, "alert.not_found")
		}
		if row.State != app.AlertPublished || row.SupersededBy != "" || row.MsgType == "Cancel" {
			return app.Errorf(app.ECONFLICT, "admin.alerts.error.not_current")
		}
		a, err := row.alert()
		if err != nil {
			return err
		}
		var n int64
		if err := tx.Model(&alertRow{}).Where("identifier = ?", newIdentifier).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return errIdentifierTaken()
		}
		a.ID, a.Identifier, a.MsgType, a.References = 0, newIdentifier, msgType, []string{identifier}
		a.AllClear = false
		if edit != nil {
			edit(a)
			a.ID, a.Identifier, a.MsgType, a.References = 0, newIdentifier, msgType, []string{identifier}
			normalizeAlert(a)
		}
		if errs := checkAlert(a); len(errs) > 0 {
			return errs
		}
		if err := insertAlert(tx, actor, a, now); err != nil {
			return err
		}
		out = a
		return audit(tx, now, actor, "alert:follow_up", "alert", newIdentifier, nil, a)
	})
	if err != nil {
		return nil, fmt.Errorf("follow up alert %s: %w", identifier, err)
	}
	return out, nil
}

// alertsOf decodes rows.
func alertsOf(rows []alertRow) ([]*app.Alert, error) {
	out := make([]*app.Alert, 0, len(rows))
	for i := range rows {
		a, err := rows[i].alert()
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// AdminAlerts lists every alert, newest change first.
func (s *Store) AdminAlerts(ctx context.Context) ([]*app.Alert, error) {
	var rows []alertRow
	if err := s.db.WithContext(ctx).Order("updated_at DESC, id DESC").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list alerts: %w", err)
	}
	return alertsOf(rows)
}

// PublishedAlerts lists every published alert (active, expired, superseded
// and cancelled), newest sent first: the public archive and the feeds.
func (s *Store) PublishedAlerts(ctx context.Context) ([]*app.Alert, error) {
	var rows []alertRow
	if err := s.db.WithContext(ctx).Where("state = ?", app.AlertPublished).Order("sent DESC, id DESC").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list published alerts: %w", err)
	}
	return alertsOf(rows)
}

// ActiveAlerts lists the alerts in force at now (app.Alert.Active):
// published, public (Actual or Exercise), not a Cancel, not superseded,
// effective and not yet expired, for every region, in app.SortAlerts
// order. One query on the (state, expires) index: the history of expired
// alerts is never read.
func (s *Store) ActiveAlerts(ctx context.Context, now time.Time) ([]*app.Alert, error) {
	var rows []alertRow
	if err := s.db.WithContext(ctx).
		Where("state = ? AND expires > ? AND effective <= ? AND superseded_by = '' AND msg_type <> ? AND status IN ?",
			app.AlertPublished, now.UTC(), now.UTC(), "Cancel", []string{"Actual", "Exercise"}).
		Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("active alerts: %w", err)
	}
	all, err := alertsOf(rows)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, a := range all {
		if a.Active(now) {
			out = append(out, a)
		}
	}
	app.SortAlerts(out)
	return out, nil
}

// maxRegionDepth bounds the walk up the region tree (a cycle left by an old
// import ends there too).
const maxRegionDepth = 64

// RegionChain returns code and the codes of the regions above it, nearest
// first, from the regions table: what app.Alert.Covers takes. "" (no
// region) is nil; a code the table does not know is returned alone.
func (s *Store) RegionChain(ctx context.Context, code string) ([]string, error) {
	if code == "" {
		return nil, nil
	}
	db := s.db.WithContext(ctx)
	chain := []string{code}
	for cur := code; len(chain) < maxRegionDepth; {
		var row regionRow
		err := db.Select("code, parent_code").Where("code = ?", cur).Take(&row).Error
		if err == gorm.ErrRecordNotFound {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("region chain of %s: %w", code, err)
		}
		if row.ParentCode == "" || slices.Contains(chain, row.ParentCode) {
			break
		}
		chain = append(chain, row.ParentCode)
		cur = row.ParentCode
	}
	return chain, nil
}

// importAlerts upserts a pack's alerts as published messages, by
// identifier: a new alert is sent at the pack's sent time (a moved site's
// alert keeps it, so CAP references "sender,identifier,sent" stay valid),
// else at now; a changed one keeps its first sent time; an alert already published with the same fields is left
// alone. Then every Update or Cancel marks the published alerts it
// references as superseded, when nothing superseded them yet.
func importAlerts(tx *gorm.DB, alerts []app.Alert, now time.Time, res *ImportResult) error {
	for i := range alerts {
		a := alerts[i]
		normalizeAlert(&a)
		if errs := checkAlert(&a); len(errs) > 0 {
			return fmt.Errorf("import alert %s: %w", a.Identifier, errs)
		}
		body, err := encodeAlert(&a)
		if err != nil {
			return err
		}
		var row alertRow
		err = tx.Where("identifier = ?", a.Identifier).Take(&row).Error
		switch {
		case err == gorm.ErrRecordNotFound:
			sent := packSent(&a, now)
			row = alertRow{Identifier: a.Identifier, State: app.AlertPublished, Status: a.Status, MsgType: a.MsgType, Severity: a.Severity,
				Effective: a.Effective.UTC(), Expires: a.Expires.UTC(), Sent: &sent, Body: body, EditorIDs: "[]", CreatedAt: now, UpdatedAt: now,
				Sender: a.Sender}
			if err := tx.Create(&row).Error; err != nil {
				return fmt.Errorf("create alert %s: %w", a.Identifier, err)
			}
			res.AlertsCreated++
			continue
		case err != nil:
			return fmt.Errorf("find alert %s: %w", a.Identifier, err)
		}
		if row.State == app.AlertPublished && row.Body == body {
			res.AlertsUnchanged++
			continue
		}
		set := alertColumns(&a, body)
		set["state"], set["updated_at"] = app.AlertPublished, now
		if row.Sent == nil {
			set["sent"] = packSent(&a, now)
		}
		if row.Sender == "" && a.Sender != "" {
			set["sender"] = a.Sender
		}
		if err := tx.Model(&alertRow{}).Where("id = ?", row.ID).Updates(set).Error; err != nil {
			return fmt.Errorf("update alert %s: %w", a.Identifier, err)
		}
		res.AlertsUpdated++
	}
	for _, a := range alerts {
		if a.MsgType != "Update" && a.MsgType != "Cancel" {
			continue
		}
		for _, ref := range a.References {
			if err := tx.Model(&alertRow{}).Where("identifier = ? AND state = ? AND superseded_by = ''", ref, app.AlertPublished).
				Updates(map[string]any{"superseded_by": a.Identifier, "updated_at": now}).Error; err != nil {
				return fmt.Errorf("supersede alert %s: %w", ref, err)
			}
		}
	}
	return nil
}

// packAlerts lists every published alert by identifier, for an export.
func (s *Store) packAlerts(ctx context.Context) ([]app.Alert, error) {
	published, err := s.PublishedAlerts(ctx)
	if err != nil {
		return nil, err
	}
	sort.Slice(published, func(i, j int) bool { return published[i].Identifier < published[j].Identifier })
	out := make([]app.Alert, 0, len(published))
	for _, a := range published {
		out = append(out, *a)
	}
	return out, nil
}

// packSent is when an imported alert counts as sent: the time the pack
// carries, else now; to the whole second, as PublishAlert keeps it.
func packSent(a *app.Alert, now time.Time) time.Time {
	if !a.Sent.IsZero() {
		return a.Sent.UTC().Truncate(time.Second)
	}
	return now.UTC().Truncate(time.Second)
}

// FillAlertOrigins records origin with every published alert that has no
// sender yet (published before the sender was kept, or imported from a
// pack that did not carry one), so that from then on its CAP document and
// the references to it stay as they are. WebBase is recorded only where
// none is and origin has one. It returns how many alerts it changed. An
// invalid sender is EINVALID "admin.settings.error.cap_sender".
func (s *Store) FillAlertOrigins(ctx context.Context, origin AlertOrigin) (int64, error) {
	if !app.ValidCAPSender(origin.Sender) {
		return 0, fmt.Errorf("fill alert origins: %w", app.Errorf(app.EINVALID, "admin.settings.error.cap_sender"))
	}
	db := s.db.WithContext(ctx)
	res := db.Model(&alertRow{}).Where("state = ? AND sender = ''", app.AlertPublished).
		Updates(map[string]any{"sender": origin.Sender, "web_base": gorm.Expr("CASE WHEN web_base = '' THEN ? ELSE web_base END", origin.WebBase)})
	if res.Error != nil {
		return 0, fmt.Errorf("fill alert origins: %w", res.Error)
	}
	return res.RowsAffected, nil
}
