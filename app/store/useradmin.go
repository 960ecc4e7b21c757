package store

import (
	"context"
	"fmt"
	"strings"

	"beacon/app"

	"gorm.io/gorm"
)

// Paging limits of FindUsers.
const (
	defaultUserLimit = 50
	maxUserLimit     = 500
)

// UserFilter narrows the administrators' list of accounts; zero fields
// match everything.
type UserFilter struct {
	// Query matches part of the email or the display name, ignoring case.
	Query string
	// Role keeps accounts that were given this role (administrators are not
	// counted as holding the other roles here: the filter shows assignments).
	Role   string
	Limit  int // at most 500; 0 means 50
	Offset int
}

// FindUsers returns one page of accounts matching f, ordered by email, and
// how many match in all. An unknown role matches nobody.
func (s *Store) FindUsers(ctx context.Context, f UserFilter) ([]*app.User, int, error) {
	if f.Limit <= 0 {
		f.Limit = defaultUserLimit
	}
	if f.Limit > maxUserLimit {
		f.Limit = maxUserLimit
	}
	if f.Offset < 0 {
		f.Offset = 0
	}
	q := s.db.WithContext(ctx).Model(&userRow{})
	if words := strings.TrimSpace(f.Query); words != "" {
		pattern := "%" + escapeLikePattern(strings.ToLower(words)) + "%"
		q = q.Where(`(LOWER(email) LIKE ? ESCAPE '\' OR LOWER(display_name) LIKE ? ESCAPE '\')`, pattern, pattern)
	}
	if f.Role != "" {
		if !app.ValidRole(f.Role) {
			return []*app.User{}, 0, nil
		}
		// Roles are stored as "a,b,c": wrap in commas to match whole names.
		q = q.Where(`(',' || roles || ',') LIKE ?`, "%,"+f.Role+",%")
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("find users: %w", err)
	}
	var rows []userRow
	if err := q.Order("email, id").Limit(f.Limit).Offset(f.Offset).Find(&rows).Error; err != nil {
		return nil, 0, fmt.Errorf("find users: %w", err)
	}
	out := make([]*app.User, 0, len(rows))
	for i := range rows {
		out = append(out, rows[i].toApp())
	}
	return out, int(total), nil
}

// escapeLikePattern escapes the LIKE wildcards of s for ESCAPE '\'.
func escapeLikePattern(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// userAccess is what an administrator can change about an account, as the
// audit log records it.
type userAccess struct {
	Roles    []string `json:"roles"`
	Disabled bool     `json:"disabled"`
}

// UpdateUser sets the roles and the disabled state of the account with id,
// in one transaction with its audit entry ("user:update"). Disabling ends
// every session of the account. Roles are kept in the order of app.Roles,
// without duplicates.
//
// Refused with app.FieldErrors (fields "roles" and "disabled"), saving
// nothing: no role, an unknown role, an actor removing their own
// administrator role or disabling themselves, and a change that would leave
// no enabled administrator. ENOTFOUND when there is no such account.
// Changing nothing writes nothing.
func (s *Store) UpdateUser(ctx context.Context, actor *app.User, id int64, roles []string, disabled bool) error {
	after, errs := checkUserUpdate(actor, id, roles, disabled)
	if len(errs) > 0 {
		return fmt.Errorf("update user %d: %w", id, errs)
	}
	now := s.now()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if s.dialect == DialectPostgres {
			if err := tx.Exec(`SELECT id FROM users WHERE id = ? FOR UPDATE`, id).Error; err != nil {
				return err
			}
		}
		var row userRow
		if err := tx.Where("id = ?", id).Take(&row).Error; err != nil {
			return notFound(err, "error.not_found")
		}
		u := row.toApp()
		before := userAccess{Roles: canonicalRoles(u.Roles), Disabled: u.Disabled}
		if strings.Join(before.Roles, ",") == strings.Join(after.Roles, ",") && before.Disabled == after.Disabled {
			return nil
		}
		wasAdmin := !before.Disabled && roleListHas(before.Roles, app.RoleAdministrator)
		isAdmin := !after.Disabled && roleListHas(after.Roles, app.RoleAdministrator)
		if wasAdmin && !isAdmin {
			var others int64
			if err := tx.Model(&userRow{}).Where(`id <> ? AND disabled = ? AND (',' || roles || ',') LIKE ?`,
				id, false, "%,"+app.RoleAdministrator+",%").Count(&others).Error; err != nil {
				return err
			}
			if others == 0 {
				return app.FieldErrors{app.FieldError("roles", "admin.users.error.last_admin")}
			}
		}
		if err := tx.Model(&userRow{}).Where("id = ?", id).Updates(map[string]any{
			"roles": strings.Join(after.Roles, ","), "disabled": after.Disabled, "updated_at": now}).Error; err != nil {
			return err
		}
		if after.Disabled {
			if err := tx.Exec(`DELETE FROM sessions WHERE user_id = ?`, id).Error; err != nil {
				return err
			}
		}
		return audit(tx, now, actor, "user:update", "user", fmt.Sprint(id), before, after)
	})
	if err != nil {
		return fmt.Errorf("update user %d: %w", id, err)
	}
	return nil
}

// checkUserUpdate applies the rules that need no database and returns the
// normalized change.
func checkUserUpdate(actor *app.User, id int64, roles []string, disabled bool) (userAccess, app.FieldErrors) {
	var errs app.FieldErrors
	clean := make([]string, 0, len(roles))
	unknown := false
	for _, r := range roles {
		r = strings.TrimSpace(r)
		if !app.ValidRole(r) {
			unknown = true
			continue
		}
		clean = append(clean, r)
	}
	clean = canonicalRoles(clean)
	switch {
	case unknown:
		errs = append(errs, app.FieldError("roles", "admin.users.error.role_unknown"))
	case len(clean) == 0:
		errs = append(errs, app.FieldError("roles", "admin.users.error.role_required"))
	case actor != nil && actor.ID == id && roleListHas(actor.Roles, app.RoleAdministrator) && !roleListHas(clean, app.RoleAdministrator):
		errs = append(errs, app.FieldError("roles", "admin.users.error.self_admin"))
	}
	if actor != nil && actor.ID == id && disabled {
		errs = append(errs, app.FieldError("disabled", "admin.users.error.self_disable"))
	}
	return userAccess{Roles: clean, Disabled: disabled}, errs
}

// canonicalRoles returns the known roles among roles in the order of app.Roles,
// once each.
func canonicalRoles(roles []string) []string {
	out := make([]string, 0, len(roles))
	for _, r := range app.Roles {
		if roleListHas(roles, r) {
			out = append(out, r)
		}
	}
	return out
}

// roleListHas reports whether roles names role itself (no administrator rule).
func roleListHas(roles []string, role string) bool {
	for _, r := range roles {
		if r == role {
			return true
		}
	}
	return false
}
