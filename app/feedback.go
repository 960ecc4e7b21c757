package app

// Answers to "Was this lesson useful?".
const (
	UsefulYes = "yes"
	UsefulNo  = "no"
)

// ValidUseful reports whether answer is one a reader may give to "Was
// this lesson useful?": UsefulYes or UsefulNo.
func ValidUseful(answer string) bool { return answer == UsefulYes || answer == UsefulNo }

// LessonFeedback is how readers of one lesson in one language answered
// "Was this lesson useful?": true counts from the rollup, to be protected
// (small groups hidden) before anyone sees them.
type LessonFeedback struct {
	LessonSlug string
	Locale     string
	Yes, No    int64
}
