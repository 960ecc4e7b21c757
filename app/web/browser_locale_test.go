package web_test

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// box is an element's place on the page, in CSS pixels.
type box struct {
	Left, Right, Top, Width float64
}

// rect returns the bounding box of the first element matching sel.
func (b *browser) rect(sel string) box {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[box](`(() => { const r = document.querySelector(`+jsString(sel)+`).getBoundingClientRect();
  return {left: r.left, right: r.right, top: r.top, width: r.width}; })()`))
	if err != nil {
		b.t.Fatalf("box of %s: %v", sel, err)
	}
	return v
}

// style returns a computed style property of the first element matching sel.
func (b *browser) style(sel, prop string) string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector(`+jsString(sel)+`)).getPropertyValue(`+jsString(prop)+`)`))
	if err != nil {
		b.t.Fatalf("style %s of %s: %v", prop, sel, err)
	}
	return v
}

// pseudo returns the content of an element's ::before or ::after.
func (b *browser) pseudo(sel, which string) string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector(`+jsString(sel)+`), `+jsString(which)+`).content`))
	if err != nil {
		b.t.Fatalf("%s of %s: %v", which, sel, err)
	}
	return v
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// screenshot saves the whole page as dir/name.png and returns its size.
func (b *browser) screenshot(dir, name string) int {
	b.t.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	return len(png)
}

// TestBrowser_ArabicRightToLeft renders the home, lesson and quiz pages in
// Arabic in Chromium and checks that they read right to left: the
// document direction, headings and text set from the right edge, the
// pager's "next" on the left with its arrow pointing left, the breadcrumb
// separators mirrored. Screenshots are kept in BEACON_TEST_SCREENSHOTS
// (or the test's temporary folder) for a person to look at.
func TestBrowser_ArabicRightToLeft(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	srv := MustOpenServer(t)
	base := srv.listen(t)
	dir := os.Getenv("BEACON_TEST_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	pages := []struct{ name, path string }{
		{"home", "/ar/"},
		{"lesson", "/ar/courses/cyber-hygiene/lessons/phishing"},
		{"quiz", "/ar/courses/cyber-hygiene/quiz"},
	}
	for _, lang := range []string{"ar", "en"} {
		b := newBrowser(t, base, lang)
		b.lang = "rtl-" + lang
		for _, p := range pages {
			path := strings.Replace(p.path, "/ar/", "/"+lang+"/", 1)
			b.do(chromedp.Navigate(base + path))
			rtl := lang == "ar"
			wantDir := map[bool]string{true: "rtl", false: "ltr"}[rtl]
			if got := b.style("html", "direction"); got != wantDir {
				t.Fatalf("%s: direction %q, want %s", path, got, wantDir)
			}
			if got := b.style("main", "direction"); got != wantDir {
				t.Fatalf("%s: main direction %q", path, got)
			}
			// The heading starts at the reading side of the main column.
			m, h := b.rect("main"), b.rect("main h1")
			start := math.Abs(h.Left - m.Left)
			if rtl {
				start = math.Abs(m.Right - h.Right)
			}
			if start > 40 {
				t.Errorf("%s: h1 starts %.0fpx from the %s edge of main (main %v, h1 %v)", path, start, map[bool]string{true: "right", false: "left"}[rtl], m, h)
			}
			if got := b.style("main h1", "text-align"); got != "start" && got != map[bool]string{true: "right", false: "left"}[rtl] {
				t.Errorf("%s: h1 text-align %q", path, got)
			}
			if p.name == "lesson" {
				prev, next := b.rect(".pager-prev a"), b.rect(".pager-next a")
				if rtl && !(next.Left < prev.Left) || !rtl && !(next.Left > prev.Left) {
					t.Errorf("%s: pager previous at %.0f, next at %.0f; next belongs on the %s", path, prev.Left, next.Left, map[bool]string{true: "left", false: "right"}[rtl])
				}
				arrow := b.pseudo(".pager-next a", "::after")
				if rtl && !strings.Contains(arrow, "←") || !rtl && !strings.Contains(arrow, "→") {
					t.Errorf("%s: the next arrow is %s", path, arrow)
				}
				if rtl && !strings.Contains(b.pseudo(".breadcrumbs li", "::after"), "‹") {
					t.Errorf("%s: breadcrumb separator %s, want ‹", path, b.pseudo(".breadcrumbs li", "::after"))
				}
				// A lesson paragraph runs from the right edge.
				pr, prose := b.rect(".prose p"), b.rect(".prose")
				if rtl && math.Abs(prose.Right-pr.Right) > 2 || !rtl && math.Abs(prose.Left-pr.Left) > 2 {
					t.Errorf("%s: paragraph %v inside prose %v is not set from the reading side", path, pr, prose)
				}
			}
			if size := b.screenshot(dir, lang+"-"+p.name); size < 10_000 {
				t.Errorf("%s: screenshot of %d bytes", path, size)
			}
			b.check(p.name)
		}
	}
	t.Logf("screenshots in %s", dir)
	_ = context.Background
}

// TestBrowser_SwitchLanguageMidJourney starts a course in English, changes
// language on the lesson page (the switcher keeps the page), keeps the
// progress across languages, takes the quiz in Arabic and reads the
// result in French.
func TestBrowser_SwitchLanguageMidJourney(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	srv := MustOpenServer(t)
	base := srv.listen(t)
	pc := srv.course(t, "cyber-hygiene")
	b := newBrowser(t, base, "en-GB,en")
	b.lang = "switch"
	first := "/courses/cyber-hygiene/lessons/" + pc.Lessons[0].Slug
	b.do(chromedp.Navigate(base + "/en" + first))
	b.click(`.lesson-complete button[type=submit]`)

	// The switcher on the second lesson leads to the same lesson in Spanish.
	second := "/courses/cyber-hygiene/lessons/" + pc.Lessons[1].Slug
	if got := b.location(); got != "/en"+second {
		t.Fatalf("after completing lesson 1: %q", got)
	}
	b.click(`.lang-switch a[hreflang="es"]`)
	if got := b.location(); got != "/es"+second {
		t.Fatalf("switching to Spanish went to %q", got)
	}
	if got := b.text("html"); !strings.Contains(b.text("main h1"), strings.TrimSpace(pc.Lessons[1].Title["es"])) {
		t.Fatalf("Spanish lesson title %q, want %q (%d chars of page)", b.text("main h1"), pc.Lessons[1].Title["es"], len(got))
	}
	if got := b.attrs("html", "lang"); len(got) != 1 || got[0] != "es" {
		t.Fatalf("html lang %v", got)
	}
	b.click(`.lesson-complete button[type=submit]`)

	// Arabic for the last lesson and the quiz: the page turns right to left.
	b.click(`.lang-switch a[hreflang="ar"]`)
	third := "/courses/cyber-hygiene/lessons/" + pc.Lessons[2].Slug
	if got := b.location(); got != "/ar"+third {
		t.Fatalf("switching to Arabic went to %q", got)
	}
	if got := b.attrs("html", "dir"); len(got) != 1 || got[0] != "rtl" {
		t.Fatalf("html dir %v", got)
	}
	b.click(`.lesson-complete button[type=submit]`)
	if got := b.location(); got != "/ar/courses/cyber-hygiene" {
		t.Fatalf("after the last lesson: %q", got)
	}
	if n := b.count(".lesson-list .tag-done"); n != len(pc.Lessons) {
		t.Fatalf("the Arabic course page shows %d of %d lessons done: progress was lost across languages", n, len(pc.Lessons))
	}
	b.click(`#quiz-heading ~ p a.button`)
	b.answerRight(pc)
	b.click(`.quiz-form button[type=submit]`)
	ar := srv.Bundle.Localizer("ar")
	if got := b.text(".result-verdict"); got != ar.T("quiz.result.passed", nil) {
		t.Fatalf("Arabic verdict %q", got)
	}
	// The result page in French: same attempt, French words and explanations.
	result := b.location()
	b.click(`.lang-switch a[hreflang="fr"]`)
	if got := b.location(); got != strings.Replace(result, "/ar/", "/fr/", 1) {
		t.Fatalf("switching the result to French went to %q (from %q)", got, result)
	}
	fr := srv.Bundle.Localizer("fr")
	if got := b.text(".result-verdict"); got != fr.T("quiz.result.passed", nil) {
		t.Fatalf("French verdict %q", got)
	}
	expl := b.text(".review .explanation")
	found := false
	for _, q := range pc.Quiz.Questions {
		if e := strings.TrimSpace(q.Explanation["fr"]); e != "" && strings.Contains(expl, e[:min(len(e), 20)]) {
			found = true
		}
	}
	if !found {
		t.Fatalf("the first explanation is not in French: %q", expl)
	}
	b.check("result-fr")
}
