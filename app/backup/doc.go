// Package backup copies a Beacon database for safekeeping while the
// server runs, and puts such a copy back: SQLite through the store's
// VACUUM INTO and a checked file copy, PostgreSQL through the pg_dump and
// pg_restore the PostgreSQL client ships. It imports app/store; only the
// cli imports it.
package backup
