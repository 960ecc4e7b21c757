package web

import (
	"bytes"
	"unicode/utf8"

	"beacon/app"

	"github.com/gofiber/fiber/v2"
)

// validText refuses, before any handler runs, a request whose decoded
// path, query or form text is not UTF-8: PostgreSQL rejects such text with
// an error (a 500) and SQLite stores it as sent, so neither may reach the
// store. Names and values of URL-encoded and multipart forms are checked;
// uploaded files (their bodies, and their names, which media.CleanName
// rewrites) are left to their handlers. A
// refusal is 400 with a localized message and changes nothing.
func (s *Server) validText(c *fiber.Ctx) error {
	if !utf8.Valid(c.Request().URI().Path()) || !validArgs(c.Request().URI().QueryArgs().VisitAll) {
		return app.Errorf(app.EMALFORMED, "error.invalid_utf8")
	}
	if !unsafeMethod(c) {
		return c.Next()
	}
	ct := c.Request().Header.ContentType()
	switch {
	case bytes.HasPrefix(ct, []byte(fiber.MIMEApplicationForm)):
		if !validArgs(c.Request().PostArgs().VisitAll) {
			return app.Errorf(app.EMALFORMED, "error.invalid_utf8")
		}
	case bytes.HasPrefix(ct, []byte(fiber.MIMEMultipartForm)):
		form, err := c.MultipartForm()
		if err != nil {
			return c.Next() // the handler answers a broken body as it does today
		}
		for name, values := range form.Value {
			if !utf8.ValidString(name) {
				return app.Errorf(app.EMALFORMED, "error.invalid_utf8")
			}
			for _, v := range values {
				if !utf8.ValidString(v) {
					return app.Errorf(app.EMALFORMED, "error.invalid_utf8")
				}
			}
		}
	}
	return c.Next()
}

// validArgs reports whether every decoded name and value visit yields is UTF-8.
func validArgs(visit func(func(key, value []byte))) bool {
	ok := true
	visit(func(k, v []byte) {
		if ok && (!utf8.Valid(k) || !utf8.Valid(v)) {
			ok = false
		}
	})
	return ok
}
