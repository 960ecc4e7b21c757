package testenv

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"beacon/app/cli"
	"beacon/app/store"
)

// demoVersion names the demo data's shape; bump it when the generator or
// the schema changes so cached files are rebuilt.
const demoVersion = "v5"

// DemoStore returns a store over a SQLite file holding the seed pack and n
// demo learners, built once and cached in the temp folder across runs
// (BEACON_BENCH_DIR overrides), for benchmarks at realistic sizes.
func DemoStore(tb testing.TB, n int) *store.Store {
	tb.Helper()
	ctx := context.Background()
	dir := os.Getenv("BEACON_BENCH_DIR")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "beacon-bench")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	path := filepath.Join(dir, "demo-"+demoVersion+"-"+strconv.Itoa(n)+".db")
	if _, err := os.Stat(path); err != nil {
		tmp := path + ".building"
		os.Remove(tmp)
		st, err := store.Open(ctx, tmp)
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := st.Migrate(ctx, Sub(tb, "migrations")); err != nil {
			tb.Fatal(err)
		}
		if _, err := cli.ImportFS(ctx, st, Sub(tb, "content"), Locales(tb)); err != nil {
			tb.Fatal(err)
		}
		if err := cli.GenerateDemo(ctx, st, n, 1, nil); err != nil {
			tb.Fatal(err)
		}
		st.Close()
		if err := os.Rename(tmp, path); err != nil {
			tb.Fatal(err)
		}
	}
	st, err := store.Open(ctx, path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	// A cached file may predate newer migrations.
	if _, err := st.Migrate(ctx, Sub(tb, "migrations")); err != nil {
		tb.Fatal(err)
	}
	return st
}
