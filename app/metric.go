package app

// Metrics counted in the daily rollups.
const (
	MetricLearnerStarted  = "learner_started"
	MetricLessonCompleted = "lesson_completed"
	MetricQuizAttempt     = "quiz_attempt"
	MetricQuizPassed      = "quiz_passed"
	MetricQuizScoreSum    = "quiz_score_sum"
	MetricCourseCompleted = "course_completed"
	MetricCertificate     = "certificate_issued"
	MetricRegistration    = "registration"
	MetricAccountDeleted  = "account_deleted"
)
