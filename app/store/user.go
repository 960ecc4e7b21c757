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
	// OrganizationID is nil for "prefer not to say"; app.User does not carry
	// it (see Affiliation).
	OrganizationID *int64
	Disabled       bool
	CreatedAt      time.Time
	UpdatedAt      time.Time
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

// Affiliation is the region and organization a learner chose to be counted
// under in the anonymous statistics, by code; "" is "prefer not to say".
type Affiliation struct {
	RegionCode       string
	OrganizationCode string
}

// CreateUser stores a new account and sets u.ID. The email must be unused
// (ECONFLICT otherwise). When u.LearnerID names a guest learner, the account
// adopts that learner's progress as its own. A non-empty u.RegionCode must
// name a region (app.FieldErrors otherwise, as CreateUserWithAffiliation).
func (s *Store) CreateUser(ctx context.Context, u *app.User) error {
	return s.CreateUserWithAffiliation(ctx, u, Affiliation{RegionCode: u.RegionCode})
}

// CreateUserWithAffiliation is CreateUser for a learner who chose a region
// and an organization (u.RegionCode is replaced by aff.RegionCode). Both are
// checked in the same transaction: an unknown one is refused with
// app.FieldErrors ("region": account.error.region_unknown, "organization":
// account.error.organization_unknown) and nothing is saved.
func (s *Store) CreateUserWithAffiliation(ctx context.Context, u *app.User, aff Affiliation) error {
	if err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error { return s.createUser(tx, u, aff) }); err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	return nil
}

// createUser is CreateUserWithAffiliation inside the caller's transaction
// tx; it fills u's id, learner id, normalized address and creation time.
func (s *Store) createUser(tx *gorm.DB, u *app.User, aff Affiliation) error {
	now := s.now()
	row := userRow{Email: NormalizeEmail(u.Email), DisplayName: u.DisplayName, PasswordHash: u.PasswordHash,
		Roles: strings.Join(u.Roles, ","), Locale: u.Locale, LearnerID: u.LearnerID,
		CreatedAt: now, UpdatedAt: now}
	if row.Roles == "" {
		row.Roles = app.RoleLearner
	}
	var errs app.FieldErrors
	var err error
	row.RegionCode, row.OrganizationID, errs, err = s.checkAffiliation(tx, aff)
	if err != nil {
		return err
	}
	if len(errs) > 0 {
		return errs
	}
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
	if err := bump(tx, now, app.MetricRegistration, 0, u.Locale, false); err != nil {
		return err
	}
	u.ID, u.LearnerID, u.Email, u.CreatedAt, u.RegionCode = row.ID, row.LearnerID, row.Email, now, row.RegionCode
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

// checkAffiliation resolves aff inside tx: the region code to store and the
// organization's id (nil for none), or the field errors of unknown codes.
// On PostgreSQL the chosen rows stay locked against deletion until tx ends.
func (s *Store) checkAffiliation(tx *gorm.DB, aff Affiliation) (string, *int64, app.FieldErrors, error) {
	var errs app.FieldErrors
	if aff.RegionCode != "" {
		var rows []regionRow
		q := tx.Select("code").Where("code = ?", aff.RegionCode)
		if s.dialect == DialectPostgres {
			q = q.Clauses(forShare())
		}
		if err := q.Limit(1).Find(&rows).Error; err != nil {
			return "", nil, nil, err
		}
		if len(rows) == 0 {
			errs = append(errs, app.FieldError("region", "account.error.region_unknown"))
		}
	}
	var orgID *int64
	if aff.OrganizationCode != "" {
		var rows []organizationRow
		q := tx.Select("id").Where("code = ?", aff.OrganizationCode)
		if s.dialect == DialectPostgres {
			q = q.Clauses(forShare())
		}
		if err := q.Limit(1).Find(&rows).Error; err != nil {
			return "", nil, nil, err
		}
		if len(rows) == 0 {
			errs = append(errs, app.FieldError("organization", "account.error.organization_unknown"))
		} else {
			orgID = &rows[0].ID
		}
	}
	return aff.RegionCode, orgID, errs, nil
}

// UserAffiliation returns the region and organization the account with id
// chose (ENOTFOUND when there is no such account).
func (s *Store) UserAffiliation(ctx context.Context, id int64) (Affiliation, error) {
	var out []struct {
		RegionCode string
		OrgCode    *string
	}
	err := s.db.WithContext(ctx).Table("users").
		Select("users.region_code AS region_code, organizations.code AS org_code").
		Joins("LEFT JOIN organizations ON organizations.id = users.organization_id").
		Where("users.id = ?", id).Limit(1).Scan(&out).Error
	if err != nil {
		return Affiliation{}, fmt.Errorf("user affiliation: %w", err)
	}
	if len(out) == 0 {
		return Affiliation{}, app.Errorf(app.ENOTFOUND, "error.not_found")
	}
	aff := Affiliation{RegionCode: out[0].RegionCode}
	if out[0].OrgCode != nil {
		aff.OrganizationCode = *out[0].OrgCode
	}
	return aff, nil
}

// SetUserAffiliation replaces the region and organization of the account
// with id; "" clears one. Refused with app.FieldErrors as
// CreateUserWithAffiliation, saving nothing; ENOTFOUND when there is no
// such account.
func (s *Store) SetUserAffiliation(ctx context.Context, id int64, aff Affiliation) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		region, orgID, errs, err := s.checkAffiliation(tx, aff)
		if err != nil {
			return err
		}
		if len(errs) > 0 {
			return errs
		}
		res := tx.Model(&userRow{}).Where("id = ?", id).
			Updates(map[string]any{"region_code": region, "organization_id": orgID, "updated_at": s.now()})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return app.Errorf(app.ENOTFOUND, "error.not_found")
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("set affiliation of user %d: %w", id, err)
	}
	return nil
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
		if err := mergeStatsIn(tx, guestLearnerID, u.LearnerID); err != nil {
			return err
		}
		if err := claimCampaignLearner(tx, guestLearnerID, u.LearnerID); err != nil {
			return err
		}
		if err := claimFeedbackIn(tx, guestLearnerID, u.LearnerID); err != nil {
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
// sessions, progress, attempts and completions. Its certificates are
// revoked: each stays as a tombstone without name or account, so that its
// code answers "revoked" and its status list bit is set. Daily counts are
// anonymous and stay, so statistics keep their totals.
func (s *Store) DeleteUser(ctx context.Context, id int64) error {
	now := s.now()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var u userRow
		if err := tx.Where("id = ?", id).Take(&u).Error; err != nil {
			return notFound(err, "error.not_found")
		}
		for _, q := range []string{`DELETE FROM sessions WHERE user_id = ?`, `DELETE FROM api_tokens WHERE user_id = ?`} {
			if err := tx.Exec(q, id).Error; err != nil {
				return err
			}
		}
		revoked, err := revokeCertificatesIn(tx, id, now)
		if err != nil {
			return err
		}
		if revoked > 0 {
			// Kept copies of the certificate pages must go at once.
			if err := bumpVersion(tx, now); err != nil {
				return err
			}
		}
		for _, q := range []string{
			`DELETE FROM lesson_progress WHERE learner_id = ?`,
			`DELETE FROM quiz_attempts WHERE learner_id = ?`,
			`DELETE FROM course_completions WHERE learner_id = ?`,
			`DELETE FROM lesson_feedback WHERE learner_id = ?`,
			`DELETE FROM learners WHERE id = ?`,
		} {
			if err := tx.Exec(q, u.LearnerID).Error; err != nil {
				return err
			}
		}
		if err := s.anonymizeStatsIn(tx, u.LearnerID); err != nil {
			return err
		}
		if err := deleteCampaignLearner(tx, u.LearnerID); err != nil {
			return err
		}
		if err := tx.Where("id = ?", id).Delete(&userRow{}).Error; err != nil {
			return err
		}
		return bump(tx, now, app.MetricAccountDeleted, 0, "", false)
	})
	if err != nil {
		return fmt.Errorf("delete user %d: %w", id, err)
	}
	return nil
}
