package web_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"beacon/app"
	"beacon/app/testenv"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// chromiumPath finds Debian's chromium (or BEACON_TEST_CHROMIUM).
func chromiumPath() string {
	if p := os.Getenv("BEACON_TEST_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// axePath finds axe-core's axe.min.js, installed by .ci/run with npm.
func axePath() string {
	candidates := []string{os.Getenv("BEACON_TEST_AXE")}
	if home, err := os.UserHomeDir(); err == nil {
		candidates = append(candidates, filepath.Join(home, ".cache/beacon-axe/node_modules/axe-core/axe.min.js"))
	}
	candidates = append(candidates, "node_modules/axe-core/axe.min.js", "/usr/local/lib/node_modules/axe-core/axe.min.js",
		"/usr/lib/node_modules/axe-core/axe.min.js")
	for _, c := range candidates {
		if c == "" {
			continue
		}
		if _, err := os.Stat(c); err == nil {
			return c
		}
	}
	return ""
}

// browser is one Chromium with page scripts off, as a citizen without
// JavaScript would use Beacon; axe-core runs through the DevTools protocol.
type browser struct {
	t    *testing.T
	ctx  context.Context
	base string
	axe  string
	lang string
	shot string // folder for screenshots, when BEACON_TEST_SCREENSHOTS is set
	n    int
	// width is the emulated phone's width in CSS pixels (phoneAt), for
	// fitsWidth; phoneWidth when unset.
	width int
}

func newBrowser(t *testing.T, base, acceptLang string) *browser {
	t.Helper()
	chromium := chromiumPath()
	testenv.Require(t, "chromium", chromium != "", "install Debian's chromium (apt-get install chromium) for the browser journeys")
	axe := axePath()
	testenv.Require(t, "axe-core", axe != "", "install axe-core with npm (npm install --prefix ~/.cache/beacon-axe axe-core) for the accessibility checks")
	src, err := os.ReadFile(axe)
	if err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium), chromedp.NoSandbox, chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("accept-lang", acceptLang),
		chromedp.Flag("lang", acceptLang), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelT(); cancelC(); cancelA() })
	b := &browser{t: t, ctx: ctx, base: base, axe: string(src), shot: os.Getenv("BEACON_TEST_SCREENSHOTS")}
	b.do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	}))
	return b
}

func (b *browser) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.t.Fatalf("browser: %v", err)
	}
}

func (b *browser) text(sel string) string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(v)
}

func (b *browser) location() string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		b.t.Fatal(err)
	}
	return strings.TrimPrefix(v, b.base)
}

func (b *browser) count(sel string) int {
	b.t.Helper()
	nodes, err := chromedp.Run(b.ctx, chromedp.Nodes(chromedp.CSSAll(sel), chromedp.AtLeast(0)))
	if err != nil {
		b.t.Fatal(err)
	}
	return len(nodes)
}

func (b *browser) attrs(sel, name string) []string {
	b.t.Helper()
	nodes, err := chromedp.Run(b.ctx, chromedp.Nodes(chromedp.CSSAll(sel), chromedp.AtLeast(0)))
	if err != nil {
		b.t.Fatal(err)
	}
	var out []string
	for _, n := range nodes {
		out = append(out, n.AttributeValue(name))
	}
	return out
}

// click follows a link or presses a button and waits for the next page.
func (b *browser) click(sel string) {
	b.t.Helper()
	if _, err := chromedp.RunResponse(b.ctx, chromedp.Click(chromedp.CSS(sel))); err != nil {
		b.t.Fatalf("click %s: %v", sel, err)
	}
}

// waitLocation waits until the page's address starts with prefix (after a form submit).
func (b *browser) waitLocation(prefix string) {
	b.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.HasPrefix(b.location(), prefix) {
		if time.Now().After(deadline) {
			b.t.Fatalf("still at %q, want %q", b.location(), prefix)
		}
		time.Sleep(50 * time.Millisecond)
	}
	b.do(chromedp.WaitReady(chromedp.CSS("footer")))
}

// phoneWidth and phoneHeight are the screen the phone sweeps emulate (an
// iPhone 12 to 15 in CSS pixels).
const phoneWidth, phoneHeight = 390, 844

// phone makes the browser a touch-screen phone of phoneWidth CSS pixels.
func (b *browser) phone() {
	b.t.Helper()
	b.phoneAt(phoneWidth, phoneHeight)
}

// phoneAt makes the browser a touch-screen phone of w×h CSS pixels (320×568
// is the narrowest phone still in use).
func (b *browser) phoneAt(w, h int64) {
	b.t.Helper()
	b.width = int(w)
	b.do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
			Width: w, Height: h, DeviceScaleFactor: 1, Mobile: true})
		if err != nil {
			return err
		}
		_, err = cdp.Call(ctx, tg, emulation.SetTouchEmulationEnabled, emulation.SetTouchEmulationEnabledParams{Enabled: true, MaxTouchPoints: 5})
		return err
	}))
}

// fitsWidth fails when the page scrolls sideways as a whole on a phone,
// naming the widest elements that stick out (a table belongs in a box that
// scrolls by itself).
func (b *browser) fitsWidth(name string) {
	b.t.Helper()
	type fit struct {
		Scroll int      `json:"scroll"`
		Inner  int      `json:"inner"`
		Wide   []string `json:"wide"`
	}
	width := b.width
	if width == 0 {
		width = phoneWidth
	}
	b.do(setScripts(false))
	defer b.do(setScripts(true))
	f, err := chromedp.Run(b.ctx, chromedp.Evaluate[fit](`((phoneWidth) => {
  const w = Math.min(document.documentElement.clientWidth, window.innerWidth, phoneWidth), out = [];
  for (const el of document.querySelectorAll("body *")) {
    const r = el.getBoundingClientRect();
    if (r.right > w + 1 || r.left < -1) {
      let p = el.parentElement, boxed = false;
      for (; p && p !== document.body; p = p.parentElement) {
        const o = getComputedStyle(p).overflowX;
        if (o === "auto" || o === "scroll" || o === "hidden") { boxed = true; break; }
      }
      if (!boxed) out.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : "") + " " + Math.round(r.left) + ".." + Math.round(r.right));
    }
  }
  return {scroll: document.documentElement.scrollWidth, inner: w, wide: out.slice(-6)};
})(`+strconv.Itoa(width)+`)`))
	if err != nil {
		b.t.Fatalf("measure %s: %v", name, err)
	}
	if f.Scroll > f.Inner || f.Scroll > width {
		b.t.Errorf("%s scrolls sideways at %d px: page %d px wide; sticking out: %v", name, width, f.Scroll, f.Wide)
	}
}

// inputsFit fails when a sized input (class input-w…) is narrower than
// the value it holds, so that nobody edits a goal or a date half hidden.
func (b *browser) inputsFit(name string) {
	b.t.Helper()
	b.do(setScripts(false))
	defer b.do(setScripts(true))
	cut, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('input[class*="input-w"]')]
  .filter(el => el.value && el.scrollWidth > el.clientWidth + 1)
  .map(el => "#" + el.id + " " + el.clientWidth + "<" + el.scrollWidth)`))
	if err != nil {
		b.t.Fatalf("measure inputs of %s: %v", name, err)
	}
	if len(cut) > 0 {
		b.t.Errorf("%s: inputs narrower than their value: %v", name, cut)
	}
}

// setScripts turns the page's script execution off or on (the tests'
// own measurements need it on for a moment).
func setScripts(off bool) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: off})
		return err
	})
}

type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// check runs axe-core's WCAG 2.1 A/AA and 2.2 AA rules (target size) on the page and fails on any
// violation; with BEACON_TEST_SCREENSHOTS set it also saves a screenshot.
func (b *browser) check(name string) {
	b.t.Helper()
	b.n++
	b.do(setScripts(false))
	defer b.do(setScripts(true))
	if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[chromedp.Void](b.axe)); err != nil {
		b.t.Fatalf("inject axe: %v", err)
	}
	vs, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]axeViolation](`axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}, resultTypes: ["violations"]})
  .then(r => r.violations.map(v => ({id: v.id, impact: v.impact || "", help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(" "))})))`, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("run axe on %s: %v", name, err)
	}
	for _, v := range vs {
		b.t.Errorf("axe on %s (%s): %s [%s] %s at %v", name, b.location(), v.ID, v.Impact, v.Help, v.Nodes)
	}
	if b.shot != "" {
		png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
		if err == nil {
			_ = os.MkdirAll(b.shot, 0o755)
			_ = os.WriteFile(filepath.Join(b.shot, fmt.Sprintf("%s-%02d-%s.png", b.lang, b.n, name)), png, 0o644)
		}
	}
}

// TestBrowser_CitizenJourney walks the whole guest → quiz → register →
// certificate journey in Chromium with JavaScript off, in en and zh-Hans,
// and runs axe-core on every page.
func TestBrowser_CitizenJourney(t *testing.T) {
	if testing.Short() {
		t.Skip("browser journey skipped in -short mode")
	}
	srv := MustOpenServer(t)
	base := srv.listen(t)
	pc := srv.course(t, "cyber-hygiene")
	words := map[string]struct{ accept, search, passed, name string }{
		"en":      {"en-GB,en", "phishing", "Passed", "Ada Lovelace"},
		"zh-Hans": {"zh-CN,zh", "勒索", "已通过", "王小明"},
	}
	for _, lang := range []string{"en", "zh-Hans"} {
		w := words[lang]
		t.Run(lang, func(t *testing.T) {
			b := newBrowser(t, base, w.accept)
			b.lang = lang

			// The root sends the browser to its language.
			b.do(chromedp.Navigate(base + "/"))
			if got := b.location(); got != "/"+lang+"/" {
				t.Fatalf("/ went to %q", got)
			}
			b.check("home")

			// Catalog: search by words, then filter by topic.
			b.click(`.site-nav a[href="/` + lang + `/courses"]`)
			b.check("catalog")
			b.do(chromedp.SendKeys(chromedp.CSS("#q"), w.search), chromedp.Submit(chromedp.CSS("#q")))
			b.waitLocation("/" + lang + "/courses?q=")
			if got := b.attrs(".cards .card-title a", "href"); len(got) != 1 || got[0] != "/"+lang+"/courses/cyber-hygiene" {
				t.Fatalf("search %q found %v", w.search, got)
			}
			b.check("search")
			b.do(chromedp.Navigate(base + "/" + lang + "/courses"))
			b.do(chromedp.SetValue(chromedp.CSS("#topic"), "cyber"), chromedp.Submit(chromedp.CSS("#topic")))
			b.waitLocation("/" + lang + "/courses?q=&topic=cyber")
			if got := b.attrs(".cards .card-title a", "href"); len(got) != 1 {
				t.Fatalf("topic filter found %v", got)
			}

			// Course → lessons, each marked complete.
			b.click(`.cards .card-title a`)
			b.check("course")
			b.click(`#lessons-heading ~ p a.button`)
			for i := range pc.Lessons {
				if got := b.location(); got != "/"+lang+"/courses/cyber-hygiene/lessons/"+pc.Lessons[i].Slug {
					t.Fatalf("lesson %d at %q", i+1, got)
				}
				if b.count(".prose h2") == 0 {
					t.Fatal("lesson body not rendered")
				}
				if i == 0 {
					b.check("lesson")
				}
				b.click(`.lesson-complete button[type=submit]`)
			}
			if got := b.location(); got != "/"+lang+"/courses/cyber-hygiene" {
				t.Fatalf("after the last lesson: %q", got)
			}
			if b.count(".lesson-list .tag-done") != len(pc.Lessons) {
				t.Fatal("course page does not show every lesson complete")
			}

			// Quiz: answer every drawn question right, on the server's terms.
			b.click(`#quiz-heading ~ p a.button`)
			b.check("quiz")
			b.answerRight(pc)
			b.click(`.quiz-form button[type=submit]`)
			if got := b.text(".result-verdict"); got != w.passed {
				t.Fatalf("verdict %q", got)
			}
			if n := b.count(".review .explanation"); n != pc.Quiz.Draw {
				t.Fatalf("%d explanations", n)
			}
			b.check("result")

			// Register: errors first, then the real thing; progress is claimed.
			b.click(`.notice a[href^="/` + lang + `/register"]`)
			b.click(`form[action="/` + lang + `/register"] button[type=submit]`)
			if b.count(".error-summary li") != 3 {
				t.Fatalf("empty registration shows %d errors", b.count(".error-summary li"))
			}
			b.check("register-errors")
			email := fmt.Sprintf("%s-%d@example.org", strings.ToLower(lang), time.Now().UnixNano())
			b.do(chromedp.SendKeys(chromedp.CSS("#display_name"), w.name), chromedp.SendKeys(chromedp.CSS("#email"), email),
				chromedp.SendKeys(chromedp.CSS("#password"), "a long and happy passphrase"))
			b.click(`form[action="/` + lang + `/register"] button[type=submit]`)
			if got := b.location(); got != "/"+lang+"/courses/cyber-hygiene" {
				t.Fatalf("after registering: %q", got)
			}
			b.click(`a[href^="/certificates/"]`)
			if got := b.text(".certificate-name"); got != w.name {
				t.Fatalf("certificate name %q", got)
			}
			b.check("certificate")
			code := strings.TrimPrefix(b.location(), "/certificates/")
			if cert, err := srv.Store.FindCertificateByCode(context.Background(), code); err != nil || cert.HolderName != w.name {
				t.Fatalf("certificate %s in the database: %v", code, err)
			}

			// My learning: courses, attempts, certificates.
			b.do(chromedp.Navigate(base + "/" + lang + "/me"))
			if b.count(".certificate-list li") != 1 || b.count(`a[href="/`+lang+`/me/export"]`) != 1 {
				t.Fatal("me page lacks the certificate or the export")
			}
			b.check("me")
			u, err := srv.Store.FindUserByEmail(context.Background(), email)
			if err != nil {
				t.Fatal(err)
			}
			if done, _ := srv.Store.LessonsDone(context.Background(), u.LearnerID, pc.ID); len(done) != len(pc.Lessons) {
				t.Fatalf("account holds %d lessons", len(done))
			}
			if a, _ := srv.Store.Attempts(context.Background(), u.LearnerID, pc.ID); len(a) != 1 || !a[0].Passed {
				t.Fatal("account lacks the passed attempt")
			}
			_ = app.RoleLearner
		})
	}
}

// TestBrowser_AxeFindsViolations proves the accessibility check can fail:
// a page with an unlabelled field and an image without text must be reported.
func TestBrowser_AxeFindsViolations(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	b := newBrowser(t, "", "en")
	b.do(chromedp.Navigate(`data:text/html,<!doctype html><html lang="en"><title>x</title><main><img src="x.png"><input type="text"></main></html>`))
	b.do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: false})
		return err
	}))
	if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[chromedp.Void](b.axe)); err != nil {
		t.Fatal(err)
	}
	ids, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](`axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa"]}}).then(r => r.violations.map(v => v.id))`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	joined := strings.Join(ids, ",")
	if !strings.Contains(joined, "image-alt") || !strings.Contains(joined, "label") {
		t.Fatalf("axe reported %v, want image-alt and label", ids)
	}
}

// answerRight ticks the right choices of every question the quiz page drew.
func (b *browser) answerRight(pc *app.PublishedCourse) {
	b.t.Helper()
	for _, id := range b.attrs("fieldset.question", "id") {
		q, ok := pc.Quiz.Question(strings.TrimPrefix(id, "q-"))
		if !ok {
			b.t.Fatalf("unknown question %s", id)
		}
		for _, ch := range q.Choices {
			if ch.Correct {
				b.do(chromedp.Click(chromedp.CSS("#" + id + "-" + ch.ID)))
			}
		}
	}
}
