package web

import (
	"strconv"
	"strings"

	"beacon/app"
	"beacon/app/media"
	"beacon/app/store"

	"github.com/gofiber/fiber/v2"
)

// courseTranslationEditor fills the translation editor with every field
// of the course's working copy, posted values (if any) in place of the
// stored translations.
func (s *Server) courseTranslationEditor(c *fiber.Ctx, cs *store.CourseState, loc string, posted map[string]string, errs app.FieldErrors) translationEditor {
	w := cs.Working()
	lang := s.localeOf(c)
	words := s.words(lang)
	title, _ := w.Title.Get(lang, w.SourceLocale)
	base := s.adminCourseURL(c, cs.Slug)
	ed := translationEditor{From: w.SourceLocale, To: loc, Action: base + "/translations/" + loc, Cancel: base, Errors: errs,
		Crumbs: []translationCrumb{{Href: "/" + lang + "/admin/courses", Label: s.bundle.Localizer(lang).T("admin.courses.title", nil)}, {Href: base, Label: title}}}
	for i, f := range w.Fields() {
		r := translationField{Key: f.Key, Label: words.Label(w, f.Key), Kind: "line", Source: f.Text[w.SourceLocale], Target: f.Text[loc],
			State: w.TranslationState(loc, f), Name: "f" + strconv.Itoa(i), KeyCheck: true}
		if f.Kind == "text" {
			r.Kind = "markdown"
		}
		if v, ok := posted[r.Name]; ok {
			r.Target = v
		}
		ed.Rows = append(ed.Rows, r)
	}
	return ed
}

// adminTranslate shows every field of the course side by side with its
// source text and its state in the target locale.
func (s *Server) adminTranslate(c *fiber.Ctx) error {
	cs, err := s.courseState(c)
	if err != nil {
		return err
	}
	loc, err := s.translationTarget(c, cs.Working().SourceLocale)
	if err != nil {
		return err
	}
	return s.renderTranslationEditor(c, s.courseTranslationEditor(c, cs, loc, nil, nil))
}

// coursePostedTranslations reads the posted fields of the editor's rows:
// lines trimmed, Markdown as typed. A text over 100,000 bytes or naming a
// media file outside the pack's media is refused (the same rule as the
// lesson editor and the pack check).
func coursePostedTranslations(c *fiber.Ctx, rows []translationField) (map[string]string, app.FieldErrors) {
	posted := map[string]string{}
	var errs app.FieldErrors
	for _, r := range rows {
		v, ok := postedText(c, r.Name)
		if !ok {
			continue
		}
		if r.Kind == "line" {
			v = strings.TrimSpace(v)
		}
		posted[r.Name] = v
		switch {
		case len(v) > 100_000:
			errs = append(errs, app.FieldError(r.Name, "admin.error.too_long"))
		case len(media.BadRefs(v)) > 0:
			errs = append(errs, app.FieldError(r.Name, "admin.lesson.error.media_path"))
		}
	}
	return posted, errs
}

// adminTranslateSave stores the translations that changed, stamping them as
// made from the current source; an unchanged outdated field is confirmed
// only when its "still correct" box is ticked. An emptied field is removed.
// Refused texts come back with their errors (422) and nothing is saved.
func (s *Server) adminTranslateSave(c *fiber.Ctx) error {
	cs, err := s.courseState(c)
	if err != nil {
		return err
	}
	loc, err := s.translationTarget(c, cs.Working().SourceLocale)
	if err != nil {
		return err
	}
	posted, errs := coursePostedTranslations(c, s.courseTranslationEditor(c, cs, loc, nil, nil).Rows)
	if len(errs) > 0 {
		return s.renderTranslationEditor(c, s.courseTranslationEditor(c, cs, loc, posted, errs))
	}
	changed := 0
	err = s.store.EditDraft(c.UserContext(), currentUser(c), cs.Slug, "course:translate:"+loc, func(d *app.Course) error {
		for i, f := range d.Fields() {
			name := "f" + strconv.Itoa(i)
			v, ok := posted[name]
			if !ok {
				continue
			}
			if key := c.FormValue(name + "_key"); key != f.Key {
				return app.Errorf(app.ECONFLICT, "admin.translate.changed_meanwhile")
			}
			switch {
			case strings.TrimSpace(v) == "":
				if _, had := f.Text[loc]; had {
					delete(f.Text, loc)
					changed++
				}
			case v != f.Text[loc]:
				f.Text[loc] = v
				d.StampTranslation(loc, f.Key, f.Text[d.SourceLocale])
				changed++
			case c.FormValue(name+"_ok") == "on":
				d.StampTranslation(loc, f.Key, f.Text[d.SourceLocale])
				changed++
			}
		}
		if changed == 0 {
			return errNothingChanged
		}
		return nil
	})
	if err != nil && err != errNothingChanged && !isNothingChanged(err) {
		return err
	}
	s.flash(c, "flash.admin.saved")
	return c.Redirect(s.adminCourseURL(c, cs.Slug)+"/translations/"+loc, fiber.StatusSeeOther)
}

// errNothingChanged aborts an edit that would change nothing, so no empty
// draft or audit entry is written.
var errNothingChanged = &app.Error{Code: app.ECONFLICT, MessageID: "admin.nothing_changed"}

func isNothingChanged(err error) bool {
	var ae *app.Error
	return asAppError(err, &ae) && ae == errNothingChanged
}
