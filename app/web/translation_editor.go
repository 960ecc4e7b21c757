package web

import (
	"strings"

	"beacon/app"

	"github.com/gofiber/fiber/v2"
)

// translationField is one field of the side-by-side translation editor:
// the source text on one side, the translation being made on the other.
type translationField struct {
	Key    string // the owner's stable key of the field
	Label  string // the field in the reader's words
	Kind   string // "line" (one line), "text" (lines kept) or "markdown"
	Source string // the text in the source locale
	Target string // the translation, as stored or as typed
	State  string // app.TranslationMissing, Outdated, UpToDate or Present
	Name   string // form field name and element id
	Max    int    // length limit in characters; 0 when the owner sets none
	// KeyCheck posts Key back beside the field (Name_key), for owners
	// whose fields can move while someone translates (a course's lessons).
	KeyCheck bool
	Error    string // message id of the field's error, if any
}

// NeedsWork reports whether the row belongs in the "show only what needs
// work" view.
func (r translationField) NeedsWork() bool {
	return r.State == app.TranslationMissing || r.State == app.TranslationOutdated
}

// Tag is the tag class that colours the row's state.
func (r translationField) Tag() string { return stateTag(r.State) }

// stateTag is the tag class of a translation state: what needs work stands out.
func stateTag(state string) string {
	switch state {
	case app.TranslationMissing:
		return "tag-warning"
	case app.TranslationOutdated:
		return "tag-progress"
	}
	return "tag-done"
}

// Long reports whether the source is long enough for a tall text box.
func (r translationField) Long() bool { return len(r.Source) > 400 }

// translationCrumb is one link of the editor's breadcrumbs (the page
// itself comes last, unlinked).
type translationCrumb struct {
	Href, Label, Lang string
}

// translationEditor is the one side-by-side translation page that courses,
// campaigns and alerts share. Each owner fills in its rows, its links and
// its hint; the page, the states, the filter and the error summary are the
// same for all.
type translationEditor struct {
	Crumbs         []translationCrumb
	Lead, LeadLang string // an optional line under the heading (the alert's headline)
	Hint           string // message id of the owner's hint above the fields
	Action, Cancel string // where the form posts, and where Cancel goes
	From, To       string // source and target locales
	Rows           []translationField
	Errors         app.FieldErrors
}

// translationTarget reads the :locale of a translation route: a locale
// with a catalog (translations may be made before a language is turned on
// for visitors) other than the source. Anything else is not found.
func (s *Server) translationTarget(c *fiber.Ctx, source string) (string, error) {
	loc := c.Params("locale")
	if !s.bundle.Enabled(loc) || loc == source {
		return "", app.Errorf(app.ENOTFOUND, "admin.translate.no_locale")
	}
	return loc, nil
}

// textState is the state of a translation whose owner keeps no
// fingerprint of the source it was made from: missing or present.
func textState(t app.Text, loc string) string {
	if strings.TrimSpace(t[loc]) == "" {
		return app.TranslationMissing
	}
	return app.TranslationPresent
}

// renderTranslationEditor shows the editor (422 when it carries errors).
// With ?show=todo only the rows that need work are listed; a row with an
// error is always listed. The states are counted over every row.
func (s *Server) renderTranslationEditor(c *fiber.Ctx, ed translationEditor) error {
	lang := s.localeOf(c)
	toName := s.bundle.Localizer(ed.To).T("language.native", nil)
	counts := map[string]int{}
	for i := range ed.Rows {
		r := &ed.Rows[i]
		counts[r.State]++
		if ed.Errors != nil {
			r.Error = ed.Errors.For(r.Name)
		}
	}
	// The states in one order on every page: what needs work first.
	var tally []fiber.Map
	for _, st := range []string{app.TranslationMissing, app.TranslationOutdated, app.TranslationPresent, app.TranslationUpToDate} {
		if _, ok := counts[st]; ok || st == app.TranslationMissing {
			tally = append(tally, fiber.Map{"State": st, "N": counts[st], "Tag": stateTag(st)})
		}
	}
	show := c.Query("show")
	if show != "todo" {
		show = ""
	}
	rows := ed.Rows
	if show == "todo" {
		rows = nil
		for _, r := range ed.Rows {
			if r.NeedsWork() || r.Error != "" {
				rows = append(rows, r)
			}
		}
	}
	if len(ed.Errors) > 0 {
		c.Status(fiber.StatusUnprocessableEntity)
	}
	title := s.bundle.Localizer(lang).T("admin.translate.heading", map[string]any{"Language": toName})
	// The heading names only the language; the title also names what is
	// translated (the last crumb), so a course's and an alert's differ.
	meta := &pageMeta{Title: title}
	if n := len(ed.Crumbs); n > 0 {
		meta.Title += " – " + ed.Crumbs[n-1].Label
	}
	return s.adminRender(c, "admin/translation/editor", fiber.Map{"Title": title, "Editor": ed, "Rows": rows, "Meta": meta,
		"Tally": tally, "Show": show, "Errors": ed.Errors,
		"FromName": s.bundle.Localizer(ed.From).T("language.native", nil), "FromDir": s.bundle.Localizer(ed.From).Dir(),
		"ToName": toName, "ToDir": s.bundle.Localizer(ed.To).Dir()})
}

// postedText reads one translated field with its line breaks made \n.
// ok is false when the form did not carry the field (the "needs work"
// view leaves finished rows out): the field then keeps its text.
func postedText(c *fiber.Ctx, name string) (v string, ok bool) {
	if !c.Request().PostArgs().Has(name) {
		return "", false
	}
	return strings.ReplaceAll(c.FormValue(name), "\r\n", "\n"), true
}

// withTranslation returns a copy of t with locale loc set to v, or
// removed when v is empty (readers then see the source).
func withTranslation(t app.Text, loc, v string) app.Text {
	out := app.Text{}
	for k, x := range t {
		out[k] = x
	}
	if v == "" {
		delete(out, loc)
	} else {
		out[loc] = v
	}
	return out
}
