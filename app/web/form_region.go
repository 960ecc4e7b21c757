package web

import (
	"context"

	"github.com/gofiber/fiber/v2"
)

// formRegions reads the region boxes a form ticked (field "regions"), in
// order and without repeats, marking each in chosen. A code that is
// neither in the region tree nor in keep (what the record already targets,
// so a region deleted since stays choosable) makes unknown true and is
// dropped.
func (s *Server) formRegions(ctx context.Context, c *fiber.Ctx, chosen map[string]bool, keep []string) (regions []string, unknown bool, err error) {
	nodes, err := s.regionDepths(ctx)
	if err != nil {
		return nil, false, err
	}
	known := make(map[string]bool, len(nodes)+len(keep))
	for _, n := range nodes {
		known[n.Code] = true
	}
	for _, r := range keep {
		known[r] = true
	}
	regions = []string{}
	for _, code := range formValues(c, "regions") {
		code = clip(code, 100)
		if !known[code] {
			unknown = true
			continue
		}
		if !chosen[code] {
			chosen[code] = true
			regions = append(regions, code)
		}
	}
	return regions, unknown, nil
}
