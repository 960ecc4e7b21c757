package store_test

import (
	"context"
	"testing"
	"time"

	"beacon/app"
	"beacon/app/testenv"
)

// TestAPITokenStore: lookups by token, the last-use write at most every
// APITokenTouchEvery, expiry, revocation and disabled accounts, on every
// database.
func TestAPITokenStore(t *testing.T) {
	for db, open := range testenv.Stores(t) {
		t.Run(db, func(t *testing.T) {
			st := open(t)
			ctx := context.Background()
			now := time.Now().UTC().Truncate(time.Second)
			st.SetClock(func() time.Time { return now })
			owner := &app.User{Email: "tok@example.org", DisplayName: "Tok", PasswordHash: "x", Roles: []string{app.RoleOrganizer}, Locale: "en"}
			admin := &app.User{Email: "adm@example.org", DisplayName: "Adm", PasswordHash: "x", Roles: []string{app.RoleAdministrator}, Locale: "en"}
			for _, u := range []*app.User{owner, admin} {
				if err := st.CreateUser(ctx, u); err != nil {
					t.Fatal(err)
				}
			}
			if _, _, err := st.CreateAPIToken(ctx, owner, "", 0); app.ErrorCode(err) != app.EINVALID {
				t.Fatalf("empty name: %v", err)
			}
			tok, made, err := st.CreateAPIToken(ctx, owner, "t", 30*24*time.Hour)
			if err != nil || made.ExpiresAt == nil || made.Prefix != tok[:app.APITokenShown] {
				t.Fatalf("create: %+v %v", made, err)
			}
			u, got, err := st.FindAPITokenUser(ctx, tok)
			if err != nil || u.ID != owner.ID || got.ID != made.ID || got.LastUsedAt == nil || !got.LastUsedAt.Equal(now) {
				t.Fatalf("find: %+v %+v %v", u, got, err)
			}
			lastUsed := func() time.Time {
				list, err := st.UserAPITokens(ctx, owner.ID)
				if err != nil || len(list) != 1 || list[0].LastUsedAt == nil {
					t.Fatalf("list: %+v %v", list, err)
				}
				return list[0].LastUsedAt.UTC()
			}
			// Within the interval no write; after it, one.
			st.SetClock(func() time.Time { return now.Add(time.Minute) })
			if _, _, err := st.FindAPITokenUser(ctx, tok); err != nil || !lastUsed().Equal(now) {
				t.Fatalf("touched within the interval: %v %v", lastUsed(), err)
			}
			later := now.Add(6 * time.Minute)
			st.SetClock(func() time.Time { return later })
			if _, _, err := st.FindAPITokenUser(ctx, tok); err != nil || !lastUsed().Equal(later) {
				t.Fatalf("not touched after the interval: %v %v", lastUsed(), err)
			}
			// Expired.
			st.SetClock(func() time.Time { return now.Add(31 * 24 * time.Hour) })
			if _, _, err := st.FindAPITokenUser(ctx, tok); app.ErrorCode(err) != app.EUNAUTHORIZED {
				t.Fatalf("expired: %v", err)
			}
			st.SetClock(func() time.Time { return later })
			// Disabled account.
			if err := st.UpdateUser(ctx, admin, owner.ID, owner.Roles, true); err != nil {
				t.Fatal(err)
			}
			if _, _, err := st.FindAPITokenUser(ctx, tok); app.ErrorCode(err) != app.EUNAUTHORIZED {
				t.Fatalf("disabled account: %v", err)
			}
			if err := st.UpdateUser(ctx, admin, owner.ID, owner.Roles, false); err != nil {
				t.Fatal(err)
			}
			// Revoked by an administrator; a second revoke is not found.
			if err := st.RevokeAPIToken(ctx, admin, admin.ID, made.ID); app.ErrorCode(err) != app.ENOTFOUND {
				t.Fatalf("revoke under the wrong owner: %v", err)
			}
			if err := st.RevokeAPIToken(ctx, admin, owner.ID, made.ID); err != nil {
				t.Fatal(err)
			}
			if err := st.RevokeAPIToken(ctx, admin, owner.ID, made.ID); app.ErrorCode(err) != app.ENOTFOUND {
				t.Fatalf("second revoke: %v", err)
			}
			if _, _, err := st.FindAPITokenUser(ctx, tok); app.ErrorCode(err) != app.EUNAUTHORIZED {
				t.Fatalf("revoked: %v", err)
			}
			if list, _ := st.UserAPITokens(ctx, owner.ID); len(list) != 0 {
				t.Fatalf("revoked token listed: %+v", list)
			}
		})
	}
}
