package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"beacon/app"

	"gorm.io/gorm"
)

type userRow struct {
	ID           int64 `gorm:"primaryKey"`
	Email        string
	DisplayName  string
	PasswordHash string
	Roles        string
	Locale       string
	RegionCode   string
	LearnerID    string
	Disabled     bool
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

func (userRow) TableName() string { return "users" }

func (r *userRow) toApp() *app.User {
	roles := []string{}
	for _, x := range strings.Split(r.Roles, ",") {
		if x = strings.TrimSpace(x); x != "" {
			roles = append(roles, x)
		}
	}
	return &app.User{ID: r.ID, Email: r.Email, DisplayName: r.DisplayName, PasswordHash: r.PasswordHash,
		Roles: roles, Locale: r.Locale, RegionCode: r.RegionCode, LearnerID: r.LearnerID,
		CreatedAt: r.CreatedAt, Disabled: r.Disabled}
}

// NormalizeEmail lower-cases and trims an address so that lookups match.
func NormalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// CreateUser stores a new account and sets u.ID. The email must be unused
// (ECONFLICT otherwise). When u.LearnerID names a guest learner, the account
// adopts that learner's progress as its own.
func (s *Store) CreateUser(ctx context.Context, u *app.User) error {
	now := s.now()
	row := userRow{Email: NormalizeEmail(u.Email), DisplayName: u.DisplayName, PasswordHash: u.PasswordHash,
		Roles: strings.Join(u.Roles, ","), Locale: u.Locale, RegionCode: u.RegionCode, LearnerID: u.LearnerID,
		CreatedAt: now, UpdatedAt: now}
	if row.Roles == "" {
		row.Roles = app.RoleLearner
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&userRow{}).Where("email = ?", row.Email).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return &app.Error{Code: app.ECONFLICT, MessageID: "account.error.email_taken", Field: "email"}
		}
		// A learner id already owned by another account is never adopted.
		if err := tx.Model(&userRow{}).Where("learner_id = ?", row.LearnerID).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 || row.LearnerID == "" {
			row.LearnerID = app.NewID()
		}
		if err := ensureLearner(tx, row.LearnerID, now); err != nil {
			return err
		}
		if err := tx.Create(&row).Error; err != nil {
			if isUniqueViolation(err) {
				return &app.Error{Code: app.ECONFLICT, MessageID: "account.error.email_taken", Field: "email"}
			}
			return err
		}
		return bump(tx, now, app.MetricRegistration, 0, u.Locale, false)
	})
	if err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	u.ID, u.LearnerID, u.Email, u.CreatedAt = row.ID, row.LearnerID, row.Email, now
	if len(u.Roles) == 0 {
		u.Roles = []string{app.RoleLearner}
	}
	return nil
}

// FindUserByID returns the account with id (ENOTFOUND otherwise).
func (s *Store) FindUserByID(ctx context.Context, id int64) (*app.User, error) {
	var row userRow
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return nil, notFound(err, "error.not_found")
	}
	return row.toApp(), nil
}

// FindUserByEmail returns the account with email (ENOTFOUND otherwise).
func (s *Store) FindUserByEmail(ctx context.Context, email string) (*app.User, error) {
	var row userRow
	if err := s.db.WithContext(ctx).Where("email = ?", NormalizeEmail(email)).Take(&row).Error; err != nil {
		return nil, notFound(err, "error.not_found")
	}
	return row.toApp(), nil
}

// SetUserRoles replaces the roles of the account with id.
func (s *Store) SetUserRoles(ctx context.Context, id int64, roles []string) error {
	res := s.db.WithContext(ctx).Model(&userRow{}).Where("id = ?", id).
		Updates(map[string]any{"roles": strings.Join(roles, ","), "updated_at": s.now()})
	if res.Error != nil {
		return fmt.Errorf("set roles: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return app.Errorf(app.ENOTFOUND, "error.not_found")
	}
	return nil
}

// SetUserPassword replaces the password hash of the account with id.
func (s *Store) SetUserPassword(ctx context.Context, id int64, hash string) error {
	res := s.db.WithContext(ctx).Model(&userRow{}).Where("id = ?", id).
		Updates(map[string]any{"password_hash": hash, "updated_at": s.now()})
	if res.Error != nil {
		return fmt.Errorf("set password: %w", res.Error)
	}
	return nil
}

// ClaimLearner moves a guest learner's progress, attempts and completions to
// the account's learner, in one transaction. Records the account already has
// win; the guest's duplicates are dropped. Claiming one's own learner id is a no-op.
func (s *Store) ClaimLearner(ctx context.Context, userID int64, guestLearnerID string) error {
	if guestLearnerID == "" {
		return nil
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var u userRow
		if err := tx.Where("id = ?", userID).Take(&u).Error; err != nil {
			return notFound(err, "error.not_found")
		}
		if u.LearnerID == guestLearnerID {
			return nil
		}
		var owners int64
		if err := tx.Model(&userRow{}).Where("learner_id = ?", guestLearnerID).Count(&owners).Error; err != nil {
			return err
		}
		if owners > 0 { // another account's learner: never merge across accounts
			return nil
		}
		for _, table := range []string{"lesson_progress", "course_completions"} {
			keys := "course_id, lesson_slug"
			if table == "course_completions" {
				keys = "course_id"
			}
			if err := tx.Exec(`DELETE FROM `+table+` WHERE learner_id = ? AND (`+keys+`) IN (SELECT `+keys+` FROM `+table+` WHERE learner_id = ?)`,
				guestLearnerID, u.LearnerID).Error; err != nil {
				return err
			}
			if err := tx.Exec(`UPDATE `+table+` SET learner_id = ? WHERE learner_id = ?`, u.LearnerID, guestLearnerID).Error; err != nil {
				return err
			}
		}
		if err := tx.Exec(`UPDATE quiz_attempts SET learner_id = ? WHERE learner_id = ?`, u.LearnerID, guestLearnerID).Error; err != nil {
			return err
		}
		return tx.Exec(`DELETE FROM learners WHERE id = ?`, guestLearnerID).Error
	})
	if err != nil {
		return fmt.Errorf("claim learner: %w", err)
	}
	return nil
}

// DeleteUser erases an account and every record that belongs to its person:
// sessions, certificates, progress, attempts and completions. Daily counts
// are anonymous and stay, so statistics keep their totals.
func (s *Store) DeleteUser(ctx context.Context, id int64) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var u userRow
		if err := tx.Where("id = ?", id).Take(&u).Error; err != nil {
			return notFound(err, "error.not_found")
		}
		for _, q := range []string{
			`DELETE FROM sessions WHERE user_id = ?`,
			`DELETE FROM certificates WHERE user_id = ?`,
		} {
			if err := tx.Exec(q, id).Error; err != nil {
				return err
			}
		}
		for _, q := range []string{
			`DELETE FROM lesson_progress WHERE learner_id = ?`,
			`DELETE FROM quiz_attempts WHERE learner_id = ?`,
			`DELETE FROM course_completions WHERE learner_id = ?`,
			`DELETE FROM learners WHERE id = ?`,
		} {
			if err := tx.Exec(q, u.LearnerID).Error; err != nil {
				return err
			}
		}
		if err := tx.Where("id = ?", id).Delete(&userRow{}).Error; err != nil {
			return err
		}
		return bump(tx, s.now(), app.MetricAccountDeleted, 0, "", false)
	})
	if err != nil {
		return fmt.Errorf("delete user %d: %w", id, err)
	}
	return nil
}
