package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"beacon/app"

	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Dialects the store speaks.
const (
	DialectSQLite   = "sqlite"
	DialectPostgres = "postgres"
)

// Store is the database: open it with Open, close it with Close.
type Store struct {
	db      *gorm.DB
	dialect string
	// now is the clock; tests may replace it through SetClock.
	now func() time.Time

	// revisions caches parsed course revisions by id; revisions are
	// immutable, so the cache stays correct across instances.
	revisions sync.Map // int64 → *app.Course

	// resizing lets one image be decoded and resized at a time (a 2 MB
	// PNG may hold 8000×8000 pixels: 256 MB decoded), however many first
	// requests for copies arrive at once (mediacopy.go).
	resizing sync.Mutex

	// commit applies quiz submissions in group commits (commit.go);
	// started on first use.
	commit      *committer
	commitStart sync.Once
	// visitB writes visits in group commits (visit.go), started on first use.
	visitB     *visitBatcher
	visitStart sync.Once
	// quizGroups and visitGroups count the group commits of each batcher
	// and what they carried (GroupCommits).
	quizGroups, visitGroups groupCounters
	// checkpoints copies SQLite's write-ahead log into the database file
	// (checkpoint.go); nil on PostgreSQL.
	checkpoints *checkpointer
	closeOnce   sync.Once
}

// Open connects to dsn: a postgres:// or postgresql:// URL selects
// PostgreSQL, anything else is a SQLite file path (its folder is created).
func Open(ctx context.Context, dsn string) (*Store, error) {
	var (
		dialector gorm.Dialector
		dialect   string
	)
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		dialect = DialectPostgres
		dialector = postgres.Open(dsn)
	} else {
		dialect = DialectSQLite
		if dir := filepath.Dir(dsn); dir != "." && dir != "" {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, fmt.Errorf("open %s: %w", dsn, err)
			}
		}
		// WAL lets readers run beside the writer; immediate transactions
		// avoid lock-upgrade deadlocks between concurrent writers; each
		// connection keeps its most used statements compiled (parsing a
		// statement costs about as much as running it); checkpoints run
		// in the background (checkpoint.go).
		dialector = sqlite.New(sqlite.Config{Conn: sql.OpenDB(newSQLiteConnector(
			"file:" + dsn + "?_journal_mode=WAL&_foreign_keys=on&_busy_timeout=10000&_txlock=immediate&_synchronous=NORMAL&_stmt_cache_size=128"))})
	}
	db, err := gorm.Open(dialector, &gorm.Config{
		Logger:                 logger.Discard,
		SkipDefaultTransaction: true,
		NowFunc:                func() time.Time { return time.Now().UTC() },
	})
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	// Keep every connection the pool may open: database/sql keeps only two
	// idle by default, so a burst opened and closed connections all the
	// time, and a PostgreSQL connection costs a SCRAM handshake (about a
	// millisecond and a half of CPU) and its statement cache.
	conns := 20
	if dialect == DialectSQLite {
		conns = 8
	}
	sqlDB.SetMaxOpenConns(conns)
	sqlDB.SetMaxIdleConns(conns)
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	if err := sqlDB.PingContext(ctx); err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	s := &Store{db: db, dialect: dialect, now: func() time.Time { return time.Now().UTC() }}
	if dialect == DialectSQLite {
		s.checkpoints = startCheckpointer(db)
	}
	return s, nil
}

// Dialect names the database behind the store.
func (s *Store) Dialect() string { return s.dialect }

// SetClock replaces the store's clock; for tests that need fixed times.
func (s *Store) SetClock(now func() time.Time) { s.now = now }

// Close answers the quiz submissions already handed to the committer,
// stops it, and releases the connections.
func (s *Store) Close() error {
	s.closeCommitter()
	s.closeVisits()
	if s.checkpoints != nil {
		s.closeOnce.Do(s.checkpoints.stop)
	}
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// Pool is the database's connection pool, for its figures in /metrics.
func (s *Store) Pool() (*sql.DB, error) { return s.db.DB() }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

// notFound maps GORM's not-found to app.ENOTFOUND with the given message id.
func notFound(err error, messageID string) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return app.Errorf(app.ENOTFOUND, messageID)
	}
	return err
}

// isUniqueViolation reports a unique-constraint failure on either database.
func isUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "UNIQUE constraint failed") || strings.Contains(msg, "SQLSTATE 23505") || strings.Contains(msg, "duplicate key")
}

// Exec runs one administrative SQL statement (schema setup in tests and tools).
func (s *Store) Exec(ctx context.Context, sql string, args ...any) error {
	return s.db.WithContext(ctx).Exec(sql, args...).Error
}

// Columns lists the columns of a table, for the schema test.
func (s *Store) Columns(ctx context.Context, table string) ([]string, error) {
	cols, err := s.db.WithContext(ctx).Migrator().ColumnTypes(table)
	if err != nil {
		return nil, fmt.Errorf("columns of %s: %w", table, err)
	}
	out := make([]string, 0, len(cols))
	for _, c := range cols {
		out = append(out, c.Name())
	}
	return out, nil
}
