package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"

	"beacon/app"

	"gorm.io/gorm"
)

type sessionRow struct {
	ID         string `gorm:"primaryKey"`
	UserID     int64
	CreatedAt  time.Time
	ExpiresAt  time.Time
	LastSeenAt time.Time
	Browser    string
	Platform   string
}

func (sessionRow) TableName() string { return "sessions" }

func (r *sessionRow) toApp() app.Session {
	return app.Session{ID: r.ID, CreatedAt: r.CreatedAt, LastSeenAt: r.LastSeenAt, ExpiresAt: r.ExpiresAt,
		Device: app.Device{Browser: r.Browser, Platform: r.Platform}}
}

// The idle timeout: a session unused for longer ends, beside the absolute
// limit its creator gave it. Administrators set it in whole hours under
// SettingSessionIdle ("0" = no idle timeout).
const (
	SettingSessionIdle = "session_idle_hours"
	DefaultSessionIdle = 7 * 24 * time.Hour
	MaxSessionIdle     = 30 * 24 * time.Hour
	// SessionTouchEvery is how stale last_seen_at may grow before a use of
	// the session writes it again: at most one write per session per
	// interval, instead of one per request. An idle timeout is thereby
	// judged to within this interval.
	SessionTouchEvery = 5 * time.Minute
)

// ParseSessionIdle reads the SettingSessionIdle value: whole hours from 0
// (no idle timeout) to MaxSessionIdle; "" or anything else reads as
// DefaultSessionIdle.
func ParseSessionIdle(v string) time.Duration {
	h, err := strconv.Atoi(v)
	if err != nil || h < 0 || time.Duration(h)*time.Hour > MaxSessionIdle {
		return DefaultSessionIdle
	}
	return time.Duration(h) * time.Hour
}

// SessionIdle returns the idle timeout as stored (0 = none).
func (s *Store) SessionIdle(ctx context.Context) (time.Duration, error) {
	v, err := s.Setting(ctx, SettingSessionIdle, "")
	if err != nil {
		return 0, err
	}
	return ParseSessionIdle(v), nil
}

// hashToken stores only a digest of the session token, so a database
// leak does not hand out live sessions.
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// CreateSession starts a session for userID lasting ttl and returns its
// secret token for the cookie; the browser is not recorded (see StartSession).
func (s *Store) CreateSession(ctx context.Context, userID int64, ttl time.Duration) (string, error) {
	return s.StartSession(ctx, userID, ttl, app.Device{})
}

// StartSession starts a session for userID lasting at most ttl, started
// from dev, and returns its secret token for the cookie.
func (s *Store) StartSession(ctx context.Context, userID int64, ttl time.Duration, dev app.Device) (string, error) {
	token := app.NewToken()
	now := s.now()
	row := sessionRow{ID: hashToken(token), UserID: userID, CreatedAt: now, ExpiresAt: now.Add(ttl), LastSeenAt: now,
		Browser: clipText(dev.Browser, 40), Platform: clipText(dev.Platform, 40)}
	if err := s.db.WithContext(ctx).Create(&row).Error; err != nil {
		return "", fmt.Errorf("create session: %w", err)
	}
	return token, nil
}

// clipText cuts s to at most n bytes.
func clipText(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// FindSessionUser returns the enabled account behind a live session token,
// with the idle timeout as stored; see FindSession.
func (s *Store) FindSessionUser(ctx context.Context, token string) (*app.User, error) {
	idle, err := s.SessionIdle(ctx)
	if err != nil {
		return nil, err
	}
	return s.FindSession(ctx, token, idle)
}

// FindSession returns the enabled account behind a live session token:
// EUNAUTHORIZED when the token is unknown, past its end, unused for longer
// than idle (0 = no idle timeout) or its account disabled. A use more than
// SessionTouchEvery after the last recorded one records this one.
func (s *Store) FindSession(ctx context.Context, token string, idle time.Duration) (*app.User, error) {
	now := s.now()
	id := hashToken(token)
	var rows []struct {
		User            userRow `gorm:"embedded"`
		SessionLastSeen time.Time
	}
	q := s.db.WithContext(ctx).Table("users").Select("users.*, sessions.last_seen_at AS session_last_seen").
		Joins("JOIN sessions ON sessions.user_id = users.id").
		Where("sessions.id = ? AND sessions.expires_at > ? AND users.disabled = ?", id, now, false)
	if idle > 0 {
		q = q.Where("sessions.last_seen_at > ?", now.Add(-idle))
	}
	if err := q.Limit(1).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("find session: %w", err)
	}
	if len(rows) == 0 {
		return nil, app.Errorf(app.EUNAUTHORIZED, "error.unauthorized")
	}
	if now.Sub(rows[0].SessionLastSeen) >= SessionTouchEvery {
		// Conditional, so that instances racing for the same session write once.
		err := s.db.WithContext(ctx).Model(&sessionRow{}).
			Where("id = ? AND last_seen_at < ?", id, now.Add(-SessionTouchEvery)).
			Update("last_seen_at", now).Error
		if err != nil {
			return nil, fmt.Errorf("touch session: %w", err)
		}
	}
	return rows[0].User.toApp(), nil
}

// SessionID returns the ID (app.Session.ID) of the session with token.
func SessionID(token string) string { return hashToken(token) }

// UserSessions lists the live sessions of userID (by the same rules as
// FindSession), most recently used first.
func (s *Store) UserSessions(ctx context.Context, userID int64, idle time.Duration) ([]app.Session, error) {
	now := s.now()
	q := s.db.WithContext(ctx).Where("user_id = ? AND expires_at > ?", userID, now)
	if idle > 0 {
		q = q.Where("last_seen_at > ?", now.Add(-idle))
	}
	var rows []sessionRow
	if err := q.Order("last_seen_at DESC, created_at DESC").Limit(200).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("user sessions: %w", err)
	}
	out := make([]app.Session, 0, len(rows))
	for i := range rows {
		out = append(out, rows[i].toApp())
	}
	return out, nil
}

// EndSession ends one session of actor's own, named by its ID
// (ENOTFOUND when actor has no such session), with an audit entry.
func (s *Store) EndSession(ctx context.Context, actor *app.User, id string) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Where("id = ? AND user_id = ?", id, actor.ID).Delete(&sessionRow{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return app.Errorf(app.ENOTFOUND, "error.not_found")
		}
		return auditOnly(tx, s.now(), actor, "account:sessions_end", "user", strconv.FormatInt(actor.ID, 10),
			nil, map[string]any{"sessions_ended": 1})
	})
	if err != nil && app.ErrorCode(err) == app.EINTERNAL {
		return fmt.Errorf("end session: %w", err)
	}
	return err
}

// EndOtherSessions ends every session of actor's except the one with
// keepToken, with an audit entry, and reports how many ended.
func (s *Store) EndOtherSessions(ctx context.Context, actor *app.User, keepToken string) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if n, err = endOtherSessions(tx, actor.ID, keepToken); err != nil || n == 0 {
			return err
		}
		return auditOnly(tx, s.now(), actor, "account:sessions_end", "user", strconv.FormatInt(actor.ID, 10),
			nil, map[string]any{"sessions_ended": n})
	})
	if err != nil {
		return 0, fmt.Errorf("end other sessions: %w", err)
	}
	return n, nil
}

func endOtherSessions(tx *gorm.DB, userID int64, keepToken string) (int64, error) {
	res := tx.Where("user_id = ? AND id <> ?", userID, hashToken(keepToken)).Delete(&sessionRow{})
	return res.RowsAffected, res.Error
}

// DeleteSession ends the session with token.
func (s *Store) DeleteSession(ctx context.Context, token string) error {
	if err := s.db.WithContext(ctx).Where("id = ?", hashToken(token)).Delete(&sessionRow{}).Error; err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteExpiredSessions removes sessions past their end or unused for
// longer than the idle timeout as stored, and reports how many.
func (s *Store) DeleteExpiredSessions(ctx context.Context) (int64, error) {
	idle, err := s.SessionIdle(ctx)
	if err != nil {
		return 0, err
	}
	now := s.now()
	q := s.db.WithContext(ctx).Where("expires_at <= ?", now)
	if idle > 0 {
		q = q.Or("last_seen_at <= ?", now.Add(-idle))
	}
	res := q.Delete(&sessionRow{})
	if res.Error != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", res.Error)
	}
	return res.RowsAffected, nil
}
