// Package testenv gives tests real parts: the repository's folders, a
// migrated SQLite file in a temp folder, a migrated PostgreSQL schema when
// BEACON_TEST_POSTGRES is set, and the rule for tools that may be missing
// (skip loudly, or fail when BEACON_TEST_REQUIRE=all). Only tests import it.
package testenv

import (
	"context"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"beacon/app/store"
)

var (
	rootOnce sync.Once
	rootDir  string
)

// Root returns the repository's root folder (where go.mod is).
func Root(tb testing.TB) string {
	tb.Helper()
	rootOnce.Do(func() {
		dir, _ := os.Getwd()
		for dir != "/" {
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				rootDir = dir
				return
			}
			dir = filepath.Dir(dir)
		}
	})
	if rootDir == "" {
		tb.Fatal("testenv: go.mod not found above the working directory")
	}
	return rootDir
}

// FS returns the repository as a file system: templates/, static/,
// content/ and migrations/, as main embeds them.
func FS(tb testing.TB) fs.FS {
	tb.Helper()
	return os.DirFS(Root(tb))
}

// Sub returns one folder of the repository.
func Sub(tb testing.TB, name string) fs.FS {
	tb.Helper()
	sub, err := fs.Sub(FS(tb), name)
	if err != nil {
		tb.Fatal(err)
	}
	return sub
}

// Require marks a test that needs an outside tool: with
// BEACON_TEST_REQUIRE=all (CI) a missing tool fails the test; otherwise it
// is skipped with a loud message.
func Require(tb testing.TB, tool string, available bool, why string) {
	tb.Helper()
	if available {
		return
	}
	msg := fmt.Sprintf("MISSING TOOL %s: %s", tool, why)
	if req := os.Getenv("BEACON_TEST_REQUIRE"); req == "all" || strings.Contains(","+req+",", ","+tool+",") {
		tb.Fatal(msg + " (BEACON_TEST_REQUIRE makes this a failure)")
	}
	tb.Skip("SKIPPED — " + msg)
}

// MustOpenStore opens a fresh, migrated SQLite store in a temp folder,
// closed when the test ends.
func MustOpenStore(tb testing.TB) *store.Store {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "beacon.db")
	return mustMigrate(tb, path)
}

// MustOpenPostgres opens a fresh, migrated PostgreSQL schema of its own
// (dropped when the test ends), or skips/fails when BEACON_TEST_POSTGRES is unset.
func MustOpenPostgres(tb testing.TB) *store.Store {
	tb.Helper()
	return mustMigrate(tb, PostgresDSN(tb))
}

// PostgresDSN creates a fresh, empty (unmigrated) PostgreSQL schema of its
// own, dropped when the test ends, and returns a URL whose search_path
// selects it: for tests that start Beacon on an empty database. It skips
// or fails, as Require says, when BEACON_TEST_POSTGRES is unset.
func PostgresDSN(tb testing.TB) string {
	tb.Helper()
	dsn := os.Getenv("BEACON_TEST_POSTGRES")
	Require(tb, "postgres", dsn != "", "set BEACON_TEST_POSTGRES to a postgres:// URL to run the store tests on PostgreSQL")
	ctx := context.Background()
	admin, err := store.Open(ctx, dsn)
	if err != nil {
		tb.Fatalf("open postgres: %v", err)
	}
	schema := fmt.Sprintf("t_%d_%s", os.Getpid(), strings.ToLower(randomSuffix()))
	if err := admin.Exec(ctx, `CREATE SCHEMA `+schema); err != nil {
		admin.Close()
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() {
		_ = admin.Exec(context.Background(), `DROP SCHEMA `+schema+` CASCADE`)
		admin.Close()
	})
	u, err := url.Parse(dsn)
	if err != nil {
		tb.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Stores returns a fresh store per available database, by name: "sqlite"
// always, "postgres" when BEACON_TEST_POSTGRES is set (required in CI).
func Stores(tb testing.TB) map[string]func(testing.TB) *store.Store {
	tb.Helper()
	out := map[string]func(testing.TB) *store.Store{"sqlite": MustOpenStore}
	if os.Getenv("BEACON_TEST_POSTGRES") != "" || os.Getenv("BEACON_TEST_REQUIRE") == "all" {
		out["postgres"] = MustOpenPostgres
	} else {
		tb.Log("NOTE: BEACON_TEST_POSTGRES is not set; store tests run on SQLite only")
	}
	return out
}

func mustMigrate(tb testing.TB, dsn string) *store.Store {
	tb.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	tb.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(ctx, Sub(tb, "migrations")); err != nil {
		tb.Fatalf("migrate: %v", err)
	}
	return st
}

// Locales lists the locales of the project's catalogs (content/locales),
// sorted: the locales a seed pack may use.
func Locales(tb testing.TB) []string {
	tb.Helper()
	entries, err := fs.ReadDir(Sub(tb, "content/locales"), ".")
	if err != nil {
		tb.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), ".toml"); ok && !e.IsDir() {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}
