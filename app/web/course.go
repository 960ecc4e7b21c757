package web

import (
	"net/url"
	"sort"
	"strings"

	"beacon/app"

	"github.com/gofiber/fiber/v2"
)

// home shows running and upcoming campaigns and the featured courses.
func (s *Server) home(c *fiber.Ctx) error {
	lang := s.localeOf(c)
	ctx := c.UserContext()
	courses, err := s.store.PublishedCourses(ctx)
	if err != nil {
		return err
	}
	cards, err := s.cards(c, courses)
	if err != nil {
		return err
	}
	campaigns, err := s.store.Campaigns(ctx, s.now())
	if err != nil {
		return err
	}
	type campaignCard struct {
		Slug, Title, Description string
		Starts, Ends             any
		Running                  bool
	}
	var camps []campaignCard
	for _, cp := range campaigns {
		t, _ := cp.Title.Get(lang, cp.SourceLocale)
		d, _ := cp.Description.Get(lang, cp.SourceLocale)
		camps = append(camps, campaignCard{Slug: cp.Slug, Title: t, Description: d, Starts: cp.Starts, Ends: cp.Ends, Running: cp.Running(s.now())})
	}
	return s.render(c, "home/show", fiber.Map{"Courses": cards, "Campaigns": camps,
		"Title": s.bundle.Localizer(lang).T("nav.home", nil)})
}

// cards builds the course cards with the learner's progress.
func (s *Server) cards(c *fiber.Ctx, courses []*app.PublishedCourse) ([]courseCard, error) {
	lang := s.localeOf(c)
	var progress map[int64][]app.LessonProgress
	completed := map[int64]bool{}
	if id := s.learnerID(c); id != "" {
		var err error
		if progress, err = s.store.Progress(c.UserContext(), id); err != nil {
			return nil, err
		}
		done, err := s.store.Completions(c.UserContext(), id)
		if err != nil {
			return nil, err
		}
		for _, d := range done {
			completed[d.CourseID] = true
		}
	}
	out := make([]courseCard, 0, len(courses))
	for _, pc := range courses {
		n := 0
		for _, p := range progress[pc.ID] {
			if pc.LessonIndex(p.LessonSlug) >= 0 {
				n++
			}
		}
		out = append(out, s.card(pc, lang, n, completed[pc.ID]))
	}
	return out, nil
}

// catalog lists published courses, searchable by words and filterable by topic.
func (s *Server) catalog(c *fiber.Ctx) error {
	lang := s.localeOf(c)
	q := strings.TrimSpace(c.Query("q"))
	if len(q) > 200 {
		q = q[:200]
	}
	topic := c.Query("topic")
	courses, err := s.store.PublishedCourses(c.UserContext())
	if err != nil {
		return err
	}
	topicSet := map[string]bool{}
	words := searchWords(q)
	var hits []*app.PublishedCourse
	for _, pc := range courses {
		if pc.Topic != "" {
			topicSet[pc.Topic] = true
		}
		if topic != "" && pc.Topic != topic {
			continue
		}
		if s.matches(pc, lang, words) {
			hits = append(hits, pc)
		}
	}
	topics := make([]string, 0, len(topicSet))
	for t := range topicSet {
		topics = append(topics, t)
	}
	sort.Strings(topics)
	if topic != "" && !topicSet[topic] {
		topic = ""
	}
	cards, err := s.cards(c, hits)
	if err != nil {
		return err
	}
	l := s.bundle.Localizer(lang)
	meta := &pageMeta{Title: l.T("catalog.title", nil), Description: l.T("seo.description.courses", nil)}
	if topic != "" {
		meta.Query = "topic=" + url.QueryEscape(topic)
	}
	return s.render(c, "course/index", fiber.Map{"Courses": cards, "Query": q, "Topic": topic, "Topics": topics,
		"Searched": q != "" || topic != "", "Meta": meta})
}

// courseFor loads the published course named in the path.
func (s *Server) courseFor(c *fiber.Ctx) (*app.PublishedCourse, error) {
	slug := c.Params("course")
	if len(slug) > 100 {
		return nil, app.Errorf(app.ENOTFOUND, "course.not_found")
	}
	return s.store.FindPublishedCourse(c.UserContext(), slug)
}

// courseShow is the course page: summary, lessons with progress, the quiz
// and the certificate state.
func (s *Server) courseShow(c *fiber.Ctx) error {
	lang := s.localeOf(c)
	ctx := c.UserContext()
	pc, err := s.courseFor(c)
	if err != nil {
		return err
	}
	learner := s.learnerID(c)
	done := map[string]bool{}
	var attempts []*app.Attempt
	completed := false
	if learner != "" {
		if done, err = s.store.LessonsDone(ctx, learner, pc.ID); err != nil {
			return err
		}
		if attempts, err = s.store.Attempts(ctx, learner, pc.ID); err != nil {
			return err
		}
		comps, err := s.store.Completions(ctx, learner)
		if err != nil {
			return err
		}
		for _, cm := range comps {
			if cm.CourseID == pc.ID {
				completed = true
			}
		}
	}
	var cert *app.Certificate
	if u := currentUser(c); u != nil && completed {
		certs, err := s.store.Certificates(ctx, u.ID)
		if err != nil {
			return err
		}
		for _, ct := range certs {
			if ct.CourseID == pc.ID {
				cert = ct
			}
		}
	}
	card := s.card(pc, lang, 0, completed)
	lessons := lessonLinks(pc, lang, done)
	nDone := 0
	next := ""
	for _, l := range lessons {
		if l.Done {
			nDone++
		} else if next == "" {
			next = l.Slug
		}
	}
	best, passed := 0, false
	for _, a := range attempts {
		if a.Score > best {
			best = a.Score
		}
		passed = passed || a.Passed
	}
	data := fiber.Map{
		"Title": card.Title, "Course": card, "Lessons": lessons, "Done": nDone, "Next": next,
		"Attempts": len(attempts), "BestScore": best, "Passed": passed, "Completed": completed, "Certificate": cert,
		"ReviewedAt": pc.ReviewedAt, "ReviewBy": pc.ReviewBy, "Archived": pc.Archived,
		"Meta": shareMeta(&pageMeta{Description: card.Summary, Type: "article"}, shareCourse, pc.Slug, s.courseShare(ctx, pc, lang)),
	}
	if pc.Quiz != nil && len(pc.Quiz.Questions) > 0 {
		data["Quiz"] = pc.Quiz
		data["QuizQuestions"] = drawCount(pc.Quiz)
		if pc.Quiz.MaxAttempts > 0 {
			data["AttemptsLeft"] = max(pc.Quiz.MaxAttempts-len(attempts), 0)
		}
	}
	data["OfflineJS"] = true // offline.go: "Save for offline"
	return s.render(c, "course/show", data)
}

func drawCount(q *app.Quiz) int {
	if q.Draw > 0 && q.Draw < len(q.Questions) {
		return q.Draw
	}
	return len(q.Questions)
}
