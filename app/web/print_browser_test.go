package web_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"beacon/app"
	"beacon/app/testenv"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"golang.org/x/text/unicode/norm"
)

// paper is a sheet Chromium prints on, in inches.
type paper struct {
	name string
	w, h float64
}

var (
	paperA4     = paper{"a4", 8.27, 11.69}
	paperLetter = paper{"letter", 8.5, 11}
)

// printLangs are the languages the print tests read pages in: left to
// right, right to left, and Chinese.
var printLangs = []struct{ lang, accept string }{{"en", "en-GB,en"}, {"ar", "ar"}, {"zh-Hans", "zh-CN,zh"}}

// printPDF prints the current page as Chromium's print command would
// (print media, the page's own @page margins) and returns the PDF, saved
// in a temporary file; with BEACON_TEST_SCREENSHOTS set its first pages
// are also saved as PNG.
func (b *browser) printPDF(name string, p paper) string {
	b.t.Helper()
	var pdf []byte
	b.do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		res, err := cdp.Call(ctx, tg, page.PrintToPDF, page.PrintToPDFParams{PaperWidth: p.w, PaperHeight: p.h})
		pdf = res.Data
		return err
	}))
	file := filepath.Join(b.t.TempDir(), name+".pdf")
	if err := os.WriteFile(file, pdf, 0o644); err != nil {
		b.t.Fatal(err)
	}
	if b.shot != "" {
		_ = os.MkdirAll(b.shot, 0o755)
		out := filepath.Join(b.shot, fmt.Sprintf("print-%s-%s-%s", b.lang, name, p.name))
		if msg, err := exec.Command(popplerTool(b.t, "pdftoppm"), "-png", "-r", "50", file, out).CombinedOutput(); err != nil {
			b.t.Fatalf("pdftoppm: %v %s", err, msg)
		}
	}
	return file
}

// popplerTool finds one of poppler-utils' commands.
func popplerTool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	testenv.Require(t, name, err == nil, "install poppler-utils (apt-get install poppler-utils) to read printed PDFs")
	return p
}

// pdfPages counts a PDF's pages with pdfinfo.
func pdfPages(t testing.TB, file string) int {
	t.Helper()
	out, err := exec.Command(popplerTool(t, "pdfinfo"), file).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("pdfinfo gave no page count: %s", out)
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

// pdfText is a PDF's text as pdftotext reads it, squashed (see squash).
// In right-to-left text pdftotext writes digits and punctuation in the
// order they stand on paper, not in reading order, so an Arabic PDF is
// also compared by its letters alone.
type pdfText struct {
	text, letters string
	rtl           bool
}

func readPDFText(t testing.TB, file string, rtl bool) pdfText {
	t.Helper()
	out, err := exec.Command(popplerTool(t, "pdftotext"), "-enc", "UTF-8", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return pdfText{text: squash(string(out)), letters: letters(string(out)), rtl: rtl}
}

// squash folds text for comparing what a page says with what a PDF
// holds: compatibility forms (Arabic presentation forms) folded, and
// spaces, line breaks, bidi marks and combining marks (Arabic vowel
// signs), which PDF text extraction adds, drops or reorders, removed.
func squash(s string) string {
	s = norm.NFKC.String(s)
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Mn, r) {
			return -1
		}
		return r
	}, s)
}

// letters keeps only the letters of s (NFKC-folded).
func letters(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) {
			return r
		}
		return -1
	}, norm.NFKC.String(s))
}

// has reports whether the PDF says w.
func (p pdfText) has(w string) bool {
	return strings.Contains(p.text, squash(w)) || (p.rtl && strings.Contains(p.letters, letters(w)))
}

// mustContain and mustLack check what a printed PDF says.
func mustContain(t *testing.T, what string, p pdfText, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !p.has(w) {
			t.Errorf("%s lacks %q; text: %.600s", what, w, p.text)
		}
	}
}

func mustLack(t *testing.T, what string, p pdfText, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if w != "" && strings.Contains(p.text, squash(w)) {
			t.Errorf("%s carries %q", what, w)
		}
	}
}

// screenOnly is the text of the layout that must never reach paper: the
// skip link, navigation and footer, in the page's language.
func screenOnly(srv *testServer, lang string) []string {
	l := srv.Bundle.Localizer(lang)
	return []string{l.T("nav.skip", nil), l.T("nav.me", nil), l.T("footer.privacy", nil), "Headline of print-alert"}
}

// TestPrintCertificate prints a certificate with an alert in force, in
// English, Arabic and Chinese, on A4 and on Letter: one page each, with
// the holder's name, the course, the code and a QR code of the
// certificate's public address, and none of the banner or navigation.
func TestPrintCertificate(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	srv, base := liveServer(t, testenv.MustOpenStore(t))
	srv.publishAlert(t, alertFixture("print-alert"))
	_, cert := certifiedLearner(t, srv, "amina.haddad@example.org")
	pc := srv.course(t, "cyber-hygiene")
	for _, tc := range printLangs {
		t.Run(tc.lang, func(t *testing.T) {
			b := newBrowser(t, base, tc.accept)
			b.lang = tc.lang
			b.do(chromedp.Navigate(base + "/certificates/" + cert.Code))
			b.do(chromedp.WaitReady(chromedp.CSS("footer")))
			if b.count(".alert-banner") == 0 {
				t.Fatal("no alert banner on the certificate page: the test would prove nothing")
			}
			if b.count(`.certificate-qr img[src="/certificates/`+cert.Code+`/qr.svg"]`) != 1 {
				t.Fatal("no QR code on the certificate")
			}
			b.check("certificate")
			title, _ := pc.Title.Get(tc.lang, pc.SourceLocale)
			for _, p := range []paper{paperA4, paperLetter} {
				file := b.printPDF("certificate", p)
				if n := pdfPages(t, file); n != 1 {
					t.Errorf("%s: certificate prints on %d pages, want 1", p.name, n)
				}
				text := readPDFText(t, file, tc.lang == "ar")
				mustContain(t, p.name+" certificate", text, cert.HolderName, title, cert.Code)
				mustLack(t, p.name+" certificate", text, screenOnly(srv, tc.lang)...)
				if tc.lang == "en" && p == paperA4 {
					readQR(t, file, base+"/certificates/"+cert.Code)
				}
			}
		})
	}
}

// readQR decodes the QR code printed in a PDF's first page with zbarimg
// and checks it holds want.
func readQR(t *testing.T, pdf, want string) {
	t.Helper()
	zbar, err := exec.LookPath("zbarimg")
	testenv.Require(t, "zbarimg", err == nil, "install zbar-tools (apt-get install zbar-tools) to read printed QR codes")
	png := strings.TrimSuffix(pdf, ".pdf")
	if msg, err := exec.Command(popplerTool(t, "pdftoppm"), "-png", "-r", "150", "-singlefile", pdf, png).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, msg)
	}
	out, err := exec.Command(zbar, "--quiet", "--raw", png+".png").Output()
	if err != nil {
		t.Fatalf("zbarimg found no QR code: %v", err)
	}
	if got := strings.TrimSpace(string(out)); got != want {
		t.Errorf("printed QR code holds %q, want %q", got, want)
	}
}

// linkCourse is a course whose lesson links to another site and to the
// next lesson by a relative address, in three languages.
func linkCourse() app.Course {
	body := func(lang string) string {
		words := map[string][3]string{"en": {"Read", "the official guide", "the next lesson"},
			"ar": {"اقرأ", "الدليل الرسمي", "الدرس التالي"}, "zh-Hans": {"请阅读", "官方指南", "下一课"}}[lang]
		return words[0] + " [" + words[1] + "](https://guide.example.org/safety)\n\n[" + words[2] + "](/" + lang + "/courses/print-links/lessons/two)\n"
	}
	return app.Course{Slug: "print-links", SourceLocale: "en", Topic: "cyber", Categories: []string{},
		Title:   app.Text{"en": "Links on paper", "ar": "روابط على الورق", "zh-Hans": "纸上的链接"},
		Summary: app.Text{"en": "A lesson with links.", "ar": "درس فيه روابط.", "zh-Hans": "一个带链接的课时。"},
		Lessons: []app.Lesson{
			{Slug: "one", File: "01-one", Title: app.Text{"en": "Where to read more", "ar": "أين تقرأ المزيد", "zh-Hans": "延伸阅读"},
				Body: app.Text{"en": body("en"), "ar": body("ar"), "zh-Hans": body("zh-Hans")}},
			{Slug: "two", File: "02-two", Title: app.Text{"en": "Second", "ar": "الثاني", "zh-Hans": "第二课"},
				Body: app.Text{"en": "More.", "ar": "المزيد.", "zh-Hans": "更多。"}},
		}}
}

// TestPrintLesson prints a lesson as a handout: its title, the course and
// its body with both links written out as absolute addresses, and no
// banner, navigation, "mark complete" or feedback form.
func TestPrintLesson(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	srv, base := liveServer(t, testenv.MustOpenStore(t))
	if _, err := srv.Store.ImportPack(context.Background(), &app.Pack{Courses: []app.Course{linkCourse()}}); err != nil {
		t.Fatal(err)
	}
	srv.publishAlert(t, alertFixture("print-alert"))
	pc := srv.course(t, "print-links")
	for _, tc := range printLangs {
		t.Run(tc.lang, func(t *testing.T) {
			b := newBrowser(t, base, tc.accept)
			b.lang = tc.lang
			b.do(chromedp.Navigate(base + "/" + tc.lang + "/courses/print-links/lessons/one"))
			b.do(chromedp.WaitReady(chromedp.CSS("footer")))
			if b.count("form.lesson-useful") != 1 || b.count(".alert-banner") == 0 {
				t.Fatal("the lesson page lacks its feedback form or the banner: the test would prove nothing")
			}
			b.check("lesson")
			file := b.printPDF("lesson", paperA4)
			text := readPDFText(t, file, tc.lang == "ar")
			l := srv.Bundle.Localizer(tc.lang)
			lessonTitle, _ := pc.Lessons[0].Title.Get(tc.lang, "en")
			courseTitle, _ := pc.Title.Get(tc.lang, "en")
			mustContain(t, "lesson", text, lessonTitle, courseTitle, "(https://guide.example.org/safety)",
				"("+base+"/"+tc.lang+"/courses/print-links/lessons/two)")
			mustLack(t, "lesson", text, append(screenOnly(srv, tc.lang), l.T("lesson.useful.question", nil), l.T("lesson.next", nil))...)
		})
	}
}

// TestCourseBooklet prints the "Print this course" page of the seeded
// course: the cover, every lesson title and every question of the quiz
// (not only the drawn ones) with their choices, and nothing that marks
// a right answer; the course page links to it.
func TestCourseBooklet(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	srv, base := liveServer(t, testenv.MustOpenStore(t))
	srv.publishAlert(t, alertFixture("print-alert"))
	pc := srv.course(t, "cyber-hygiene")
	for _, tc := range printLangs {
		t.Run(tc.lang, func(t *testing.T) {
			b := newBrowser(t, base, tc.accept)
			b.lang = tc.lang
			l := srv.Bundle.Localizer(tc.lang)
			b.do(chromedp.Navigate(base + "/" + tc.lang + "/courses/" + pc.Slug))
			b.do(chromedp.WaitReady(chromedp.CSS("footer")))
			b.click(`a[href="/` + tc.lang + `/courses/` + pc.Slug + `/print"]`)
			b.do(chromedp.WaitReady(chromedp.CSS("footer")))
			if b.count("button[data-print][hidden]") != 1 {
				t.Error("the print button shows without JavaScript")
			}
			b.check("booklet")
			b.phone()
			b.fitsWidth("booklet")
			file := b.printPDF("booklet", paperA4)
			if n := pdfPages(t, file); n < len(pc.Lessons)+2 {
				t.Errorf("booklet has %d pages, want a cover, one page or more per lesson and the quiz", n)
			}
			text := readPDFText(t, file, tc.lang == "ar")
			title, _ := pc.Title.Get(tc.lang, pc.SourceLocale)
			mustContain(t, "booklet", text, title, base+"/"+tc.lang+"/courses/"+pc.Slug, l.T("booklet.quiz", nil))
			for _, ls := range pc.Lessons {
				lt, _ := ls.Title.Get(tc.lang, pc.SourceLocale)
				mustContain(t, "booklet", text, lt)
			}
			for _, q := range pc.Quiz.Questions {
				p, _ := q.Prompt.Get(tc.lang, pc.SourceLocale)
				mustContain(t, "booklet", text, p)
				for _, ch := range q.Choices {
					ct, _ := ch.Text.Get(tc.lang, pc.SourceLocale)
					mustContain(t, "booklet", text, ct)
				}
				ex, _ := q.Explanation.Get(tc.lang, pc.SourceLocale)
				mustLack(t, "booklet", text, ex)
			}
			mustLack(t, "booklet", text, append(screenOnly(srv, tc.lang), l.T("quiz.result.why", nil))...)
		})
	}
}
