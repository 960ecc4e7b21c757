package store

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"beacon/app"

	"gorm.io/gorm"
)

type apiTokenRow struct {
	ID         int64 `gorm:"primaryKey"`
	UserID     int64
	Name       string
	Prefix     string
	Hash       string
	CreatedAt  time.Time
	LastUsedAt *time.Time
	ExpiresAt  *time.Time
	RevokedAt  *time.Time
}

func (apiTokenRow) TableName() string { return "api_tokens" }

func (r *apiTokenRow) toApp() app.APIToken {
	return app.APIToken{ID: r.ID, UserID: r.UserID, Name: r.Name, Prefix: r.Prefix, CreatedAt: r.CreatedAt,
		LastUsedAt: r.LastUsedAt, ExpiresAt: r.ExpiresAt, RevokedAt: r.RevokedAt}
}

// APITokenTouchEvery is how stale last_used_at may grow before a use of
// the token writes it again: one write per token per interval at most.
const APITokenTouchEvery = 5 * time.Minute

// CreateAPIToken makes a personal API token for actor named name, valid
// for ttl (0 = no expiry), with an audit entry ("api_token:create"). It
// returns the token text, which is not stored and cannot be shown again.
// An invalid name is EINVALID (see app.ValidateAPITokenName).
func (s *Store) CreateAPIToken(ctx context.Context, actor *app.User, name string, ttl time.Duration) (string, app.APIToken, error) {
	if fe := app.ValidateAPITokenName(name); fe != nil {
		return "", app.APIToken{}, fe
	}
	token := app.NewAPIToken()
	now := s.now()
	row := apiTokenRow{UserID: actor.ID, Name: name, Prefix: token[:app.APITokenShown], Hash: hashToken(token), CreatedAt: now}
	if ttl > 0 {
		end := now.Add(ttl)
		row.ExpiresAt = &end
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		after := map[string]any{"name": name, "prefix": row.Prefix}
		if row.ExpiresAt != nil {
			after["expires_at"] = row.ExpiresAt.UTC().Format(time.RFC3339)
		}
		return auditOnly(tx, now, actor, "api_token:create", "api_token", strconv.FormatInt(row.ID, 10), nil, after)
	})
	if err != nil {
		return "", app.APIToken{}, fmt.Errorf("create api token: %w", err)
	}
	return token, row.toApp(), nil
}

// UserAPITokens lists the tokens of userID that are not revoked (expired
// ones included, so that their owner sees why they stopped), newest first.
func (s *Store) UserAPITokens(ctx context.Context, userID int64) ([]app.APIToken, error) {
	var rows []apiTokenRow
	err := s.db.WithContext(ctx).Where("user_id = ? AND revoked_at IS NULL", userID).
		Order("created_at DESC, id DESC").Limit(500).Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("user api tokens: %w", err)
	}
	out := make([]app.APIToken, 0, len(rows))
	for i := range rows {
		out = append(out, rows[i].toApp())
	}
	return out, nil
}

// RevokeAPIToken revokes token id of the account ownerID, with an audit
// entry ("api_token:revoke") naming actor: the owner, or an administrator.
// A token of another account, or one already revoked, is ENOTFOUND.
func (s *Store) RevokeAPIToken(ctx context.Context, actor *app.User, ownerID, id int64) error {
	now := s.now()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var row apiTokenRow
		if err := tx.Where("id = ? AND user_id = ? AND revoked_at IS NULL", id, ownerID).Take(&row).Error; err != nil {
			return notFound(err, "error.not_found")
		}
		res := tx.Model(&apiTokenRow{}).Where("id = ? AND revoked_at IS NULL", id).Update("revoked_at", now)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return app.Errorf(app.ENOTFOUND, "error.not_found")
		}
		return auditOnly(tx, now, actor, "api_token:revoke", "api_token", strconv.FormatInt(id, 10),
			map[string]any{"name": row.Name, "prefix": row.Prefix, "user_id": ownerID}, map[string]any{"revoked": true})
	})
	if err != nil && app.ErrorCode(err) == app.EINTERNAL {
		return fmt.Errorf("revoke api token: %w", err)
	}
	return err
}

// FindAPITokenUser returns the enabled account behind a live API token,
// with its roles as they are now, and the token: EUNAUTHORIZED when the
// token is unknown, revoked, expired or its account disabled. A use more
// than APITokenTouchEvery after the last recorded one records this one.
func (s *Store) FindAPITokenUser(ctx context.Context, token string) (*app.User, app.APIToken, error) {
	if !app.LooksLikeAPIToken(token) {
		return nil, app.APIToken{}, app.Errorf(app.EUNAUTHORIZED, "error.unauthorized")
	}
	now := s.now()
	var rows []struct {
		User       userRow `gorm:"embedded"`
		TokenID    int64
		TokenName  string
		Prefix     string
		CreatedAt2 time.Time
		LastUsedAt *time.Time
		ExpiresAt  *time.Time
	}
	err := s.db.WithContext(ctx).Table("users").
		Select("users.*, api_tokens.id AS token_id, api_tokens.name AS token_name, api_tokens.prefix, "+
			"api_tokens.created_at AS created_at2, api_tokens.last_used_at, api_tokens.expires_at").
		Joins("JOIN api_tokens ON api_tokens.user_id = users.id").
		Where("api_tokens.hash = ? AND api_tokens.revoked_at IS NULL AND (api_tokens.expires_at IS NULL OR api_tokens.expires_at > ?) AND users.disabled = ?",
			hashToken(token), now, false).
		Limit(1).Scan(&rows).Error
	if err != nil {
		return nil, app.APIToken{}, fmt.Errorf("find api token: %w", err)
	}
	if len(rows) == 0 {
		return nil, app.APIToken{}, app.Errorf(app.EUNAUTHORIZED, "error.unauthorized")
	}
	r := rows[0]
	tok := app.APIToken{ID: r.TokenID, UserID: r.User.ID, Name: r.TokenName, Prefix: r.Prefix, CreatedAt: r.CreatedAt2,
		LastUsedAt: r.LastUsedAt, ExpiresAt: r.ExpiresAt}
	if tok.LastUsedAt == nil || now.Sub(*tok.LastUsedAt) >= APITokenTouchEvery {
		// Conditional, so that instances racing for the same token write once.
		err := s.db.WithContext(ctx).Model(&apiTokenRow{}).
			Where("id = ? AND (last_used_at IS NULL OR last_used_at < ?)", tok.ID, now.Add(-APITokenTouchEvery)).
			Update("last_used_at", now).Error
		if err != nil {
			return nil, app.APIToken{}, fmt.Errorf("touch api token: %w", err)
		}
		tok.LastUsedAt = &now
	}
	return r.User.toApp(), tok, nil
}
