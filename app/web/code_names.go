package web

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

	"beacon/app"
	"beacon/app/authoring"

	"github.com/gofiber/fiber/v2"
)

// codeNames is the part that the region and organization forms share: a
// code, fixed once created, and a name in each enabled locale
// (templates/partials/code-names.html).
type codeNames struct {
	Area  string // message prefix: "admin.regions" or "admin.orgs"
	List  string // the list page, where Cancel and a save go
	New   bool
	Code  string
	Name  string // the stored name in the viewer's language, for the title
	Names []nameField
}

// codeNamesOf is the part as stored (code fixed) or, with code "", empty
// for a new one.
func (s *Server) codeNamesOf(c *fiber.Ctx, area, list, code string, names app.Text) codeNames {
	f := codeNames{Area: area, List: "/" + s.localeOf(c) + list, New: code == "", Code: code, Names: s.nameFields(names)}
	if code != "" {
		f.Name, _ = s.localName(names, code, s.localeOf(c))
	}
	return f
}

// readCodeNames reads the part from the form: the code when stored is ""
// (a new one), else stored's code and title. The form's own checks come
// first (a required default-locale name, a code that names the form),
// then validate's (the domain's Region.Validate or Organization.Validate
// of code and names), once per field, its "name" pointed at the default
// locale's input.
func (s *Server) readCodeNames(c *fiber.Ctx, f codeNames, validate func(code string, names app.Text) app.FieldErrors) (codeNames, app.Text, app.FieldErrors) {
	var errs app.FieldErrors
	if f.New {
		f.Code, errs = readCode(c, f.Area)
	}
	names, nerrs := s.readNames(c, f.Area)
	errs = append(errs, nerrs...)
	f.Names = s.nameFields(names)
	for _, e := range validate(f.Code, names) {
		if e.Field == "name" {
			e = app.FieldError("name-"+s.bundle.Default(), e.MessageID)
		}
		if errs.For(e.Field) == "" {
			errs = append(errs, e)
		}
	}
	return f, names, errs
}

// saveCodeNames runs save when the form has no errors, then says so and
// goes back to the list; errors (the form's, or the store's field errors
// such as a code taken) go to page. Other store errors are returned.
func (s *Server) saveCodeNames(c *fiber.Ctx, f codeNames, errs app.FieldErrors, save func() error, page func(app.FieldErrors) error) error {
	if len(errs) == 0 {
		err := save()
		if err == nil {
			s.flash(c, f.Area+".saved")
			return c.Redirect(f.List, fiber.StatusSeeOther)
		}
		fe, ok := s.storeFieldErrors(err)
		if !ok {
			return err
		}
		errs = fe
	}
	return page(errs)
}

// nameField is the name input of one enabled locale.
type nameField struct {
	Lang     string
	ID       string // element id, form field and error field
	Label    string // the language's own name
	Dir      string // "ltr" or "rtl", the language's direction
	Value    string
	Required bool
}

// nameFields lists one name input per enabled locale, the site's default
// locale first (it is the one required).
func (s *Server) nameFields(t app.Text) []nameField {
	def := s.bundle.Default()
	out := []nameField{}
	add := func(lang string) {
		out = append(out, nameField{Lang: lang, ID: "name-" + lang, Label: s.bundle.Localizer(lang).T("language.native", nil), Dir: s.bundle.Localizer(lang).Dir(),
			Value: t[lang], Required: lang == def})
	}
	add(def)
	for _, lang := range s.bundle.Locales() {
		if lang != def {
			add(lang)
		}
	}
	return out
}

// readNames reads the name inputs and checks them: the default locale's
// name is required, every name is short and free of control characters.
// prefix is the message prefix ("admin.regions" or "admin.orgs").
func (s *Server) readNames(c *fiber.Ctx, prefix string) (app.Text, app.FieldErrors) {
	t := app.Text{}
	var errs app.FieldErrors
	for _, lang := range s.bundle.Locales() {
		id := "name-" + lang
		v := strings.TrimSpace(c.FormValue(id))
		if len(v) > maxPlaceName*8 {
			v = v[:maxPlaceName*8]
		}
		switch {
		case v == "" && lang == s.bundle.Default():
			errs = append(errs, app.FieldError(id, prefix+".error.name_required"))
		case utf8.RuneCountInString(v) > maxPlaceName:
			errs = append(errs, app.FieldError(id, prefix+".error.name_long"))
		case strings.IndexFunc(v, unicode.IsControl) >= 0 || !utf8.ValidString(v):
			errs = append(errs, app.FieldError(id, prefix+".error.name_invalid"))
		}
		if v != "" {
			t[lang] = v
		}
	}
	return t, errs
}

// readCode reads a new code; "new" is refused because it names the form.
func readCode(c *fiber.Ctx, prefix string) (string, app.FieldErrors) {
	code := clip(c.FormValue("code"), 100)
	switch {
	case code == "":
		return code, app.FieldErrors{app.FieldError("code", prefix+".error.code_required")}
	case !authoring.ValidSlug(code):
		return code, app.FieldErrors{app.FieldError("code", prefix+".error.code")}
	case code == "new":
		return code, app.FieldErrors{app.FieldError("code", prefix+".error.code_taken")}
	}
	return code, nil
}

// storeFieldErrors returns the form errors in err, with the store's "name"
// field pointed at the default locale's input.
func (s *Server) storeFieldErrors(err error) (app.FieldErrors, bool) {
	var fe app.FieldErrors
	if !errors.As(err, &fe) {
		return nil, false
	}
	out := make(app.FieldErrors, 0, len(fe))
	for _, e := range fe {
		if e.Field == "name" {
			e = app.FieldError("name-"+s.bundle.Default(), e.MessageID)
		}
		out = append(out, e)
	}
	return out, true
}
