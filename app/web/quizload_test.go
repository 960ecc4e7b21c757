package web_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"beacon/app"

	"github.com/PuerkitoBio/goquery"
)

// quizForm is one filled-in quiz form of one guest, ready to post over
// HTTP: the guest's cookies and the form body (hidden fields, the ticket,
// and every question answered right).
type quizForm struct {
	Learner string // the guest's learner id (its cookie)
	Cookie  string // the Cookie header the browser would send
	Body    string // the urlencoded form
}

// newLoadClient is an HTTP client for load against one loopback server:
// enough kept-alive connections for conns concurrent requests, and
// redirects returned rather than followed (the 303 is the acknowledgement).
func newLoadClient(conns int) *http.Client {
	tr := &http.Transport{MaxIdleConns: conns, MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns,
		DisableCompression: true, IdleConnTimeout: time.Minute}
	return &http.Client{Transport: tr, Timeout: time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// fetchQuizForms opens the quiz page of pc over HTTP as guests new to the
// site, perGuest times each with the cookies the first visit set (each visit
// draws a fresh ticket), from workers goroutines, and returns n forms in
// guest order, answering every question right.
func fetchQuizForms(tb testing.TB, hc *http.Client, base string, pc *app.PublishedCourse, n, perGuest, workers int) []quizForm {
	tb.Helper()
	forms := make([]quizForm, n)
	guests := (n + perGuest - 1) / perGuest
	var next atomic.Int64
	var wg sync.WaitGroup
	var failed atomic.Pointer[error]
	for range workers {
		wg.Go(func() {
			for {
				g := int(next.Add(1) - 1)
				if g >= guests || failed.Load() != nil {
					return
				}
				cookie := ""
				for j := 0; j < perGuest && g*perGuest+j < n; j++ {
					f, err := fetchQuizForm(hc, base, pc.Slug, pc.Quiz, cookie)
					if err != nil {
						failed.CompareAndSwap(nil, &err)
						return
					}
					cookie = f.Cookie
					forms[g*perGuest+j] = f
				}
			}
		})
	}
	wg.Wait()
	if err := failed.Load(); err != nil {
		tb.Fatalf("fetch quiz forms: %v", *err)
	}
	return forms
}

// fetchQuizForm GETs the quiz page of course slug with cookie (empty: a
// first visit) and fills in its form as a browser would: every question
// answered right when q is given, else with its first choice.
func fetchQuizForm(hc *http.Client, base, slug string, q *app.Quiz, cookie string) (quizForm, error) {
	path := "/en/courses/" + slug + "/quiz"
	req, err := http.NewRequest("GET", base+path, nil)
	if err != nil {
		return quizForm{}, err
	}
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return quizForm{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return quizForm{}, fmt.Errorf("GET %s: status %d", path, resp.StatusCode)
	}
	jar := map[string]string{}
	for _, kv := range strings.Split(cookie, "; ") {
		if k, v, ok := strings.Cut(kv, "="); ok {
			jar[k] = v
		}
	}
	for _, ck := range resp.Cookies() {
		jar[ck.Name] = ck.Value
	}
	var parts []string
	for k, v := range jar {
		parts = append(parts, k+"="+v)
	}
	doc, err := goquery.NewDocumentFromReader(resp.Body)
	if err != nil {
		return quizForm{}, err
	}
	sel := doc.Find(`form[action="` + path + `"]`)
	if sel.Length() == 0 {
		return quizForm{}, fmt.Errorf("GET %s: no quiz form", path)
	}
	form := url.Values{}
	sel.Find(`input[type=hidden]`).Each(func(_ int, s *goquery.Selection) {
		if name := s.AttrOr("name", ""); name != "" {
			form.Add(name, s.AttrOr("value", ""))
		}
	})
	if form.Get("attempt") == "" {
		return quizForm{}, fmt.Errorf("GET %s: the form holds no ticket", path)
	}
	sel.Find("fieldset.question").Each(func(_ int, fs *goquery.Selection) {
		qid := strings.TrimPrefix(fs.AttrOr("id", ""), "q-")
		if q == nil {
			form.Add("q."+qid, fs.Find("input").First().AttrOr("value", ""))
			return
		}
		if question, ok := q.Question(qid); ok {
			for _, ch := range question.Choices {
				if ch.Correct {
					form.Add("q."+qid, ch.ID)
				}
			}
		}
	})
	return quizForm{Learner: jar["beacon_learner"], Cookie: strings.Join(parts, "; "), Body: form.Encode()}, nil
}

// postQuizForm posts f as the browser that fetched it would (same-origin)
// and returns the status and the Location header.
func postQuizForm(hc *http.Client, base, slug string, f quizForm) (int, string, error) {
	req, err := http.NewRequest("POST", base+"/en/courses/"+slug+"/quiz", strings.NewReader(f.Body))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Cookie", f.Cookie)
	req.Header.Set("Origin", base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := hc.Do(req)
	if err != nil {
		return 0, "", err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("Location"), nil
}
