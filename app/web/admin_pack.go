package web

import (
	"bytes"
	"context"
	"errors"
	"io"
	"time"

	"beacon/app"
	"beacon/app/content"
	"beacon/app/i18n"

	"github.com/gofiber/fiber/v2"
)

// maxPackUpload bounds an uploaded pack zip: what the zip limits let it
// unpack to (content.MaxZipTotalSize, images are stored uncompressed),
// plus room for the archive's headers. The pack upload route alone may
// send a body this large (bodyLimit); every other route keeps maxBody.
const maxPackUpload = content.MaxZipTotalSize + 2<<20

// packRoutes are the content pack download and upload pages.
func (s *Server) packRoutes() []route {
	h := func(hs ...fiber.Handler) []fiber.Handler { return hs }
	return []route{
		{"GET", "/:lang/admin/packs", accessAdmin, h(s.adminPacks)},
		{"GET", "/:lang/admin/packs/site.zip", accessAdmin, h(s.adminPackDownload)},
		{"POST", "/:lang/admin/packs", accessAdmin, h(s.adminPackUpload)},
	}
}

func (s *Server) adminPacks(c *fiber.Ctx) error {
	return s.adminRender(c, "admin/pack/show", fiber.Map{"Title": s.bundle.Localizer(s.localeOf(c)).T("admin.packs.title", nil)})
}

// adminPackDownload sends the site's content (published courses,
// campaigns, regions, alerts and every image of the media library) as a
// pack zip, the same as beacon export: what another site uploads to
// become a copy.
func (s *Server) adminPackDownload(c *fiber.Ctx) error {
	body, err := s.siteZip(c.UserContext())
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/zip")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="beacon-content-`+s.now().Format("2006-01-02")+`.zip"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(body)
}

// siteZip is the site's content as a pack zip (see adminPackDownload); the
// API's pack.zip is the same bytes.
func (s *Server) siteZip(ctx context.Context) ([]byte, error) {
	pack, err := s.store.SitePack(ctx)
	if err != nil {
		return nil, err
	}
	list, err := s.store.ListMedia(ctx)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(list))
	for i, m := range list {
		names[i] = m.Name
	}
	var buf bytes.Buffer
	if err := content.WriteSiteZip(&buf, pack, names, func(name string) (*app.MediaFile, error) { return s.store.FindMedia(ctx, name) }); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// adminPackUpload imports an uploaded pack zip, all or nothing; a pack with
// problems is refused with every problem listed by file and line.
func (s *Server) adminPackUpload(c *fiber.Ctx) error {
	l := s.bundle.Localizer(s.localeOf(c))
	fail := func(msg string, problems []content.Problem) error {
		c.Status(fiber.StatusUnprocessableEntity)
		return s.adminRender(c, "admin/pack/show", fiber.Map{"Title": l.T("admin.packs.title", nil),
			"Errors": app.FieldErrors{app.FieldError("pack", msg)}, "Problems": localizeProblems(l, problems)})
	}
	fh, err := c.FormFile("pack")
	if err != nil {
		return fail("admin.packs.error.no_file", nil)
	}
	if fh.Size > maxPackUpload {
		return fail("admin.packs.error.too_large", nil)
	}
	f, err := fh.Open()
	if err != nil {
		return fail("admin.packs.error.not_zip", nil)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxPackUpload+1))
	f.Close()
	if err != nil || len(data) > maxPackUpload {
		return fail("admin.packs.error.too_large", nil)
	}
	fsys, err := content.ReadZip(data, content.ZipLimits{})
	if err != nil {
		problem := content.Problem{File: fh.Filename, ID: "zip_not_zip", Message: err.Error()}
		var ze *content.ZipError
		if errors.As(err, &ze) {
			problem = ze.Problem(fh.Filename)
		}
		return fail("admin.packs.error.not_zip", []content.Problem{problem})
	}
	ctx := c.UserContext()
	var site content.Lookup
	pack, err := content.Parse(fsys, content.Options{Locales: s.bundle.Locales(),
		KnownCourses: site.Check(func(slug string) (bool, error) { return s.store.CourseExists(ctx, slug) }),
		KnownMedia:   site.Check(func(name string) (bool, error) { return s.store.MediaExists(ctx, name) }),
		KnownRegions: site.Check(func(code string) (bool, error) { return s.store.RegionExists(ctx, code) }),
		KnownLesson:  site.CheckLesson(func(course, lesson string) (bool, error) { return s.store.LessonExists(ctx, course, lesson) })})
	if site.Err() != nil {
		return site.Err()
	}
	var problems content.Problems
	if errors.As(err, &problems) {
		return fail("admin.packs.error.problems", problems)
	}
	if err != nil {
		return err
	}
	res, err := s.store.ImportPack(ctx, pack)
	if err != nil {
		return err
	}
	if err := s.PinAlertOrigins(ctx); err != nil {
		return err
	}
	if err := s.store.RecordAudit(ctx, currentUser(c), "pack:import", "pack", fh.Filename, nil, res); err != nil {
		return err
	}
	return s.adminRender(c, "admin/pack/show", fiber.Map{"Title": l.T("admin.packs.title", nil),
		"Result": res, "ImportedAt": time.Now()})
}

// packProblem is a pack problem as the upload page lists it: where, and
// what is wrong in the reader's language.
type packProblem struct {
	File string
	Line int
	Text string
}

// localizeProblems words each problem from the catalog (pack.problem.<ID>
// filled with its Args), keeping the English text for a problem the
// catalog does not know.
func localizeProblems(l *i18n.Localizer, ps []content.Problem) []packProblem {
	out := make([]packProblem, 0, len(ps))
	for _, p := range ps {
		text := p.Message
		if p.ID != "" {
			if t := l.T(p.Key(), p.Args); t != p.Key() {
				text = t
			}
		}
		out = append(out, packProblem{File: p.File, Line: p.Line, Text: text})
	}
	return out
}
