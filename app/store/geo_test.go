package store_test

import (
	"context"
	"testing"

	"beacon/app"
	"beacon/app/store"
	"beacon/app/testenv"
)

// TestFillAlertOrigins: published alerts without a recorded sender get
// the one given (and its base URL where they have none); alerts with one,
// and drafts, are left alone; a second pass changes nothing; a sender CAP
// cannot carry is refused. On SQLite and PostgreSQL.
func TestFillAlertOrigins(t *testing.T) {
	for name, open := range testenv.Stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			st := open(t)
			for _, id := range []string{"old-one", "kept-one", "draft-one"} {
				if err := st.CreateAlert(ctx, nil, newAlert(id)); err != nil {
					t.Fatal(err)
				}
			}
			if err := st.PublishAlert(ctx, nil, "old-one", false, alertBase); err != nil {
				t.Fatal(err)
			}
			if err := st.PublishAlertFrom(ctx, nil, "kept-one", false, alertBase, store.AlertOrigin{Sender: "first@a.example", WebBase: "https://a.example"}); err != nil {
				t.Fatal(err)
			}
			if err := st.PublishAlertFrom(ctx, nil, "draft-one", false, alertBase, store.AlertOrigin{Sender: "bad sender"}); app.ErrorCode(err) != app.EINVALID {
				t.Fatalf("publishing with a bad sender: %v", err)
			}
			if _, err := st.FillAlertOrigins(ctx, store.AlertOrigin{Sender: "a,b"}); app.ErrorCode(err) != app.EINVALID {
				t.Fatalf("filling with a bad sender: %v", err)
			}
			n, err := st.FillAlertOrigins(ctx, store.AlertOrigin{Sender: "now@b.example", WebBase: "https://b.example"})
			if err != nil || n != 1 {
				t.Fatalf("filled %d, %v; want 1", n, err)
			}
			for id, want := range map[string][2]string{"old-one": {"now@b.example", "https://b.example"}, "kept-one": {"first@a.example", "https://a.example"}, "draft-one": {"", ""}} {
				a, err := st.FindAlert(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				if a.Sender != want[0] || a.WebBase != want[1] {
					t.Errorf("%s: sender %q, web base %q; want %q", id, a.Sender, a.WebBase, want)
				}
			}
			if n, err := st.FillAlertOrigins(ctx, store.AlertOrigin{Sender: "later@c.example"}); err != nil || n != 0 {
				t.Fatalf("second pass filled %d, %v", n, err)
			}
		})
	}
}
