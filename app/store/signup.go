package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"beacon/app"

	"gorm.io/gorm"
)

type signupRow struct {
	ID               string `gorm:"primaryKey"` // hashToken of the link's token
	Email            string
	DisplayName      string
	PasswordHash     string
	Locale           string
	RegionCode       string
	OrganizationCode string
	CreatedAt        time.Time
	ExpiresAt        time.Time
}

func (signupRow) TableName() string { return "signups" }

// Signup is a registration waiting for its address to be confirmed.
type Signup struct {
	Email        string
	DisplayName  string
	PasswordHash string
	Locale       string
	Affiliation  Affiliation
}

// CreateSignup keeps a registration for ttl and returns the secret token
// of its confirmation link. An older unconfirmed registration for the same
// address stops working. Nothing is checked against existing accounts
// here: the caller decides what to mail, the same answer is shown.
func (s *Store) CreateSignup(ctx context.Context, su Signup, ttl time.Duration) (string, error) {
	token := app.NewToken()
	now := s.now()
	row := signupRow{ID: hashToken(token), Email: NormalizeEmail(su.Email), DisplayName: su.DisplayName, PasswordHash: su.PasswordHash,
		Locale: su.Locale, RegionCode: su.Affiliation.RegionCode, OrganizationCode: su.Affiliation.OrganizationCode,
		CreatedAt: now, ExpiresAt: now.Add(ttl)}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("email = ?", row.Email).Delete(&signupRow{}).Error; err != nil {
			return err
		}
		return tx.Create(&row).Error
	})
	if err != nil {
		return "", fmt.Errorf("create signup: %w", err)
	}
	return token, nil
}

// FindSignup returns the live registration of token (ENOTFOUND,
// "register.confirm.invalid_text", when unknown, used or expired).
func (s *Store) FindSignup(ctx context.Context, token string) (*Signup, error) {
	var row signupRow
	if err := s.db.WithContext(ctx).Where("id = ? AND expires_at > ?", hashToken(token), s.now()).Take(&row).Error; err != nil {
		return nil, fmt.Errorf("find signup: %w", notFound(err, "register.confirm.invalid_text"))
	}
	return &Signup{Email: row.Email, DisplayName: row.DisplayName, PasswordHash: row.PasswordHash, Locale: row.Locale,
		Affiliation: Affiliation{RegionCode: row.RegionCode, OrganizationCode: row.OrganizationCode}}, nil
}

// ConfirmSignup uses a live confirmation token once and makes the account
// in the same transaction (a failure leaves the link working), adopting
// learnerID's guest progress when given (as CreateUser does).
// ENOTFOUND ("register.confirm.invalid_text") for a token unknown, used
// or expired; ECONFLICT when the address got an account meanwhile. A
// region or organization deleted since registration is dropped (the
// person may choose again on their page) rather than losing the account.
func (s *Store) ConfirmSignup(ctx context.Context, token, learnerID string) (*app.User, error) {
	var u *app.User
	// One transaction: the link is used up only if the account is made,
	// so a failure on the way leaves the link working.
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var row signupRow
		if err := tx.Where("id = ? AND expires_at > ?", hashToken(token), s.now()).Take(&row).Error; err != nil {
			return notFound(err, "register.confirm.invalid_text")
		}
		res := tx.Where("id = ?", row.ID).Delete(&signupRow{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return app.Errorf(app.ENOTFOUND, "register.confirm.invalid_text")
		}
		u = &app.User{Email: row.Email, DisplayName: row.DisplayName, PasswordHash: row.PasswordHash,
			Roles: []string{app.RoleLearner}, Locale: row.Locale, LearnerID: learnerID}
		err := s.createUser(tx, u, Affiliation{RegionCode: row.RegionCode, OrganizationCode: row.OrganizationCode})
		var fe app.FieldErrors
		if errors.As(err, &fe) {
			// The affiliation was checked with queries only, so the
			// transaction is intact: make the account without it.
			err = s.createUser(tx, u, Affiliation{})
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("confirm signup: %w", err)
	}
	return u, nil
}
