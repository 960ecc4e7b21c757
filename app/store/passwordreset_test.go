package store_test

import (
	"context"
	"testing"
	"time"

	"beacon/app"
	"beacon/app/store"
	"beacon/app/testenv"
)

// TestStore_PasswordReset checks the link rules on both databases: single
// use, expiry, a newer link replacing older ones, sessions ended, audited.
func TestStore_PasswordReset(t *testing.T) {
	for name, open := range testenv.Stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			st := open(t)
			now := time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)
			st.SetClock(func() time.Time { return now })
			u := &app.User{Email: "ana@example.org", DisplayName: "Ana", PasswordHash: "old", Roles: []string{app.RoleLearner}}
			admin := &app.User{Email: "root@example.org", DisplayName: "Root", PasswordHash: "x", Roles: []string{app.RoleAdministrator}}
			for _, x := range []*app.User{u, admin} {
				if err := st.CreateUser(ctx, x); err != nil {
					t.Fatal(err)
				}
			}
			session, err := st.CreateSession(ctx, u.ID, time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			first, err := st.CreatePasswordReset(ctx, nil, u.ID, time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			second, err := st.CreatePasswordReset(ctx, nil, u.ID, time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := st.FindPasswordResetUser(ctx, first); app.ErrorCode(err) != app.ENOTFOUND {
				t.Fatalf("older link: %v, want ENOTFOUND", err)
			}
			if got, err := st.FindPasswordResetUser(ctx, second); err != nil || got.ID != u.ID {
				t.Fatalf("live link: %v %v", got, err)
			}
			got, err := st.ResetPassword(ctx, second, "new")
			if err != nil || got.ID != u.ID {
				t.Fatalf("reset: %v", err)
			}
			if after, _ := st.FindUserByID(ctx, u.ID); after.PasswordHash != "new" {
				t.Fatalf("hash %q", after.PasswordHash)
			}
			if _, err := st.FindSessionUser(ctx, session); app.ErrorCode(err) != app.EUNAUTHORIZED {
				t.Fatalf("session survived the reset: %v", err)
			}
			if _, err := st.ResetPassword(ctx, second, "again"); app.ErrorCode(err) != app.ENOTFOUND {
				t.Fatalf("second use: %v", err)
			}
			byAdmin, err := st.CreatePasswordReset(ctx, admin, u.ID, time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			now = now.Add(time.Hour)
			if _, err := st.ResetPassword(ctx, byAdmin, "late"); app.ErrorCode(err) != app.ENOTFOUND {
				t.Fatalf("expired link: %v", err)
			}
			if n, err := st.DeleteExpiredAccountTokens(ctx); err != nil || n != 1 {
				t.Fatalf("swept %d, %v", n, err)
			}
			entries, err := st.Audit(ctx, store.AuditFilter{ObjectType: "user"})
			if err != nil {
				t.Fatal(err)
			}
			actions := map[string]string{}
			for _, e := range entries {
				actions[e.Action] = e.Actor
			}
			if actions["user:password_reset"] != "ana@example.org" || actions["user:reset_link"] != "root@example.org" {
				t.Fatalf("audit: %v", actions)
			}
			if _, err := st.CreatePasswordReset(ctx, nil, 999999, time.Hour); app.ErrorCode(err) != app.ENOTFOUND {
				t.Fatalf("unknown account: %v", err)
			}
		})
	}
}

// TestStore_Signup checks confirmation links: the account exists only
// after confirming, once; a newer registration replaces the older link.
func TestStore_Signup(t *testing.T) {
	for name, open := range testenv.Stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			st := open(t)
			su := store.Signup{Email: "Bo@Example.org", DisplayName: "Bo", PasswordHash: "h", Locale: "fr"}
			old, err := st.CreateSignup(ctx, su, time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			token, err := st.CreateSignup(ctx, su, time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := st.FindUserByEmail(ctx, "bo@example.org"); app.ErrorCode(err) != app.ENOTFOUND {
				t.Fatalf("account before confirming: %v", err)
			}
			if _, err := st.ConfirmSignup(ctx, old, ""); app.ErrorCode(err) != app.ENOTFOUND {
				t.Fatalf("replaced link: %v", err)
			}
			if got, err := st.FindSignup(ctx, token); err != nil || got.Email != "bo@example.org" {
				t.Fatalf("find: %v %v", got, err)
			}
			u, err := st.ConfirmSignup(ctx, token, "")
			if err != nil {
				t.Fatal(err)
			}
			if u.Email != "bo@example.org" || u.Locale != "fr" || u.PasswordHash != "h" || u.LearnerID == "" {
				t.Fatalf("account %+v", u)
			}
			if _, err := st.ConfirmSignup(ctx, token, ""); app.ErrorCode(err) != app.ENOTFOUND {
				t.Fatalf("second use: %v", err)
			}
			again, _ := st.CreateSignup(ctx, su, time.Hour)
			if _, err := st.ConfirmSignup(ctx, again, ""); app.ErrorCode(err) != app.ECONFLICT {
				t.Fatalf("address taken meanwhile: %v", err)
			}
		})
	}
}
