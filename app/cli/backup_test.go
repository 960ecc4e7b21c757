package cli_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"beacon/app/cli"
	"beacon/app/store"
	"beacon/app/testenv"

	"github.com/PuerkitoBio/goquery"
)

// TestBackupWhileServing starts the real server, keeps registrations and
// quiz submissions going from several clients, takes a backup in the
// middle of them, restores it into a fresh database and checks the copy:
// integrity, every table, and counts consistent with each other and with
// the load (between what was done before the backup began and after it
// ended). On PostgreSQL too, through pg_dump and pg_restore.
func TestBackupWhileServing(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		dir := t.TempDir()
		restored := filepath.Join(t.TempDir(), "restored", "beacon.db")
		backupWhileServing(t, filepath.Join(dir, "beacon.db"), filepath.Join(dir, "backup.db"), restored, func() {})
	})
	t.Run("postgres", func(t *testing.T) {
		_, err := exec.LookPath("pg_dump")
		testenv.Require(t, "pg_dump", err == nil, "install the PostgreSQL client (postgresql-client) to test backups on PostgreSQL")
		dsn := testenv.PostgresDSN(t)
		u, _ := url.Parse(dsn)
		schema := u.Query().Get("search_path")
		backupWhileServing(t, dsn, filepath.Join(t.TempDir(), "backup.pgdump"), dsn, func() {
			// A fresh database: the schema is gone, pg_restore brings it back.
			st, err := store.Open(context.Background(), dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			if err := st.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
				t.Fatal(err)
			}
		})
	})
}

func backupWhileServing(t *testing.T, database, file, target string, wipe func()) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addr := freeAddr(t)
	logs := &testenv.LogBuffer{}
	env := map[string]string{"BEACON_DATABASE": database, "BEACON_ADDR": addr, "BEACON_SECRET": strings.Repeat("s", 40),
		"BEACON_RATE_LIMITS": "login_account=0,login_address=0,register_address=0,quiz_learner=0,quiz_address=0"}
	done := make(chan int, 1)
	go func() {
		done <- cli.Run(ctx, cli.Env{Getenv: func(k string) string { return env[k] }, Stdin: strings.NewReader(""),
			Stdout: io.Discard, Stderr: logs, FS: testenv.FS(t)})
	}()
	if code, ok := waitReady(t, addr, done); !ok {
		t.Fatalf("serve exited %d:\n%s", code, logs.String())
	}
	base := "http://" + addr

	// The load: each worker registers an account and takes the quiz, again and again.
	var registered, submitted atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var failures sync.Map
	const workers = 4
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				c := newBrowser()
				email := fmt.Sprintf("load-%d-%d@example.org", w, i)
				if err := c.submit(base, "/en/register", url.Values{"email": {email}, "display_name": {"Load"}, "password": {"a long test password 42"}}); err != nil {
					failures.Store(err.Error(), true)
					continue
				}
				registered.Add(1)
				if err := c.submit(base, "/en/courses/cyber-hygiene/quiz", nil); err != nil {
					failures.Store(err.Error(), true)
					continue
				}
				submitted.Add(1)
			}
		}()
	}
	for registered.Load() < 10 || submitted.Load() < 10 {
		if code, exited := exitedEarly(done); exited {
			t.Fatalf("serve exited %d under load:\n%s", code, logs.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	regBefore, subBefore := registered.Load(), submitted.Load()
	var out, errb bytes.Buffer
	benv := map[string]string{"BEACON_DATABASE": database}
	if code := cli.Run(context.Background(), cli.Env{Args: []string{"backup", file}, Getenv: func(k string) string { return benv[k] },
		Stdout: &out, Stderr: &errb, FS: testenv.FS(t)}); code != 0 {
		t.Fatalf("backup exited %d: %s%s", code, out.String(), errb.String())
	}
	regAfter, subAfter := registered.Load(), submitted.Load()
	if fi, err := os.Stat(file); err != nil || fi.Mode().Perm()&0o077 != 0 {
		t.Errorf("the copy holds password hashes: want it readable by its owner only, got %v (%v)", fi.Mode().Perm(), err)
	}
	close(stop)
	wg.Wait()
	cancel()
	<-done
	failures.Range(func(k, _ any) bool { t.Errorf("load: %v", k); return true })
	if !strings.Contains(out.String(), "wrote "+file) || !strings.Contains(out.String(), "secret") {
		t.Errorf("backup says: %q", out.String())
	}
	t.Logf("backup: %s; %d registrations and %d quiz submissions before, %d and %d by its end, %d and %d in all",
		strings.TrimSpace(strings.Split(out.String(), "\n")[0]), regBefore, subBefore, regAfter, subAfter, registered.Load(), submitted.Load())

	wipe()
	renv := map[string]string{"BEACON_DATABASE": target}
	restore := func(args ...string) (int, string) {
		var o bytes.Buffer
		code := cli.Run(context.Background(), cli.Env{Args: append([]string{"restore"}, args...), Getenv: func(k string) string { return renv[k] },
			Stdout: &o, Stderr: &o, FS: testenv.FS(t)})
		return code, o.String()
	}
	if code, msg := restore(file); code != 0 {
		t.Fatalf("restore exited %d: %s", code, msg)
	}
	if code, msg := restore(file); code == 0 || !strings.Contains(msg, "holds data") || !strings.Contains(msg, "--force") {
		t.Errorf("restore over a database with data: exit %d, %q; want a refusal naming --force", code, msg)
	}
	if code, msg := restore(file, "--force"); code != 0 {
		t.Fatalf("restore --force exited %d: %s", code, msg)
	}

	st, err := store.Open(context.Background(), target)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if v, err := st.IntegrityCheck(context.Background()); err != nil || v != "ok" {
		t.Fatalf("integrity of the restored copy: %q %v", v, err)
	}
	rows, err := st.Rows(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// Answered before the backup began: in the copy. Answered after it
	// ended, or in flight then (one per worker, committed before its
	// answer arrived): maybe.
	accounts, attempts := rows["users"], rows["quiz_attempts"]
	if accounts < regBefore || accounts > regAfter+workers {
		t.Errorf("%d accounts in the copy, want between %d (before the backup) and %d (after, with those in flight)", accounts, regBefore, regAfter+workers)
	}
	if attempts < subBefore || attempts > subAfter+workers {
		t.Errorf("%d quiz attempts in the copy, want between %d and %d", attempts, subBefore, subAfter+workers)
	}
	if rows["stat_attempts"] != attempts {
		t.Errorf("the copy holds %d attempts but %d attempt statistics: not one snapshot", attempts, rows["stat_attempts"])
	}
	if rows["courses"] != 4 {
		t.Errorf("%d courses in the copy, want the 4 of the seed pack", rows["courses"])
	}
}

// browser is an HTTP client with cookies that does not follow redirects.
type browser struct{ *http.Client }

func newBrowser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{&http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// submit loads page, fills its form as a browser would (hidden fields, the
// first choice of each question) with fields on top, and posts it; the
// answer must be a redirect.
func (b *browser) submit(base, page string, fields url.Values) error {
	resp, err := b.Get(base + page)
	if err != nil {
		return err
	}
	doc, err := goquery.NewDocumentFromReader(resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	form := url.Values{}
	doc.Find(`form[action="` + page + `"] input`).Each(func(_ int, s *goquery.Selection) {
		name := s.AttrOr("name", "")
		switch s.AttrOr("type", "text") {
		case "radio", "checkbox":
			if !form.Has(name) {
				form.Set(name, s.AttrOr("value", "on"))
			}
		case "submit":
		default:
			form.Set(name, s.AttrOr("value", ""))
		}
	})
	for k, v := range fields {
		form[k] = v
	}
	resp, err = b.PostForm(base+page, form)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return fmt.Errorf("POST %s: %d", page, resp.StatusCode)
	}
	return nil
}

// exitedEarly reports whether serve has already exited.
func exitedEarly(done chan int) (int, bool) {
	select {
	case code := <-done:
		return code, true
	default:
		return 0, false
	}
}

// TestRestoreRefuses: restore checks the file before touching anything:
// not SQLite, SQLite but not Beacon, and Beacon from a newer binary are
// each refused with a message that says which.
func TestRestoreRefuses(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "target.db")
	run := func(database string, args ...string) (int, string) {
		var o bytes.Buffer
		env := map[string]string{"BEACON_DATABASE": database}
		code := cli.Run(context.Background(), cli.Env{Args: args, Getenv: func(k string) string { return env[k] },
			Stdout: &o, Stderr: &o, FS: testenv.FS(t)})
		return code, o.String()
	}
	text := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(text, []byte("not a database"), 0o600); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, "other.db")
	st, err := store.Open(context.Background(), other)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Exec(context.Background(), "CREATE TABLE notes (body TEXT)"); err != nil {
		t.Fatal(err)
	}
	st.Close()
	newer := filepath.Join(dir, "newer.db")
	if code, msg := run(newer, "migrate"); code != 0 {
		t.Fatal(msg)
	}
	st, err = store.Open(context.Background(), newer)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Exec(context.Background(), "INSERT INTO schema_migrations (version, name, applied_at) VALUES ('9999', 'from_the_future', CURRENT_TIMESTAMP)"); err != nil {
		t.Fatal(err)
	}
	st.Close()
	for _, tc := range []struct{ file, want string }{
		{text, "not a SQLite database"},
		{other, "not a Beacon database"},
		{newer, "newer Beacon (migrations 9999"},
		{filepath.Join(dir, "missing.db"), "no such file"},
	} {
		code, msg := run(target, "restore", tc.file, "--force")
		if code == 0 || !strings.Contains(msg, tc.want) {
			t.Errorf("restore %s: exit %d, %q; want %q", filepath.Base(tc.file), code, msg, tc.want)
		}
	}
	if _, err := os.Stat(target); !os.IsNotExist(err) {
		t.Errorf("a refused restore created the target: %v", err)
	}
	if code, msg := run(target, "restore"); code == 0 || !strings.Contains(msg, "usage: beacon restore FILE [--force]") {
		t.Errorf("restore without a file: %d %q", code, msg)
	}
}
