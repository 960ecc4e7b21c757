package store_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"beacon/app"
	"beacon/app/store"
)

// fieldErr returns the message id of field in err's app.FieldErrors, or "".
func fieldErr(err error, field string) string {
	var fe app.FieldErrors
	if !errors.As(err, &fe) {
		return ""
	}
	return fe.For(field)
}

// treeOf renders the region tree as "code/depth/users/total" lines.
func treeOf(t *testing.T, st *store.Store) string {
	t.Helper()
	nodes, err := st.RegionTree(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, n := range nodes {
		b.WriteString(strings.Repeat(" ", n.Depth) + n.Code)
		if n.Users > 0 || n.Total > 0 {
			b.WriteString(" " + strconv.Itoa(n.Users) + "/" + strconv.Itoa(n.Total))
		}
		b.WriteString("\n")
	}
	return b.String()
}

func auditActions(t *testing.T, st *store.Store, objType, id string) string {
	t.Helper()
	entries, err := st.Audit(context.Background(), store.AuditFilter{ObjectType: objType, ObjectID: id})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := len(entries) - 1; i >= 0; i-- { // oldest first
		out = append(out, entries[i].Action)
	}
	return strings.Join(out, ",")
}

func TestStore_Regions(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		admin := userWithRoles(t, st, "root@example.org", "Root", app.RoleAdministrator)
		top := func(code, en string) app.Region { return app.Region{Code: code, Name: app.Text{"en": en}} }

		t.Run("ErrInvalid", func(t *testing.T) {
			err := st.CreateRegion(ctx, admin, app.Region{Code: "Bad Code", Name: app.Text{"en": " "}})
			if fieldErr(err, "code") != "admin.regions.error.code" || fieldErr(err, "name") != "admin.regions.error.name_required" {
				t.Fatalf("want code and name errors, got %v", err)
			}
			err = st.CreateRegion(ctx, admin, app.Region{Code: "orphan", ParentCode: "nowhere", Name: app.Text{"en": "Orphan"}})
			if fieldErr(err, "parent") != "admin.regions.error.parent_unknown" {
				t.Fatalf("unknown parent: %v", err)
			}
			if rs, _ := st.Regions(ctx); len(rs) != 0 {
				t.Fatalf("a refused region was saved: %v", rs)
			}
		})

		for _, r := range []app.Region{top("north", "North"), top("south", "South"),
			{Code: "north-hill", ParentCode: "north", Name: app.Text{"en": "Hill", "zh-Hans": "山", "fr": ""}},
			{Code: "north-hill-top", ParentCode: "north-hill", Name: app.Text{"en": "Top"}},
			{Code: "a-river", ParentCode: "north", Name: app.Text{"en": "River"}}} {
			if err := st.CreateRegion(ctx, admin, r); err != nil {
				t.Fatalf("create %s: %v", r.Code, err)
			}
		}
		if err := st.CreateRegion(ctx, admin, top("north", "Again")); fieldErr(err, "code") != "admin.regions.error.code_taken" {
			t.Fatalf("taken code: %v", err)
		}
		// Depth first, siblings by code.
		want := "north\n a-river\n north-hill\n  north-hill-top\nsouth\n"
		if got := treeOf(t, st); got != want {
			t.Fatalf("tree:\n%s\nwant:\n%s", got, want)
		}
		r, err := st.FindRegion(ctx, "north-hill")
		if err != nil || r.Name["zh-Hans"] != "山" || r.ParentCode != "north" {
			t.Fatalf("find: %+v %v", r, err)
		}
		if _, ok := r.Name["fr"]; ok {
			t.Fatal("an empty name was kept")
		}
		if _, err := st.FindRegion(ctx, "nope"); app.ErrorCode(err) != app.ENOTFOUND {
			t.Fatalf("unknown region: %v", err)
		}

		t.Run("Reparent", func(t *testing.T) {
			if err := st.UpdateRegion(ctx, admin, "north-hill", "south", app.Text{"en": "Hillside"}); err != nil {
				t.Fatal(err)
			}
			want := "north\n a-river\nsouth\n north-hill\n  north-hill-top\n"
			if got := treeOf(t, st); got != want {
				t.Fatalf("tree:\n%s\nwant:\n%s", got, want)
			}
			r, _ := st.FindRegion(ctx, "north-hill")
			if r.Name["en"] != "Hillside" || r.Name["zh-Hans"] != "" {
				t.Fatalf("names after rename: %v", r.Name)
			}
			// Back to the top level.
			if err := st.UpdateRegion(ctx, admin, "a-river", "", app.Text{"en": "River"}); err != nil {
				t.Fatal(err)
			}
			if r, _ := st.FindRegion(ctx, "a-river"); r.ParentCode != "" {
				t.Fatalf("not moved to the top: %+v", r)
			}
		})
		t.Run("ErrCycle", func(t *testing.T) {
			for _, tc := range []struct{ name, code, parent, want string }{
				{"Self", "south", "south", "admin.regions.error.parent_self"},
				{"Child", "south", "north-hill", "admin.regions.error.cycle"},
				{"Grandchild", "south", "north-hill-top", "admin.regions.error.cycle"},
				{"Unknown", "south", "nowhere", "admin.regions.error.parent_unknown"},
			} {
				err := st.UpdateRegion(ctx, admin, tc.code, tc.parent, app.Text{"en": "Changed"})
				if got := fieldErr(err, "parent"); got != tc.want {
					t.Errorf("%s: got %q (%v), want %s", tc.name, got, err, tc.want)
				}
			}
			if r, _ := st.FindRegion(ctx, "south"); r.ParentCode != "" || r.Name["en"] != "South" {
				t.Fatalf("a refused update changed the region: %+v", r)
			}
			if err := st.UpdateRegion(ctx, admin, "nowhere", "", app.Text{"en": "X"}); app.ErrorCode(err) != app.ENOTFOUND {
				t.Fatalf("update unknown: %v", err)
			}
			if err := st.UpdateRegion(ctx, admin, "south", "", app.Text{"en": ""}); fieldErr(err, "name") == "" {
				t.Fatalf("update without a name: %v", err)
			}
		})

		t.Run("UserCounts", func(t *testing.T) {
			for _, email := range []string{"a@example.org", "b@example.org"} {
				u := &app.User{Email: email, DisplayName: "A", PasswordHash: "x"}
				if err := st.CreateUserWithAffiliation(ctx, u, store.Affiliation{RegionCode: "north-hill-top"}); err != nil {
					t.Fatal(err)
				}
			}
			u := &app.User{Email: "c@example.org", DisplayName: "C", PasswordHash: "x", RegionCode: "south"}
			if err := st.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
			want := "a-river\nnorth\nsouth 1/3\n north-hill 0/2\n  north-hill-top 2/2\n"
			if got := treeOf(t, st); got != want {
				t.Fatalf("tree:\n%s\nwant:\n%s", got, want)
			}
		})

		t.Run("Delete", func(t *testing.T) {
			use, err := st.RegionUse(ctx, "north-hill")
			if err != nil || use.Children != 1 || use.Users != 0 {
				t.Fatalf("use of north-hill: %+v %v", use, err)
			}
			var ae *app.Error
			err = st.DeleteRegion(ctx, admin, "north-hill")
			if !errors.As(err, &ae) || ae.Code != app.ECONFLICT || ae.MessageID != "admin.regions.error.has_children" || ae.Args["Count"] != 1 {
				t.Fatalf("delete with children: %v", err)
			}
			err = st.DeleteRegion(ctx, admin, "north-hill-top")
			if !errors.As(err, &ae) || ae.MessageID != "admin.regions.error.has_users" || ae.Args["Count"] != 2 {
				t.Fatalf("delete with users: %v", err)
			}
			// A campaign that targets a region keeps it.
			camp := app.Campaign{Slug: "drive", SourceLocale: "en", Starts: time.Now(), Ends: time.Now().Add(time.Hour),
				Courses: []string{}, Regions: []string{"a-river"}, Title: app.Text{"en": "Drive"}, Description: app.Text{"en": "D"}}
			if _, err := st.ImportPack(ctx, &app.Pack{Campaigns: []app.Campaign{camp}}); err != nil {
				t.Fatal(err)
			}
			err = st.DeleteRegion(ctx, admin, "a-river")
			if !errors.As(err, &ae) || ae.MessageID != "admin.regions.error.has_campaigns" {
				t.Fatalf("delete with a campaign: %v", err)
			}
			if err := st.DeleteRegion(ctx, admin, "north"); err != nil {
				t.Fatalf("delete an unused region: %v", err)
			}
			if _, err := st.FindRegion(ctx, "north"); app.ErrorCode(err) != app.ENOTFOUND {
				t.Fatalf("deleted region still there: %v", err)
			}
			if err := st.DeleteRegion(ctx, admin, "north"); app.ErrorCode(err) != app.ENOTFOUND {
				t.Fatalf("delete twice: %v", err)
			}
		})

		if got := auditActions(t, st, "region", "north-hill"); got != "region:create,region:update" {
			t.Fatalf("north-hill audit: %s", got)
		}
		if got := auditActions(t, st, "region", "north"); got != "region:create,region:delete" {
			t.Fatalf("north audit: %s", got)
		}
		entries, _ := st.Audit(ctx, store.AuditFilter{ObjectType: "region", ObjectID: "north-hill"})
		if e := entries[0]; e.Actor != "root@example.org" || !strings.Contains(e.Before, `"parent":"north"`) || !strings.Contains(e.After, `"parent":"south"`) {
			t.Fatalf("update entry: %+v", e)
		}
		// Saving the same values again writes nothing.
		r, _ = st.FindRegion(ctx, "north-hill")
		if err := st.UpdateRegion(ctx, admin, r.Code, r.ParentCode, r.Name); err != nil {
			t.Fatal(err)
		}
		if got := auditActions(t, st, "region", "north-hill"); got != "region:create,region:update" {
			t.Fatalf("an unchanged save was audited: %s", got)
		}
	})
}

func TestStore_Organizations(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		admin := userWithRoles(t, st, "root@example.org", "Root", app.RoleAdministrator)
		err := st.CreateOrganization(ctx, admin, &app.Organization{Code: "Bad!", Name: app.Text{}})
		if fieldErr(err, "code") != "admin.orgs.error.code" || fieldErr(err, "name") != "admin.orgs.error.name_required" {
			t.Fatalf("invalid organization: %v", err)
		}
		lib := &app.Organization{Code: "library", Name: app.Text{"en": "City library", "zh-Hans": "市图书馆"}}
		if err := st.CreateOrganization(ctx, admin, lib); err != nil || lib.ID == 0 || lib.CreatedAt.IsZero() {
			t.Fatalf("create: %+v %v", lib, err)
		}
		if err := st.CreateOrganization(ctx, admin, &app.Organization{Code: "library", Name: app.Text{"en": "Other"}}); fieldErr(err, "code") != "admin.orgs.error.code_taken" {
			t.Fatalf("taken code: %v", err)
		}
		school := &app.Organization{Code: "school", Name: app.Text{"en": "School"}}
		if err := st.CreateOrganization(ctx, admin, school); err != nil {
			t.Fatal(err)
		}
		if err := st.UpdateOrganization(ctx, admin, "school", app.Text{"en": "North school", "zh-Hans": "北区学校"}); err != nil {
			t.Fatal(err)
		}
		if err := st.UpdateOrganization(ctx, admin, "school", app.Text{"en": " "}); fieldErr(err, "name") != "admin.orgs.error.name_required" {
			t.Fatalf("rename to nothing: %v", err)
		}
		if err := st.UpdateOrganization(ctx, admin, "nope", app.Text{"en": "X"}); app.ErrorCode(err) != app.ENOTFOUND {
			t.Fatalf("rename unknown: %v", err)
		}
		o, err := st.FindOrganization(ctx, "school")
		if err != nil || o.Name["zh-Hans"] != "北区学校" || o.ID != school.ID {
			t.Fatalf("find: %+v %v", o, err)
		}
		u := &app.User{Email: "pupil@example.org", DisplayName: "P", PasswordHash: "x"}
		if err := st.CreateUserWithAffiliation(ctx, u, store.Affiliation{OrganizationCode: "school"}); err != nil {
			t.Fatal(err)
		}
		sums, err := st.OrganizationSummaries(ctx)
		if err != nil || len(sums) != 2 || sums[0].Code != "library" || sums[0].Users != 0 || sums[1].Users != 1 {
			t.Fatalf("summaries: %+v %v", sums, err)
		}
		if n, err := st.OrganizationUsers(ctx, "school"); err != nil || n != 1 {
			t.Fatalf("users of school: %d %v", n, err)
		}
		var ae *app.Error
		if err := st.DeleteOrganization(ctx, admin, "school"); !errors.As(err, &ae) || ae.Code != app.ECONFLICT ||
			ae.MessageID != "admin.orgs.error.has_users" || ae.Args["Count"] != 1 {
			t.Fatalf("delete with users: %v", err)
		}
		if err := st.DeleteOrganization(ctx, admin, "library"); err != nil {
			t.Fatal(err)
		}
		if _, err := st.FindOrganization(ctx, "library"); app.ErrorCode(err) != app.ENOTFOUND {
			t.Fatalf("deleted organization still there: %v", err)
		}
		if got := auditActions(t, st, "organization", "library"); got != "organization:create,organization:delete" {
			t.Fatalf("library audit: %s", got)
		}
		if got := auditActions(t, st, "organization", "school"); got != "organization:create,organization:update" {
			t.Fatalf("school audit: %s", got)
		}
		// Once nobody belongs to it, it can go.
		if err := st.SetUserAffiliation(ctx, u.ID, store.Affiliation{}); err != nil {
			t.Fatal(err)
		}
		if err := st.DeleteOrganization(ctx, admin, "school"); err != nil {
			t.Fatalf("delete after the learner left: %v", err)
		}
	})
}

func TestStore_UserAffiliation(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		seed(t, st) // regions from content/regions.yaml
		if err := st.CreateOrganization(ctx, nil, &app.Organization{Code: "library", Name: app.Text{"en": "Library"}}); err != nil {
			t.Fatal(err)
		}

		t.Run("ErrForgedOnCreate", func(t *testing.T) {
			u := &app.User{Email: "forged@example.org", DisplayName: "F", PasswordHash: "x"}
			err := st.CreateUserWithAffiliation(ctx, u, store.Affiliation{RegionCode: "atlantis", OrganizationCode: "nope"})
			if fieldErr(err, "region") != "account.error.region_unknown" || fieldErr(err, "organization") != "account.error.organization_unknown" {
				t.Fatalf("forged affiliation: %v", err)
			}
			if _, err := st.FindUserByEmail(ctx, "forged@example.org"); app.ErrorCode(err) != app.ENOTFOUND {
				t.Fatalf("a refused account was saved: %v", err)
			}
			err = st.CreateUser(ctx, &app.User{Email: "forged@example.org", DisplayName: "F", PasswordHash: "x", RegionCode: "atlantis"})
			if fieldErr(err, "region") == "" {
				t.Fatalf("CreateUser with an unknown region: %v", err)
			}
		})

		u := &app.User{Email: "ana@example.org", DisplayName: "Ana", PasswordHash: "x"}
		if err := st.CreateUserWithAffiliation(ctx, u, store.Affiliation{RegionCode: "north-riverside", OrganizationCode: "library"}); err != nil {
			t.Fatal(err)
		}
		if u.RegionCode != "north-riverside" {
			t.Fatalf("u.RegionCode = %q", u.RegionCode)
		}
		aff, err := st.UserAffiliation(ctx, u.ID)
		if err != nil || aff != (store.Affiliation{RegionCode: "north-riverside", OrganizationCode: "library"}) {
			t.Fatalf("affiliation: %+v %v", aff, err)
		}
		if got, _ := st.FindUserByID(ctx, u.ID); got.RegionCode != "north-riverside" {
			t.Fatalf("stored region %q", got.RegionCode)
		}

		t.Run("ErrForgedOnChange", func(t *testing.T) {
			err := st.SetUserAffiliation(ctx, u.ID, store.Affiliation{RegionCode: "south", OrganizationCode: "nope"})
			if fieldErr(err, "organization") != "account.error.organization_unknown" || fieldErr(err, "region") != "" {
				t.Fatalf("forged organization: %v", err)
			}
			if aff, _ := st.UserAffiliation(ctx, u.ID); aff.RegionCode != "north-riverside" || aff.OrganizationCode != "library" {
				t.Fatalf("a refused change was saved: %+v", aff)
			}
		})
		if err := st.SetUserAffiliation(ctx, u.ID, store.Affiliation{RegionCode: "south"}); err != nil {
			t.Fatal(err)
		}
		if aff, _ := st.UserAffiliation(ctx, u.ID); aff != (store.Affiliation{RegionCode: "south"}) {
			t.Fatalf("after change: %+v", aff)
		}
		if err := st.SetUserAffiliation(ctx, 999999, store.Affiliation{}); app.ErrorCode(err) != app.ENOTFOUND {
			t.Fatalf("unknown account: %v", err)
		}
		if _, err := st.UserAffiliation(ctx, 999999); app.ErrorCode(err) != app.ENOTFOUND {
			t.Fatalf("unknown account: %v", err)
		}
		// The seeded tree is depth first.
		regions, err := st.Regions(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pos := map[string]int{}
		for i, r := range regions {
			pos[r.Code] = i
			if r.ParentCode != "" {
				if p, ok := pos[r.ParentCode]; !ok || p > i {
					t.Fatalf("%s comes before its parent %s", r.Code, r.ParentCode)
				}
			}
		}
	})
}

// TestStore_RegionRaces runs conflicting changes at once: two
// re-parentings that together would close a cycle, and a deletion beside a
// learner choosing the region. Whatever wins, the tree has no cycle and no
// account names a deleted region.
func TestStore_RegionRaces(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		admin := userWithRoles(t, st, "root@example.org", "Root", app.RoleAdministrator)
		learner := userWithRoles(t, st, "l@example.org", "L", app.RoleLearner)
		both := func(f, g func() error) {
			done := make(chan error, 2)
			go func() { done <- f() }()
			go func() { done <- g() }()
			for range 2 {
				if err := <-done; err != nil && app.ErrorCode(err) == app.EINTERNAL && fieldErr(err, "parent") == "" && fieldErr(err, "region") == "" {
					t.Errorf("unexpected error: %v", err)
				}
			}
		}
		for i := range 8 {
			x, y := "x"+strconv.Itoa(i), "y"+strconv.Itoa(i)
			for _, c := range []string{x, y} {
				if err := st.CreateRegion(ctx, admin, app.Region{Code: c, Name: app.Text{"en": c}}); err != nil {
					t.Fatal(err)
				}
			}
			both(func() error { return st.UpdateRegion(ctx, admin, x, y, app.Text{"en": x}) },
				func() error { return st.UpdateRegion(ctx, admin, y, x, app.Text{"en": y}) })
			rx, _ := st.FindRegion(ctx, x)
			ry, _ := st.FindRegion(ctx, y)
			if rx.ParentCode == y && ry.ParentCode == x {
				t.Fatalf("round %d: %s and %s are each other's parent", i, x, y)
			}

			z := "z" + strconv.Itoa(i)
			if err := st.CreateRegion(ctx, admin, app.Region{Code: z, Name: app.Text{"en": z}}); err != nil {
				t.Fatal(err)
			}
			both(func() error { return st.DeleteRegion(ctx, admin, z) },
				func() error { return st.SetUserAffiliation(ctx, learner.ID, store.Affiliation{RegionCode: z}) })
			_, ferr := st.FindRegion(ctx, z)
			aff, _ := st.UserAffiliation(ctx, learner.ID)
			if app.ErrorCode(ferr) == app.ENOTFOUND && aff.RegionCode == z {
				t.Fatalf("round %d: the learner chose %s, which was deleted", i, z)
			}
			if err := st.SetUserAffiliation(ctx, learner.ID, store.Affiliation{}); err != nil {
				t.Fatal(err)
			}
		}
	})
}
