package app

import "time"

// Course states.
const (
	CourseDraft     = "draft"
	CourseInReview  = "in_review"
	CoursePublished = "published"
	CourseArchived  = "archived"
)

// Course is one course as authored: metadata, translations, ordered lessons and
// at most one quiz. A stored course keeps each version as an immutable
// revision; Course is the content of one revision.
type Course struct {
	Slug         string   `json:"slug"`
	SourceLocale string   `json:"source_locale"`
	Topic        string   `json:"topic"`
	Categories   []string `json:"categories"`
	ReviewBy     string   `json:"review_by"` // YYYY-MM-DD
	Title        Text     `json:"title"`
	Summary      Text     `json:"summary"`
	Lessons      []Lesson `json:"lessons"`
	Quiz         *Quiz    `json:"quiz,omitempty"`
	// Sources records, per locale and field key, a digest of the source
	// text each translation was made from; a differing digest means the
	// translation is outdated.
	Sources    map[string]map[string]string `json:"sources,omitempty"`
	ReviewedAt time.Time                    `json:"-"`
}

// Lesson is one lesson of a course: a stable slug, the pack file stem, and a
// title and Markdown body per locale.
type Lesson struct {
	Slug  string `json:"slug"`
	File  string `json:"file"`
	Title Text   `json:"title"`
	Body  Text   `json:"body"`
}

// LessonIndex returns the position of the lesson with slug, or -1.
func (c *Course) LessonIndex(slug string) int {
	for i := range c.Lessons {
		if c.Lessons[i].Slug == slug {
			return i
		}
	}
	return -1
}

// Question types.
const (
	QuestionSingle    = "single"
	QuestionMultiple  = "multiple"
	QuestionTrueFalse = "true_false"
)

// Quiz is a course's quiz and its settings.
type Quiz struct {
	PassPercent    int        `json:"pass_percent"`
	MaxAttempts    int        `json:"max_attempts"` // 0 = unlimited
	Draw           int        `json:"draw"`         // questions per attempt, 0 = all
	ShuffleChoices bool       `json:"shuffle_choices"`
	Questions      []Question `json:"questions"`
}

// Question finds a question by id.
func (q *Quiz) Question(id string) (*Question, bool) {
	for i := range q.Questions {
		if q.Questions[i].ID == id {
			return &q.Questions[i], true
		}
	}
	return nil, false
}

// Question is one quiz question with its choices.
type Question struct {
	ID          string   `json:"id"`
	Type        string   `json:"type"`
	Prompt      Text     `json:"prompt"`
	Explanation Text     `json:"explanation"`
	Choices     []Choice `json:"choices"`
}

// Choice is one answer option of a question.
type Choice struct {
	ID      string `json:"id"`
	Correct bool   `json:"correct,omitempty"`
	Text    Text   `json:"text"`
}

// Choice finds a choice by id.
func (q *Question) Choice(id string) (*Choice, bool) {
	for i := range q.Choices {
		if q.Choices[i].ID == id {
			return &q.Choices[i], true
		}
	}
	return nil, false
}

// CourseFilter narrows the catalog.
type CourseFilter struct {
	Locale string
	Query  string
	Topic  string
}

// PublishedCourse is a course as the public site serves it: the published
// revision's content with its identifiers.
type PublishedCourse struct {
	ID         int64
	RevisionID int64
	UpdatedAt  time.Time
	Archived   bool
	Course
}

// Completed applies the completion rule: every current lesson is done and,
// when the course has a quiz, a passing attempt exists. Lessons removed from
// the course no longer count; progress on them is simply ignored.
func (c *Course) Completed(doneLessons map[string]bool, quizPassed bool) bool {
	for _, l := range c.Lessons {
		if !doneLessons[l.Slug] {
			return false
		}
	}
	if c.Quiz != nil && len(c.Quiz.Questions) > 0 && !quizPassed {
		return false
	}
	return true
}
