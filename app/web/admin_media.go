package web

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"beacon/app"
	"beacon/app/media"
	"beacon/app/store"

	"github.com/gofiber/fiber/v2"
)

// mediaRoutes are the media library's pages and the public image URLs.
func (s *Server) mediaRoutes() []route {
	h := func(hs ...fiber.Handler) []fiber.Handler { return hs }
	const base = "/:lang/admin/media"
	return []route{
		{"GET", "/media/:name", accessPublic, h(s.mediaServe)},
		{"GET", base, accessEdit, h(s.adminMedia)},
		{"POST", base, accessEdit, h(s.adminMediaUpload)},
		{"GET", base + "/:name/delete", accessEdit, h(s.adminMediaDeleteForm)},
		{"POST", base + "/:name/delete", accessEdit, h(s.adminMediaDelete)},
	}
}

// mediaCache is how long browsers and CDNs keep an image before asking
// again. Names are not content-hashed (a deleted name may be uploaded
// again, a pack import may replace a file's bytes), so the lifetime is a
// week rather than a year; the ETag makes asking again cheap.
const mediaCache = "public, max-age=604800"

// mediaServe sends a media file's bytes with its stored type; with ?w=
// (one of media.Widths narrower than the original) it sends the resized
// copy of that width instead. Browsers may not sniff another type, and the
// file shows inline, never as a download that could be opened as a page.
// Unknown and malformed names, and widths without a copy, are 404.
func (s *Server) mediaServe(c *fiber.Ctx) error {
	name := c.Params("name")
	if !media.ValidName(name) {
		return app.Errorf(app.ENOTFOUND, "error.not_found")
	}
	var (
		m    *app.MediaFile
		err  error
		etag string
	)
	if w := c.Query("w"); w != "" {
		width, aerr := strconv.Atoi(w)
		if aerr != nil || !slices.Contains(media.Widths, width) {
			return app.Errorf(app.ENOTFOUND, "error.not_found")
		}
		m, err = s.store.FindMediaCopy(c.UserContext(), name, width)
		if m != nil {
			etag = `"` + m.SHA256 + "-" + w + `"`
		}
	} else {
		m, err = s.store.FindMedia(c.UserContext(), name)
		if m != nil {
			etag = `"` + m.SHA256 + `"`
		}
	}
	if app.ErrorCode(err) == app.ENOTFOUND {
		return app.Errorf(app.ENOTFOUND, "error.not_found")
	}
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderContentDisposition, `inline; filename="`+m.Name+`"`)
	c.Set(fiber.HeaderCacheControl, mediaCache)
	c.Set(fiber.HeaderETag, etag)
	if etagMatches(c.Get(fiber.HeaderIfNoneMatch), etag) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	c.Set(fiber.HeaderContentType, m.ContentType)
	return c.Send(m.Data)
}

// etagMatches reports whether an If-None-Match header names etag (weak or
// strong) or is "*".
func etagMatches(header, etag string) bool {
	for _, v := range strings.Split(header, ",") {
		v = strings.TrimPrefix(strings.TrimSpace(v), "W/")
		if v == etag || v == "*" {
			return true
		}
	}
	return false
}

// sendTagged answers body with a strong ETag of its SHA-256, or 304 when
// If-None-Match names it: for generated bodies (the service worker, a
// certificate's QR code) that a conditional GET should not fetch again.
func sendTagged(c *fiber.Ctx, body []byte) error {
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:12]) + `"`
	c.Set(fiber.HeaderETag, etag)
	if etagMatches(c.Get(fiber.HeaderIfNoneMatch), etag) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	return c.Send(body)
}

// mediaItem is one image as the library lists it.
type mediaItem struct {
	Name, URL, Markdown, Type string
	KB, Width, Height         int
	ThumbWidth, ThumbHeight   int
	CreatedAt                 time.Time
}

// Thumbnails fit in this box, keeping their shape and never growing.
const thumbBox = 160

func (s *Server) mediaItem(c *fiber.Ctx, m app.MediaFile) mediaItem {
	l := s.bundle.Localizer(s.localeOf(c))
	tw, th := m.Width, m.Height
	if tw > thumbBox || th > thumbBox {
		if tw >= th {
			tw, th = thumbBox, max(1, m.Height*thumbBox/m.Width)
		} else {
			tw, th = max(1, m.Width*thumbBox/m.Height), thumbBox
		}
	}
	return mediaItem{Name: m.Name, URL: media.URLPath(m.Name), Type: mediaTypeNames[m.ContentType],
		// The alt text is a placeholder in the reader's language for the
		// educator to replace with what the picture shows.
		Markdown: "![" + l.T("admin.media.markdown_alt", nil) + "](" + media.Prefix + m.Name + ")",
		KB:       int((m.Size + 1023) / 1024), Width: m.Width, Height: m.Height, ThumbWidth: tw, ThumbHeight: th, CreatedAt: m.CreatedAt}
}

// mediaTypeNames are the formats' own names, the same in every language.
var mediaTypeNames = map[string]string{media.TypePNG: "PNG", media.TypeJPEG: "JPEG", media.TypeGIF: "GIF", media.TypeWebP: "WebP"}

// mediaPage renders the library: the upload form (with errs, if any) and
// every image, newest first. uploaded names the image just stored.
func (s *Server) mediaPage(c *fiber.Ctx, errs app.FieldErrors, uploaded string) error {
	files, err := s.store.ListMedia(c.UserContext())
	if err != nil {
		return err
	}
	l := s.bundle.Localizer(s.localeOf(c))
	items := make([]mediaItem, 0, len(files))
	var just *mediaItem
	for _, f := range files {
		items = append(items, s.mediaItem(c, f))
		if f.Name == uploaded {
			it := items[len(items)-1]
			just = &it
		}
	}
	if len(errs) > 0 {
		c.Status(fiber.StatusUnprocessableEntity)
	}
	return s.adminRender(c, "admin/media/index", fiber.Map{"Title": l.T("admin.media.title", nil), "Items": items, "Errors": errs,
		"Uploaded": just, "MaxMB": media.MaxSize >> 20, "MaxPixels": l.Number(media.MaxDimension),
		"Accept": strings.Join([]string{media.TypePNG, media.TypeJPEG, media.TypeWebP, media.TypeGIF}, ",")})
}

// adminMedia is the media library page.
func (s *Server) adminMedia(c *fiber.Ctx) error {
	return s.mediaPage(c, nil, c.Query("uploaded"))
}

// adminMediaUpload stores one uploaded image (form field "file"). Its type
// comes from its bytes; its name from the upload's name, cleaned and made
// unique. A file that is missing, too large, not an image or broken
// re-shows the page with the error and stores nothing.
func (s *Server) adminMediaUpload(c *fiber.Ctx) error {
	refuse := func(messageID string) error {
		return s.mediaPage(c, app.FieldErrors{app.FieldError("file", messageID)}, "")
	}
	fh, err := c.FormFile("file")
	if err != nil || fh.Size == 0 {
		return refuse("admin.media.error.required")
	}
	if fh.Size > media.MaxSize {
		return refuse("admin.media.error.too_large")
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, media.MaxSize+1))
	if err != nil {
		return err
	}
	contentType, ext, err := media.Sniff(data)
	if err != nil {
		return refuse(media.MessageID(err))
	}
	m, err := s.store.CreateMedia(c.UserContext(), currentUser(c), media.CleanName(fh.Filename, ext), contentType, data)
	var ae *app.Error
	if errors.As(err, &ae) && ae.Field != "" {
		return s.mediaPage(c, app.FieldErrors{ae}, "")
	}
	if err != nil {
		return err
	}
	return c.Redirect(s.mediaURL(c)+"?uploaded="+url.QueryEscape(m.Name)+"#uploaded", fiber.StatusSeeOther)
}

func (s *Server) mediaURL(c *fiber.Ctx) string { return "/" + s.localeOf(c) + "/admin/media" }

// mediaUse is a lesson that shows an image, in the published course or
// its draft.
type mediaUse struct {
	CourseSlug, CourseTitle, CourseLang string
	LessonSlug, LessonTitle, LessonLang string
}

// mediaUses lists the lessons whose body, in any locale of the published
// revision or the draft, refers to media/<name>.
func (s *Server) mediaUses(c *fiber.Ctx, name string) ([]mediaUse, error) {
	states, err := s.store.AdminCourses(c.UserContext(), store.AdminCourseFilter{})
	if err != nil {
		return nil, err
	}
	lang := s.localeOf(c)
	seen := map[string]bool{}
	var out []mediaUse
	for _, cs := range states {
		for _, course := range []*app.Course{cs.Published, cs.Draft} {
			if course == nil {
				continue
			}
			for _, l := range course.Lessons {
				key := cs.Slug + "/" + l.Slug
				if seen[key] || !showsMedia(l, name) {
					continue
				}
				seen[key] = true
				u := mediaUse{CourseSlug: cs.Slug, LessonSlug: l.Slug, CourseLang: lang, LessonLang: lang}
				var fb bool
				if u.CourseTitle, fb = course.Title.Get(lang, course.SourceLocale); fb {
					u.CourseLang = course.SourceLocale
				}
				if u.LessonTitle, fb = l.Title.Get(lang, course.SourceLocale); fb {
					u.LessonLang = course.SourceLocale
				}
				out = append(out, u)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].CourseSlug < out[j].CourseSlug })
	return out, nil
}

func showsMedia(l app.Lesson, name string) bool {
	for _, body := range l.Body {
		if !strings.Contains(body, media.Prefix+name) {
			continue
		}
		for _, ref := range media.Refs(body) {
			if ref == name {
				return true
			}
		}
	}
	return false
}

// findMediaParam loads the image named in the path (ENOTFOUND for a name
// that cannot be one).
func (s *Server) findMediaParam(c *fiber.Ctx) (*app.MediaFile, error) {
	name := c.Params("name")
	if !media.ValidName(name) {
		return nil, app.Errorf(app.ENOTFOUND, "admin.media.not_found")
	}
	return s.store.FindMedia(c.UserContext(), name)
}

// adminMediaDeleteForm asks to confirm deleting an image, listing the
// lessons that show it.
func (s *Server) adminMediaDeleteForm(c *fiber.Ctx) error {
	m, err := s.findMediaParam(c)
	if err != nil {
		return err
	}
	uses, err := s.mediaUses(c, m.Name)
	if err != nil {
		return err
	}
	m.Data = nil
	return s.adminRender(c, "admin/media/confirm", fiber.Map{"Title": m.Name, "Item": s.mediaItem(c, *m), "Uses": uses,
		"Action": s.mediaURL(c) + "/" + m.Name + "/delete"})
}

// adminMediaDelete deletes an image from the library.
func (s *Server) adminMediaDelete(c *fiber.Ctx) error {
	name := c.Params("name")
	if !media.ValidName(name) {
		return app.Errorf(app.ENOTFOUND, "admin.media.not_found")
	}
	if err := s.store.DeleteMedia(c.UserContext(), currentUser(c), name); err != nil {
		return err
	}
	s.flash(c, "flash.admin.deleted")
	return c.Redirect(s.mediaURL(c), fiber.StatusSeeOther)
}
