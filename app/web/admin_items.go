package web

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"math"
	"strconv"
	"strings"

	"beacon/app"
	"beacon/app/authoring"
	"beacon/app/i18n"
	"beacon/app/stats"
	"beacon/app/store"

	"github.com/gofiber/fiber/v2"
)

// Item analysis (#13 part 1): per quiz question of a course revision, how
// many answered, the share right, the share per choice, flags and
// discrimination, from the item rollups through one stats.Release, so the
// page, its CSV and the API show the same protected figures.

// accessItems may read item analysis: those who write and review courses,
// and organizers, who read every other statistic.
const accessItems = app.RoleEducator + "|" + app.RoleReviewer + "|" + app.RoleOrganizer

func (s *Server) itemRoutes() []route {
	h := func(hs ...fiber.Handler) []fiber.Handler { return hs }
	return []route{
		{"GET", "/:lang/admin/courses/:course/items", accessItems, h(s.itemsPage)},
		{"GET", "/:lang/admin/courses/:course/items.csv", accessItems, h(s.itemsCSV)},
		{"GET", apiPrefix + "/stats/items/:course", accessItems, h(s.apiItems)},
	}
}

// itemsReport is one revision's item analysis, protected, with the
// questions in words.
type itemsReport struct {
	Slug      string
	Title     string
	Revisions []store.RevisionInfo
	Revision  store.RevisionInfo
	K         int64
	Questions []itemQuestion
}

// itemQuestion is one question in words with its published figures.
type itemQuestion struct {
	Number     int
	ID         string
	Prompt     string
	PromptLang string
	Result     stats.ItemResult
	Choices    []itemChoice
}

// itemChoice is one choice in words with its published picks.
type itemChoice struct {
	Text, Lang string
	stats.ItemChoiceResult
}

// itemsReport loads the course named in the path, the revision asked by
// ?revision= (its number; default the live revision, else the newest) and
// its protected item analysis in lang.
func (s *Server) itemsReport(ctx context.Context, slug, revision, lang string) (*itemsReport, error) {
	if !authoring.ValidSlug(slug) {
		return nil, app.Errorf(app.ENOTFOUND, "course.not_found")
	}
	cs, err := s.store.FindCourseState(ctx, slug)
	if err != nil {
		return nil, err
	}
	revs, err := s.store.Revisions(ctx, slug)
	if err != nil {
		return nil, err
	}
	if len(revs) == 0 {
		return nil, app.Errorf(app.ENOTFOUND, "course.not_found")
	}
	rep := &itemsReport{Slug: slug, Revisions: revs, Revision: revs[0]}
	for _, r := range revs {
		if r.Live {
			rep.Revision = r
		}
	}
	if revision != "" {
		n, err := strconv.Atoi(revision)
		found := false
		for _, r := range revs {
			if err == nil && r.Number == n {
				rep.Revision, found = r, true
			}
		}
		if !found {
			return nil, app.Errorf(app.ENOTFOUND, "admin.items.no_revision")
		}
	}
	course, err := s.store.FindCourseRevision(ctx, rep.Revision.ID)
	if err != nil {
		return nil, err
	}
	rep.Title, _ = course.Title.Get(lang, course.SourceLocale)
	counts, err := s.store.ItemAnalysis(ctx, cs.ID, rep.Revision.ID)
	if err != nil {
		return nil, err
	}
	k, d, err := s.statsProtection(ctx)
	if err != nil {
		return nil, err
	}
	rep.K = k
	byQ := map[string]stats.ItemCounts{}
	for _, c := range counts { // guests and registered learners together
		m := byQ[c.QuestionID]
		if m.Picks == nil {
			m.Picks = map[string]int64{}
		}
		m.Attempts += c.Attempts
		m.Right += c.Right
		m.PassAttempts += c.PassAttempts
		m.PassRight += c.PassRight
		m.FailAttempts += c.FailAttempts
		m.FailRight += c.FailRight
		for id, n := range c.Picks {
			m.Picks[id] += n
		}
		byQ[c.QuestionID] = m
	}
	if course.Quiz == nil {
		return rep, nil
	}
	qs := make([]stats.ItemQuestion, len(course.Quiz.Questions))
	for i, q := range course.Quiz.Questions {
		qs[i] = stats.ItemQuestion{ID: q.ID}
		for _, ch := range q.Choices {
			qs[i].Choices = append(qs[i].Choices, stats.ItemChoice{ID: ch.ID, Right: ch.Correct})
		}
	}
	rel := stats.NewRelease(k, d, s.itemsKey(cs.ID, rep.Revision.ID))
	results := stats.AnalyzeItems(rel, "items", qs, byQ)
	for i, q := range course.Quiz.Questions {
		iq := itemQuestion{Number: i + 1, ID: q.ID, Result: results[i], PromptLang: lang}
		var fell bool
		if iq.Prompt, fell = q.Prompt.Get(lang, course.SourceLocale); fell {
			iq.PromptLang = course.SourceLocale
		}
		for j, ch := range q.Choices {
			ic := itemChoice{Lang: lang, ItemChoiceResult: results[i].Choices[j]}
			if ic.Text, fell = ch.Text.Get(lang, course.SourceLocale); fell {
				ic.Lang = course.SourceLocale
			}
			iq.Choices = append(iq.Choices, ic)
		}
		rep.Questions = append(rep.Questions, iq)
	}
	return rep, nil
}

// itemsKey is the noise key of one revision's item analysis (see
// stats.Noise): the server secret through HMAC, apart from every other
// scope's key.
func (s *Server) itemsKey(courseID, revisionID int64) []byte {
	m := hmac.New(sha256.New, s.opts.Secret)
	m.Write([]byte("item-noise:" + strconv.FormatInt(courseID, 10) + ":" + strconv.FormatInt(revisionID, 10)))
	return m.Sum(nil)
}

// pctOf is a share 0..1 as a whole percentage.
func pctOf(v float64) int { return int(math.Round(v * 100)) }

// itemsPage shows the item analysis of one revision.
func (s *Server) itemsPage(c *fiber.Ctx) error {
	lang := s.localeOf(c)
	rep, err := s.itemsReport(c.UserContext(), c.Params("course"), c.Query("revision"), lang)
	if err != nil {
		return err
	}
	l := s.bundle.Localizer(lang)
	type choiceView struct {
		Text, Lang, Picks, Share string
		Right, Ok                bool
		Width                    int
	}
	type questionView struct {
		Number                              int
		Prompt, Lang, Attempts, Right, Disc string
		Shown, RightOk, DiscOk, Wrong, Easy bool
		Width                               int
		Choices                             []choiceView
	}
	var qv []questionView
	for _, q := range rep.Questions {
		r := q.Result
		v := questionView{Number: q.Number, Prompt: q.Prompt, Lang: q.PromptLang, Shown: r.Shown(), RightOk: r.RightOk,
			DiscOk: r.DiscriminationOk, Wrong: r.WrongBeatsRight, Easy: r.AlmostAll}
		if v.Shown {
			v.Attempts = l.Number(int(r.Attempts.N))
		}
		if r.RightOk {
			v.Right, v.Width = l.Percent(pctOf(r.RightShare)), pctOf(r.RightShare)
		}
		if r.DiscriminationOk {
			v.Disc = signed(l, pctOf(r.Discrimination))
		}
		for _, ch := range q.Choices {
			cv := choiceView{Text: ch.Text, Lang: ch.Lang, Right: ch.Right, Ok: ch.Ok}
			if !ch.Picks.Suppressed {
				cv.Picks = l.Number(int(ch.Picks.N))
			}
			if ch.Ok {
				cv.Share, cv.Width = l.Percent(pctOf(ch.Share)), pctOf(ch.Share)
			}
			v.Choices = append(v.Choices, cv)
		}
		qv = append(qv, v)
	}
	return s.adminRender(c, "admin/course/items", fiber.Map{"Title": rep.Title, "Report": rep,
		"Meta": titled(s.bundle.Localizer(s.localeOf(c)), "admin.items.title", rep.Title), "Questions": qv,
		"K": int(rep.K)})
}

// signed writes a whole number of percentage points with its sign.
func signed(l *i18n.Localizer, n int) string {
	if n > 0 {
		return "+" + l.Number(n)
	}
	return l.Number(n)
}

// itemsCSV is the item analysis as one CSV table: one row per choice of
// each question, with the question's figures repeated.
func (s *Server) itemsCSV(c *fiber.Ctx) error {
	lang := s.localeOf(c)
	rep, err := s.itemsReport(c.UserContext(), c.Params("course"), c.Query("revision"), lang)
	if err != nil {
		return err
	}
	l := s.bundle.Localizer(lang)
	name := "beacon-items-" + rep.Slug + "-r" + strconv.Itoa(rep.Revision.Number) + ".csv"
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	if _, err := c.WriteString(utf8BOM); err != nil {
		return err
	}
	w := stats.NewCSVWriter(c)
	head := []string{"admin.items.col.number", "admin.items.col.question", "admin.items.col.attempts", "admin.items.col.right_share",
		"admin.items.col.discrimination", "admin.items.col.flags", "admin.items.col.choice", "admin.items.col.right_answer",
		"admin.items.col.picks", "admin.items.col.share"}
	for i, id := range head {
		head[i] = l.T(id, nil)
	}
	if err := w.Write(head); err != nil {
		return err
	}
	share := func(v float64, ok bool) string {
		if !ok {
			return stats.HiddenText
		}
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
	for _, q := range rep.Questions {
		r := q.Result
		var fs []string
		if r.WrongBeatsRight {
			fs = append(fs, l.T("admin.items.flag.wrong", nil))
		}
		if r.AlmostAll {
			fs = append(fs, l.T("admin.items.flag.easy", nil))
		}
		flags := strings.Join(fs, "; ")
		for _, ch := range q.Choices {
			right := ""
			if ch.Right {
				right = l.T("admin.items.right_answer", nil)
			}
			line := []string{strconv.Itoa(q.Number), q.Prompt, r.Attempts.Text(), share(r.RightShare, r.RightOk),
				share(r.Discrimination, r.DiscriminationOk), flags, ch.Text, right, ch.Picks.Text(), share(ch.Share, ch.Ok)}
			if err := w.Write(line); err != nil {
				return err
			}
		}
	}
	return w.Flush()
}

// apiItemsBody is the item analysis over the API.
type apiItemsBody struct {
	Course    string            `json:"course"`
	Revision  int               `json:"revision"`
	K         int64             `json:"k"`
	Questions []apiItemQuestion `json:"questions"`
}

type apiItemQuestion struct {
	ID              string          `json:"id"`
	Prompt          string          `json:"prompt"`
	Attempts        *int64          `json:"attempts"`
	RightShare      *float64        `json:"right_share"`
	Discrimination  *float64        `json:"discrimination"`
	WrongBeatsRight bool            `json:"wrong_beats_right"`
	AlmostAllRight  bool            `json:"almost_all_right"`
	Choices         []apiItemChoice `json:"choices"`
}

type apiItemChoice struct {
	Text  string   `json:"text"`
	Right bool     `json:"right"`
	Picks *int64   `json:"picks"`
	Share *float64 `json:"share"`
}

// apiItems answers the item analysis of a course's revision (?revision=
// its number), hidden figures as null.
func (s *Server) apiItems(c *fiber.Ctx) error {
	lang := s.apiLang(c)
	rep, err := s.itemsReport(c.UserContext(), c.Params("course"), c.Query("revision"), lang)
	if err != nil {
		return err
	}
	fl := func(v float64, ok bool) *float64 {
		if !ok {
			return nil
		}
		v = math.Round(v*100) / 100
		return &v
	}
	body := apiItemsBody{Course: rep.Slug, Revision: rep.Revision.Number, K: rep.K, Questions: []apiItemQuestion{}}
	for _, q := range rep.Questions {
		r := q.Result
		aq := apiItemQuestion{ID: q.ID, Prompt: q.Prompt, Attempts: apiHidden(r.Attempts), RightShare: fl(r.RightShare, r.RightOk),
			Discrimination: fl(r.Discrimination, r.DiscriminationOk), WrongBeatsRight: r.WrongBeatsRight, AlmostAllRight: r.AlmostAll,
			Choices: []apiItemChoice{}}
		for _, ch := range q.Choices {
			aq.Choices = append(aq.Choices, apiItemChoice{Text: ch.Text, Right: ch.Right, Picks: apiHidden(ch.Picks), Share: fl(ch.Share, ch.Ok)})
		}
		body.Questions = append(body.Questions, aq)
	}
	return s.apiSend(c, body)
}
