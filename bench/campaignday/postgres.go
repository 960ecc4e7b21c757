package main

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// database is the PostgreSQL database one run uses, and how to query it.
type database struct {
	URL    string // what the Beacon instances get as BEACON_DATABASE
	psql   string // the psql binary
	server *child // the throwaway cluster, when this run started one
}

// query runs one SQL statement with psql and returns its unaligned output.
func (db *database) query(ctx context.Context, sql string) (string, error) {
	out, err := runCommand(ctx, "", os.Environ(), "", nil, db.psql, "-X", "-q", "-tA", "-v", "ON_ERROR_STOP=1", "-c", sql, db.URL)
	return strings.TrimSpace(out), err
}

// pgBin finds the newest PostgreSQL server binaries (Debian puts them
// under /usr/lib/postgresql/<version>/bin).
func pgBin() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return pgVersion(dirs[i]) < pgVersion(dirs[j]) })
	for i := len(dirs) - 1; i >= 0; i-- {
		if _, err := os.Stat(filepath.Join(dirs[i], "initdb")); err == nil {
			return dirs[i], nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	return "", fmt.Errorf("no PostgreSQL server binaries (initdb) found: apt-get install postgresql")
}

func pgVersion(binDir string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return v
}

// throwawayPostgres creates a PostgreSQL cluster under tmp with initdb,
// starts it on a free 127.0.0.1 port (trust authentication, reachable
// only from this machine) and creates the database "beacon". As root,
// the server runs as the "postgres" account, since PostgreSQL refuses
// root. The cluster is stopped and deleted with tmp.
func throwawayPostgres(ctx context.Context, tmp string, cu *cleanup) (*database, error) {
	bin, err := pgBin()
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(tmp, "pg")
	if err := os.Mkdir(dir, 0o700); err != nil {
		return nil, err
	}
	var cred *syscall.Credential
	if os.Geteuid() == 0 {
		pu, err := user.Lookup("postgres")
		if err != nil {
			return nil, fmt.Errorf("running as root needs the postgres account to run PostgreSQL: %w", err)
		}
		uid, _ := strconv.Atoi(pu.Uid)
		gid, _ := strconv.Atoi(pu.Gid)
		cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.Chown(dir, uid, gid); err != nil {
			return nil, err
		}
	}
	env := append(os.Environ(), "LANG=C.UTF-8", "LC_ALL=C.UTF-8")
	if _, err := runCommand(ctx, dir, env, "", cred, filepath.Join(bin, "initdb"), "-D", dir, "-U", "postgres",
		"-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"); err != nil {
		return nil, fmt.Errorf("initdb: %w", err)
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	srv, err := startChild("postgres", filepath.Join(tmp, "postgres.log"), dir, env, cred,
		filepath.Join(bin, "postgres"), "-D", dir, "-h", "127.0.0.1", "-p", strconv.Itoa(port), "-k", dir,
		"-c", "max_connections=200", "-c", "shared_buffers=256MB")
	if err != nil {
		return nil, err
	}
	// SIGINT is PostgreSQL's fast shutdown: clients are disconnected and
	// the cluster stops cleanly.
	cu.add(func() { srv.stop(syscall.SIGINT, 20*time.Second) })
	psql := "psql"
	if _, err := os.Stat(filepath.Join(bin, "psql")); err == nil {
		psql = filepath.Join(bin, "psql")
	}
	admin := &database{URL: fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port), psql: psql}
	deadline := time.Now().Add(30 * time.Second)
	for {
		if _, err = admin.query(ctx, "SELECT 1"); err == nil {
			break
		}
		if srv.exited() || time.Now().After(deadline) {
			return nil, fmt.Errorf("PostgreSQL did not start: %v\n%s", err, srv.logTail(10))
		}
		time.Sleep(200 * time.Millisecond)
	}
	if _, err := admin.query(ctx, "CREATE DATABASE beacon ENCODING 'UTF8' TEMPLATE template0"); err != nil {
		return nil, err
	}
	return &database{URL: fmt.Sprintf("postgres://postgres@127.0.0.1:%d/beacon?sslmode=disable", port), psql: psql, server: srv}, nil
}

// existingPostgres creates a database named for this run on the server
// that adminURL reaches (its role needs CREATEDB) and drops it at the end.
func existingPostgres(ctx context.Context, adminURL string, cu *cleanup) (*database, error) {
	u, err := url.Parse(adminURL)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return nil, fmt.Errorf("-postgres %q: want a postgres:// URL", adminURL)
	}
	psql := "psql"
	if bin, err := pgBin(); err == nil {
		if _, err := os.Stat(filepath.Join(bin, "psql")); err == nil {
			psql = filepath.Join(bin, "psql")
		}
	}
	admin := &database{URL: adminURL, psql: psql}
	name := fmt.Sprintf("beacon_bench_%d", os.Getpid())
	if _, err := admin.query(ctx, "CREATE DATABASE "+name+" ENCODING 'UTF8' TEMPLATE template0"); err != nil {
		return nil, fmt.Errorf("create database %s: %w", name, err)
	}
	cu.add(func() {
		dctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := admin.query(dctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			fmt.Fprintf(os.Stderr, "drop database %s: %v\n", name, err)
		}
	})
	u.Path = "/" + name
	return &database{URL: u.String(), psql: psql}, nil
}

// freePort asks the kernel for a free TCP port on 127.0.0.1.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}
