package cli_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"beacon/app/cli"
	"beacon/app/store"
	"beacon/app/testenv"
)

// run executes the CLI with env vars and stdin, returning exit code and output.
func run(t *testing.T, ctx context.Context, env map[string]string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := cli.Run(ctx, cli.Env{Args: args, Getenv: func(k string) string { return env[k] }, Stdin: strings.NewReader(stdin),
		Stdout: &out, Stderr: &errOut, FS: testenv.FS(t)})
	return code, out.String(), errOut.String()
}

func newEnv(t *testing.T) map[string]string {
	dir := t.TempDir()
	return map[string]string{"BEACON_DATABASE": filepath.Join(dir, "beacon.db"), "BEACON_ADDR": "127.0.0.1:0"}
}

func TestCLI_MigrateImportUser(t *testing.T) {
	ctx := context.Background()
	env := newEnv(t)
	migrations, err := store.LoadMigrations(testenv.Sub(t, "migrations"), store.DialectSQLite)
	if err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := run(t, ctx, env, "", "migrate"); code != 0 || !strings.Contains(out, fmt.Sprintf("applied %d migration", len(migrations))) {
		t.Fatalf("migrate: %d %q %q", code, out, errOut)
	}
	if code, out, _ := run(t, ctx, env, "", "migrate"); code != 0 || !strings.Contains(out, "applied 0 migration") {
		t.Fatalf("second migrate: %d %q", code, out)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(env["BEACON_DATABASE"]), "secret")); err != nil {
		t.Fatal("no secret generated in the data folder")
	}
	seed := filepath.Join(testenv.Root(t), "content")
	if code, out, errOut := run(t, ctx, env, "", "import", seed); code != 0 || !strings.Contains(out, "courses 4 new") {
		t.Fatalf("import: %d %q %q", code, out, errOut)
	}
	if code, out, _ := run(t, ctx, env, "", "import", seed); code != 0 || !strings.Contains(out, "0 new, 0 updated, 4 unchanged") {
		t.Fatalf("second import changed things: %q", out)
	}

	t.Run("ErrBadPackChangesNothing", func(t *testing.T) {
		bad := t.TempDir()
		course := filepath.Join(bad, "courses", "broken")
		os.MkdirAll(course, 0o755)
		os.WriteFile(filepath.Join(course, "course.yaml"), []byte("slug: broken\nsource_locale: en\ntitle: {en: Broken}\nsummary: {en: x}\nlessons:\n  - slug: Bad Slug\n    file: 01\n"), 0o644)
		os.MkdirAll(filepath.Join(bad, "campaigns"), 0o755)
		os.WriteFile(filepath.Join(bad, "campaigns", "c.yaml"), []byte("slug: c\nstarts: 2027-01-02T00:00:00Z\nends: 2027-01-01T00:00:00Z\ncourses: [nope]\ntitle: {en: C}\ndescription: {en: C}\n"), 0o644)
		code, _, errOut := run(t, ctx, env, "", "import", bad)
		if code != 1 {
			t.Fatalf("exit %d", code)
		}
		for _, want := range []string{"courses/broken/course.yaml:6", "campaigns/c.yaml:", "starts must come before ends", `course "nope" does not exist`} {
			if !strings.Contains(errOut, want) {
				t.Errorf("stderr lacks %q:\n%s", want, errOut)
			}
		}
		st, err := store.Open(ctx, env["BEACON_DATABASE"])
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		if n, _ := st.CountCourses(ctx); n != 4 {
			t.Fatalf("%d courses after a refused import", n)
		}
	})

	t.Run("UserCreate", func(t *testing.T) {
		code, out, errOut := run(t, ctx, env, "a long admin password\n", "user", "create", "--email", "admin@example.org", "--role", "administrator", "--password-stdin")
		if code != 0 || !strings.Contains(out, "created user admin@example.org") {
			t.Fatalf("user create: %d %q %q", code, out, errOut)
		}
		if code, _, errOut := run(t, ctx, env, "a long admin password\n", "user", "create", "--email", "admin@example.org", "--role", "administrator", "--password-stdin"); code != 1 || !strings.Contains(errOut, "already exists") {
			t.Fatalf("duplicate: %d %q", code, errOut)
		}
		if code, _, errOut := run(t, ctx, env, "a long admin password\n", "user", "create", "--email", "x@example.org", "--role", "king", "--password-stdin"); code != 1 || !strings.Contains(errOut, "unknown role") {
			t.Fatalf("bad role: %d %q", code, errOut)
		}
		if code, _, errOut := run(t, ctx, env, "short\n", "user", "create", "--email", "y@example.org", "--role", "educator", "--password-stdin"); code != 1 || !strings.Contains(errOut, "at least 10") {
			t.Fatalf("short password: %d %q", code, errOut)
		}
		st, _ := store.Open(ctx, env["BEACON_DATABASE"])
		defer st.Close()
		u, err := st.FindUserByEmail(ctx, "admin@example.org")
		if err != nil || !u.HasRole("administrator") {
			t.Fatalf("admin in database: %+v %v", u, err)
		}
	})
	if code, _, errOut := run(t, ctx, env, "", "frobnicate"); code != 2 || !strings.Contains(errOut, "unknown command") {
		t.Fatalf("unknown command: %d %q", code, errOut)
	}
}

// TestCLI_ServeSeedsAndShutsDownGracefully starts the real server on a
// fresh database, checks it imported the seed pack, and stops it.
func TestCLI_ServeSeedsAndShutsDownGracefully(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	env := newEnv(t)
	env["BEACON_ADDR"] = addr
	env["BEACON_LOG_FORMAT"] = "json"
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	var logs bytes.Buffer // read only after Run returns
	go func() {
		done <- cli.Run(ctx, cli.Env{Args: nil, Getenv: func(k string) string { return env[k] }, Stdin: strings.NewReader(""),
			Stdout: io.Discard, Stderr: &logs, FS: testenv.FS(t)})
	}()
	base := "http://" + addr
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get(base + "/readyz")
		if err == nil && resp.StatusCode == 200 {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("server not ready: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	resp, err := http.Get(base + "/en/courses")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "/en/courses/cyber-hygiene") {
		t.Fatalf("catalog: %d", resp.StatusCode)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("serve exited %d", code)
		}
	case <-time.After(35 * time.Second):
		t.Fatal("serve did not stop")
	}
	if !strings.Contains(logs.String(), `"msg":"stopped"`) {
		t.Fatalf("no json shutdown log:\n%s", logs.String())
	}
	// Neither BEACON_BASE_URL nor BEACON_TRUSTED_PROXIES: the log says where links point.
	if !strings.Contains(logs.String(), `"level":"WARN","msg":"links in feeds`) || !strings.Contains(logs.String(), `"links":"http://`+addr+`"`) ||
		!strings.Contains(logs.String(), "set BEACON_BASE_URL") {
		t.Fatalf("no warning that links follow the listener:\n%s", logs.String())
	}
}
