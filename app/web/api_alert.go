package web

import (
	"time"

	"beacon/app"

	"github.com/gofiber/fiber/v2"
)

// apiAlert is a public alert: its CAP fields in the request's language,
// where it stands, and links to its CAP document and its page.
type apiAlert struct {
	Identifier   string    `json:"identifier"`
	Lang         string    `json:"lang"`
	Status       string    `json:"status"`
	MsgType      string    `json:"msg_type"`
	Scope        string    `json:"scope"`
	Categories   []string  `json:"categories"`
	Urgency      string    `json:"urgency"`
	Severity     string    `json:"severity"`
	Certainty    string    `json:"certainty"`
	Event        string    `json:"event"`
	Headline     string    `json:"headline"`
	Description  string    `json:"description"`
	Instruction  string    `json:"instruction"`
	Sent         time.Time `json:"sent"`
	Effective    time.Time `json:"effective"`
	Expires      time.Time `json:"expires"`
	Regions      []string  `json:"regions"`
	Phase        string    `json:"phase"`
	References   []string  `json:"references"`
	SupersededBy string    `json:"superseded_by,omitempty"`
	CAP          string    `json:"cap"`
	URL          string    `json:"url"`
	Lesson       string    `json:"lesson,omitempty"`
}

// apiAlerts lists the alerts in force now, most severe first; ?region=
// keeps those that reach someone in that region (alerts for everyone,
// for the region, or for a region it belongs to), as the banner does.
func (s *Server) apiAlerts(c *fiber.Ctx) error {
	limit, offset, err := apiPaging(c)
	if err != nil {
		return err
	}
	lang := s.apiLang(c)
	ctx := c.UserContext()
	var chain []string
	code := c.Query("region")
	if code != "" {
		if len(code) > 100 {
			return app.Errorf(app.ENOTFOUND, "api.problem.region_not_found")
		}
		if _, err := s.store.FindRegion(ctx, code); app.ErrorCode(err) == app.ENOTFOUND {
			return app.Errorf(app.ENOTFOUND, "api.problem.region_not_found")
		} else if err != nil {
			return err
		}
		chain = s.regionChain(ctx, code)
	}
	out := []apiAlert{}
	for _, a := range s.activeAlerts(ctx) {
		if code != "" && !a.Covers(chain) {
			continue
		}
		out = append(out, s.apiAlertOf(c, a, lang, ""))
	}
	return s.apiSend(c, apiPage(s, c, out, limit, offset))
}

// apiAlertShow is one public alert, in force or not (the archive keeps
// expired, replaced and cancelled ones).
func (s *Server) apiAlertShow(c *fiber.Ctx) error {
	lang := s.apiLang(c)
	a, err := s.findPublicAlert(c)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return app.Errorf(app.ENOTFOUND, "api.problem.alert_not_found")
	}
	if err != nil {
		return err
	}
	replacedBy := ""
	if a.SupersededBy != "" {
		r, err := s.store.FindAlert(c.UserContext(), a.SupersededBy)
		if err == nil {
			replacedBy = r.MsgType
		} else if app.ErrorCode(err) != app.ENOTFOUND {
			return err
		}
	}
	return s.apiSend(c, s.apiAlertOf(c, a, lang, replacedBy))
}

// apiAlertOf is the API view of a in lang; replacedBy is the message type
// of the alert that replaced it ("" when none).
func (s *Server) apiAlertOf(c *fiber.Ctx, a *app.Alert, lang, replacedBy string) apiAlert {
	tl := textsLang(lang, a.SourceLocale, a.Event, a.Headline, a.Description, a.Instruction)
	get := func(t app.Text) string { v, _ := t.Get(tl, a.SourceLocale); return v }
	v := apiAlert{Identifier: a.Identifier, Lang: tl, Status: a.Status, MsgType: a.MsgType, Scope: a.Scope,
		Categories: a.Categories, Urgency: a.Urgency, Severity: a.Severity, Certainty: a.Certainty,
		Event: get(a.Event), Headline: get(a.Headline), Description: get(a.Description), Instruction: get(a.Instruction),
		Sent: a.Sent.UTC(), Effective: a.Effective, Expires: a.Expires, Regions: a.Regions,
		Phase: alertPhase(a, replacedBy, s.now()), References: a.References, SupersededBy: a.SupersededBy,
		CAP: s.baseURL(c) + "/alerts/" + a.Identifier + ".cap", URL: s.baseURL(c) + "/" + lang + "/alerts/" + a.Identifier}
	if a.Lesson != nil {
		v.Lesson = s.baseURL(c) + "/" + lang + "/alerts/" + a.Identifier + "/learn"
	}
	if v.Categories == nil {
		v.Categories = []string{}
	}
	if v.Regions == nil {
		v.Regions = []string{}
	}
	if v.References == nil {
		v.References = []string{}
	}
	return v
}
