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

// regionChoices are the region tree as form choices, parents before
// children, each name indented by its depth and in lang (Lang set where
// the name falls back to another language), ticked where checked says:
// the one region checklist of the campaign and alert forms.
func (s *Server) regionChoices(ctx context.Context, lang string, checked map[string]bool) ([]choice, error) {
	nodes, err := s.regionDepths(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]choice, 0, len(nodes))
	for _, n := range nodes {
		name, nl := s.localName(n.Name, n.Code, lang)
		if nl == lang {
			nl = ""
		}
		out = append(out, choice{Value: n.Code, Label: indent(n.Depth) + name, Lang: nl, Checked: checked[n.Code]})
	}
	return out, nil
}
