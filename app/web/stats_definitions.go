package web

import (
	"github.com/gofiber/fiber/v2"
)

// statsDefinitionKeys are the figures the definitions page defines, in
// its order; each is the anchor the dashboard and the report link to, and
// names its catalog keys admin.stats.def.<key>.term and .body.
var statsDefinitionKeys = []string{
	"visitors", "started", "completed", "completion_rate", "certified", "attempts", "pass_rate", "average_score",
	"funnel", "goal", "participants", "channel", "hidden", "noise",
}

// statsDefinition is one defined figure.
type statsDefinition struct {
	Key, Term, Body string
}

// statsDefinitions is the page that says what each figure of the
// statistics dashboard and the campaign report counts, one anchor per
// figure, so that every figure's definition is one click away.
func (s *Server) statsDefinitions(c *fiber.Ctx) error {
	l := s.bundle.Localizer(s.localeOf(c))
	defs := make([]statsDefinition, 0, len(statsDefinitionKeys))
	for _, k := range statsDefinitionKeys {
		defs = append(defs, statsDefinition{Key: k, Term: l.T("admin.stats.def."+k+".term", nil), Body: l.T("admin.stats.def."+k+".body", nil)})
	}
	return s.adminRender(c, "admin/stats/definitions", fiber.Map{"Title": l.T("admin.stats.def.title", nil), "Definitions": defs})
}
