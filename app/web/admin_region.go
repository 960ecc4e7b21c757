package web

// regionRoutes are the administrator's regions and organizations pages.
func (s *Server) regionRoutes() []route {
	return nil
}
