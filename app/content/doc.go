// Package content parses and validates content packs (see
// shared/docs/CONTENT-FORMAT.md) into app values. It touches no database:
// the store imports what this package returns, all or nothing.
package content
