package web

// InvalidateAlerts drops the active-alerts cache, as publishing through the
// admin pages does, for tests that publish through the store.
func (s *Server) InvalidateAlerts() { s.alerts.invalidate() }
