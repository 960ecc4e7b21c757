package web

import (
	"beacon/app"

	"github.com/gofiber/fiber/v2"
)

// apiRegion is one region with its name in the request's language (lang
// says which: another one when the name has no translation), its standard
// geocodes, and whether it has a boundary (GET /api/v1/regions/{code}
// gives it as a GeoJSON Feature).
type apiRegion struct {
	Code        string        `json:"code"`
	Parent      string        `json:"parent,omitempty"`
	Name        string        `json:"name"`
	Lang        string        `json:"lang"`
	Geocodes    []app.Geocode `json:"geocodes"`
	HasBoundary bool          `json:"has_boundary"`
}

// apiRegionFeature is one region as a GeoJSON Feature (RFC 7946): its
// boundary as the geometry (null when it has none) and the region's
// fields as properties, so that a map library reads it as it is.
type apiRegionFeature struct {
	Type       string        `json:"type"`
	ID         string        `json:"id"`
	Geometry   *app.Geometry `json:"geometry"`
	Properties apiRegion     `json:"properties"`
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
	bounded, err := s.store.BoundedRegions(c.UserContext())
	if err != nil {
		return err
	}
	out := make([]apiRegion, 0, len(regions))
	for _, r := range regions {
		out = append(out, s.apiRegionOf(r, lang, bounded[r.Code]))
	}
	return s.apiSend(c, apiPage(s, c, out, limit, offset))
}

// apiRegionShow is one region as a GeoJSON Feature with its boundary.
func (s *Server) apiRegionShow(c *fiber.Ctx) error {
	r, err := s.store.FindRegion(c.UserContext(), c.Params("code"))
	if app.ErrorCode(err) == app.ENOTFOUND {
		return app.Errorf(app.ENOTFOUND, "api.problem.region_not_found")
	}
	if err != nil {
		return err
	}
	lang := s.apiLang(c)
	return s.apiSend(c, apiRegionFeature{Type: "Feature", ID: r.Code, Geometry: r.Boundary,
		Properties: s.apiRegionOf(*r, lang, r.Boundary != nil)})
}

// apiRegionOf is the API's view of a region in lang.
func (s *Server) apiRegionOf(r app.Region, lang string, bounded bool) apiRegion {
	name, nl := s.localName(r.Name, r.Code, lang)
	codes := r.Geocodes
	if codes == nil {
		codes = []app.Geocode{}
	}
	return apiRegion{Code: r.Code, Parent: r.ParentCode, Name: name, Lang: nl, Geocodes: codes, HasBoundary: bounded}
}
