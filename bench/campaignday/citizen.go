package main

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"time"
)

// channelLink is a tracked link of a campaign (/c/{code}).
type channelLink struct {
	code, campaign string
}

// mix is the shared state of one campaign-day run: what the workers need
// to know and what they report to each other.
type mix struct {
	drv      *driver
	seed     *seedContent
	channels []channelLink
	noPixel  atomic.Bool            // a public page embedded no visit pixel: not in this build
	headline atomic.Pointer[[]byte] // the alert to look for, once publishing started
	acked    atomic.Int64           // quiz submissions answered 303 to a result
	say      func(format string, args ...any)
}

// worker is one simulated client: it plays citizens one after the other,
// as a tab in a browser at a public terminal would, or as one connection
// of a phone network.
type worker struct {
	m         *mix
	rec       *recorder
	rng       *rand.Rand
	known     []*browser   // guests who came before and may return
	watch     bool         // looks for the alert headline in pages
	alertSeen atomic.Int64 // unix nanos of the first page showing the alert
}

// Scenario weights per iteration: a first visit through a channel link,
// a cookieless reader (from a search engine or a shared link), a
// returning guest reading on, a quiz taker.
const (
	shareChannel   = 0.25
	shareCookieles = 0.35
	shareReturning = 0.28
	// the rest (0.12) take a quiz
	maxKnown = 400
	// shareComplete of returning guests' lesson reads end with "Mark as
	// complete".
	shareComplete = 0.5
)

func newWorker(m *mix, seed uint64, watch bool) *worker {
	return &worker{m: m, rec: newRecorder(), rng: rand.New(rand.NewPCG(seed, seed*7919+1)), watch: watch}
}

// address is a citizen's address as the proxy reports it: documentation
// ranges (RFC 5737) only; the traffic itself stays on 127.0.0.1.
func (w *worker) address() string {
	if w.rng.IntN(2) == 0 {
		return fmt.Sprintf("198.51.100.%d", 1+w.rng.IntN(254))
	}
	return fmt.Sprintf("203.0.113.%d", 1+w.rng.IntN(254))
}

// language picks a reader's language: mostly English, the rest spread over
// the languages the course is written in.
func (w *worker) language(langs []string) string {
	if len(langs) <= 1 || w.rng.Float64() < 0.8 {
		return "en"
	}
	return langs[1+w.rng.IntN(len(langs)-1)]
}

func (w *worker) remember(b *browser) {
	if len(w.known) < maxKnown {
		w.known = append(w.known, b)
		return
	}
	w.known[w.rng.IntN(len(w.known))] = b
}

// returning picks a guest who came before (or a new one when none has).
func (w *worker) returning() *browser {
	if len(w.known) == 0 {
		return newBrowser(w.address(), "en")
	}
	return w.known[w.rng.IntN(len(w.known))]
}

// run plays citizens until ctx ends or the request bound is reached.
func (w *worker) run(ctx context.Context) {
	for ctx.Err() == nil && w.m.drv.sent.Load() < w.m.drv.maxSent {
		switch r := w.rng.Float64(); {
		case r < shareChannel:
			w.arriveByChannel(ctx)
		case r < shareChannel+shareCookieles:
			w.readCookieless(ctx)
		case r < shareChannel+shareCookieles+shareReturning:
			w.readOn(ctx)
		default:
			w.takeQuiz(ctx)
		}
	}
}

func (w *worker) do(ctx context.Context, b *browser, c call) reply {
	return w.m.drv.do(ctx, w, b, c)
}

// pixel loads the visit counter a public page embeds
// (<img src="/visit.gif?...">, never cached), as a browser loading the
// page's images would. Pages of a build without it embed none.
func (w *worker) pixel(ctx context.Context, b *browser, page []byte) {
	src := pixelSource(page)
	if src == "" {
		if w.m.noPixel.CompareAndSwap(false, true) {
			w.m.say("NOTE: a public page embeds no /visit.gif pixel (issue #10 point 2 not in this build?): clients load a pixel only where a page has one")
		}
		return
	}
	w.do(ctx, b, call{kind: "pixel", path: src, cookies: true, want: []int{http.StatusOK, http.StatusNoContent}})
}

// pixelSource finds the path of the visit pixel in a page ("" when none).
func pixelSource(page []byte) string {
	i := bytes.Index(page, []byte(`src="/visit.gif`))
	if i < 0 {
		return ""
	}
	rest := page[i+len(`src="`):]
	j := bytes.IndexByte(rest, '"')
	if j < 0 {
		return ""
	}
	return html.UnescapeString(string(rest[:j]))
}

// arriveByChannel is a first visit from a poster's QR code or a shared
// link: /c/{code} → 303 → the campaign's landing page → its pixel → a
// featured course → its first lesson → its pixel.
func (w *worker) arriveByChannel(ctx context.Context) {
	if len(w.m.channels) == 0 {
		w.readCookieless(ctx)
		return
	}
	ch := w.m.channels[w.rng.IntN(len(w.m.channels))]
	b := newBrowser(w.address(), w.language(allLangs))
	r := w.do(ctx, b, call{kind: "channel", path: "/c/" + ch.code, cookies: true, want: []int{http.StatusSeeOther}})
	if r.err != nil {
		return
	}
	if !strings.Contains(r.location, "/campaigns/"+ch.campaign) {
		w.rec.fail("channel", "redirect not to the campaign landing page")
		return
	}
	lang := strings.Split(strings.TrimPrefix(r.location, "/"), "/")[0]
	if r = w.do(ctx, b, call{kind: "landing", path: r.location, cookies: true}); r.err != nil {
		return
	}
	w.pixel(ctx, b, r.body)
	var cp *campaign
	for _, c := range w.m.seed.campaigns {
		if c.Slug == ch.campaign {
			cp = c
		}
	}
	slug := w.m.seed.slugs[w.rng.IntN(len(w.m.seed.slugs))]
	if cp != nil && len(cp.Courses) > 0 {
		slug = cp.Courses[w.rng.IntN(len(cp.Courses))]
	}
	c := w.m.seed.courses[slug]
	if c == nil {
		return
	}
	if r = w.do(ctx, b, call{kind: "course", path: "/" + lang + "/courses/" + slug, cookies: true}); r.err != nil {
		return
	}
	w.pixel(ctx, b, r.body)
	if r = w.do(ctx, b, call{kind: "lesson_guest", path: "/" + lang + "/courses/" + slug + "/lessons/" + c.Lessons[0].Slug, cookies: true}); r.err != nil {
		return
	}
	w.pixel(ctx, b, r.body)
	w.remember(b)
}

// readCookieless is a reader who arrives on a lesson with no cookie at
// all, then loads its pixel (which gives the guest cookie).
func (w *worker) readCookieless(ctx context.Context) {
	c := w.m.seed.courses[w.m.seed.slugs[w.rng.IntN(len(w.m.seed.slugs))]]
	lang := w.language(c.langs)
	b := newBrowser(w.address(), lang)
	l := c.Lessons[w.rng.IntN(len(c.Lessons))]
	r := w.do(ctx, b, call{kind: "lesson", path: "/" + lang + "/courses/" + c.Slug + "/lessons/" + l.Slug})
	if r.err != nil {
		return
	}
	w.pixel(ctx, b, r.body)
	w.remember(b)
}

// readOn is a returning guest reading another lesson with the cookies
// they were given.
func (w *worker) readOn(ctx context.Context) {
	b := w.returning()
	c := w.m.seed.courses[w.m.seed.slugs[w.rng.IntN(len(w.m.seed.slugs))]]
	lang := b.lang
	if !slices.Contains(c.langs, lang) {
		lang = "en"
	}
	l := c.Lessons[w.rng.IntN(len(c.Lessons))]
	r := w.do(ctx, b, call{kind: "lesson_guest", path: "/" + lang + "/courses/" + c.Slug + "/lessons/" + l.Slug, cookies: true})
	if r.err != nil {
		return
	}
	w.pixel(ctx, b, r.body)
	if w.rng.Float64() < shareComplete {
		w.completeLesson(ctx, b, r.body)
	}
}

// completeLesson presses "Mark as complete" on a lesson page (when it
// still offers the button) and follows the 303 to the next page, which
// shows the flash message once (so it bypasses the shared cache).
func (w *worker) completeLesson(ctx context.Context, b *browser, page []byte) {
	f, err := findForm(page, `form[action$="/complete"]`)
	if err != nil {
		return // already completed: the page shows a note instead
	}
	r := w.do(ctx, b, call{kind: "lesson_complete", method: http.MethodPost, path: f.action, form: f.values(), cookies: true, want: []int{http.StatusSeeOther}})
	if r.err != nil || r.location == "" {
		return
	}
	if r = w.do(ctx, b, call{kind: "lesson_next", path: r.location, cookies: true}); r.err != nil {
		return
	}
	w.pixel(ctx, b, r.body)
}

// takeQuiz opens a course's quiz (a private page with a signed ticket),
// answers it (three times in four with the right answers of the seed
// pack, else at random), posts it, and follows the 303 to the result.
func (w *worker) takeQuiz(ctx context.Context) {
	b := w.returning()
	if w.rng.Float64() < 0.3 {
		b = newBrowser(w.address(), "en")
	}
	var withQuiz []*course
	for _, s := range w.m.seed.slugs {
		if c := w.m.seed.courses[s]; c.Quiz != nil && len(c.Quiz.Questions) > 0 {
			withQuiz = append(withQuiz, c)
		}
	}
	if len(withQuiz) == 0 {
		w.readOn(ctx)
		return
	}
	c := withQuiz[w.rng.IntN(len(withQuiz))]
	lang := b.lang
	if !slices.Contains(c.langs, lang) {
		lang = "en"
	}
	path := "/" + lang + "/courses/" + c.Slug + "/quiz"
	r := w.do(ctx, b, call{kind: "quiz_form", path: path, cookies: true})
	if r.err != nil {
		return
	}
	f, err := findForm(r.body, "form.quiz-form")
	if err != nil || f.hidden.Get("attempt") == "" {
		w.rec.fail("quiz_form", "no quiz form with an attempt ticket")
		return
	}
	v := f.values()
	right := w.rng.Float64() < 0.75
	for _, name := range f.order {
		offered := f.choices[name]
		answers := c.right[strings.TrimPrefix(name, "q.")]
		ok := right && len(answers) > 0
		for _, a := range answers {
			ok = ok && slices.Contains(offered, a)
		}
		if ok {
			v[name] = answers
		} else {
			v[name] = []string{offered[w.rng.IntN(len(offered))]}
		}
	}
	action := f.action
	if action == "" {
		action = path
	}
	r = w.do(ctx, b, call{kind: "quiz_submit", method: http.MethodPost, path: action, form: v, cookies: true, want: []int{http.StatusSeeOther}})
	if r.err != nil {
		return
	}
	if !strings.Contains(r.location, "/quiz/results/") {
		w.rec.fail("quiz_submit", "303 not to a result page")
		return
	}
	w.m.acked.Add(1)
	w.do(ctx, b, call{kind: "quiz_result", path: r.location, cookies: true})
	w.remember(b)
}

// organize is an organizer keeping the statistics dashboard open and
// reloading it every few seconds while signed in.
func (w *worker) organize(ctx context.Context, b *browser, every time.Duration) {
	for ctx.Err() == nil && w.m.drv.sent.Load() < w.m.drv.maxSent {
		w.do(ctx, b, call{kind: "dashboard", path: "/en/admin/stats", cookies: true})
		select {
		case <-ctx.Done():
		case <-time.After(every):
		}
	}
}

// noticeAlert is the driver's page hook: a watching worker notes when a
// page first shows the alert being published.
func (m *mix) noticeAlert(w *worker, body []byte) {
	h := m.headline.Load()
	if h == nil || !w.watch || w.alertSeen.Load() != 0 {
		return
	}
	if bytes.Contains(body, *h) {
		w.alertSeen.Store(time.Now().UnixNano())
	}
}
