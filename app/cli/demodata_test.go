package cli_test

import (
	"context"
	"strings"
	"testing"

	"beacon/app/store"
)

// TestCLI_DemoData runs demo-data on a fresh database and checks that the
// bulk path's rollups equal a recount over its raw events.
func TestCLI_DemoData(t *testing.T) {
	ctx := context.Background()
	env := newEnv(t)
	code, out, errOut := run(t, ctx, env, "", "demo-data", "--learners", "300", "--seed", "1")
	if code != 0 || !strings.Contains(out, "demo data: 300 learners") {
		t.Fatalf("demo-data: %d %q %q", code, out, errOut)
	}
	st, err := store.Open(ctx, env["BEACON_DATABASE"])
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	events, err := st.StatEvents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got, err := st.StatRollups(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := store.RecountStats(events)
	if len(want) == 0 || len(got) != len(want) {
		t.Fatalf("rollups %d, recount %d", len(got), len(want))
	}
	for k, v := range want {
		if got[k] != v {
			t.Fatalf("rollup %+v = %d, recount %d", k, got[k], v)
		}
	}
	sum, err := st.StatsSummary(ctx, 0, events[0].At.AddDate(0, -1, 0), events[0].At.AddDate(0, 1, 0))
	if err != nil || sum[store.StatVisited].Total() != 300 || sum[store.StatStarted].Total() == 0 ||
		sum[store.StatCompleted].Total() == 0 || sum[store.StatCertified].Total() == 0 || sum[store.StatAttempts].Total() == 0 {
		t.Fatalf("summary %+v %v", sum, err)
	}
}
