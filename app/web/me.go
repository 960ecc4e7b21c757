package web

import (
	"encoding/json"
	"time"

	"beacon/app"
	"beacon/app/auth"
	"github.com/gofiber/fiber/v2"
)

// attemptRow is one attempt as the learner's page lists it.
type attemptView struct {
	ID          int64
	CourseSlug  string
	CourseTitle string
	Score       int
	Passed      bool
	At          time.Time
}

// me shows the learner's courses, progress, attempts and certificates;
// guests see their guest progress and an invitation to register.
func (s *Server) me(c *fiber.Ctx) error {
	lang := s.localeOf(c)
	ctx := c.UserContext()
	courses, err := s.store.PublishedCourses(ctx)
	if err != nil {
		return err
	}
	data := fiber.Map{"Title": s.bundle.Localizer(lang).T("me.title", nil)}
	learner := s.learnerID(c)
	if learner != "" {
		cards, err := s.cards(c, courses)
		if err != nil {
			return err
		}
		var started []courseCard
		for _, cd := range cards {
			if cd.Done > 0 || cd.Completed {
				started = append(started, cd)
			}
		}
		attempts, err := s.store.Attempts(ctx, learner, 0)
		if err != nil {
			return err
		}
		byID := map[int64]*app.PublishedCourse{}
		for _, pc := range courses {
			byID[pc.ID] = pc
		}
		var views []attemptView
		for _, a := range attempts {
			pc, ok := byID[a.CourseID]
			if !ok {
				continue
			}
			t, _ := pc.Title.Get(lang, pc.SourceLocale)
			views = append(views, attemptView{ID: a.ID, CourseSlug: pc.Slug, CourseTitle: t, Score: a.Score, Passed: a.Passed, At: a.CreatedAt})
		}
		data["Courses"] = started
		data["Attempts"] = views
	}
	if u := currentUser(c); u != nil {
		certs, err := s.store.Certificates(ctx, u.ID)
		if err != nil {
			return err
		}
		data["Certificates"] = certs
		if err := s.addAffiliation(c, u, data); err != nil {
			return err
		}
	}
	return s.render(c, "me/show", data)
}

// myData is the learner's data export.
type myData struct {
	ExportedAt   time.Time       `json:"exported_at"`
	Account      myAccount       `json:"account"`
	Progress     []myProgress    `json:"lesson_progress"`
	Completions  []myCompletion  `json:"course_completions"`
	Attempts     []myAttempt     `json:"quiz_attempts"`
	Certificates []myCertificate `json:"certificates"`
}

type myAccount struct {
	Email        string    `json:"email"`
	DisplayName  string    `json:"display_name"`
	Roles        []string  `json:"roles"`
	Locale       string    `json:"locale"`
	Region       *myPlace  `json:"region"`       // null: prefer not to say
	Organization *myPlace  `json:"organization"` // null: prefer not to say
	CreatedAt    time.Time `json:"created_at"`
}

// myPlace is the region or organization the learner chose.
type myPlace struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

type myProgress struct {
	Course      string    `json:"course"`
	Lesson      string    `json:"lesson"`
	CompletedAt time.Time `json:"completed_at"`
}

type myCompletion struct {
	Course      string    `json:"course"`
	CompletedAt time.Time `json:"completed_at"`
}

type myAttempt struct {
	Course    string                 `json:"course"`
	Score     int                    `json:"score_percent"`
	Correct   int                    `json:"correct"`
	Total     int                    `json:"total"`
	Passed    bool                   `json:"passed"`
	Locale    string                 `json:"locale"`
	Answers   []app.AnsweredQuestion `json:"answers"`
	CreatedAt time.Time              `json:"created_at"`
}

type myCertificate struct {
	Code       string    `json:"code"`
	Course     string    `json:"course"`
	HolderName string    `json:"holder_name"`
	IssuedAt   time.Time `json:"issued_at"`
	// Credential is where the signed Open Badges credential is downloaded.
	Credential string `json:"credential"`
}

// meExport downloads everything Beacon holds about the account as JSON.
func (s *Server) meExport(c *fiber.Ctx) error {
	ctx := c.UserContext()
	u := currentUser(c)
	slugs, err := s.store.CourseSlugs(ctx)
	if err != nil {
		return err
	}
	out := myData{ExportedAt: s.now(), Account: myAccount{Email: u.Email, DisplayName: u.DisplayName, Roles: u.Roles, Locale: u.Locale, CreatedAt: u.CreatedAt},
		Progress: []myProgress{}, Completions: []myCompletion{}, Attempts: []myAttempt{}, Certificates: []myCertificate{}}
	if out.Account.Region, out.Account.Organization, err = s.exportAffiliation(ctx, s.localeOf(c), u); err != nil {
		return err
	}
	progress, err := s.store.Progress(ctx, u.LearnerID)
	if err != nil {
		return err
	}
	for cid, ps := range progress {
		for _, p := range ps {
			out.Progress = append(out.Progress, myProgress{Course: slugs[cid], Lesson: p.LessonSlug, CompletedAt: p.CompletedAt})
		}
	}
	comps, err := s.store.Completions(ctx, u.LearnerID)
	if err != nil {
		return err
	}
	for _, cm := range comps {
		out.Completions = append(out.Completions, myCompletion{Course: slugs[cm.CourseID], CompletedAt: cm.CompletedAt})
	}
	attempts, err := s.store.Attempts(ctx, u.LearnerID, 0)
	if err != nil {
		return err
	}
	for _, a := range attempts {
		out.Attempts = append(out.Attempts, myAttempt{Course: slugs[a.CourseID], Score: a.Score, Correct: a.Correct, Total: a.Total,
			Passed: a.Passed, Locale: a.Locale, Answers: a.Answers, CreatedAt: a.CreatedAt})
	}
	certs, err := s.store.Certificates(ctx, u.ID)
	if err != nil {
		return err
	}
	for _, ct := range certs {
		out.Certificates = append(out.Certificates, myCertificate{Code: ct.Code, Course: ct.CourseSlug, HolderName: ct.HolderName, IssuedAt: ct.IssuedAt,
			Credential: s.credentialSite(c).CredentialURL(ct.Code)})
	}
	body, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/json; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="beacon-my-data.json"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(body)
}

// meDeleteForm asks to confirm the deletion with the password.
func (s *Server) meDeleteForm(c *fiber.Ctx) error {
	return s.render(c, "me/delete", fiber.Map{"Title": s.bundle.Localizer(s.localeOf(c)).T("me.delete_title", nil)})
}

// meDelete erases the account after the password is confirmed; anonymous
// daily counts stay.
func (s *Server) meDelete(c *fiber.Ctx) error {
	u := currentUser(c)
	password := c.FormValue("password")
	ok := false
	if password != "" {
		var err error
		if ok, err = auth.VerifyPassword(password, u.PasswordHash); err != nil {
			return err
		}
	}
	if !ok {
		msg := "account.error.password_wrong"
		if password == "" {
			msg = "account.error.password_required"
		}
		c.Status(fiber.StatusUnprocessableEntity)
		return s.render(c, "me/delete", fiber.Map{"Errors": app.FieldErrors{app.FieldError("password", msg)}})
	}
	if err := s.store.DeleteUser(c.UserContext(), u.ID); err != nil {
		return err
	}
	// The account's certificates are revoked: their kept pages go now
	// (other instances follow the site version DeleteUser raised).
	s.pages.invalidate()
	s.sessions.forget(c.Cookies(cookieSession))
	s.clearCookie(c, cookieSession)
	s.clearCookie(c, cookieLearner)
	s.clearCookie(c, cookiePrivate)
	c.Locals(localAnonymousAgain, true)
	c.Locals("user", nil)
	s.flash(c, "flash.account_deleted")
	forgetDevice(c)
	return c.Redirect("/"+s.localeOf(c)+"/", fiber.StatusSeeOther)
}
