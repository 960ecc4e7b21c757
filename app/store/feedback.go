package store

import (
	"context"
	"fmt"
	"time"

	"beacon/app"

	"gorm.io/gorm"
)

type feedbackRow struct {
	LearnerID  string `gorm:"primaryKey"`
	CourseID   int64  `gorm:"primaryKey"`
	LessonSlug string `gorm:"primaryKey"`
	Locale     string `gorm:"primaryKey"`
	Answer     string
	AnsweredAt time.Time
}

func (feedbackRow) TableName() string { return "lesson_feedback" }

type feedbackCountRow struct {
	CourseID   int64  `gorm:"primaryKey"`
	LessonSlug string `gorm:"primaryKey"`
	Locale     string `gorm:"primaryKey"`
	Answer     string `gorm:"primaryKey"`
	N          int64
}

func (feedbackCountRow) TableName() string { return "lesson_feedback_counts" }

// AnswerLesson records the learner's answer to "Was this lesson useful?"
// for one lesson of course in one language. A learner counts once per
// lesson and language: answering again replaces the answer (and moves the
// count) rather than adding one. The answer and its rollup commit
// together. ENOTFOUND for a lesson the course does not have; EINVALID for
// an answer other than app.UsefulYes or app.UsefulNo.
func (s *Store) AnswerLesson(ctx context.Context, learnerID string, course *app.PublishedCourse, lessonSlug, locale, answer string) error {
	if course.LessonIndex(lessonSlug) < 0 {
		return app.Errorf(app.ENOTFOUND, "lesson.not_found")
	}
	if !app.ValidUseful(answer) || learnerID == "" {
		return app.Errorf(app.EINVALID, "lesson.useful.invalid")
	}
	now := s.now()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := s.lockLearner(tx, learnerID, now); err != nil {
			return err
		}
		var before []string
		if err := tx.Raw(`SELECT answer FROM lesson_feedback WHERE learner_id = ? AND course_id = ? AND lesson_slug = ? AND locale = ?`,
			learnerID, course.ID, lessonSlug, locale).Scan(&before).Error; err != nil {
			return err
		}
		switch {
		case len(before) > 0 && before[0] == answer:
			return nil
		case len(before) > 0:
			if err := tx.Exec(`UPDATE lesson_feedback SET answer = ?, answered_at = ? WHERE learner_id = ? AND course_id = ? AND lesson_slug = ? AND locale = ?`,
				answer, now, learnerID, course.ID, lessonSlug, locale).Error; err != nil {
				return err
			}
			if err := addFeedbackCount(tx, course.ID, lessonSlug, locale, before[0], -1); err != nil {
				return err
			}
		default:
			if err := tx.Exec(`INSERT INTO lesson_feedback (learner_id, course_id, lesson_slug, locale, answer, answered_at) VALUES (?, ?, ?, ?, ?, ?)`,
				learnerID, course.ID, lessonSlug, locale, answer, now).Error; err != nil {
				return err
			}
		}
		return addFeedbackCount(tx, course.ID, lessonSlug, locale, answer, 1)
	})
	if err != nil {
		return fmt.Errorf("answer lesson %s/%s: %w", course.Slug, lessonSlug, err)
	}
	return nil
}

// addFeedbackCount moves the rollup of one answer by delta.
func addFeedbackCount(tx *gorm.DB, courseID int64, lessonSlug, locale, answer string, delta int64) error {
	return tx.Exec(`INSERT INTO lesson_feedback_counts (course_id, lesson_slug, locale, answer, n) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (course_id, lesson_slug, locale, answer) DO UPDATE SET n = lesson_feedback_counts.n + excluded.n`,
		courseID, lessonSlug, locale, answer, delta).Error
}

// LessonFeedback returns the rollup of "Was this lesson useful?" for one
// course: one entry per lesson and language that has any answer, ordered
// by lesson slug and locale. The counts are true counts: callers protect
// them before showing them.
func (s *Store) LessonFeedback(ctx context.Context, courseID int64) ([]app.LessonFeedback, error) {
	var rows []feedbackCountRow
	if err := s.db.WithContext(ctx).Where("course_id = ?", courseID).Order("lesson_slug, locale, answer").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("lesson feedback of course %d: %w", courseID, err)
	}
	return foldFeedback(rows), nil
}

// LessonAnswer returns the learner's answer to "Was this lesson useful?"
// for one lesson and language, "" when they gave none.
func (s *Store) LessonAnswer(ctx context.Context, learnerID string, courseID int64, lessonSlug, locale string) (string, error) {
	var got []string
	if err := s.db.WithContext(ctx).Raw(`SELECT answer FROM lesson_feedback WHERE learner_id = ? AND course_id = ? AND lesson_slug = ? AND locale = ?`,
		learnerID, courseID, lessonSlug, locale).Scan(&got).Error; err != nil {
		return "", fmt.Errorf("lesson answer: %w", err)
	}
	if len(got) == 0 {
		return "", nil
	}
	return got[0], nil
}

// claimFeedbackIn moves a guest's answers to the account's learner id
// inside a claim: where both answered the same lesson and language the
// account's answer stands and the guest's is taken out of the counts, so
// that one person still counts once.
func claimFeedbackIn(tx *gorm.DB, guestLearnerID, learnerID string) error {
	var dups []feedbackRow
	if err := tx.Raw(`SELECT g.* FROM lesson_feedback g JOIN lesson_feedback a
  ON a.course_id = g.course_id AND a.lesson_slug = g.lesson_slug AND a.locale = g.locale AND a.learner_id = ?
WHERE g.learner_id = ?`, learnerID, guestLearnerID).Scan(&dups).Error; err != nil {
		return err
	}
	for _, d := range dups {
		if err := addFeedbackCount(tx, d.CourseID, d.LessonSlug, d.Locale, d.Answer, -1); err != nil {
			return err
		}
		if err := tx.Exec(`DELETE FROM lesson_feedback WHERE learner_id = ? AND course_id = ? AND lesson_slug = ? AND locale = ?`,
			guestLearnerID, d.CourseID, d.LessonSlug, d.Locale).Error; err != nil {
			return err
		}
	}
	return tx.Exec(`UPDATE lesson_feedback SET learner_id = ? WHERE learner_id = ?`, learnerID, guestLearnerID).Error
}

// RecountLessonFeedback counts one course's answers from the per-visitor
// rows, in LessonFeedback's shape and order: checks and tests compare it
// with the rollup that LessonFeedback reads.
func (s *Store) RecountLessonFeedback(ctx context.Context, courseID int64) ([]app.LessonFeedback, error) {
	var rows []feedbackCountRow
	if err := s.db.WithContext(ctx).Raw(`SELECT course_id, lesson_slug, locale, answer, COUNT(*) AS n FROM lesson_feedback
WHERE course_id = ? GROUP BY course_id, lesson_slug, locale, answer ORDER BY lesson_slug, locale, answer`, courseID).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("recount lesson feedback of course %d: %w", courseID, err)
	}
	return foldFeedback(rows), nil
}

// foldFeedback folds count rows ordered by lesson, locale and answer into
// one entry per lesson and language.
func foldFeedback(rows []feedbackCountRow) []app.LessonFeedback {
	var out []app.LessonFeedback
	for _, r := range rows {
		if n := len(out); n == 0 || out[n-1].LessonSlug != r.LessonSlug || out[n-1].Locale != r.Locale {
			out = append(out, app.LessonFeedback{LessonSlug: r.LessonSlug, Locale: r.Locale})
		}
		f := &out[len(out)-1]
		if r.Answer == app.UsefulYes {
			f.Yes += r.N
		} else {
			f.No += r.N
		}
	}
	return out
}
