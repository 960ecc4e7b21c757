package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"beacon/app/store"
	"beacon/app/testenv"
)

// TestStore_WithStartupLock checks that a nested call does not wait for
// itself, that fn's error comes back, and (on PostgreSQL) that the lock is
// free again for another instance afterwards, even after an error.
func TestStore_WithStartupLock(t *testing.T) {
	for name, open := range testenv.Stores(t) {
		t.Run(name, func(t *testing.T) {
			st := open(t)
			ctx := context.Background()
			ran := false
			err := st.WithStartupLock(ctx, func(ctx context.Context) error {
				return st.WithStartupLock(ctx, func(context.Context) error { ran = true; return nil })
			})
			if err != nil || !ran {
				t.Fatalf("nested call: ran %v, err %v", ran, err)
			}
			boom := errors.New("boom")
			if err := st.WithStartupLock(ctx, func(context.Context) error { return boom }); !errors.Is(err, boom) {
				t.Fatalf("error = %v, want fn's", err)
			}
		})
	}
	t.Run("postgres/OtherInstanceAfterwards", func(t *testing.T) {
		dsn := testenv.PostgresDSN(t)
		ctx := context.Background()
		a, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer a.Close()
		b, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		_ = a.WithStartupLock(ctx, func(context.Context) error { return errors.New("failed start") })
		// A lock left held would make b wait until the deadline.
		wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		ran := false
		if err := b.WithStartupLock(wctx, func(context.Context) error { ran = true; return nil }); err != nil || !ran {
			t.Fatalf("second instance: ran %v, err %v", ran, err)
		}
	})
}
