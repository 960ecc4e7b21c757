package store

import (
	"context"
	"fmt"
	"time"

	"beacon/app"

	"gorm.io/gorm"
)

type passwordResetRow struct {
	ID        string `gorm:"primaryKey"` // hashToken of the link's token
	UserID    int64
	CreatedBy *int64 // the administrator who issued it; nil when mailed
	CreatedAt time.Time
	ExpiresAt time.Time
}

func (passwordResetRow) TableName() string { return "password_resets" }

// CreatePasswordReset makes a single-use reset link for the account with
// userID lasting ttl and returns its secret token. Older links of the
// account stop working. When an administrator (actor) issues it, the
// audit log records "user:reset_link" in the same transaction; a link a
// person asked for by mail is not an admin change and is not audited
// here. ENOTFOUND when there is no such account.
func (s *Store) CreatePasswordReset(ctx context.Context, actor *app.User, userID int64, ttl time.Duration) (string, error) {
	token := app.NewToken()
	now := s.now()
	row := passwordResetRow{ID: hashToken(token), UserID: userID, CreatedAt: now, ExpiresAt: now.Add(ttl)}
	if actor != nil {
		id := actor.ID
		row.CreatedBy = &id
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var u userRow
		if err := tx.Select("id").Where("id = ?", userID).Take(&u).Error; err != nil {
			return notFound(err, "error.not_found")
		}
		if err := tx.Where("user_id = ?", userID).Delete(&passwordResetRow{}).Error; err != nil {
			return err
		}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		if actor == nil {
			return nil
		}
		return audit(tx, now, actor, "user:reset_link", "user", fmt.Sprint(userID), nil,
			map[string]any{"expires_at": row.ExpiresAt.Format(time.RFC3339)})
	})
	if err != nil {
		return "", fmt.Errorf("create password reset: %w", err)
	}
	return token, nil
}

// FindPasswordResetUser returns the enabled account a live reset token
// belongs to; ENOTFOUND ("password.reset.error.invalid") when the token is
// unknown, used, replaced by a newer one, expired, or its account disabled.
func (s *Store) FindPasswordResetUser(ctx context.Context, token string) (*app.User, error) {
	var row userRow
	err := s.db.WithContext(ctx).Table("users").Select("users.*").
		Joins("JOIN password_resets ON password_resets.user_id = users.id").
		Where("password_resets.id = ? AND password_resets.expires_at > ? AND users.disabled = ?", hashToken(token), s.now(), false).
		Take(&row).Error
	if err != nil {
		return nil, fmt.Errorf("find password reset: %w", notFound(err, "password.reset.error.invalid"))
	}
	return row.toApp(), nil
}

// ResetPassword uses a live reset token: the account's password hash
// becomes hash, every reset link and every session of the account ends,
// and the audit log records "user:password_reset" by the account itself,
// all in one transaction. The token works once: of two uses at the same
// moment, one gets ENOTFOUND, as for FindPasswordResetUser.
func (s *Store) ResetPassword(ctx context.Context, token, hash string) (*app.User, error) {
	now := s.now()
	var u *app.User
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var row passwordResetRow
		if err := tx.Where("id = ? AND expires_at > ?", hashToken(token), now).Take(&row).Error; err != nil {
			return notFound(err, "password.reset.error.invalid")
		}
		// Claiming the row by deleting it makes the link single-use even
		// when two requests read it at once.
		res := tx.Where("id = ?", row.ID).Delete(&passwordResetRow{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return app.Errorf(app.ENOTFOUND, "password.reset.error.invalid")
		}
		var ur userRow
		if err := tx.Where("id = ? AND disabled = ?", row.UserID, false).Take(&ur).Error; err != nil {
			return notFound(err, "password.reset.error.invalid")
		}
		if err := tx.Model(&userRow{}).Where("id = ?", ur.ID).
			Updates(map[string]any{"password_hash": hash, "updated_at": now}).Error; err != nil {
			return err
		}
		if err := tx.Where("user_id = ?", ur.ID).Delete(&passwordResetRow{}).Error; err != nil {
			return err
		}
		if err := tx.Exec(`DELETE FROM sessions WHERE user_id = ?`, ur.ID).Error; err != nil {
			return err
		}
		u = ur.toApp()
		how := "mail"
		if row.CreatedBy != nil {
			how = "admin_link"
		}
		return audit(tx, now, u, "user:password_reset", "user", fmt.Sprint(ur.ID), nil, map[string]any{"via": how})
	})
	if err != nil {
		return nil, fmt.Errorf("reset password: %w", err)
	}
	return u, nil
}

// DeleteExpiredAccountTokens removes reset links and unconfirmed
// registrations past their end and reports how many.
func (s *Store) DeleteExpiredAccountTokens(ctx context.Context) (int64, error) {
	now := s.now()
	a := s.db.WithContext(ctx).Where("expires_at <= ?", now).Delete(&passwordResetRow{})
	if a.Error != nil {
		return 0, fmt.Errorf("delete expired password resets: %w", a.Error)
	}
	b := s.db.WithContext(ctx).Where("expires_at <= ?", now).Delete(&signupRow{})
	if b.Error != nil {
		return 0, fmt.Errorf("delete expired signups: %w", b.Error)
	}
	return a.RowsAffected + b.RowsAffected, nil
}
