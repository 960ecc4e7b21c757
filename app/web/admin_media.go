package web

// mediaRoutes are the media library's pages and the public image URLs.
func (s *Server) mediaRoutes() []route {
	return nil
}
