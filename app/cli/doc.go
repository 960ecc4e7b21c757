// Package cli holds Beacon's commands (serve, migrate, import, user create):
// wiring only — configuration → store → web. main calls Run.
package cli
