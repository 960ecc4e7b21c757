package web

// InvalidateAlerts drops the active-alerts cache, as publishing through the
// admin pages does, for tests that publish through the store.
func (s *Server) InvalidateAlerts() {
	s.alerts.invalidate()
	s.pages.invalidate()
}

// InvalidatePages makes the page cache read the site version again, as it
// does every second, after a test changed the database directly.
func (s *Server) InvalidatePages() { s.pages.invalidate() }

// Options returns what the server was built with, so that a test can start
// a second instance on the same database.
func (s *Server) Options() Options { return s.opts }
