// Package store is Beacon's GORM adapter: it opens SQLite (the embedded
// default, WAL) or PostgreSQL, applies the versioned migrations, and holds
// every query, one file per noun. It is the only package that touches
// *gorm.DB; it imports app and never imports Fiber.
package store
