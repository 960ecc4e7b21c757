package web

import "github.com/gofiber/fiber/v2"

// apiRegion is one region with its name in the request's language (lang
// says which: another one when the name has no translation).
type apiRegion struct {
	Code   string `json:"code"`
	Parent string `json:"parent,omitempty"`
	Name   string `json:"name"`
	Lang   string `json:"lang"`
}

// apiRegions lists the regions, parents before their parts, as the store
// orders the tree.
func (s *Server) apiRegions(c *fiber.Ctx) error {
	limit, offset, err := apiPaging(c)
	if err != nil {
		return err
	}
	lang := s.apiLang(c)
	regions, err := s.store.Regions(c.UserContext())
	if err != nil {
		return err
	}
	out := make([]apiRegion, 0, len(regions))
	for _, r := range regions {
		name, nl := s.localName(r.Name, r.Code, lang)
		out = append(out, apiRegion{Code: r.Code, Parent: r.ParentCode, Name: name, Lang: nl})
	}
	return s.apiSend(c, apiPage(s, c, out, limit, offset))
}
