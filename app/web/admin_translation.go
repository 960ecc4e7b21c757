package web

import (
	"sort"
	"strings"
	"time"

	"beacon/app"
	"beacon/app/authoring"
	"beacon/app/store"

	"github.com/gofiber/fiber/v2"
)

// Limits of the coverage page's lists, so that a badly out-of-step locale
// still gives a page of reasonable size; the editors show everything.
const (
	coverageMaxFields = 20  // field keys listed per course
	coverageMaxUI     = 200 // missing UI message ids listed per locale
)

// translationRoutes is the translation-coverage page of the admin area.
func (s *Server) translationRoutes() []route {
	h := func(hs ...fiber.Handler) []fiber.Handler { return hs }
	return []route{
		{"GET", "/:lang/admin/translations", accessContent, h(s.adminTranslations)},
	}
}

// fieldCoverage is one content field that is not up to date in a locale.
type fieldCoverage struct {
	Key, State string
	Label      string // the field in the reader's words
}

// courseCoverage is one course's fields in one locale.
type courseCoverage struct {
	Slug, Title, TitleLang, SourceLocale string
	Missing, Outdated, UpToDate          int
	Fields                               []fieldCoverage // not up to date, reading order, at most coverageMaxFields
	More                                 int             // further fields not listed
}

// campaignCoverage is one campaign's texts missing in one locale.
type campaignCoverage struct {
	Slug, Title, TitleLang, SourceLocale string
	Missing, Total                       int
	Fields                               []string // missing keys: "title", "description"
}

// alertCoverage is one alert's texts missing in one locale.
type alertCoverage struct {
	Identifier, Headline, HeadlineLang, SourceLocale string
	Phase, PhaseTag                                  string // as on the organizers' alert list
	Published                                        bool   // changed only through an Update message
	Missing, Total                                   int
	Fields                                           []string // missing keys: "event", "headline", "description", "instruction"
}

// localeCoverage is one locale's share of the UI catalog and of the
// content that is translated, with what is missing or outdated.
type localeCoverage struct {
	Locale, Name string
	Default      bool // the site default: the UI catalogs' source
	// UI strings: message ids of the default catalog present in this one.
	UITotal, UIDone int
	UIMissing       []string // sorted, at most coverageMaxUI
	UIMore          int      // further missing ids not listed
	// Content: course fields (missing, outdated, up to date), campaign and
	// alert texts (missing or present: campaigns and alerts do not track
	// outdated texts).
	Fields, UpToDate, Missing, Outdated int
	Courses                             []courseCoverage   // with a field missing or outdated
	Campaigns                           []campaignCoverage // with a text missing
	Alerts                              []alertCoverage    // with a text missing
}

// UIPct is the share of UI strings translated, rounded down so that 100
// means complete.
func (lc localeCoverage) UIPct() int { return coverageShare(lc.UIDone, lc.UITotal) }

// ContentPct is the share of content fields up to date, rounded down.
func (lc localeCoverage) ContentPct() int { return coverageShare(lc.UpToDate, lc.Fields) }

// UIMissingCount is how many UI strings the locale lacks.
func (lc localeCoverage) UIMissingCount() int { return lc.UITotal - lc.UIDone }

// coverageShare is part of total in whole percent, rounded down; nothing
// to translate counts as complete.
func coverageShare(part, total int) int {
	if total == 0 {
		return 100
	}
	return part * 100 / total
}

// coverageInput is what translationCoverage measures.
type coverageInput struct {
	Locales   []string                     // enabled locales, default first
	Default   string                       // the UI catalogs' source locale
	Catalog   func(string) map[string]bool // message ids of a locale's catalog
	Name      func(string) string          // a locale's own name
	Courses   []*store.CourseState
	Campaigns []*app.Campaign
	Alerts    []*app.Alert    // every alert; translationCoverage keeps the current ones
	Now       time.Time       // for which published alerts are still current
	Lang      string          // the reader's locale, for course and campaign titles and alert headlines
	Words     authoring.Words // names course fields in the reader's words
}

// translationCoverage measures every locale against the default UI catalog
// and against the content: the working copy of each course that is not
// archived (the draft if there is one, else the live revision) and every
// campaign's title and description, and the event, headline, description
// and instruction of every alert someone may still translate or read
// (coverageAlert). A content field whose text is the course's source
// counts as up to date; campaign and alert texts empty in their source are
// not counted. It reads only what it is given.
func translationCoverage(in coverageInput) []localeCoverage {
	src := in.Catalog(in.Default)
	srcIDs := make([]string, 0, len(src))
	for id := range src {
		srcIDs = append(srcIDs, id)
	}
	sort.Strings(srcIDs)
	out := make([]localeCoverage, 0, len(in.Locales))
	for _, loc := range in.Locales {
		lc := localeCoverage{Locale: loc, Name: in.Name(loc), Default: loc == in.Default, UITotal: len(srcIDs)}
		have := in.Catalog(loc)
		for _, id := range srcIDs {
			switch {
			case have[id]:
				lc.UIDone++
			case len(lc.UIMissing) < coverageMaxUI:
				lc.UIMissing = append(lc.UIMissing, id)
			default:
				lc.UIMore++
			}
		}
		for _, cs := range in.Courses {
			w := cs.Working()
			if w == nil || cs.Status == app.CourseArchived {
				continue
			}
			cc := courseCoverage{Slug: cs.Slug, SourceLocale: w.SourceLocale}
			for _, f := range w.Fields() {
				st := w.TranslationState(loc, f)
				switch st {
				case app.TranslationMissing:
					cc.Missing++
				case app.TranslationOutdated:
					cc.Outdated++
				default:
					cc.UpToDate++
					continue
				}
				if len(cc.Fields) < coverageMaxFields {
					cc.Fields = append(cc.Fields, fieldCoverage{Key: f.Key, Label: in.Words.Label(w, f.Key), State: st})
				} else {
					cc.More++
				}
			}
			lc.Fields += cc.Missing + cc.Outdated + cc.UpToDate
			lc.Missing += cc.Missing
			lc.Outdated += cc.Outdated
			lc.UpToDate += cc.UpToDate
			if cc.Missing+cc.Outdated > 0 {
				cc.Title, cc.TitleLang = coverageText(w.Title, in.Lang, w.SourceLocale)
				lc.Courses = append(lc.Courses, cc)
			}
		}
		for _, cp := range in.Campaigns {
			pc := campaignCoverage{Slug: cp.Slug, SourceLocale: cp.SourceLocale}
			pc.Total, pc.Fields = missingFields([]app.Field{{Key: "title", Text: cp.Title}, {Key: "description", Text: cp.Description}}, cp.SourceLocale, loc)
			pc.Missing = len(pc.Fields)
			lc.Fields += pc.Total
			lc.Missing += pc.Missing
			lc.UpToDate += pc.Total - pc.Missing
			if pc.Missing > 0 {
				pc.Title, pc.TitleLang = coverageText(cp.Title, in.Lang, cp.SourceLocale)
				lc.Campaigns = append(lc.Campaigns, pc)
			}
		}
		for _, a := range in.Alerts {
			if !coverageAlert(a, in.Now) {
				continue
			}
			ac := alertCoverage{Identifier: a.Identifier, SourceLocale: a.SourceLocale, Published: a.State == app.AlertPublished}
			ac.Total, ac.Fields = missingFields(a.AlertFields(), a.SourceLocale, loc)
			ac.Missing = len(ac.Fields)
			lc.Fields += ac.Total
			lc.Missing += ac.Missing
			lc.UpToDate += ac.Total - ac.Missing
			if ac.Missing > 0 {
				row := alertAdminRowOf(a, nil, in.Lang, in.Now)
				ac.Headline, ac.HeadlineLang, ac.Phase, ac.PhaseTag = row.Display, row.DisplayLang, row.Phase, row.PhaseTag
				lc.Alerts = append(lc.Alerts, ac)
			}
		}
		out = append(out, lc)
	}
	return out
}

// coverageAlert reports whether an alert's translations count at now: an
// unpublished alert (organizers translate it before it is sent), or a
// published one that citizens see now or will see (app.Alert.Active, or
// public, not a Cancel, not replaced and effective later). Expired,
// replaced and cancelled alerts are left out: they cannot be edited and
// nobody needs them translated any more.
func coverageAlert(a *app.Alert, now time.Time) bool {
	if a.State != app.AlertPublished {
		return true
	}
	upcoming := a.Public() && a.MsgType != "Cancel" && a.SupersededBy == "" &&
		now.Before(a.Effective) && now.Before(a.Expires)
	return a.Active(now) || upcoming
}

// coverageText is t in lang, or in source when lang has none, with the locale
// of the text returned (for the lang attribute).
func coverageText(t app.Text, lang, source string) (string, string) {
	v, fallback := t.Get(lang, source)
	if fallback {
		return v, source
	}
	return v, lang
}

// adminTranslations is the translation-coverage page: per enabled locale,
// the share of UI strings and of content translated, and for one locale
// (?locale=, by default the first after the site default; an unknown value
// falls back to it) the missing and outdated items with links to edit them.
func (s *Server) adminTranslations(c *fiber.Ctx) error {
	ctx := c.UserContext()
	lang := s.localeOf(c)
	courses, err := s.store.AdminCourses(ctx, store.AdminCourseFilter{})
	if err != nil {
		return err
	}
	campaigns, err := s.store.AllCampaigns(ctx)
	if err != nil {
		return err
	}
	alerts, err := s.store.AdminAlerts(ctx)
	if err != nil {
		return err
	}
	locales := s.enabledLocales(ctx)
	rows := translationCoverage(coverageInput{
		Locales: locales, Default: s.bundle.Default(), Catalog: s.bundle.MessageIDs,
		Name:    func(l string) string { return s.bundle.Localizer(l).T("language.native", nil) },
		Courses: courses, Campaigns: campaigns, Alerts: alerts, Now: s.now(), Lang: lang, Words: s.words(lang),
	})
	chosen := 0
	if len(rows) > 1 {
		chosen = 1
	}
	want := c.Query("locale")
	for i, r := range rows {
		if r.Locale == want {
			chosen = i
		}
	}
	data := fiber.Map{"Title": s.bundle.Localizer(lang).T("admin.translations.title", nil), "Rows": rows}
	if len(rows) > 0 {
		d := rows[chosen]
		data["Detail"] = d
		data["CatalogPath"] = "content/locales/" + d.Locale + ".toml"
		data["SourceName"] = s.bundle.Localizer(s.bundle.Default()).T("language.native", nil)
	}
	return s.adminRender(c, "admin/translation/index", data)
}

// missingFields counts the fields that have source text (optional fields
// left empty in the source do not count) and lists the keys of those with
// no text in loc: content tracked for missing translations only.
func missingFields(fields []app.Field, source, loc string) (total int, missing []string) {
	for _, f := range fields {
		if strings.TrimSpace(f.Text[source]) == "" {
			continue
		}
		total++
		if strings.TrimSpace(f.Text[loc]) == "" {
			missing = append(missing, f.Key)
		}
	}
	return total, missing
}
