package store_test

import (
	"context"
	"testing"
	"time"

	"beacon/app"
	"beacon/app/store"
)

// TestSessionIdleTimeout moves the store's clock: a session unused for
// longer than the idle timeout is refused and cleaned like an expired one,
// a used one lives on, and last_seen_at is written at most once per
// SessionTouchEvery.
func TestSessionIdleTimeout(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 4, 7, 9, 0, 0, 0, time.UTC)
		st.SetClock(func() time.Time { return now })
		u := newUser(t, st, "idle@example.org", "")
		if err := st.SetSetting(ctx, store.SettingSessionIdle, "2"); err != nil { // hours
			t.Fatal(err)
		}
		used, err := st.StartSession(ctx, u.ID, 30*24*time.Hour, app.Device{Browser: "Firefox", Platform: "Linux"})
		if err != nil {
			t.Fatal(err)
		}
		idle, err := st.CreateSession(ctx, u.ID, 30*24*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		lastSeen := func() time.Time {
			t.Helper()
			ss, err := st.UserSessions(ctx, u.ID, 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range ss {
				if s.ID == store.SessionID(used) {
					return s.LastSeenAt
				}
			}
			t.Fatal("used session not listed")
			return time.Time{}
		}
		// Used every 90 minutes: alive after 6 hours; the other one is not.
		for i := 0; i < 4; i++ {
			now = now.Add(90 * time.Minute)
			if _, err := st.FindSessionUser(ctx, used); err != nil {
				t.Fatalf("used session refused after %d uses: %v", i, err)
			}
		}
		if !lastSeen().Equal(now) {
			t.Fatalf("last seen %v, want %v", lastSeen(), now)
		}
		// A use within SessionTouchEvery writes nothing.
		now = now.Add(time.Minute)
		if _, err := st.FindSessionUser(ctx, used); err != nil {
			t.Fatal(err)
		}
		if got := lastSeen(); !got.Equal(now.Add(-time.Minute)) {
			t.Fatalf("touched within a minute: last seen %v", got)
		}
		if _, err := st.FindSessionUser(ctx, idle); app.ErrorCode(err) != app.EUNAUTHORIZED {
			t.Fatalf("idle session: want EUNAUTHORIZED, got %v", err)
		}
		list, err := st.UserSessions(ctx, u.ID, 2*time.Hour)
		if err != nil || len(list) != 1 || list[0].Device.Browser != "Firefox" {
			t.Fatalf("live sessions: %+v, %v", list, err)
		}
		n, err := st.DeleteExpiredSessions(ctx)
		if err != nil || n != 1 {
			t.Fatalf("cleaned %d sessions, %v; want 1", n, err)
		}
		if _, err := st.FindSession(ctx, idle, 0); app.ErrorCode(err) != app.EUNAUTHORIZED {
			t.Fatalf("cleaned session: %v", err)
		}
		if _, err := st.FindSessionUser(ctx, used); err != nil {
			t.Fatalf("used session cleaned: %v", err)
		}
		// The absolute limit still holds for a session used all along.
		short, err := st.CreateSession(ctx, u.ID, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		now = now.Add(61 * time.Minute)
		if _, err := st.FindSession(ctx, short, 0); app.ErrorCode(err) != app.EUNAUTHORIZED {
			t.Fatalf("session past its end: %v", err)
		}
	})
}

func TestParseSessionIdle(t *testing.T) {
	for v, want := range map[string]time.Duration{
		"": store.DefaultSessionIdle, "0": 0, "1": time.Hour, "720": 720 * time.Hour,
		"721": store.DefaultSessionIdle, "-1": store.DefaultSessionIdle, "x": store.DefaultSessionIdle,
	} {
		if got := store.ParseSessionIdle(v); got != want {
			t.Errorf("ParseSessionIdle(%q) = %v, want %v", v, got, want)
		}
	}
}

func TestStore_AccountChanges(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		u := newUser(t, st, "ana@example.org", "")
		other := newUser(t, st, "bo@example.org", "")
		keep, _ := st.CreateSession(ctx, u.ID, time.Hour)
		gone, _ := st.CreateSession(ctx, u.ID, time.Hour)
		bos, _ := st.CreateSession(ctx, other.ID, time.Hour)
		n, err := st.ChangePassword(ctx, u, "new-hash", keep)
		if err != nil || n != 1 {
			t.Fatalf("change password: %d sessions ended, %v", n, err)
		}
		got, err := st.FindUserByID(ctx, u.ID)
		if err != nil || got.PasswordHash != "new-hash" {
			t.Fatalf("hash not stored: %v", err)
		}
		if _, err := st.FindSession(ctx, gone, 0); app.ErrorCode(err) != app.EUNAUTHORIZED {
			t.Fatalf("other session survived a password change: %v", err)
		}
		for _, tok := range []string{keep, bos} {
			if _, err := st.FindSession(ctx, tok, 0); err != nil {
				t.Fatalf("session ended that should not: %v", err)
			}
		}
		if err := st.ChangeEmail(ctx, u, "BO@example.org"); app.ErrorCode(err) != app.ECONFLICT {
			t.Fatalf("taken address: want ECONFLICT, got %v", err)
		}
		if err := st.ChangeEmail(ctx, u, " Ana.New@Example.org "); err != nil {
			t.Fatal(err)
		}
		if got, err := st.FindUserByEmail(ctx, "ana.new@example.org"); err != nil || got.ID != u.ID {
			t.Fatalf("new address: %v", err)
		}
		if err := st.EndSession(ctx, u, store.SessionID(bos)); app.ErrorCode(err) != app.ENOTFOUND {
			t.Fatalf("ending another account's session: want ENOTFOUND, got %v", err)
		}
		entries, err := st.Audit(ctx, store.AuditFilter{ObjectType: "user"})
		if err != nil {
			t.Fatal(err)
		}
		actions := map[string]bool{}
		for _, e := range entries {
			actions[e.Action] = true
		}
		if !actions["account:password"] || !actions["account:email"] {
			t.Fatalf("audit actions %v", actions)
		}
	})
}
