package web

// statsRoutes are the organizers' statistics pages and exports.
func (s *Server) statsRoutes() []route {
	return nil
}
