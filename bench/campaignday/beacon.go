package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// beaconSetup is what every Beacon process of one run shares: the binary,
// the database, the secret and the operator settings.
type beaconSetup struct {
	bin      string
	database string
	env      map[string]string // BEACON_* besides ADDR and DATABASE
}

// instance is one running Beacon server.
type instance struct {
	name string
	addr string // 127.0.0.1:port
	dir  string // its working folder (data/ goes there)
	proc *child
}

// buildBeacon compiles the server from repo into out with go build.
func buildBeacon(ctx context.Context, repo, out string) error {
	start := time.Now()
	if _, err := runCommand(ctx, repo, os.Environ(), "", nil, "go", "build", "-o", out, "."); err != nil {
		return fmt.Errorf("go build: %w", err)
	}
	fmt.Printf("built %s in %.1f s\n", out, time.Since(start).Seconds())
	return nil
}

// newSecret returns a random BEACON_SECRET shared by the run's instances.
func newSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// environ is the process environment without any BEACON_* of the caller,
// plus the setup's variables and extra ones.
func (b *beaconSetup) environ(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "BEACON_") {
			env = append(env, kv)
		}
	}
	env = append(env, "BEACON_DATABASE="+b.database)
	for k, v := range b.env {
		env = append(env, k+"="+v)
	}
	return append(env, extra...)
}

// start runs one server listening on addr, working in dir.
func (b *beaconSetup) start(name, addr, dir string) (*instance, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	p, err := startChild(name, filepath.Join(dir, "beacon.log"), dir, b.environ("BEACON_ADDR="+addr), nil, b.bin, "serve")
	if err != nil {
		return nil, err
	}
	return &instance{name: name, addr: addr, dir: dir, proc: p}, nil
}

// stop asks the instance to finish its requests and stop (SIGTERM), and
// kills it after 15 s.
func (in *instance) stop() { in.proc.stop(syscall.SIGTERM, 15*time.Second) }

// waitReady waits until /readyz answers 200.
func (in *instance) waitReady(ctx context.Context, timeout time.Duration) error {
	if err := waitHTTP(ctx, "http://"+in.addr+"/readyz", in.proc, timeout, 200); err != nil {
		return fmt.Errorf("%s: %w\n%s", in.name, err, in.proc.logTail(8))
	}
	return nil
}

// command runs a one-off beacon command (user create, import) on the
// run's database.
func (b *beaconSetup) command(ctx context.Context, dir, stdin string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	return runCommand(ctx, dir, b.environ(), stdin, nil, append([]string{b.bin}, args...)...)
}

// createUser makes an account with `beacon user create`.
func (b *beaconSetup) createUser(ctx context.Context, dir, email, role, password string) error {
	_, err := b.command(ctx, dir, password+"\n", "user", "create", "--email", email, "--role", role, "--password-stdin")
	return err
}
