package web

// campaignRoutes are the public campaign pages and the organizers' campaign admin.
func (s *Server) campaignRoutes() []route {
	return nil
}
