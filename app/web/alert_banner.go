package web

import (
	"github.com/gofiber/fiber/v2"
)

// bannerAlert is one active alert in the banner on top of every page. A
// *Lang field is set only when that text falls back to another language
// than the page's.
type bannerAlert struct {
	Identifier                   string
	Severity                     string // CAP value: the word comes from cap.severity.*
	Class                        string // severity for the CSS class
	Exercise                     bool
	Headline, HeadlineLang       string
	Description, DescriptionLang string
	Instruction, InstructionLang string
	Learn                        bool
	AllClear                     bool // an Update that says the danger is over
	// Urgent is CAP severity Extreme with urgency Immediate: its banner
	// opens with the instruction showing, even on a phone.
	Urgent bool
	// More, on the first alert only, counts the alerts past bannerShown
	// that the banner leaves to the alerts page.
	More int
	// Beyond is set on the alerts past bannerShown: counted, not shown.
	Beyond bool
}

// bannerShown is how many alerts the banner shows at most: each takes
// part of a phone's first screen, and the alerts page lists them all.
const bannerShown = 2

// bannerAlerts are the active alerts that cover the visitor (a signed-in
// account's region and the regions around it; everyone-alerts for all),
// most severe first, then the recent Cancels that say all clear (newest
// first), less the ones the visitor hid. It reads the cache
// only: no database query on a page view, except a region's chain once
// per alertsTTL.
func (s *Server) bannerAlerts(c *fiber.Ctx, lang string) []bannerAlert {
	ctx := c.UserContext()
	active := append(s.activeAlerts(ctx), s.allClearAlerts(ctx)...)
	if len(active) == 0 {
		return nil
	}
	var chain []string
	if u := currentUser(c); u != nil {
		chain = s.regionChain(ctx, u.RegionCode)
	}
	hidden := hiddenAlerts(c)
	var out []bannerAlert
next:
	for _, a := range active {
		if !a.Covers(chain) {
			continue
		}
		for _, h := range hidden {
			if h == a.Identifier {
				continue next
			}
		}
		b := bannerAlert{Identifier: a.Identifier, Severity: a.Severity, Class: severityClass(a.Severity),
			Exercise: a.Status == "Exercise", Learn: a.Lesson != nil, AllClear: a.AllClear}
		if a.AllClear {
			b.Class = "allclear"
			b.Learn = b.Learn && a.MsgType != "Cancel" // nothing left to do
		}
		b.Headline, b.HeadlineLang = textIn(a.Headline, lang, a.SourceLocale)
		b.Description, b.DescriptionLang = textIn(a.Description, lang, a.SourceLocale)
		b.Instruction, b.InstructionLang = textIn(a.Instruction, lang, a.SourceLocale)
		b.Urgent = !a.AllClear && a.Severity == "Extreme" && a.Urgency == "Immediate"
		out = append(out, b)
	}
	if len(out) > bannerShown {
		out[0].More = len(out) - bannerShown
		for i := bannerShown; i < len(out); i++ {
			out[i].Beyond = true
		}
	}
	return out
}
