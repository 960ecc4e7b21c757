package web

// packRoutes are the content pack download and upload pages.
func (s *Server) packRoutes() []route {
	return nil
}
