package store

import (
	"context"
	"fmt"
	"strconv"

	"beacon/app"

	"gorm.io/gorm"
)

// Changes a person makes to their own account. Each writes an audit entry
// (actor = the account) but leaves the page caches alone: no public page
// shows an account.

// ChangePassword stores hash as actor's password and ends every other
// session of the account (all of them when keepToken is ""), in one
// transaction with an "account:password" audit entry that counts the
// sessions ended (never a hash). It reports how many sessions ended.
func (s *Store) ChangePassword(ctx context.Context, actor *app.User, hash, keepToken string) (int64, error) {
	now := s.now()
	var n int64
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&userRow{}).Where("id = ?", actor.ID).Updates(map[string]any{"password_hash": hash, "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return app.Errorf(app.ENOTFOUND, "error.not_found")
		}
		var err error
		if n, err = endOtherSessions(tx, actor.ID, keepToken); err != nil {
			return err
		}
		return auditOnly(tx, now, actor, "account:password", "user", strconv.FormatInt(actor.ID, 10),
			nil, map[string]any{"sessions_ended": n})
	})
	if err != nil {
		if app.ErrorCode(err) != app.EINTERNAL {
			return 0, err
		}
		return 0, fmt.Errorf("change password: %w", err)
	}
	return n, nil
}

// ChangeEmail makes email (normalized) actor's address, with an
// "account:email" audit entry holding the old and new address. An address
// another account has is ECONFLICT on field "email"
// (account.error.email_taken); nothing changes then.
func (s *Store) ChangeEmail(ctx context.Context, actor *app.User, email string) error {
	now := s.now()
	email = NormalizeEmail(email)
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var old []string
		if err := tx.Model(&userRow{}).Where("id = ?", actor.ID).Pluck("email", &old).Error; err != nil {
			return err
		}
		if len(old) == 0 {
			return app.Errorf(app.ENOTFOUND, "error.not_found")
		}
		if old[0] == email {
			return nil
		}
		var taken int64
		if err := tx.Model(&userRow{}).Where("email = ? AND id <> ?", email, actor.ID).Count(&taken).Error; err != nil {
			return err
		}
		if taken > 0 {
			return emailTaken()
		}
		err := tx.Model(&userRow{}).Where("id = ?", actor.ID).Updates(map[string]any{"email": email, "updated_at": now}).Error
		if isUniqueViolation(err) { // taken meanwhile
			return emailTaken()
		}
		if err != nil {
			return err
		}
		return auditOnly(tx, now, actor, "account:email", "user", strconv.FormatInt(actor.ID, 10),
			map[string]any{"email": old[0]}, map[string]any{"email": email})
	})
	if err != nil {
		if app.ErrorCode(err) != app.EINTERNAL {
			return err
		}
		return fmt.Errorf("change email: %w", err)
	}
	return nil
}

func emailTaken() error {
	return &app.Error{Code: app.ECONFLICT, MessageID: "account.error.email_taken", Field: "email"}
}
