package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"beacon/app"

	"gorm.io/gorm"
)

type certificateRow struct {
	ID           int64 `gorm:"primaryKey"`
	Code         string
	UserID       *int64 // nil once revoked: the account is gone
	CourseID     int64
	CourseSlug   string
	CourseTitle  string
	SourceLocale string
	HolderName   string
	IssuedAt     time.Time
	StatusIndex  int64
	RevokedAt    *time.Time
}

func (certificateRow) TableName() string { return "certificates" }

func (r *certificateRow) toApp() *app.Certificate {
	c := &app.Certificate{ID: r.ID, Code: r.Code, CourseID: r.CourseID, CourseSlug: r.CourseSlug,
		SourceLocale: r.SourceLocale, HolderName: r.HolderName, IssuedAt: r.IssuedAt, StatusIndex: r.StatusIndex}
	if r.UserID != nil {
		c.UserID = *r.UserID
	}
	if r.RevokedAt != nil {
		at := r.RevokedAt.UTC()
		c.RevokedAt = &at
	}
	_ = json.Unmarshal([]byte(r.CourseTitle), &c.CourseTitle)
	return c
}

// FindCertificateByCode returns the certificate with a verification code,
// revoked ones included (see app.Certificate.Revoked); ENOTFOUND when no
// certificate ever had the code. code must be in its stored form
// (app.NormalizeCode).
func (s *Store) FindCertificateByCode(ctx context.Context, code string) (*app.Certificate, error) {
	var row certificateRow
	if err := s.db.WithContext(ctx).Where("code = ?", code).Take(&row).Error; err != nil {
		return nil, notFound(err, "certificate.not_found")
	}
	return row.toApp(), nil
}

// Certificates returns the account's certificates, oldest first.
func (s *Store) Certificates(ctx context.Context, userID int64) ([]*app.Certificate, error) {
	var rows []certificateRow
	if err := s.db.WithContext(ctx).Where("user_id = ?", userID).Order("issued_at, id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("certificates: %w", err)
	}
	out := make([]*app.Certificate, 0, len(rows))
	for i := range rows {
		out = append(out, rows[i].toApp())
	}
	return out, nil
}

// RevokedStatusIndexes returns the status list indexes of every revoked
// certificate, in order: the bits the status list sets.
func (s *Store) RevokedStatusIndexes(ctx context.Context) ([]int64, error) {
	var idx []int64
	if err := s.db.WithContext(ctx).Model(&certificateRow{}).Where("revoked_at IS NOT NULL").
		Order("status_index").Pluck("status_index", &idx).Error; err != nil {
		return nil, fmt.Errorf("revoked status indexes: %w", err)
	}
	return idx, nil
}

// nextStatusIndexes reserves n status list indexes for certificates about
// to be issued in tx, in order. PostgreSQL draws them from a sequence, so
// that concurrent issues never collide; SQLite serializes writers
// (BEGIN IMMEDIATE), so the next free index is one past the largest.
func (s *Store) nextStatusIndexes(tx *gorm.DB, n int) ([]int64, error) {
	if n == 0 {
		return nil, nil
	}
	out := make([]int64, 0, n)
	if s.dialect == DialectPostgres {
		if err := tx.Raw(`SELECT nextval('certificate_status_index') FROM generate_series(1, ?)`, n).Scan(&out).Error; err != nil {
			return nil, fmt.Errorf("status index: %w", err)
		}
		return out, nil
	}
	var next int64
	if err := tx.Raw(`SELECT COALESCE(MAX(status_index), -1) + 1 FROM certificates`).Scan(&next).Error; err != nil {
		return nil, fmt.Errorf("status index: %w", err)
	}
	for i := 0; i < n; i++ {
		out = append(out, next+int64(i))
	}
	return out, nil
}

// revokeCertificatesIn turns the account's certificates into tombstones
// inside tx: the holder's name and account go, the code, course, date and
// status index stay, and revoked_at sets the certificate's bit in the
// status list. It reports how many it revoked.
func revokeCertificatesIn(tx *gorm.DB, userID int64, now time.Time) (int64, error) {
	res := tx.Exec(`UPDATE certificates SET user_id = NULL, holder_name = '', revoked_at = ? WHERE user_id = ?`, now.UTC(), userID)
	if res.Error != nil {
		return 0, fmt.Errorf("revoke certificates: %w", res.Error)
	}
	return res.RowsAffected, nil
}
