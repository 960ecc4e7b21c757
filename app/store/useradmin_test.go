package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"beacon/app"
	"beacon/app/store"
)

// userWithRoles creates an account holding roles.
func userWithRoles(t *testing.T, st *store.Store, email, name string, roles ...string) *app.User {
	t.Helper()
	u := &app.User{Email: email, DisplayName: name, PasswordHash: "x", Locale: "en", Roles: roles}
	if err := st.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

func emailsOf(users []*app.User) string {
	out := make([]string, len(users))
	for i, u := range users {
		out[i] = u.Email
	}
	return strings.Join(out, ",")
}

func TestStore_FindUsers(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		userWithRoles(t, st, "ana@example.org", "Ana Silva", app.RoleLearner)
		userWithRoles(t, st, "bob@example.org", "Bob_Chen", app.RoleEducator, app.RoleReviewer)
		userWithRoles(t, st, "root@example.org", "Root", app.RoleAdministrator)
		for i := range 12 {
			userWithRoles(t, st, fmt.Sprintf("bulk%02d@example.org", i), "Bulk Person")
		}
		tests := []struct {
			name  string
			f     store.UserFilter
			want  string
			total int
		}{
			{name: "EmailPartIgnoringCase", f: store.UserFilter{Query: "ANA@"}, want: "ana@example.org", total: 1},
			{name: "NamePart", f: store.UserFilter{Query: "silva"}, want: "ana@example.org", total: 1},
			{name: "UnderscoreIsText", f: store.UserFilter{Query: "_"}, want: "bob@example.org", total: 1},
			{name: "PercentIsText", f: store.UserFilter{Query: "%"}, want: "", total: 0},
			{name: "Role", f: store.UserFilter{Role: app.RoleReviewer}, want: "bob@example.org", total: 1},
			{name: "RoleIsWholeName", f: store.UserFilter{Role: app.RoleAdministrator}, want: "root@example.org", total: 1},
			{name: "UnknownRole", f: store.UserFilter{Role: "admin"}, want: "", total: 0},
			{name: "RoleAndQuery", f: store.UserFilter{Role: app.RoleLearner, Query: "bulk0", Limit: 2}, want: "bulk00@example.org,bulk01@example.org", total: 10},
			{name: "RoleExcludes", f: store.UserFilter{Role: app.RoleEducator, Query: "ana"}, want: "", total: 0},
			{name: "Page", f: store.UserFilter{Query: "bulk", Limit: 5, Offset: 10}, want: "bulk10@example.org,bulk11@example.org", total: 12},
			{name: "FirstPage", f: store.UserFilter{Query: "bulk", Limit: 2}, want: "bulk00@example.org,bulk01@example.org", total: 12},
			{name: "PastTheEnd", f: store.UserFilter{Query: "bulk", Limit: 5, Offset: 50}, want: "", total: 12},
			{name: "DefaultLimit", f: store.UserFilter{}, want: "", total: 15},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				users, total, err := st.FindUsers(ctx, tt.f)
				if err != nil {
					t.Fatal(err)
				}
				if total != tt.total {
					t.Fatalf("total %d, want %d", total, tt.total)
				}
				if tt.name == "DefaultLimit" {
					if len(users) != 15 || users[0].Email != "ana@example.org" {
						t.Fatalf("got %d users starting %s", len(users), users[0].Email)
					}
					return
				}
				if got := emailsOf(users); got != tt.want {
					t.Fatalf("got %q, want %q", got, tt.want)
				}
			})
		}
	})
}

func TestStore_UpdateUser(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		admin := userWithRoles(t, st, "root@example.org", "Root", app.RoleAdministrator)
		target := userWithRoles(t, st, "ana@example.org", "Ana", app.RoleLearner)
		token, err := st.CreateSession(ctx, target.ID, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		entries := func(t *testing.T) []store.AuditEntry {
			t.Helper()
			es, err := st.Audit(ctx, store.AuditFilter{ObjectType: "user", ObjectID: fmt.Sprint(target.ID)})
			if err != nil {
				t.Fatal(err)
			}
			return es
		}

		// Roles are stored once each, in the order of app.Roles.
		if err := st.UpdateUser(ctx, admin, target.ID, []string{app.RoleEducator, app.RoleLearner, app.RoleEducator}, false); err != nil {
			t.Fatal(err)
		}
		got, _ := st.FindUserByID(ctx, target.ID)
		if strings.Join(got.Roles, ",") != "learner,educator" || got.Disabled {
			t.Fatalf("stored %v disabled=%v", got.Roles, got.Disabled)
		}
		es := entries(t)
		if len(es) != 1 {
			t.Fatalf("%d audit entries, want 1", len(es))
		}
		e := es[0]
		if e.Action != "user:update" || e.Actor != "root@example.org" || e.UserID != admin.ID {
			t.Fatalf("entry %+v", e)
		}
		if e.Before != `{"roles":["learner"]}` || e.After != `{"roles":["learner","educator"]}` {
			t.Fatalf("before %s after %s", e.Before, e.After)
		}
		if _, err := st.FindSessionUser(ctx, token); err != nil {
			t.Fatalf("a role change ended the session: %v", err)
		}

		t.Run("NothingChanged", func(t *testing.T) {
			if err := st.UpdateUser(ctx, admin, target.ID, []string{app.RoleLearner, app.RoleEducator}, false); err != nil {
				t.Fatal(err)
			}
			if n := len(entries(t)); n != 1 {
				t.Fatalf("%d audit entries after a no-op, want 1", n)
			}
		})

		t.Run("DisableEndsSessions", func(t *testing.T) {
			if err := st.UpdateUser(ctx, admin, target.ID, []string{app.RoleLearner, app.RoleEducator}, true); err != nil {
				t.Fatal(err)
			}
			if _, err := st.FindSessionUser(ctx, token); app.ErrorCode(err) != app.EUNAUTHORIZED {
				t.Fatalf("session of a disabled account: %v", err)
			}
			es := entries(t)
			if len(es) != 2 || es[0].Before != `{"disabled":false}` || es[0].After != `{"disabled":true}` {
				t.Fatalf("entries %+v", es)
			}
			// Enabling again does not bring the old session back.
			if err := st.UpdateUser(ctx, admin, target.ID, []string{app.RoleLearner}, false); err != nil {
				t.Fatal(err)
			}
			if _, err := st.FindSessionUser(ctx, token); app.ErrorCode(err) != app.EUNAUTHORIZED {
				t.Fatalf("old session works after enabling: %v", err)
			}
		})

		t.Run("Refused", func(t *testing.T) {
			before := len(entries(t))
			tests := []struct {
				name     string
				actor    *app.User
				id       int64
				roles    []string
				disabled bool
				field    string
				msg      string
			}{
				{name: "ErrNoRole", actor: admin, id: target.ID, roles: nil, field: "roles", msg: "admin.users.error.role_required"},
				{name: "ErrUnknownRole", actor: admin, id: target.ID, roles: []string{"learner", "root"}, field: "roles", msg: "admin.users.error.role_unknown"},
				{name: "ErrSelfAdmin", actor: admin, id: admin.ID, roles: []string{app.RoleEducator}, field: "roles", msg: "admin.users.error.self_admin"},
				{name: "ErrSelfDisable", actor: admin, id: admin.ID, roles: []string{app.RoleAdministrator}, disabled: true, field: "disabled", msg: "admin.users.error.self_disable"},
				{name: "ErrLastAdmin", actor: nil, id: admin.ID, roles: []string{app.RoleLearner}, field: "roles", msg: "admin.users.error.last_admin"},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					err := st.UpdateUser(ctx, tt.actor, tt.id, tt.roles, tt.disabled)
					var fe app.FieldErrors
					if !errors.As(err, &fe) || fe.For(tt.field) != tt.msg {
						t.Fatalf("got %v, want %s on %s", err, tt.msg, tt.field)
					}
				})
			}
			if err := st.UpdateUser(ctx, admin, 999999, []string{app.RoleLearner}, false); app.ErrorCode(err) != app.ENOTFOUND {
				t.Fatalf("unknown account: %v", err)
			}
			if got, _ := st.FindUserByID(ctx, admin.ID); strings.Join(got.Roles, ",") != "administrator" || got.Disabled {
				t.Fatalf("a refused change was saved: %+v", got)
			}
			if got, _ := st.FindUserByID(ctx, target.ID); strings.Join(got.Roles, ",") != "learner" {
				t.Fatalf("a refused change was saved: %v", got.Roles)
			}
			if n := len(entries(t)); n != before {
				t.Fatalf("refused changes wrote %d audit entries", n-before)
			}
		})

		t.Run("AnotherAdminMayDemote", func(t *testing.T) {
			second := userWithRoles(t, st, "second@example.org", "Second", app.RoleAdministrator)
			if err := st.UpdateUser(ctx, second, admin.ID, []string{app.RoleLearner}, false); err != nil {
				t.Fatal(err)
			}
			if got, _ := st.FindUserByID(ctx, admin.ID); strings.Join(got.Roles, ",") != "learner" {
				t.Fatalf("roles %v", got.Roles)
			}
		})
	})
}

func TestStore_SetSettings(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		admin := userWithRoles(t, st, "root@example.org", "Root", app.RoleAdministrator)
		count := func(t *testing.T) []store.AuditEntry {
			t.Helper()
			es, err := st.Audit(ctx, store.AuditFilter{ObjectType: "settings"})
			if err != nil {
				t.Fatal(err)
			}
			return es
		}
		if err := st.SetSettings(ctx, admin, map[string]string{"four_eyes": "off", "small_group_k": "7", "site_name.en": ""}); err != nil {
			t.Fatal(err)
		}
		all, err := st.Settings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 2 || all["four_eyes"] != "off" || all["small_group_k"] != "7" {
			t.Fatalf("settings %v", all)
		}
		es := count(t)
		if len(es) != 1 || es[0].Action != "settings:update" || es[0].ObjectID != "site" || es[0].Actor != "root@example.org" {
			t.Fatalf("entries %+v", es)
		}
		if es[0].Before != `{"four_eyes":"","small_group_k":""}` || es[0].After != `{"four_eyes":"off","small_group_k":"7"}` {
			t.Fatalf("before %s after %s", es[0].Before, es[0].After)
		}
		// The same values again: nothing written.
		if err := st.SetSettings(ctx, admin, map[string]string{"four_eyes": "off", "small_group_k": "7"}); err != nil {
			t.Fatal(err)
		}
		if n := len(count(t)); n != 1 {
			t.Fatalf("%d entries after a no-op, want 1", n)
		}
		// An empty value removes the key: its default applies again.
		if err := st.SetSettings(ctx, admin, map[string]string{"four_eyes": "", "small_group_k": "9"}); err != nil {
			t.Fatal(err)
		}
		if v, _ := st.Setting(ctx, "four_eyes", "on"); v != "on" {
			t.Fatalf("removed four_eyes reads %q", v)
		}
		if v, _ := st.Setting(ctx, "small_group_k", "5"); v != "9" {
			t.Fatalf("small_group_k reads %q", v)
		}
		es = count(t)
		if len(es) != 2 || es[0].Before != `{"four_eyes":"off","small_group_k":"7"}` || es[0].After != `{"four_eyes":"","small_group_k":"9"}` {
			t.Fatalf("entries %+v", es)
		}
	})
}
