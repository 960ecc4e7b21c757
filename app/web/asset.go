package web

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// assets serves the static folder under content-hashed names, so files can
// be cached for a year and still change on the next release.
type assets struct {
	byName map[string]string // "css/site.css" → "/static/css/site.1a2b3c4d.css"
	files  map[string]asset  // "css/site.1a2b3c4d.css" → file
}

type asset struct {
	body        []byte
	contentType string
}

func loadAssets(fsys fs.FS) (*assets, error) {
	a := &assets{byName: map[string]string{}, files: map[string]asset{}}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		ext := path.Ext(p)
		if ext == ".css" {
			body = minifyCSS(body)
		}
		sum := sha256.Sum256(body)
		hashed := strings.TrimSuffix(p, ext) + "." + hex.EncodeToString(sum[:4]) + ext
		ct := mime.TypeByExtension(ext)
		if ct == "" {
			ct = "application/octet-stream"
		}
		if strings.HasPrefix(ct, "text/") && !strings.Contains(ct, "charset") {
			ct += "; charset=utf-8"
		}
		a.byName[p] = "/static/" + hashed
		a.files[hashed] = asset{body: body, contentType: ct}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load static files: %w", err)
	}
	return a, nil
}

// url returns the hashed URL of a static file; templates call it as asset.
func (a *assets) url(name string) string {
	if u, ok := a.byName[name]; ok {
		return u
	}
	return "/static/" + name
}

// body returns a static file's bytes by its plain name ("js/sw.js").
func (a *assets) body(name string) ([]byte, bool) {
	f, ok := a.files[strings.TrimPrefix(a.url(name), "/static/")]
	return f.body, ok
}

func (a *assets) serve(c *fiber.Ctx) error {
	f, ok := a.files[c.Params("*")]
	if !ok {
		return fiber.ErrNotFound
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	c.Set(fiber.HeaderContentType, f.contentType)
	return c.Send(f.body)
}
