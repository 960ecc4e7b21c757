package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"beacon/app"
)

type sessionRow struct {
	ID        string `gorm:"primaryKey"`
	UserID    int64
	CreatedAt time.Time
	ExpiresAt time.Time
}

func (sessionRow) TableName() string { return "sessions" }

// hashToken stores only a digest of the session token, so a database
// leak does not hand out live sessions.
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// CreateSession starts a session for userID lasting ttl and returns its
// secret token for the cookie.
func (s *Store) CreateSession(ctx context.Context, userID int64, ttl time.Duration) (string, error) {
	token := app.NewToken()
	now := s.now()
	row := sessionRow{ID: hashToken(token), UserID: userID, CreatedAt: now, ExpiresAt: now.Add(ttl)}
	if err := s.db.WithContext(ctx).Create(&row).Error; err != nil {
		return "", fmt.Errorf("create session: %w", err)
	}
	return token, nil
}

// FindSessionUser returns the enabled account behind a live session token
// (EUNAUTHORIZED when the token is unknown, expired or its account disabled).
func (s *Store) FindSessionUser(ctx context.Context, token string) (*app.User, error) {
	var row userRow
	err := s.db.WithContext(ctx).Table("users").Select("users.*").
		Joins("JOIN sessions ON sessions.user_id = users.id").
		Where("sessions.id = ? AND sessions.expires_at > ? AND users.disabled = ?", hashToken(token), s.now(), false).
		Take(&row).Error
	if err != nil {
		if e := notFound(err, "error.unauthorized"); e != err {
			return nil, app.Errorf(app.EUNAUTHORIZED, "error.unauthorized")
		}
		return nil, fmt.Errorf("find session: %w", err)
	}
	return row.toApp(), nil
}

// DeleteSession ends the session with token.
func (s *Store) DeleteSession(ctx context.Context, token string) error {
	if err := s.db.WithContext(ctx).Where("id = ?", hashToken(token)).Delete(&sessionRow{}).Error; err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteExpiredSessions removes sessions past their end and reports how many.
func (s *Store) DeleteExpiredSessions(ctx context.Context) (int64, error) {
	res := s.db.WithContext(ctx).Where("expires_at <= ?", s.now()).Delete(&sessionRow{})
	if res.Error != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", res.Error)
	}
	return res.RowsAffected, nil
}
