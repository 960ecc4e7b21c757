package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
)

// BackupSQLite writes a consistent copy of the SQLite database to path
// while the server keeps serving: VACUUM INTO reads one snapshot in a read
// transaction, so writers go on, and the copy is compact and checked by
// SQLite as it is written. The copy goes to a temporary file beside path,
// is synced, then renamed over path, so path holds either what it held
// before or a whole copy, never half of one. It returns the copy's size.
// On PostgreSQL it is an error (pg_dump copies those; see app/backup).
func (s *Store) BackupSQLite(ctx context.Context, path string) (int64, error) {
	if s.dialect != DialectSQLite {
		return 0, errors.New("backup: the database is not SQLite")
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	name := tmp.Name()
	tmp.Close()
	os.Remove(name) // VACUUM INTO writes only a file that does not exist
	defer os.Remove(name)
	if err := s.db.WithContext(ctx).Exec("VACUUM INTO ?", name).Error; err != nil {
		return 0, fmt.Errorf("backup: vacuum into %s: %w", name, err)
	}
	// The copy holds password hashes and sessions: only its owner reads it.
	if err := os.Chmod(name, 0o600); err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	size, err := syncFile(name)
	if err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	if err := os.Rename(name, path); err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	if err := syncDir(dir); err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	return size, nil
}

// syncFile flushes a written file to disk and returns its size.
func syncFile(name string) (int64, error) {
	f, err := os.OpenFile(name, os.O_RDWR, 0)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return 0, err
	}
	fi, err := f.Stat()
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// SQLiteFile is what InspectSQLite found in a SQLite file.
type SQLiteFile struct {
	// Integrity is SQLite's integrity_check verdict, "ok" when sound.
	Integrity string
	// Migrations are the versions recorded in schema_migrations, in order;
	// empty when the file is no Beacon database.
	Migrations []string
	// Rows counts the rows of the main tables (see Counted).
	Rows map[string]int64
}

// Counted are the tables whose rows restore reports and tests compare.
var Counted = []string{"users", "courses", "course_revisions", "learners", "lesson_progress", "quiz_attempts",
	"certificates", "campaigns", "alerts", "media", "media_copies", "stat_attempts", "api_tokens",
	"lesson_feedback", "lesson_feedback_counts", "item_stats", "item_choice_stats"}

// InspectSQLite opens the SQLite file at path read-only, without changing
// a byte of it, and reports its integrity, its migrations and its row
// counts. A file that is not SQLite, or a SQLite file that is not a Beacon
// database, is an error that says so.
func InspectSQLite(ctx context.Context, path string) (*SQLiteFile, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("inspect: %w", err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("inspect: %w", err)
	}
	db := sql.OpenDB(newSQLiteConnector("file:" + (&url.URL{Path: abs}).EscapedPath() + "?mode=ro&immutable=1"))
	defer db.Close()
	out := &SQLiteFile{Rows: map[string]int64{}}
	if err := db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&out.Integrity); err != nil {
		return nil, fmt.Errorf("%s is not a SQLite database: %w", path, err)
	}
	var n int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").Scan(&n); err != nil {
		return nil, fmt.Errorf("%s is not a SQLite database: %w", path, err)
	}
	if n == 0 {
		return nil, fmt.Errorf("%s is a SQLite file but not a Beacon database (no schema_migrations table)", path)
	}
	rows, err := db.QueryContext(ctx, "SELECT version FROM schema_migrations ORDER BY version")
	if err != nil {
		return nil, fmt.Errorf("inspect %s: %w", path, err)
	}
	defer rows.Close()
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("inspect %s: %w", path, err)
		}
		out.Migrations = append(out.Migrations, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("inspect %s: %w", path, err)
	}
	for _, t := range Counted {
		var c int64
		if err := db.QueryRowContext(ctx, "SELECT count(*) FROM "+t).Scan(&c); err == nil {
			out.Rows[t] = c
		}
	}
	return out, nil
}

// Unknown returns the versions in applied that known (this binary's
// migrations) lacks: a database written by a newer Beacon.
func Unknown(applied []string, known []Migration) []string {
	have := map[string]bool{}
	for _, m := range known {
		have[m.Version] = true
	}
	var out []string
	for _, v := range applied {
		if !have[v] {
			out = append(out, v)
		}
	}
	sort.Strings(out)
	return out
}

// Rows counts the rows of the Counted tables that exist; a database
// without Beacon's tables has none.
func (s *Store) Rows(ctx context.Context) (map[string]int64, error) {
	out := map[string]int64{}
	db := s.db.WithContext(ctx)
	for _, t := range Counted {
		if !db.Migrator().HasTable(t) {
			continue
		}
		var c int64
		if err := db.Table(t).Count(&c).Error; err != nil {
			return nil, fmt.Errorf("count %s: %w", t, err)
		}
		out[t] = c
	}
	return out, nil
}

// HoldsData reports whether the database has any account or course, so
// that restoring over it would lose something.
func (s *Store) HoldsData(ctx context.Context) (bool, error) {
	rows, err := s.Rows(ctx)
	if err != nil {
		return false, err
	}
	return rows["users"] > 0 || rows["courses"] > 0, nil
}

// IntegrityCheck runs SQLite's integrity_check and foreign_key_check and
// returns "ok" for a sound database; PostgreSQL checks its own pages, so
// there it returns "ok".
func (s *Store) IntegrityCheck(ctx context.Context) (string, error) {
	if s.dialect != DialectSQLite {
		return "ok", nil
	}
	var verdict string
	if err := s.db.WithContext(ctx).Raw("PRAGMA integrity_check").Scan(&verdict).Error; err != nil {
		return "", fmt.Errorf("integrity check: %w", err)
	}
	if verdict != "ok" {
		return verdict, nil
	}
	var broken []map[string]any
	if err := s.db.WithContext(ctx).Raw("PRAGMA foreign_key_check").Scan(&broken).Error; err != nil {
		return "", fmt.Errorf("foreign key check: %w", err)
	}
	if len(broken) > 0 {
		return fmt.Sprintf("%d rows break foreign keys, first: %v", len(broken), broken[0]), nil
	}
	return "ok", nil
}
