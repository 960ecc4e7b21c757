package store_test

import (
	"context"
	"io/fs"
	"path/filepath"
	"testing"
	"testing/fstest"
	"time"

	"beacon/app/store"
	"beacon/app/testenv"
)

// TestCertificate_StatusIndexMigration upgrades a database holding
// certificates to 0012: they get status indexes in order of issue, and a
// deleted account's certificate then stays as a revoked tombstone. SQLite
// and PostgreSQL.
func TestCertificate_StatusIndexMigration(t *testing.T) {
	dsns := map[string]func(testing.TB) string{"sqlite": func(tb testing.TB) string { return filepath.Join(tb.TempDir(), "old.db") }}
	if _, ok := testenv.Stores(t)["postgres"]; ok {
		dsns["postgres"] = testenv.PostgresDSN
	}
	for name, dsn := range dsns {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			st, err := store.Open(ctx, dsn(t))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			all := testenv.Sub(t, "migrations")
			before := fstest.MapFS{}
			entries, _ := fs.ReadDir(all, ".")
			for _, e := range entries {
				if e.Name() < "0012" {
					body, _ := fs.ReadFile(all, e.Name())
					before[e.Name()] = &fstest.MapFile{Data: body}
				}
			}
			if _, err := st.Migrate(ctx, before); err != nil {
				t.Fatal(err)
			}
			now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
			for _, q := range []string{
				`INSERT INTO users (id, email, display_name, password_hash, learner_id, created_at, updated_at) VALUES (7, 'a@example.org', 'Ada', 'x', 'L7', ?, ?)`,
				`INSERT INTO courses (id, slug, created_at, updated_at) VALUES (3, 'c', ?, ?)`,
				`INSERT INTO courses (id, slug, created_at, updated_at) VALUES (4, 'd', ?, ?)`,
			} {
				if err := st.Exec(ctx, q, now, now); err != nil {
					t.Fatal(err)
				}
			}
			// Issued out of id order: the later one has the smaller id.
			for _, c := range []struct {
				code   string
				course int64
				at     time.Time
			}{{"BBBBBBBBBBBB", 3, now.Add(time.Hour)}, {"AAAAAAAAAAAA", 4, now}} {
				if err := st.Exec(ctx, `INSERT INTO certificates (code, user_id, course_id, course_slug, course_title, source_locale, holder_name, issued_at)
VALUES (?, 7, ?, 'c', '{"en":"C"}', 'en', 'Ada', ?)`, c.code, c.course, c.at); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := st.Migrate(ctx, all); err != nil {
				t.Fatal(err)
			}
			for code, want := range map[string]int64{"AAAAAAAAAAAA": 0, "BBBBBBBBBBBB": 1} {
				c, err := st.FindCertificateByCode(ctx, code)
				if err != nil || c.StatusIndex != want || c.Revoked() || c.UserID != 7 {
					t.Fatalf("%s: %+v, %v", code, c, err)
				}
			}
			if err := st.DeleteUser(ctx, 7); err != nil {
				t.Fatal(err)
			}
			revoked, err := st.RevokedStatusIndexes(ctx)
			if err != nil || len(revoked) != 2 || revoked[0] != 0 || revoked[1] != 1 {
				t.Fatalf("revoked %v, %v", revoked, err)
			}
			if c, _ := st.FindCertificateByCode(ctx, "AAAAAAAAAAAA"); c.HolderName != "" || c.UserID != 0 || !c.Revoked() {
				t.Fatalf("tombstone %+v", c)
			}
		})
	}
}
