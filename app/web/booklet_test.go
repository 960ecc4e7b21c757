package web_test

import (
	"strings"
	"testing"

	"beacon/app"
	"beacon/app/testenv"

	"github.com/PuerkitoBio/goquery"
)

// TestCourseBookletNoAnswers reads the "Print this course" page as HTML
// in every language, on SQLite and PostgreSQL: the course page links to
// it; it holds every lesson and every question of the quiz with all its
// choices, and nothing that gives an answer away (no form or input, no
// attribute naming a choice or "correct", no explanation); it is kept like
// other public pages; Arabic is right to left.
func TestCourseBookletNoAnswers(t *testing.T) {
	for db, open := range testenv.Stores(t) {
		t.Run(db, func(t *testing.T) {
			srv := mustOpenServerOn(t, open(t))
			pc := srv.course(t, "cyber-hygiene")
			for _, lang := range srv.Bundle.Locales() {
				t.Run(lang, func(t *testing.T) {
					c := srv.client(t)
					course := c.get("/" + lang + "/courses/" + pc.Slug)
					c.mustStatus(course, 200)
					link := "/" + lang + "/courses/" + pc.Slug + "/print"
					if course.Doc.Find(`a[href="`+link+`"]`).Length() != 1 {
						t.Fatalf("the course page has no link to %s", link)
					}
					r := c.get(link)
					c.mustStatus(r, 200)
					if cc := r.Header.Get("Cache-Control"); !strings.HasPrefix(cc, "public") {
						t.Errorf("Cache-Control %q, want a public page", cc)
					}
					if dir := r.Doc.Find("html").AttrOr("dir", ""); (lang == "ar") != (dir == "rtl") {
						t.Errorf("dir %q", dir)
					}
					title, _ := pc.Title.Get(lang, pc.SourceLocale)
					if got := text(r, ".booklet-cover h1"); got != title {
						t.Errorf("cover title %q, want %q", got, title)
					}
					booklet := r.Doc.Find("article.booklet")
					if n := booklet.Find("section.booklet-lesson").Length(); n != len(pc.Lessons) {
						t.Errorf("%d lessons, want %d", n, len(pc.Lessons))
					}
					for _, ls := range pc.Lessons {
						want, _ := ls.Title.Get(lang, pc.SourceLocale)
						if got := strings.TrimSpace(booklet.Find("#lesson-" + ls.Slug + "-title").Text()); got != want {
							t.Errorf("lesson %s titled %q, want %q", ls.Slug, got, want)
						}
					}
					questions := booklet.Find("li.booklet-question")
					if questions.Length() != len(pc.Quiz.Questions) {
						t.Fatalf("%d questions, want every one of the quiz's %d", questions.Length(), len(pc.Quiz.Questions))
					}
					questions.Each(func(i int, q *goquery.Selection) {
						pq := pc.Quiz.Questions[i]
						prompt, _ := pq.Prompt.Get(lang, pc.SourceLocale)
						if !strings.Contains(q.Find(".booklet-prompt").Text(), prompt) {
							t.Errorf("question %d: prompt %q not found", i+1, prompt)
						}
						var shown []string
						q.Find(".booklet-choices li").Each(func(_ int, li *goquery.Selection) { shown = append(shown, strings.TrimSpace(li.Text())) })
						if len(shown) != len(pq.Choices) {
							t.Errorf("question %d: %d choices, want %d", i+1, len(shown), len(pq.Choices))
						}
						for _, ch := range pq.Choices {
							ct, _ := ch.Text.Get(lang, pc.SourceLocale)
							if !contains(shown, ct) {
								t.Errorf("question %d: choice %q missing from %q", i+1, ct, shown)
							}
						}
					})
					noAnswerKey(t, r.Doc.Text(), booklet, pc, lang)
				})
			}
		})
	}
}

// noAnswerKey fails when the booklet's HTML could tell a right answer
// from a wrong one.
func noAnswerKey(t *testing.T, pageText string, booklet *goquery.Selection, pc *app.PublishedCourse, lang string) {
	t.Helper()
	if n := booklet.Find("form, input, select, textarea, button").Length(); n != 0 {
		t.Errorf("%d form controls in the booklet", n)
	}
	ids := map[string]bool{}
	for _, q := range pc.Quiz.Questions {
		for _, ch := range q.Choices {
			ids[ch.ID] = true
		}
		if ex, _ := q.Explanation.Get(lang, pc.SourceLocale); ex != "" && strings.Contains(pageText, ex) {
			t.Errorf("question %s: its explanation is on the page", q.ID)
		}
	}
	booklet.Find(".booklet-quiz *").Each(func(_ int, s *goquery.Selection) {
		for _, a := range s.Nodes[0].Attr {
			kv := strings.ToLower(a.Key + " " + a.Val)
			// A choice's id could only matter where a script or a form reads it.
			carries := a.Key == "id" || a.Key == "class" || a.Key == "value" || a.Key == "name" || strings.HasPrefix(a.Key, "data-")
			if strings.Contains(kv, "correct") || strings.Contains(kv, "right") || (carries && ids[a.Val]) {
				t.Errorf("attribute %s=%q on <%s> may give an answer away", a.Key, a.Val, s.Nodes[0].Data)
			}
		}
	})
}

func contains(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}
