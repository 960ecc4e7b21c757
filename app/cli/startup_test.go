package cli_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"beacon/app/cli"
	"beacon/app/store"
	"beacon/app/testenv"
)

// freeAddr returns a loopback address with a port nobody listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestCLI_ServeTogetherOnEmptyPostgres starts two `beacon serve` at the
// same moment on one fresh, empty PostgreSQL schema, several rounds: both
// must come up, every migration is recorded once, and exactly one of them
// imports the seed pack.
func TestCLI_ServeTogetherOnEmptyPostgres(t *testing.T) {
	migrations, err := store.LoadMigrations(testenv.Sub(t, "migrations"), store.DialectPostgres)
	if err != nil {
		t.Fatal(err)
	}
	for round := 1; round <= 4; round++ {
		t.Run(fmt.Sprintf("round%d", round), func(t *testing.T) {
			dsn := testenv.PostgresDSN(t)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			type instance struct {
				addr string
				logs *testenv.LogBuffer
				done chan int
			}
			instances := make([]*instance, 2)
			start := make(chan struct{})
			for i := range instances {
				in := &instance{addr: freeAddr(t), logs: &testenv.LogBuffer{}, done: make(chan int, 1)}
				instances[i] = in
				env := map[string]string{"BEACON_DATABASE": dsn, "BEACON_ADDR": in.addr, "BEACON_LOG_FORMAT": "json",
					"BEACON_SECRET": strings.Repeat("s", 40), "BEACON_BASE_URL": "http://beacon.test"}
				go func() {
					<-start
					in.done <- cli.Run(ctx, cli.Env{Getenv: func(k string) string { return env[k] }, Stdin: strings.NewReader(""),
						Stdout: io.Discard, Stderr: in.logs, FS: testenv.FS(t)})
				}()
			}
			close(start)
			for i, in := range instances {
				if code, ok := waitReady(t, in.addr, in.done); !ok {
					t.Fatalf("instance %d exited %d before it was ready:\n%s", i, code, in.logs.String())
				}
			}
			cancel()
			seeded := 0
			for i, in := range instances {
				select {
				case code := <-in.done:
					if code != 0 {
						t.Fatalf("instance %d exited %d:\n%s", i, code, in.logs.String())
					}
				case <-time.After(35 * time.Second):
					t.Fatalf("instance %d did not stop", i)
				}
				seeded += strings.Count(in.logs.String(), "imported the seed content pack")
				if strings.Contains(in.logs.String(), "follow the listener's address") {
					t.Errorf("instance %d warns about links although BEACON_BASE_URL is set", i)
				}
			}
			if seeded != 1 {
				t.Errorf("%d instances imported the seed pack, want exactly 1", seeded)
			}

			st, err := store.Open(context.Background(), dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			applied, err := st.AppliedMigrations(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if len(applied) != len(migrations) {
				t.Errorf("schema_migrations holds %v, want each of the %d versions once", applied, len(migrations))
			}
			if n, err := st.CountCourses(context.Background()); err != nil || n != 4 {
				t.Errorf("%d courses (%v), want the 4 of the seed pack once", n, err)
			}
		})
	}
}

// waitReady polls addr's /readyz until it answers 200, or reports the exit
// code when the instance stops first.
func waitReady(t *testing.T, addr string, done chan int) (int, bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case code := <-done:
			return code, false
		default:
		}
		resp, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return 0, true
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s not ready after 60 s", addr)
	return 0, false
}

// TestCLI_BadProxyAndRateLimitSettings: bad values stop every command at
// start with a message naming the bad part.
func TestCLI_BadProxyAndRateLimitSettings(t *testing.T) {
	env := newEnv(t)
	env["BEACON_TRUSTED_PROXIES"] = "10.0.0.1,proxy.internal"
	env["BEACON_RATE_LIMITS"] = "login_account=10/m,quiz_adress=3000/m"
	code, _, errOut := run(t, context.Background(), env, "", "migrate")
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	for _, want := range []string{`BEACON_TRUSTED_PROXIES: "proxy.internal" is not an IP address or CIDR`,
		`BEACON_RATE_LIMITS: "quiz_adress=3000/m": unknown limit "quiz_adress"`} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
}
