package app

import "time"

// Roles a user can hold; a user may hold several.
const (
	RoleLearner       = "learner"
	RoleEducator      = "educator"
	RoleReviewer      = "reviewer"
	RoleOrganizer     = "organizer"
	RoleAdministrator = "administrator"
)

// Roles lists every role, in the order the interface shows them.
var Roles = []string{RoleLearner, RoleEducator, RoleReviewer, RoleOrganizer, RoleAdministrator}

// ValidRole reports whether r names a role.
func ValidRole(r string) bool {
	for _, x := range Roles {
		if x == r {
			return true
		}
	}
	return false
}

// User is a registered account. LearnerID links the account to its learning
// records, which a guest may have started before registering.
type User struct {
	ID           int64
	Email        string
	DisplayName  string
	PasswordHash string
	Roles        []string
	Locale       string
	RegionCode   string
	LearnerID    string
	CreatedAt    time.Time
	Disabled     bool
}

// HasRole reports whether the user holds role (administrators hold every role).
func (u *User) HasRole(role string) bool {
	for _, r := range u.Roles {
		if r == role || r == RoleAdministrator {
			return true
		}
	}
	return false
}

// LessonProgress records that a learner completed a lesson.
type LessonProgress struct {
	LearnerID   string
	CourseID    int64
	LessonSlug  string
	CompletedAt time.Time
}

// Attempt is one scored quiz submission.
type Attempt struct {
	ID         int64
	LearnerID  string
	CourseID   int64
	RevisionID int64
	Nonce      string
	Locale     string
	Correct    int
	Total      int
	Score      int // percent, rounded down
	Passed     bool
	Answers    []AnsweredQuestion
	CreatedAt  time.Time
}

// AnsweredQuestion is what a learner chose for one drawn question, in the order shown.
type AnsweredQuestion struct {
	QuestionID string   `json:"q"`
	Chosen     []string `json:"chosen"`
	Correct    bool     `json:"ok"`
}

// Certificate proves a registered learner completed a course. A revoked
// certificate (its account was deleted) keeps only its code, course, date
// and status index: UserID is 0 and HolderName empty.
type Certificate struct {
	ID           int64
	Code         string
	UserID       int64
	CourseID     int64
	CourseSlug   string
	CourseTitle  Text
	SourceLocale string
	HolderName   string
	IssuedAt     time.Time
	// StatusIndex is the certificate's bit in the revocation status list.
	StatusIndex int64
	// RevokedAt is when the certificate was revoked; nil while valid.
	RevokedAt *time.Time
}

// Revoked reports whether the certificate has been revoked.
func (c *Certificate) Revoked() bool { return c.RevokedAt != nil }

// Completion records that a learner completed a course.
type Completion struct {
	LearnerID   string
	CourseID    int64
	CompletedAt time.Time
}
