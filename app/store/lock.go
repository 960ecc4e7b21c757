package store

import (
	"context"
	"database/sql/driver"
	"fmt"
)

// StartupLockKey is the PostgreSQL advisory lock key that serializes
// start-up work (migrations, the seed import) between instances: the bytes
// of "beacon" read as one number. Advisory locks are database-wide, so
// Beacon deployments in other schemas of the same database share it; they
// then start one after the other, which is harmless.
const StartupLockKey int64 = 0x626561636f6e

// startupLockHeld marks a context whose store already holds the lock, so
// that nested WithStartupLock calls run at once instead of waiting for
// themselves on a second connection.
type startupLockHeld struct{}

// WithStartupLock runs fn while this instance holds the start-up lock, so
// that instances starting together on one empty PostgreSQL database take
// turns: the second finds the work done. fn must re-check under the lock
// whether its work is still needed.
//
// On PostgreSQL the lock is a session advisory lock (pg_advisory_lock with
// StartupLockKey) held on one dedicated connection for the duration of fn;
// fn's own queries run on other connections of the pool. Through a
// transaction-mode pooler (PgBouncer) the lock would not hold: run
// start-up against the database directly. On SQLite fn runs at once: one
// process owns the file, and BEGIN IMMEDIATE serializes writers anyway.
func (s *Store) WithStartupLock(ctx context.Context, fn func(ctx context.Context) error) error {
	if s.dialect != DialectPostgres || ctx.Value(startupLockHeld{}) == s {
		return fn(ctx)
	}
	sqlDB, err := s.db.DB()
	if err != nil {
		return fmt.Errorf("startup lock: %w", err)
	}
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return fmt.Errorf("startup lock: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, StartupLockKey); err != nil {
		return fmt.Errorf("startup lock: %w", err)
	}
	defer func() {
		// Unlock even when ctx is cancelled; if that fails, the session
		// still holds the lock, so the connection must not go back to the
		// pool: ErrBadConn makes database/sql close it, which ends the
		// session and releases the lock.
		if _, err := conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, StartupLockKey); err != nil {
			_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		}
	}()
	return fn(context.WithValue(ctx, startupLockHeld{}, s))
}
