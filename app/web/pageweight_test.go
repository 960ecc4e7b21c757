package web_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// publicPageBudget is the most a public page may weigh: its HTML, CSS and
// JavaScript as sent gzipped, images excluded (#14 point 6).
const publicPageBudget = 15 * 1024

// TestPublicPageWeight fetches every public page in every locale (guest
// pages as a guest, account pages signed in), with its stylesheets and
// scripts, gzips each as the server would send it, and keeps the sum under
// 15 KB. It logs every figure, heaviest first.
func TestPublicPageWeight(t *testing.T) {
	site := newPublicSite(t)
	guest := site.srv.client(t)
	weigh := func(c *client, path string) (gz, raw int) {
		req := httptest.NewRequest("GET", path, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		r := c.send(req)
		if r.Status != 200 && !(strings.Contains(path, "no-such-page") && r.Status == 404) {
			t.Fatalf("%s: status %d", path, r.Status)
		}
		body := []byte(r.Body)
		if r.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			plain, _ := io.ReadAll(zr)
			return len(body), len(plain)
		}
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
		zw.Write(body)
		zw.Close()
		return buf.Len(), len(body)
	}
	type figure struct {
		path        string
		total, html int
		raw         int
	}
	var figs []figure
	page := func(c *client, lang, path string) {
		gz, raw := weigh(c, path)
		f := figure{path: path, total: gz, html: gz, raw: raw}
		if !strings.HasPrefix(path, "/"+lang+"/") {
			f.path = path + " (" + lang + ")"
		}
		doc := c.get(path).Doc
		if doc == nil {
			t.Fatalf("%s is not HTML", path)
		}
		var assets []string
		doc.Find(`link[rel=stylesheet]`).Each(func(_ int, s *goquery.Selection) { assets = append(assets, s.AttrOr("href", "")) })
		doc.Find(`script[src]`).Each(func(_ int, s *goquery.Selection) { assets = append(assets, s.AttrOr("src", "")) })
		for _, a := range assets {
			gz, raw := weigh(c, a)
			f.total += gz
			f.raw += raw
		}
		figs = append(figs, f)
	}
	for _, lang := range site.srv.Bundle.Locales() {
		guest.lang = lang
		for _, p := range site.guest {
			page(guest, lang, strings.ReplaceAll(p, "{lang}", lang))
		}
		site.learner.lang = lang
		for _, p := range site.signedIn {
			page(site.learner, lang, strings.ReplaceAll(p, "{lang}", lang))
		}
	}
	sort.Slice(figs, func(i, j int) bool { return figs[i].total > figs[j].total })
	for _, f := range figs {
		t.Logf("%6d bytes gzipped (HTML %5d; %6d raw) %s", f.total, f.html, f.raw, f.path)
		if f.total >= publicPageBudget {
			t.Errorf("%s weighs %d bytes gzipped with its CSS and JS, budget %d", f.path, f.total, publicPageBudget)
		}
	}
}
