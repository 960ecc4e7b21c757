package backup

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"beacon/app/store"
)

// Result says what a backup or restore did, for the operator.
type Result struct {
	Path string // the file written or read
	Size int64  // bytes written (backup)
	// Tool is how: "VACUUM INTO" or the pg_dump/pg_restore version line.
	Tool string
	// Rows counts the main tables of the database copied or restored.
	Rows map[string]int64
}

// Backup writes a consistent copy of st (opened on dsn) to path while the
// server keeps running. SQLite: VACUUM INTO a temporary file beside path,
// synced and renamed. PostgreSQL: pg_dump -Fc (custom format) when it is
// on PATH, else an error that says what to install or run.
func Backup(ctx context.Context, st *store.Store, dsn, path string) (*Result, error) {
	if st.Dialect() == store.DialectSQLite {
		size, err := st.BackupSQLite(ctx, path)
		if err != nil {
			return nil, err
		}
		info, err := store.InspectSQLite(ctx, path)
		if err != nil {
			return nil, err
		}
		if info.Integrity != "ok" {
			return nil, fmt.Errorf("backup: the copy %s fails its integrity check: %s", path, info.Integrity)
		}
		return &Result{Path: path, Size: size, Tool: "SQLite VACUUM INTO", Rows: info.Rows}, nil
	}
	rows, err := st.Rows(ctx)
	if err != nil {
		return nil, err
	}
	res, err := pgDump(ctx, dsn, path)
	if err != nil {
		return nil, err
	}
	res.Rows = rows
	return res, nil
}

// RestoreSQLite puts the SQLite backup file in place of the database at
// target. It checks first that file is a sound Beacon database whose
// migrations this binary knows (known), and refuses a target that exists
// and holds accounts or courses unless force. The servers using target
// must be stopped first: the copy replaces the file under them. The copy
// is written beside target, synced, and renamed over it, after target's
// write-ahead log is removed (it belongs to the database being replaced).
func RestoreSQLite(ctx context.Context, file, target string, known []store.Migration, force bool) (*Result, error) {
	info, err := store.InspectSQLite(ctx, file)
	if err != nil {
		return nil, err
	}
	if info.Integrity != "ok" {
		return nil, fmt.Errorf("%s fails SQLite's integrity check (%s): it is not a usable backup", file, info.Integrity)
	}
	if newer := store.Unknown(info.Migrations, known); len(newer) > 0 {
		return nil, fmt.Errorf("%s was written by a newer Beacon (migrations %s that this binary does not know): restore it with that version or a later one",
			file, strings.Join(newer, ", "))
	}
	if err := refuseLive(ctx, target, force); err != nil {
		return nil, err
	}
	size, err := copyInto(file, target)
	if err != nil {
		return nil, err
	}
	return &Result{Path: file, Size: size, Tool: "file copy", Rows: info.Rows}, nil
}

// refuseLive opens target, when it exists, and refuses when it holds data
// and force is not given.
func refuseLive(ctx context.Context, dsn string, force bool) error {
	if !isPostgres(dsn) {
		if _, err := os.Stat(dsn); errors.Is(err, fs.ErrNotExist) {
			return nil
		}
	}
	st, err := store.Open(ctx, dsn)
	if err != nil {
		return fmt.Errorf("open the database to restore into: %w", err)
	}
	defer st.Close()
	rows, err := st.Rows(ctx)
	if err != nil {
		return err
	}
	if (rows["users"] > 0 || rows["courses"] > 0) && !force {
		return fmt.Errorf("the database %s holds data (%d accounts, %d courses): stop every beacon server that uses it, "+
			"then run restore again with --force to replace it", redact(dsn), rows["users"], rows["courses"])
	}
	return nil
}

// copyInto copies file over target through a synced temporary file.
func copyInto(file, target string) (int64, error) {
	dir := filepath.Dir(target)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return 0, fmt.Errorf("restore: %w", err)
	}
	in, err := os.Open(file)
	if err != nil {
		return 0, fmt.Errorf("restore: %w", err)
	}
	defer in.Close()
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(target)+".*.restore")
	if err != nil {
		return 0, fmt.Errorf("restore: %w", err)
	}
	defer os.Remove(tmp.Name())
	size, err := io.Copy(tmp, in)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, fmt.Errorf("restore: write %s: %w", tmp.Name(), err)
	}
	if err := os.Chmod(tmp.Name(), 0o640); err != nil {
		return 0, fmt.Errorf("restore: %w", err)
	}
	for _, stale := range []string{target + "-wal", target + "-shm", target + "-journal"} {
		if err := os.Remove(stale); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return 0, fmt.Errorf("restore: remove %s: %w", stale, err)
		}
	}
	if err := os.Rename(tmp.Name(), target); err != nil {
		return 0, fmt.Errorf("restore: %w", err)
	}
	d, err := os.Open(dir)
	if err != nil {
		return 0, fmt.Errorf("restore: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return 0, fmt.Errorf("restore: %w", err)
	}
	return size, nil
}

// RestorePostgres loads the pg_dump archive file into the database at dsn
// with pg_restore --clean --if-exists (objects of the archive are dropped
// and created again), refusing a database that holds accounts or courses
// unless force. An archive of one schema (taken from a dsn with a
// search_path) comes back into that schema.
func RestorePostgres(ctx context.Context, file, dsn string, force bool) (*Result, error) {
	bin, err := tool("pg_restore")
	if err != nil {
		return nil, err
	}
	uri, _, env, err := libpq(dsn)
	if err != nil {
		return nil, err
	}
	if out, err := run(ctx, bin, env, "--list", file); err != nil {
		return nil, fmt.Errorf("%s is not a pg_dump custom-format archive (%s)", file, strings.TrimSpace(out))
	}
	if err := refuseLive(ctx, dsn, force); err != nil {
		return nil, err
	}
	if out, err := run(ctx, bin, env, "--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error", "-d", uri, file); err != nil {
		return nil, fmt.Errorf("pg_restore failed: %s", strings.TrimSpace(out))
	}
	version, _ := run(ctx, bin, nil, "--version")
	st, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	rows, err := st.Rows(ctx)
	if err != nil {
		return nil, err
	}
	return &Result{Path: file, Tool: strings.TrimSpace(version), Rows: rows}, nil
}

// pgDump runs pg_dump -Fc into a temporary file beside path, synced and renamed.
func pgDump(ctx context.Context, dsn, path string) (*Result, error) {
	bin, err := tool("pg_dump")
	if err != nil {
		return nil, err
	}
	uri, schema, env, err := libpq(dsn)
	if err != nil {
		return nil, err
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	tmp.Close()
	defer os.Remove(tmp.Name())
	args := []string{"--format=custom", "--file=" + tmp.Name(), "--dbname=" + uri}
	if schema != "" {
		args = append(args, "--schema="+schema)
	}
	if out, err := run(ctx, bin, env, args...); err != nil {
		return nil, fmt.Errorf("pg_dump failed: %s (pg_dump must be of the server's major version or newer)", strings.TrimSpace(out))
	}
	f, err := os.OpenFile(tmp.Name(), os.O_RDWR, 0)
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	err = f.Sync()
	fi, serr := f.Stat()
	f.Close()
	if err == nil {
		err = serr
	}
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	version, _ := run(ctx, bin, nil, "--version")
	return &Result{Path: path, Size: fi.Size(), Tool: strings.TrimSpace(version)}, nil
}

// tool finds a PostgreSQL client program, or says what to do without it.
func tool(name string) (string, error) {
	bin, err := exec.LookPath(name)
	if err != nil {
		return "", fmt.Errorf("%s is not on PATH: install the PostgreSQL client of your server's major version "+
			"(Debian: apt-get install postgresql-client) and run this again, or run it yourself: "+
			"pg_dump --format=custom --file=FILE 'postgres://…' to back up, "+
			"pg_restore --clean --if-exists --no-owner -d 'postgres://…' FILE to restore", name)
	}
	return bin, nil
}

// libpq turns the pgx URL Beacon uses into what libpq programs take: the
// password moves to PGPASSWORD (not on the command line, where ps shows
// it), and a search_path parameter, which libpq does not know, becomes the
// schema to dump.
func libpq(dsn string) (uri, schema string, env []string, err error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return "", "", nil, fmt.Errorf("database URL: %w", err)
	}
	env = os.Environ()
	if u.User != nil {
		if pw, ok := u.User.Password(); ok {
			env = append(env, "PGPASSWORD="+pw)
			u.User = url.User(u.User.Username())
		}
	}
	q := u.Query()
	schema = q.Get("search_path")
	q.Del("search_path")
	u.RawQuery = q.Encode()
	return u.String(), schema, env, nil
}

// run runs a program and returns its combined output.
func run(ctx context.Context, bin string, env []string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	if env != nil {
		cmd.Env = env
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

// isPostgres reports a PostgreSQL URL.
func isPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// redact hides the password of a database URL in messages.
func redact(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && u.User != nil {
		return u.Redacted()
	}
	return dsn
}
