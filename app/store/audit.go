package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"beacon/app"

	"gorm.io/gorm"
)

type auditRow struct {
	ID         int64 `gorm:"primaryKey"`
	At         time.Time
	UserID     *int64
	Actor      string
	Action     string
	ObjectType string
	ObjectID   string
	Before     string
	After      string
}

func (auditRow) TableName() string { return "audit_log" }

// AuditEntry is one line of the audit log.
type AuditEntry struct {
	ID         int64
	At         time.Time
	UserID     int64
	Actor      string
	Action     string
	ObjectType string
	ObjectID   string
	Before     string
	After      string
}

// AuditFilter narrows the audit log; zero fields match everything.
type AuditFilter struct {
	Actor      string // email, exact
	ObjectType string
	ObjectID   string
	From, To   time.Time // To is exclusive
	Limit      int
	BeforeID   int64 // for paging: entries older than this id
}

// audit writes one entry inside the caller's transaction. before and after
// are encoded as JSON; for two JSON objects only the keys that differ are kept.
func audit(tx *gorm.DB, at time.Time, actor *app.User, action, objType, objID string, before, after any) error {
	if err := auditOnly(tx, at, actor, action, objType, objID, before, after); err != nil {
		return err
	}
	// Every audited change may change a public page: announce it to the
	// page caches of every instance (version.go).
	return bumpVersion(tx, at)
}

// auditOnly writes one entry like audit, for changes no public page shows
// (a person's own account): the page caches are left alone.
func auditOnly(tx *gorm.DB, at time.Time, actor *app.User, action, objType, objID string, before, after any) error {
	b, a, err := auditJSON(before, after)
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	row := auditRow{At: at, Actor: "system", Action: action, ObjectType: objType, ObjectID: objID, Before: b, After: a}
	if actor != nil {
		id := actor.ID
		row.UserID, row.Actor = &id, actor.Email
	}
	if err := tx.Create(&row).Error; err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

func auditJSON(before, after any) (string, string, error) {
	enc := func(v any) ([]byte, error) {
		switch x := v.(type) {
		case nil:
			return nil, nil
		case string:
			return json.Marshal(x)
		case []byte:
			return x, nil
		}
		return json.Marshal(v)
	}
	b, err := enc(before)
	if err != nil {
		return "", "", err
	}
	a, err := enc(after)
	if err != nil {
		return "", "", err
	}
	var bm, am map[string]json.RawMessage
	if json.Unmarshal(b, &bm) == nil && json.Unmarshal(a, &am) == nil && bm != nil && am != nil {
		for k, v := range bm {
			if w, ok := am[k]; ok && bytes.Equal(v, w) {
				delete(bm, k)
				delete(am, k)
			}
		}
		if b, err = json.Marshal(bm); err != nil {
			return "", "", err
		}
		if a, err = json.Marshal(am); err != nil {
			return "", "", err
		}
	}
	return string(b), string(a), nil
}

// Audit returns audit entries, newest first.
func (s *Store) Audit(ctx context.Context, f AuditFilter) ([]AuditEntry, error) {
	q := s.db.WithContext(ctx).Model(&auditRow{})
	if f.Actor != "" {
		q = q.Where("actor = ?", f.Actor)
	}
	if f.ObjectType != "" {
		q = q.Where("object_type = ?", f.ObjectType)
	}
	if f.ObjectID != "" {
		q = q.Where("object_id = ?", f.ObjectID)
	}
	if !f.From.IsZero() {
		q = q.Where("at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("at < ?", f.To.UTC())
	}
	if f.BeforeID > 0 {
		q = q.Where("id < ?", f.BeforeID)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	var rows []auditRow
	if err := q.Order("id DESC").Limit(f.Limit).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	out := make([]AuditEntry, 0, len(rows))
	for _, r := range rows {
		e := AuditEntry{ID: r.ID, At: r.At, Actor: r.Actor, Action: r.Action, ObjectType: r.ObjectType, ObjectID: r.ObjectID, Before: r.Before, After: r.After}
		if r.UserID != nil {
			e.UserID = *r.UserID
		}
		out = append(out, e)
	}
	return out, nil
}

// RecordAudit writes one audit entry on its own, for admin actions whose
// change happened in another call (a pack import).
func (s *Store) RecordAudit(ctx context.Context, actor *app.User, action, objType, objID string, before, after any) error {
	return audit(s.db.WithContext(ctx), s.now(), actor, action, objType, objID, before, after)
}
