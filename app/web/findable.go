package web

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"beacon/app/shareimage"

	"github.com/gofiber/fiber/v2"
)

// robotsTxt lets crawlers read the public site and names the sitemap.
// Kept out: the admin area and the learner's own pages (noindex anyway,
// and crawling them only meets the login page), quiz results, personal
// token links, the visit pixel. Sign-in and registration stay crawlable:
// they are public pages in every language. Rules name each locale rather
// than "/*/me", whose "*" would also match "/en/campaigns/media-week".
func (s *Server) robotsTxt(c *fiber.Ctx) error {
	var b strings.Builder
	b.WriteString("User-agent: *\n")
	for _, l := range s.enabledLocales(c.UserContext()) {
		for _, p := range []string{"/admin/", "/me$", "/me/", "/register/confirm/", "/password/reset/"} {
			b.WriteString("Disallow: /" + l + p + "\n")
		}
	}
	for _, p := range []string{"/*/courses/*/quiz/results/", "/visit.gif"} {
		b.WriteString("Disallow: " + p + "\n")
	}
	b.WriteString("Allow: /\n\nSitemap: " + s.baseURL(c) + "/sitemap.xml\n")
	c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	c.Type("txt", "utf-8")
	return c.SendString(b.String())
}

// iconSizes are the PNG icons served under /icons/ (the manifest's 192 and
// 512, Apple's 180) and inside /favicon.ico (32 and 48).
var iconSizes = map[string]int{"icon-192.png": 192, "icon-512.png": 512, "apple-touch-icon.png": 180}

// icons are drawn once, at start, by shareimage.IconPNG.
type icons struct {
	png map[string][]byte
	ico []byte
	tag string
}

func newIcons() (*icons, error) {
	ic := &icons{png: map[string][]byte{}}
	for name, size := range iconSizes {
		b, err := shareimage.IconPNG(size)
		if err != nil {
			return nil, err
		}
		ic.png[name] = b
	}
	small32, err := shareimage.IconPNG(32)
	if err != nil {
		return nil, err
	}
	small48, err := shareimage.IconPNG(48)
	if err != nil {
		return nil, err
	}
	if ic.ico, err = shareimage.ICO(small32, small48); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(ic.ico)
	ic.tag = hex.EncodeToString(sum[:4])
	return ic, nil
}

// favicon answers /favicon.ico, which browsers ask for on every site.
func (s *Server) favicon(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "public, max-age=86400")
	c.Set(fiber.HeaderContentType, "image/x-icon")
	return c.Send(s.icons.ico)
}

// icon answers the PNG icons the manifest names.
func (s *Server) icon(c *fiber.Ctx) error {
	b, ok := s.icons.png[c.Params("file")]
	if !ok {
		return unmatched(c)
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=86400")
	c.Set(fiber.HeaderContentType, "image/png")
	return c.Send(b)
}

// webManifest is a web app manifest (W3C Web Application Manifest).
type webManifest struct {
	Name            string         `json:"name"`
	ShortName       string         `json:"short_name"`
	Description     string         `json:"description"`
	StartURL        string         `json:"start_url"`
	Scope           string         `json:"scope"`
	ID              string         `json:"id"`
	Lang            string         `json:"lang"`
	Dir             string         `json:"dir"`
	Display         string         `json:"display"`
	ThemeColor      string         `json:"theme_color"`
	BackgroundColor string         `json:"background_color"`
	Icons           []manifestIcon `json:"icons"`
}

type manifestIcon struct {
	Src     string `json:"src"`
	Sizes   string `json:"sizes"`
	Type    string `json:"type"`
	Purpose string `json:"purpose,omitempty"`
}

// manifest answers /{lang}/manifest.webmanifest: the site as an installable
// app in that language.
func (s *Server) manifest(c *fiber.Ctx) error {
	lang := s.localeOf(c)
	l := s.bundle.Localizer(lang)
	name := s.siteNameIn(c.UserContext(), lang)
	short := name
	if r := []rune(short); len(r) > 12 {
		short = string(r[:12])
	}
	m := webManifest{Name: name, ShortName: short, Description: l.T("footer.about", nil),
		StartURL: "/" + lang + "/", Scope: "/", ID: "/" + lang + "/", Lang: lang, Dir: l.Dir(), Display: "minimal-ui",
		ThemeColor: "#0b3d91", BackgroundColor: "#ffffff",
		Icons: []manifestIcon{
			{Src: "/icons/icon-192.png?v=" + s.icons.tag, Sizes: "192x192", Type: "image/png"},
			{Src: "/icons/icon-512.png?v=" + s.icons.tag, Sizes: "512x512", Type: "image/png"},
			{Src: s.assets.url("img/icon.svg"), Sizes: "any", Type: "image/svg+xml"},
		}}
	b, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("manifest: %w", err)
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	c.Set(fiber.HeaderContentType, "application/manifest+json")
	return c.Send(b)
}
