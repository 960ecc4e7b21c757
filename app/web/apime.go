package web

import (
	"sort"
	"time"

	"github.com/gofiber/fiber/v2"
)

// The private API: endpoints a personal API token opens (apiauth.go), each
// with its access level in the route table like every other route.
func (s *Server) privateAPIRoutes() []route {
	h := func(hs ...fiber.Handler) []fiber.Handler { return hs }
	return []route{
		{"GET", apiPrefix + "/me", accessUser, h(s.apiMe)},
		{"GET", apiPrefix + "/me/progress", accessUser, h(s.apiMyProgress)},
		{"GET", apiPrefix + "/me/certificates", accessUser, h(s.apiMyCertificates)},
		{"GET", apiPrefix + "/stats", accessOrganize, h(s.apiStatsIndex)},
		{"GET", apiPrefix + "/stats/:table", accessOrganize, h(s.apiStatsTable)},
		{"GET", apiPrefix + "/campaigns/:slug/report", accessOrganize, h(s.apiCampaignReport)},
		{"GET", apiPrefix + "/content/courses/:slug", accessContent, h(s.apiContentCourse)},
		{"GET", apiPrefix + "/content/pack.zip", accessContent, h(s.apiContentPack)},
	}
}

// apiMeBody is the token owner's account.
type apiMeBody struct {
	DisplayName string    `json:"display_name"`
	Email       string    `json:"email"`
	Roles       []string  `json:"roles"`
	CreatedAt   time.Time `json:"created_at"`
}

// apiMe answers the token owner's account, with the roles as they are now.
func (s *Server) apiMe(c *fiber.Ctx) error {
	u := currentUser(c)
	roles := append([]string{}, u.Roles...)
	return s.apiSend(c, apiMeBody{DisplayName: u.DisplayName, Email: u.Email, Roles: roles, CreatedAt: u.CreatedAt.UTC()})
}

// apiProgress is the owner's progress in one course.
type apiProgress struct {
	Course      string     `json:"course"`
	Title       string     `json:"title"`
	Lang        string     `json:"lang"`
	Started     bool       `json:"started"`
	Lessons     int        `json:"lessons"`
	LessonsDone int        `json:"lessons_done"`
	Completed   bool       `json:"completed"`
	CompletedAt *time.Time `json:"completed_at"`
	BestScore   *int       `json:"best_score"`
	Attempts    int        `json:"attempts"`
}

// apiMyProgress lists, per published course the owner has begun (a lesson
// done, an attempt or a completion), how far they are, in catalog order.
func (s *Server) apiMyProgress(c *fiber.Ctx) error {
	limit, offset, err := apiPaging(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	u := currentUser(c)
	lang := s.apiLang(c)
	courses, err := s.store.PublishedCourses(ctx)
	if err != nil {
		return err
	}
	progress, err := s.store.Progress(ctx, u.LearnerID)
	if err != nil {
		return err
	}
	comps, err := s.store.Completions(ctx, u.LearnerID)
	if err != nil {
		return err
	}
	done := map[int64]time.Time{}
	for _, cm := range comps {
		done[cm.CourseID] = cm.CompletedAt.UTC()
	}
	attempts, err := s.store.Attempts(ctx, u.LearnerID, 0)
	if err != nil {
		return err
	}
	tries, best := map[int64]int{}, map[int64]int{}
	for _, a := range attempts {
		tries[a.CourseID]++
		if b, ok := best[a.CourseID]; !ok || a.Score > b {
			best[a.CourseID] = a.Score
		}
	}
	items := []apiProgress{}
	for _, pc := range courses {
		lessons := map[string]bool{}
		for _, l := range pc.Lessons {
			lessons[l.Slug] = true
		}
		n := 0
		for _, p := range progress[pc.ID] {
			if lessons[p.LessonSlug] {
				n++
			}
		}
		at, completed := done[pc.ID]
		if n == 0 && tries[pc.ID] == 0 && !completed {
			continue
		}
		p := apiProgress{Course: pc.Slug, Lang: lang, Started: true, Lessons: len(pc.Lessons), LessonsDone: n,
			Completed: completed, Attempts: tries[pc.ID]}
		var fb bool
		if p.Title, fb = pc.Title.Get(lang, pc.SourceLocale); fb {
			p.Lang = pc.SourceLocale
		}
		if completed {
			p.CompletedAt = &at
		}
		if b, ok := best[pc.ID]; ok {
			p.BestScore = &b
		}
		items = append(items, p)
	}
	return s.apiSend(c, apiPage(s, c, items, limit, offset))
}

// apiMyCertificate is one of the owner's certificates.
type apiMyCertificate struct {
	Code            string    `json:"code"`
	Course          string    `json:"course"`
	CourseTitle     string    `json:"course_title"`
	Lang            string    `json:"lang"`
	HolderName      string    `json:"holder_name"`
	IssuedAt        time.Time `json:"issued_at"`
	VerificationURL string    `json:"verification_url"`
	CredentialURL   string    `json:"credential_url"`
}

// apiMyCertificates lists the owner's certificates, oldest first, each with
// the public page that verifies it and its signed Open Badges credential.
func (s *Server) apiMyCertificates(c *fiber.Ctx) error {
	limit, offset, err := apiPaging(c)
	if err != nil {
		return err
	}
	u := currentUser(c)
	lang := s.apiLang(c)
	certs, err := s.store.Certificates(c.UserContext(), u.ID)
	if err != nil {
		return err
	}
	sort.SliceStable(certs, func(i, j int) bool { return certs[i].IssuedAt.Before(certs[j].IssuedAt) })
	site := s.credentialSite(c)
	items := make([]apiMyCertificate, 0, len(certs))
	for _, ct := range certs {
		v := apiMyCertificate{Code: ct.Code, Course: ct.CourseSlug, Lang: lang, HolderName: ct.HolderName,
			IssuedAt: ct.IssuedAt.UTC(), VerificationURL: site.CertificateURL(ct.Code), CredentialURL: site.CredentialURL(ct.Code)}
		var fb bool
		if v.CourseTitle, fb = ct.CourseTitle.Get(lang, ct.SourceLocale); fb {
			v.Lang = ct.SourceLocale
		}
		items = append(items, v)
	}
	return s.apiSend(c, apiPage(s, c, items, limit, offset))
}
