package store

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Migration is one versioned schema step read from migrations/.
type Migration struct {
	Version string // the NNNN prefix
	Name    string
	SQL     string
}

// LoadMigrations reads fsys (the migrations folder) and returns the steps for
// dialect in version order: NNNN_name.sql serves both databases,
// NNNN_name.sqlite.sql and NNNN_name.postgres.sql serve one each.
func LoadMigrations(fsys fs.FS, dialect string) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	byVersion := map[string]Migration{}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".sql") {
			continue
		}
		base := strings.TrimSuffix(name, ".sql")
		switch {
		case strings.HasSuffix(base, ".sqlite"):
			if dialect != DialectSQLite {
				continue
			}
			base = strings.TrimSuffix(base, ".sqlite")
		case strings.HasSuffix(base, ".postgres"):
			if dialect != DialectPostgres {
				continue
			}
			base = strings.TrimSuffix(base, ".postgres")
		}
		version, _, ok := strings.Cut(base, "_")
		if !ok || version == "" {
			return nil, fmt.Errorf("migration %s: name must be NNNN_name.sql", name)
		}
		if prev, dup := byVersion[version]; dup {
			return nil, fmt.Errorf("migration %s: version %s already used by %s", name, version, prev.Name)
		}
		body, err := fs.ReadFile(fsys, path.Clean(name))
		if err != nil {
			return nil, fmt.Errorf("migration %s: %w", name, err)
		}
		byVersion[version] = Migration{Version: version, Name: name, SQL: string(body)}
	}
	out := make([]Migration, 0, len(byVersion))
	for _, m := range byVersion {
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out, nil
}

// Migrate applies the pending migrations of fsys, each in its own
// transaction, and records them in schema_migrations. It returns how many ran.
// It runs under the start-up lock (WithStartupLock), so that instances
// starting together on an empty PostgreSQL database apply each migration
// once: whoever waited finds nothing pending.
func (s *Store) Migrate(ctx context.Context, fsys fs.FS) (int, error) {
	migrations, err := LoadMigrations(fsys, s.dialect)
	if err != nil {
		return 0, err
	}
	ran := 0
	err = s.WithStartupLock(ctx, func(ctx context.Context) error {
		n, err := s.migrate(ctx, migrations)
		ran = n
		return err
	})
	return ran, err
}

// migrate applies migrations not yet recorded. Each one checks again inside
// its own transaction, so that two processes on one SQLite file (where
// BEGIN IMMEDIATE, not the start-up lock, serializes them) never apply a
// step twice either.
func (s *Store) migrate(ctx context.Context, migrations []Migration) (int, error) {
	db := s.db.WithContext(ctx)
	if err := db.Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`).Error; err != nil {
		return 0, fmt.Errorf("migrate: create schema_migrations: %w", err)
	}
	versions, err := s.AppliedMigrations(ctx)
	if err != nil {
		return 0, fmt.Errorf("migrate: %w", err)
	}
	applied := map[string]bool{}
	for _, v := range versions {
		applied[v] = true
	}
	ran := 0
	for _, m := range migrations {
		if applied[m.Version] {
			continue
		}
		done := false
		err := db.Transaction(func(tx *gorm.DB) error {
			var n int64
			if err := tx.Raw(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, m.Version).Scan(&n).Error; err != nil {
				return fmt.Errorf("%s: %w", m.Name, err)
			}
			if n > 0 {
				done = true
				return nil
			}
			for _, stmt := range splitStatements(m.SQL) {
				if err := tx.Exec(stmt).Error; err != nil {
					return fmt.Errorf("%s: %w", m.Name, err)
				}
			}
			return tx.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
				m.Version, m.Name, time.Now().UTC().Format(time.RFC3339)).Error
		})
		if err != nil {
			return ran, fmt.Errorf("migrate: %w", err)
		}
		if !done {
			ran++
		}
	}
	return ran, nil
}

// Pending returns the versions of fsys not yet applied; /readyz uses it.
func (s *Store) Pending(ctx context.Context, fsys fs.FS) ([]string, error) {
	migrations, err := LoadMigrations(fsys, s.dialect)
	if err != nil {
		return nil, err
	}
	versions, err := s.AppliedMigrations(ctx)
	if err != nil {
		return nil, err
	}
	have := map[string]bool{}
	for _, v := range versions {
		have[v] = true
	}
	var pending []string
	for _, m := range migrations {
		if !have[m.Version] {
			pending = append(pending, m.Version)
		}
	}
	return pending, nil
}

// AppliedMigrations lists the versions recorded in schema_migrations, in order.
func (s *Store) AppliedMigrations(ctx context.Context) ([]string, error) {
	var versions []string
	if err := s.db.WithContext(ctx).Raw(`SELECT version FROM schema_migrations ORDER BY version`).Scan(&versions).Error; err != nil {
		return nil, fmt.Errorf("read schema_migrations: %w", err)
	}
	return versions, nil
}

// splitStatements cuts a migration into statements at semicolons that end a
// line, dropping comment-only lines. Migrations hold no procedural code.
func splitStatements(sql string) []string {
	var (
		out []string
		cur strings.Builder
	)
	for _, line := range strings.Split(sql, "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "--") || trimmed == "" {
			continue
		}
		cur.WriteString(line)
		cur.WriteString("\n")
		if strings.HasSuffix(trimmed, ";") {
			out = append(out, strings.TrimSpace(cur.String()))
			cur.Reset()
		}
	}
	if rest := strings.TrimSpace(cur.String()); rest != "" {
		out = append(out, rest)
	}
	return out
}
