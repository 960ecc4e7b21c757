package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"image/png"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"beacon/app"
	"beacon/app/shareimage"
	"beacon/app/store"
	"beacon/app/testenv"
	"beacon/app/web"
)

const findableBase = "https://learn.city.example"

// findableSite is a seeded server with one of each public page kind: a
// campaign with open results, a published alert, and a certificate.
type findableSite struct {
	*testServer
	campaign, alert, cert, lesson string
}

func openFindable(t *testing.T, open func(testing.TB) *store.Store) *findableSite {
	t.Helper()
	srv := mustOpenServerOn(t, open(t), func(o *web.Options) { o.BaseURL = findableBase })
	org := srv.signedIn(t, "organizer@findable.example", app.RoleOrganizer)
	newCampaign(t, org, "storm-week", time.Now().Add(-time.Hour), time.Now().Add(7*24*time.Hour), "cyber-hygiene")
	ctx := context.Background()
	if err := srv.Store.SetCampaignResults(ctx, srv.organizer(t), "storm-week", true); err != nil {
		t.Fatal(err)
	}
	a := srv.publishAlert(t, alertFixture("findable-flood", func(a *app.Alert) {
		a.Severity = "Severe"
		a.Headline = app.Text{"en": "Flood warning for the river valley", "ar": "تحذير من فيضان في وادي النهر", "zh-Hans": "河谷洪水警报"}
	}))
	learner := srv.signedIn(t, "learner@findable.example")
	pc := srv.course(t, "cyber-hygiene")
	learner.completeCourse("en", pc)
	u, err := srv.Store.FindUserByEmail(ctx, "learner@findable.example")
	if err != nil {
		t.Fatal(err)
	}
	certs, err := srv.Store.Certificates(ctx, u.ID)
	if err != nil || len(certs) == 0 {
		t.Fatalf("certificates: %v, %d", err, len(certs))
	}
	return &findableSite{testServer: srv, campaign: "storm-week", alert: a.Identifier, cert: certs[0].Code, lesson: pc.Lessons[0].Slug}
}

// publicPages are the public page kinds, as paths in lang.
func (f *findableSite) publicPages(lang string) map[string]string {
	L := "/" + lang
	return map[string]string{
		"home": L + "/", "catalog": L + "/courses", "course": L + "/courses/cyber-hygiene",
		"lesson": L + "/courses/cyber-hygiene/lessons/" + f.lesson, "quiz": L + "/courses/cyber-hygiene/quiz",
		"campaigns": L + "/campaigns", "campaign": L + "/campaigns/" + f.campaign, "results": L + "/campaigns/" + f.campaign + "/results",
		"alerts": L + "/alerts", "alert": L + "/alerts/" + f.alert, "certificate": "/certificates/" + f.cert,
		"login": L + "/login", "register": L + "/register", "forgot": L + "/password/forgot",
	}
}

// local turns an absolute URL of the site into a path to request.
func local(t *testing.T, u string) string {
	t.Helper()
	p, ok := strings.CutPrefix(u, findableBase)
	if !ok {
		t.Fatalf("%q is not on %s", u, findableBase)
	}
	return p
}

// TestPageMetadata: every public page kind, in en, ar and zh-Hans, has a
// title no other page of the set has, a description, an absolute canonical
// link equal to its URL, Open Graph and Twitter card tags whose image
// answers as a PNG, and an x-default that answers 200; SQLite and PostgreSQL.
func TestPageMetadata(t *testing.T) {
	for name, open := range testenv.Stores(t) {
		t.Run(name, func(t *testing.T) {
			f := openFindable(t, open)
			images := map[string]bool{}
			for _, lang := range []string{"en", "ar", "zh-Hans"} {
				titles := map[string]string{}
				for kind, path := range f.publicPages(lang) {
					c := f.client(t)
					c.lang = lang
					r := c.get(path)
					c.mustStatus(r, 200)
					d := r.Doc
					attr := func(sel, name string) string {
						v, ok := d.Find(sel).Attr(name)
						if !ok || strings.TrimSpace(v) == "" {
							t.Errorf("%s %s: no %s", lang, kind, sel)
						}
						return v
					}
					title := d.Find("head title").Text()
					if other, dup := titles[title]; dup {
						t.Errorf("%s: %s and %s share the title %q", lang, kind, other, title)
					}
					titles[title] = kind
					desc := attr(`meta[name="description"]`, "content")
					if n := utf8.RuneCountInString(desc); n > 200 {
						t.Errorf("%s %s: description of %d characters", lang, kind, n)
					}
					if got := attr(`link[rel="canonical"]`, "href"); got != findableBase+path {
						t.Errorf("%s %s: canonical %q, want %q", lang, kind, got, findableBase+path)
					}
					for _, p := range []string{"og:title", "og:description", "og:url", "og:type", "og:site_name", "og:locale",
						"og:image:width", "og:image:height", "og:image:alt"} {
						attr(`meta[property="`+p+`"]`, "content")
					}
					if w, h := attr(`meta[property="og:image:width"]`, "content"), attr(`meta[property="og:image:height"]`, "content"); w != "1200" || h != "630" {
						t.Errorf("%s %s: share image said to be %s×%s, drawn 1200×630", lang, kind, w, h)
					}
					for _, n := range []string{"twitter:card", "twitter:title", "twitter:description", "twitter:image", "twitter:image:alt"} {
						attr(`meta[name="`+n+`"]`, "content")
					}
					if d.Find(`meta[property="og:locale:alternate"]`).Length() == 0 && kind != "certificate" {
						t.Errorf("%s %s: no og:locale:alternate", lang, kind)
					}
					img := attr(`meta[property="og:image"]`, "content")
					if !images[img] {
						images[img] = true
						ir := f.client(t).get(local(t, img))
						if ir.Status != 200 || ir.Header.Get("Content-Type") != "image/png" {
							t.Errorf("%s %s: og:image %s: %d %s", lang, kind, img, ir.Status, ir.Header.Get("Content-Type"))
						}
					}
					if kind != "certificate" {
						x := attr(`link[rel="alternate"][hreflang="x-default"]`, "href")
						if xr := f.client(t).get(local(t, x)); xr.Status != 200 {
							t.Errorf("%s %s: x-default %s answers %d", lang, kind, x, xr.Status)
						}
					}
					if d.Find(`meta[name="robots"]`).Length() > 0 || r.Header.Get("X-Robots-Tag") != "" {
						t.Errorf("%s %s: a public page says noindex", lang, kind)
					}
				}
			}
			// An Update that repeats the headline still has its own title.
			f.followUp(t, f.alert, "Update", "findable-flood-2", nil)
			first, update := f.Doc(t, "/en/alerts/"+f.alert).Find("head title").Text(), f.Doc(t, "/en/alerts/findable-flood-2").Find("head title").Text()
			if first == update || !strings.HasPrefix(update, "Update: ") {
				t.Errorf("alert %q and its update %q", first, update)
			}
			// A topic selects content and stays in the canonical URL; a
			// search or a tracking parameter does not.
			topic := f.course(t, "cyber-hygiene").Topic
			d := f.Doc(t, "/en/courses?q=password&utm_source=x&topic="+url.QueryEscape(topic))
			if got, _ := d.Find(`link[rel="canonical"]`).Attr("href"); got != findableBase+"/en/courses?topic="+url.QueryEscape(topic) {
				t.Errorf("catalog canonical %q", got)
			}
			if got, _ := d.Find(`link[rel="alternate"][hreflang="fr"]`).Attr("href"); got != findableBase+"/fr/courses?topic="+url.QueryEscape(topic) {
				t.Errorf("catalog alternate %q", got)
			}
			if got, _ := d.Find(`.lang-switch a[hreflang="fr"]`).Attr("href"); !strings.Contains(got, "q=password") {
				t.Errorf("the language switcher dropped the search: %q", got)
			}
		})
	}
}

// TestNoindex: admin pages, the learner's own pages and error pages carry
// a noindex meta tag and X-Robots-Tag header; public pages neither.
func TestNoindex(t *testing.T) {
	srv := MustOpenServer(t)
	admin := srv.signedIn(t, "admin@noindex.example", app.RoleAdministrator)
	learner := srv.signedIn(t, "learner@noindex.example")
	for _, tc := range []struct {
		name    string
		c       *client
		path    string
		status  int
		noindex bool
	}{
		{"AdminHome", admin, "/en/admin/", 200, true},
		{"AdminCourses", admin, "/en/admin/courses", 200, true},
		{"Me", learner, "/en/me", 200, true},
		{"MeAnonymous", srv.client(t), "/en/me", 200, true},
		{"MeAccount", learner, "/ar/me/account", 200, true},
		{"NotFound", srv.client(t), "/en/courses/no-such-course", 404, true},
		{"NotFoundPath", srv.client(t), "/en/no/such/page", 404, true},
		{"Home", srv.client(t), "/en/", 200, false},
		{"HomeSignedIn", learner, "/en/", 200, false},
		{"Course", srv.client(t), "/zh-Hans/courses/cyber-hygiene", 200, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.c.get(tc.path)
			tc.c.mustStatus(r, tc.status)
			meta, _ := r.Doc.Find(`meta[name="robots"]`).Attr("content")
			header := r.Header.Get("X-Robots-Tag")
			if tc.noindex && (meta != "noindex" || header != "noindex") {
				t.Errorf("meta %q, header %q; want noindex in both", meta, header)
			}
			if !tc.noindex && (meta != "" || header != "") {
				t.Errorf("meta %q, header %q on a public page", meta, header)
			}
			if tc.noindex && r.Doc.Find(`link[rel="canonical"]`).Length() > 0 {
				t.Errorf("a noindex page names a canonical URL")
			}
		})
	}
}

type sitemapDoc struct {
	URLs []struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod"`
		Links   []struct {
			Rel      string `xml:"rel,attr"`
			Hreflang string `xml:"hreflang,attr"`
			Href     string `xml:"href,attr"`
		} `xml:"http://www.w3.org/1999/xhtml link"`
	} `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 url"`
}

// TestRobotsAndSitemap: robots.txt names the sitemap; the sitemap parses,
// lists every published course in every locale with its alternates and
// x-default, and every URL in it answers 200; SQLite and PostgreSQL.
func TestRobotsAndSitemap(t *testing.T) {
	for name, open := range testenv.Stores(t) {
		t.Run(name, func(t *testing.T) {
			f := openFindable(t, open)
			c := f.client(t)
			robots := c.get("/robots.txt")
			c.mustStatus(robots, 200)
			if !strings.Contains(robots.Body, "\nSitemap: "+findableBase+"/sitemap.xml\n") {
				t.Errorf("robots.txt names no sitemap:\n%s", robots.Body)
			}
			for _, rule := range []string{"Disallow: /en/admin/", "Disallow: /ar/me$", "Disallow: /zh-Hans/me/"} {
				if !strings.Contains(robots.Body, rule+"\n") {
					t.Errorf("robots.txt lacks %q", rule)
				}
			}
			r := c.get("/sitemap.xml")
			c.mustStatus(r, 200)
			if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/xml") {
				t.Errorf("Content-Type %q", ct)
			}
			if cc := r.Header.Get("Cache-Control"); !strings.Contains(cc, "public") {
				t.Errorf("Cache-Control %q", cc)
			}
			etag := r.Header.Get("ETag")
			req := httptest.NewRequest("GET", "/sitemap.xml", nil)
			req.Header.Set("If-None-Match", etag)
			if again := c.send(req); again.Status != 304 {
				t.Errorf("If-None-Match: %d, want 304", again.Status)
			}
			var doc sitemapDoc
			if err := xml.Unmarshal([]byte(r.Body), &doc); err != nil {
				t.Fatalf("sitemap: %v", err)
			}
			listed := map[string]bool{}
			for _, u := range doc.URLs {
				listed[u.Loc] = true
				langs := map[string]bool{}
				for _, l := range u.Links {
					langs[l.Hreflang] = l.Rel == "alternate"
				}
				for _, want := range append(f.Bundle.Locales(), "x-default") {
					if !langs[want] {
						t.Errorf("%s: no alternate %s", u.Loc, want)
					}
				}
				if u.LastMod != "" {
					if _, err := time.Parse(time.RFC3339, u.LastMod); err != nil {
						t.Errorf("%s: lastmod %q", u.Loc, u.LastMod)
					}
				}
			}
			courses, err := f.Store.PublishedCourses(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			for _, pc := range courses {
				for _, lang := range f.Bundle.Locales() {
					if u := findableBase + "/" + lang + "/courses/" + pc.Slug; !listed[u] {
						t.Errorf("sitemap lacks %s", u)
					}
				}
			}
			for _, want := range []string{"/en/campaigns/" + f.campaign, "/ar/alerts/" + f.alert, "/zh-Hans/courses"} {
				if !listed[findableBase+want] {
					t.Errorf("sitemap lacks %s", want)
				}
			}
			for u := range listed {
				if got := f.client(t).get(local(t, u)); got.Status != 200 {
					t.Errorf("%s answers %d", u, got.Status)
				}
			}
		})
	}
}

// TestShareImages: the share images of a campaign, course, alert and
// certificate are 1200×630 PNGs in en, ar and zh-Hans, each language's
// different; they answer with a strong ETag, 304 to it, and a long max-age
// under their versioned URL.
func TestShareImages(t *testing.T) {
	f := openFindable(t, testenv.MustOpenStore)
	pages := map[string]string{"campaign": "/campaigns/" + f.campaign, "course": "/courses/cyber-hygiene",
		"alert": "/alerts/" + f.alert}
	for kind, rest := range pages {
		seen := map[string]string{}
		for _, lang := range []string{"en", "ar", "zh-Hans"} {
			d := f.Doc(t, "/"+lang+rest)
			img, _ := d.Find(`meta[property="og:image"]`).Attr("content")
			checkShareImage(t, f, kind, lang, local(t, img), seen)
		}
	}
	// The certificate page's language comes from the visitor, not the
	// URL; its image is asked for by language.
	seen := map[string]string{}
	d := f.Doc(t, "/certificates/"+f.cert)
	img, _ := d.Find(`meta[property="og:image"]`).Attr("content")
	if !strings.Contains(img, "/en/share/certificate/"+f.cert+".png?v=") {
		t.Errorf("certificate: image %s", img)
	}
	for _, lang := range []string{"en", "ar", "zh-Hans"} {
		path := local(t, strings.Replace(img, "/en/", "/"+lang+"/", 1))
		path, _, _ = strings.Cut(path, "?")
		checkShareImage(t, f, "certificate", lang, path, seen)
	}
	t.Run("RealGlyphs", func(t *testing.T) {
		r := shareimage.New(nil, 1)
		pc := f.course(t, "cyber-hygiene")
		for _, lang := range []string{"ar", "zh-Hans"} {
			title, fellBack := pc.Title.Get(lang, pc.SourceLocale)
			if fellBack {
				t.Fatalf("the seed course has no %s title", lang)
			}
			fonts, missing, err := r.Coverage(title, lang)
			if err != nil || missing > 0 {
				t.Errorf("%s title %q: %d clusters without a glyph in %v (%v)", lang, title, missing, fonts, err)
			}
		}
	})
	t.Run("UnknownIsNotFound", func(t *testing.T) {
		c := f.client(t)
		for _, p := range []string{"/en/share/course/no-such-course.png", "/en/share/nothing/x.png", "/en/share/course/cyber-hygiene.gif"} {
			c.mustStatus(c.get(p), 404)
		}
	})
}

func checkShareImage(t *testing.T, f *findableSite, kind, lang, path string, seen map[string]string) {
	t.Helper()
	c := f.client(t)
	r := c.get(path)
	if r.Status != 200 || r.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("%s %s: %s answers %d %s", kind, lang, path, r.Status, r.Header.Get("Content-Type"))
	}
	img, err := png.Decode(bytes.NewReader([]byte(r.Body)))
	if err != nil {
		t.Fatalf("%s %s: %v", kind, lang, err)
	}
	if b := img.Bounds(); b.Dx() != 1200 || b.Dy() != 630 {
		t.Errorf("%s %s: %v", kind, lang, b)
	}
	// The title's area has ink: white text on the brand blue.
	inked := 0
	for y := 180; y < 480; y += 2 {
		for x := 80; x < 1120; x += 2 {
			if r, g, b, _ := img.At(x, y).RGBA(); r > 0xc000 && g > 0xc000 && b > 0xc000 {
				inked++
			}
		}
	}
	if inked < 500 {
		t.Errorf("%s %s: %d light pixels in the title area", kind, lang, inked)
	}
	if other, ok := seen[r.Body]; ok {
		t.Errorf("%s: %s and %s images are the same", kind, lang, other)
	}
	seen[r.Body] = lang
	if dir := os.Getenv("BEACON_SHAREIMAGE_DIR"); dir != "" { // to look at them
		if err := os.WriteFile(filepath.Join(dir, kind+"-"+lang+".png"), []byte(r.Body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	etag := r.Header.Get("ETag")
	if !strings.HasPrefix(etag, `"`) {
		t.Errorf("%s %s: ETag %q is not strong", kind, lang, etag)
	}
	if cc := r.Header.Get("Cache-Control"); strings.Contains(path, "?v=") != strings.Contains(cc, "max-age=31536000") {
		t.Errorf("%s %s: Cache-Control %q for %s", kind, lang, cc, path)
	}
	req := httptest.NewRequest("GET", path, nil)
	req.Header.Set("If-None-Match", etag)
	if again := c.send(req); again.Status != 304 {
		t.Errorf("%s %s: If-None-Match answers %d", kind, lang, again.Status)
	}
}

// TestFaviconManifest: /favicon.ico is an icon, the layout links it and
// the SVG icon, and each language's manifest is application/manifest+json
// with a name, start URL and icons (192 and 512) that answer.
func TestFaviconManifest(t *testing.T) {
	srv := MustOpenServer(t)
	c := srv.client(t)
	fav := c.get("/favicon.ico")
	c.mustStatus(fav, 200)
	if ct := fav.Header.Get("Content-Type"); ct != "image/x-icon" || !strings.HasPrefix(fav.Body, "\x00\x00\x01\x00") {
		t.Errorf("favicon: %s, starts %q", ct, fav.Body[:min(4, len(fav.Body))])
	}
	d := srv.Doc(t, "/ar/")
	for _, sel := range []string{`link[rel="icon"][href="/favicon.ico"]`, `link[rel="icon"][type="image/svg+xml"]`, `link[rel="manifest"][href="/ar/manifest.webmanifest"]`} {
		if d.Find(sel).Length() != 1 {
			t.Errorf("layout lacks %s", sel)
		}
	}
	svg, _ := d.Find(`link[rel="icon"][type="image/svg+xml"]`).Attr("href")
	if r := c.get(svg); r.Status != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "image/svg+xml") {
		t.Errorf("%s: %d %s", svg, r.Status, r.Header.Get("Content-Type"))
	}
	for _, lang := range []string{"en", "ar", "zh-Hans"} {
		r := c.get("/" + lang + "/manifest.webmanifest")
		c.mustStatus(r, 200)
		if ct := r.Header.Get("Content-Type"); ct != "application/manifest+json" {
			t.Errorf("%s manifest: Content-Type %q", lang, ct)
		}
		var m struct {
			Name      string `json:"name"`
			ShortName string `json:"short_name"`
			StartURL  string `json:"start_url"`
			Lang      string `json:"lang"`
			Dir       string `json:"dir"`
			Icons     []struct{ Src, Sizes, Type string }
		}
		if err := json.Unmarshal([]byte(r.Body), &m); err != nil {
			t.Fatal(err)
		}
		if m.Name == "" || m.ShortName == "" || m.StartURL != "/"+lang+"/" || m.Lang != lang {
			t.Errorf("%s manifest: %+v", lang, m)
		}
		if (lang == "ar") != (m.Dir == "rtl") {
			t.Errorf("%s manifest: dir %q", lang, m.Dir)
		}
		sizes := map[string]bool{}
		for _, ic := range m.Icons {
			ir := c.get(ic.Src)
			if ir.Status != 200 || ir.Header.Get("Content-Type") != ic.Type {
				t.Errorf("icon %s: %d %s, want %s", ic.Src, ir.Status, ir.Header.Get("Content-Type"), ic.Type)
			}
			if ic.Type == "image/png" {
				cfg, err := png.DecodeConfig(strings.NewReader(ir.Body))
				if err != nil || ic.Sizes != fmt.Sprintf("%dx%d", cfg.Width, cfg.Height) {
					t.Errorf("icon %s: %v, %dx%d for %s", ic.Src, err, cfg.Width, cfg.Height, ic.Sizes)
				}
			}
			sizes[ic.Sizes] = true
		}
		if !sizes["192x192"] || !sizes["512x512"] {
			t.Errorf("%s manifest icons %v", lang, sizes)
		}
	}
}
