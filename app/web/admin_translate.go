package web

import (
	"strconv"
	"strings"

	"beacon/app"
	"beacon/app/media"

	"github.com/gofiber/fiber/v2"
)

// translationField is one row of the side-by-side translation editor.
type translationField struct {
	Key, Kind, Source, Target, State string
	Label                            string // the field in the reader's words
	Name                             string // form field name
}

func (s *Server) translationLocale(c *fiber.Ctx, w *app.Course) (string, error) {
	loc := c.Params("locale")
	if !s.bundle.Enabled(loc) || loc == w.SourceLocale {
		return "", app.Errorf(app.ENOTFOUND, "admin.translate.no_locale")
	}
	return loc, nil
}

func (s *Server) translationFields(w *app.Course, loc, lang string) []translationField {
	var out []translationField
	words := s.words(lang)
	for i, f := range w.Fields() {
		out = append(out, translationField{Key: f.Key, Label: words.Label(w, f.Key), Kind: f.Kind, Source: f.Text[w.SourceLocale], Target: f.Text[loc],
			State: w.TranslationState(loc, f), Name: "f" + strconv.Itoa(i)})
	}
	return out
}

// adminTranslate shows every field of the course side by side with its
// source text and its state in the target locale.
func (s *Server) adminTranslate(c *fiber.Ctx) error {
	cs, err := s.courseState(c)
	if err != nil {
		return err
	}
	w := cs.Working()
	loc, err := s.translationLocale(c, w)
	if err != nil {
		return err
	}
	title, _ := w.Title.Get(s.localeOf(c), w.SourceLocale)
	filter := c.Query("show")
	fields := s.translationFields(w, loc, s.localeOf(c))
	if filter == "todo" {
		var todo []translationField
		for _, f := range fields {
			if f.State != app.TranslationUpToDate {
				todo = append(todo, f)
			}
		}
		fields = todo
	}
	return s.adminRender(c, "admin/course/translate", fiber.Map{"Title": title, "CourseSlug": cs.Slug, "CourseTitle": title,
		"Locale": loc, "LocaleName": s.bundle.Localizer(loc).T("language.native", nil), "SourceLocale": w.SourceLocale,
		"SourceName": s.bundle.Localizer(w.SourceLocale).T("language.native", nil), "Fields": fields, "Show": filter,
		"Counts": w.TranslationCounts(loc)})
}

// adminTranslateSave stores the translations that changed, stamping them as
// made from the current source; an unchanged outdated field is confirmed
// only when its "still correct" box is ticked. An emptied field is removed.
func (s *Server) adminTranslateSave(c *fiber.Ctx) error {
	cs, err := s.courseState(c)
	if err != nil {
		return err
	}
	loc, err := s.translationLocale(c, cs.Working())
	if err != nil {
		return err
	}
	changed := 0
	err = s.store.EditDraft(c.UserContext(), currentUser(c), cs.Slug, "course:translate:"+loc, func(d *app.Course) error {
		for i, f := range d.Fields() {
			name := "f" + strconv.Itoa(i)
			if !c.Request().PostArgs().Has(name) {
				continue
			}
			if key := c.FormValue(name + "_key"); key != f.Key {
				return app.Errorf(app.ECONFLICT, "admin.translate.changed_meanwhile")
			}
			v := strings.ReplaceAll(c.FormValue(name), "\r\n", "\n")
			if f.Kind == "line" {
				v = strings.TrimSpace(v)
			}
			if len(v) > 100_000 {
				return app.Errorf(app.EINVALID, "admin.error.too_long")
			}
			if len(media.BadRefs(v)) > 0 {
				// The same rule as the lesson editor and the pack check.
				return app.Errorf(app.EINVALID, "admin.lesson.error.media_path")
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
