//go:build linux

package web_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"

	"beacon/app/store"
	"beacon/app/testenv"
	"beacon/app/web"
)

// envQuizServer makes the test binary a quiz server on the SQLite file it
// names (see TestQuizServerProcess).
const envQuizServer = "BEACON_TEST_QUIZ_SERVER_DB"

const listeningPrefix = "quiz server listening on "

// TestQuizServerProcess is no test: TestQuizSubmit_SurvivesKill runs the
// test binary again with envQuizServer set, and then this serves the real
// server (migrated, seeded, rate limits out of the way) on a loopback port
// until it is killed.
func TestQuizServerProcess(t *testing.T) {
	path := os.Getenv(envQuizServer)
	if path == "" {
		t.Skip("the server process of TestQuizSubmit_SurvivesKill")
	}
	ctx := context.Background()
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Migrate(ctx, testenv.Sub(t, "migrations")); err != nil {
		t.Fatal(err)
	}
	srv := mustOpenServerOn(t, st, func(o *web.Options) { o.Limits.QuizAddress.Max, o.Limits.QuizLearner.Max = 1<<30, 1<<30 })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("%shttp://%s\n", listeningPrefix, ln.Addr())
	t.Fatal(srv.App().Listener(ln)) // returns only when the listener fails
}

// startQuizServer starts the quiz server process on the SQLite file path
// and returns it with its base URL.
func startQuizServer(t *testing.T, path string) (*exec.Cmd, string, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestQuizServerProcess$", "-test.timeout=5m")
	cmd.Env = append(os.Environ(), envQuizServer+"="+path)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} // never outlive the test
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	lines := bufio.NewScanner(out)
	for lines.Scan() {
		if base, ok := strings.CutPrefix(lines.Text(), listeningPrefix); ok {
			go func() { // keep the pipe drained
				for lines.Scan() {
				}
			}()
			return cmd, base, &stderr
		}
	}
	t.Fatalf("the server process ended before listening: %s", stderr.String())
	return nil, "", nil
}

// ackedAttempt is a submission the server acknowledged with its 303.
type ackedAttempt struct {
	id      int64
	learner string
}

// TestQuizSubmit_SurvivesKill runs the server as a process of its own,
// drives concurrent quiz submissions at it over HTTP, kills it with
// SIGKILL in mid-stream (twice, restarting it on the same file in
// between), then opens the SQLite file: every attempt whose 303 a client
// received is there, for the learner it was acknowledged to.
func TestQuizSubmit_SurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("starts server processes")
	}
	path := filepath.Join(t.TempDir(), "beacon.db")
	const (
		workers     = 32
		killAfter   = 400 // acknowledgements before the kill, per round
		formsPerRun = 3   // quiz forms each guest submits, one after the other
	)
	var acked []ackedAttempt
	for round := range 2 {
		cmd, base, stderr := startQuizServer(t, path)
		hc := newLoadClient(workers)
		var (
			mu      sync.Mutex
			got     []ackedAttempt
			count   atomic.Int64
			killed  atomic.Bool
			kill    sync.Once
			wg      sync.WaitGroup
			failure atomic.Pointer[string]
		)
		fail := func(msg string) { failure.CompareAndSwap(nil, &msg) }
		for range workers {
			wg.Go(func() {
				for { // until the killed server stops answering
					cookie := ""
					for range formsPerRun {
						f, err := fetchQuizForm(hc, base, "cyber-hygiene", nil, cookie)
						if err != nil {
							if !killed.Load() {
								fail(fmt.Sprintf("GET quiz before the kill: %v", err))
							}
							return
						}
						cookie = f.Cookie
						status, loc, err := postQuizForm(hc, base, "cyber-hygiene", f)
						if err != nil { // the server died with the request in flight: not acknowledged
							if !killed.Load() {
								fail(fmt.Sprintf("POST quiz before the kill: %v", err))
							}
							return
						}
						if status != 303 {
							fail(fmt.Sprintf("POST quiz: status %d", status))
							return
						}
						id, err := strconv.ParseInt(loc[strings.LastIndexByte(loc, '/')+1:], 10, 64)
						if err != nil || !strings.Contains(loc, "/quiz/results/") {
							fail("303 to " + loc)
							return
						}
						mu.Lock()
						got = append(got, ackedAttempt{id: id, learner: f.Learner})
						mu.Unlock()
						if count.Add(1) == killAfter {
							kill.Do(func() {
								killed.Store(true)
								_ = cmd.Process.Signal(syscall.SIGKILL)
							})
						}
					}
				}
			})
		}
		wg.Wait()
		hc.CloseIdleConnections()
		_ = cmd.Wait()
		if msg := failure.Load(); msg != nil {
			t.Fatalf("round %d: %s\nserver stderr: %.2000s", round, *msg, stderr.String())
		}
		if !killed.Load() {
			t.Fatalf("round %d: the server was not killed", round)
		}
		t.Logf("round %d: %d submissions acknowledged before and while the server was killed", round, len(got))
		acked = append(acked, got...)
	}

	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	missing := 0
	for _, a := range acked {
		stored, err := st.FindAttempt(context.Background(), a.id)
		if err != nil || stored.LearnerID != a.learner {
			if missing++; missing <= 10 {
				t.Errorf("acknowledged attempt %d of learner %s: %v %+v", a.id, a.learner, err, stored)
			}
		}
	}
	if missing > 0 {
		t.Fatalf("%d of %d acknowledged attempts are lost after kill -9", missing, len(acked))
	}
}
