package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"beacon/app"

	"gorm.io/gorm"
)

type progressRow struct {
	LearnerID   string `gorm:"primaryKey"`
	CourseID    int64  `gorm:"primaryKey"`
	LessonSlug  string `gorm:"primaryKey"`
	CompletedAt time.Time
}

func (progressRow) TableName() string { return "lesson_progress" }

type completionRow struct {
	LearnerID   string `gorm:"primaryKey"`
	CourseID    int64  `gorm:"primaryKey"`
	CompletedAt time.Time
}

func (completionRow) TableName() string { return "course_completions" }

// Actor is who acts in a learning event: the learner id always, the account
// when signed in, and the interface locale for the statistics.
type Actor struct {
	LearnerID string
	User      *app.User // nil for a guest
	Locale    string
}

func (a Actor) guest() bool { return a.User == nil }

// Outcome reports what a learning event led to.
type Outcome struct {
	CourseCompleted bool             // the course became complete by this event
	Certificate     *app.Certificate // issued by this event
}

// CompleteLesson marks a lesson of course complete for the actor, then
// applies the completion rule; the event, its rollups, any completion and
// any certificate commit together. Completing a lesson twice changes nothing.
func (s *Store) CompleteLesson(ctx context.Context, actor Actor, course *app.PublishedCourse, lessonSlug string) (Outcome, error) {
	if course.LessonIndex(lessonSlug) < 0 {
		return Outcome{}, app.Errorf(app.ENOTFOUND, "lesson.not_found")
	}
	var out Outcome
	now := s.now()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		d := newRollupDeltas()
		if _, err := s.startLearning(tx, d, actor, course.ID, now); err != nil {
			return err
		}
		res := tx.Exec(`INSERT INTO lesson_progress (learner_id, course_id, lesson_slug, completed_at) VALUES (?, ?, ?, ?)
ON CONFLICT (learner_id, course_id, lesson_slug) DO NOTHING`, actor.LearnerID, course.ID, lessonSlug, now)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected > 0 {
			d.bump(now, app.MetricLessonCompleted, course.ID, actor.Locale, actor.guest(), 1)
		}
		var err error
		if out, err = s.applyCompletion(tx, d, actor, course, now); err != nil {
			return err
		}
		return d.flush(tx)
	})
	if err != nil {
		return Outcome{}, fmt.Errorf("complete lesson %s/%s: %w", course.Slug, lessonSlug, err)
	}
	return out, nil
}

// startLearning records the learner and, on its first event in a course,
// counts it as started there, leaving the rollup increments in d. It
// returns the learner as the statistics saw it.
func (s *Store) startLearning(tx *gorm.DB, d *rollupDeltas, actor Actor, courseID int64, now time.Time) (statSubject, error) {
	if err := s.lockLearner(tx, actor.LearnerID, now); err != nil {
		return statSubject{}, err
	}
	var started []int
	if err := tx.Raw(`SELECT 1 FROM lesson_progress WHERE learner_id = ? AND course_id = ?
UNION ALL SELECT 1 FROM quiz_attempts WHERE learner_id = ? AND course_id = ? LIMIT 1`, actor.LearnerID, courseID, actor.LearnerID, courseID).Scan(&started).Error; err != nil {
		return statSubject{}, err
	}
	return s.recordStart(tx, d, actor, courseID, now, len(started) > 0)
}

// lockLearner records the learner id the first time it acts and, on
// PostgreSQL, locks its row, so that one learner's events are applied one
// at a time.
func (s *Store) lockLearner(tx *gorm.DB, learnerID string, now time.Time) error {
	if err := ensureLearner(tx, learnerID, now); err != nil {
		return err
	}
	if s.dialect == DialectPostgres {
		return tx.Exec(`SELECT id FROM learners WHERE id = ? FOR UPDATE`, learnerID).Error
	}
	return nil
}

// recordStart counts the learner as started in the course unless it had
// started there before, and records the first-time statistics event.
func (s *Store) recordStart(tx *gorm.DB, d *rollupDeltas, actor Actor, courseID int64, now time.Time, startedBefore bool) (statSubject, error) {
	if !startedBefore {
		d.bump(now, app.MetricLearnerStarted, courseID, actor.Locale, actor.guest(), 1)
	}
	return recordLearningIn(tx, d.stats, actor.LearnerID, actor.Locale, StatStarted, courseID, now)
}

// applyCompletion records the course as complete when the rule says so and
// issues the certificate to a signed-in learner who has none yet, leaving
// the rollup increments in d.
func (s *Store) applyCompletion(tx *gorm.DB, d *rollupDeltas, actor Actor, course *app.PublishedCourse, now time.Time) (Outcome, error) {
	done, err := lessonsDoneIn(tx, actor.LearnerID, course.ID)
	if err != nil {
		return Outcome{}, err
	}
	var passed []int
	if err := tx.Raw(`SELECT 1 FROM quiz_attempts WHERE learner_id = ? AND course_id = ? AND passed = ? LIMIT 1`,
		actor.LearnerID, course.ID, true).Scan(&passed).Error; err != nil {
		return Outcome{}, err
	}
	return s.completeIf(tx, d, actor, course, now, done, len(passed) > 0)
}

// lessonsDoneIn returns the slugs of the lessons the learner completed in a course, inside tx.
func lessonsDoneIn(tx *gorm.DB, learnerID string, courseID int64) (map[string]bool, error) {
	var slugs []string
	if err := tx.Model(&progressRow{}).Where("learner_id = ? AND course_id = ?", learnerID, courseID).
		Pluck("lesson_slug", &slugs).Error; err != nil {
		return nil, err
	}
	done := make(map[string]bool, len(slugs))
	for _, sl := range slugs {
		done[sl] = true
	}
	return done, nil
}

// completeIf is applyCompletion for a learner who has done the lessons in
// done and, when passed, passed the quiz.
func (s *Store) completeIf(tx *gorm.DB, d *rollupDeltas, actor Actor, course *app.PublishedCourse, now time.Time, done map[string]bool, passed bool) (Outcome, error) {
	var out Outcome
	if !course.Completed(done, passed) {
		return out, nil
	}
	res := tx.Exec(`INSERT INTO course_completions (learner_id, course_id, completed_at) VALUES (?, ?, ?)
ON CONFLICT (learner_id, course_id) DO NOTHING`, actor.LearnerID, course.ID, now)
	if res.Error != nil {
		return out, res.Error
	}
	if res.RowsAffected > 0 {
		out.CourseCompleted = true
		d.bump(now, app.MetricCourseCompleted, course.ID, actor.Locale, actor.guest(), 1)
		// Join first, so the completion also counts in the campaigns it joins.
		if err := autoJoinCampaigns(tx, actor.LearnerID, course.Slug, now); err != nil {
			return out, err
		}
		if _, err := recordLearningIn(tx, d.stats, actor.LearnerID, actor.Locale, StatCompleted, course.ID, now); err != nil {
			return out, err
		}
	}
	if actor.User == nil {
		return out, nil
	}
	var have int64
	if err := tx.Table("certificates").Where("user_id = ? AND course_id = ?", actor.User.ID, course.ID).Count(&have).Error; err != nil {
		return out, err
	}
	if have > 0 {
		return out, nil
	}
	title, err := json.Marshal(course.Title)
	if err != nil {
		return out, err
	}
	idx, err := s.nextStatusIndexes(tx, 1)
	if err != nil {
		return out, err
	}
	uid := actor.User.ID
	cert := certificateRow{Code: app.NewCode(), UserID: &uid, CourseID: course.ID, CourseSlug: course.Slug,
		CourseTitle: string(title), SourceLocale: course.SourceLocale, HolderName: actor.User.DisplayName, IssuedAt: now,
		StatusIndex: idx[0]}
	if err := tx.Create(&cert).Error; err != nil {
		return out, fmt.Errorf("issue certificate: %w", err)
	}
	d.bump(now, app.MetricCertificate, course.ID, actor.Locale, false, 1)
	if _, err := recordLearningIn(tx, d.stats, actor.LearnerID, actor.Locale, StatCertified, course.ID, now); err != nil {
		return out, err
	}
	out.Certificate = cert.toApp()
	return out, nil
}

// SyncCompletions applies the completion rule to every course for a learner
// who just signed in or registered, so that claimed guest progress completes
// courses and issues certificates. It returns the certificates it issued.
func (s *Store) SyncCompletions(ctx context.Context, actor Actor, courses []*app.PublishedCourse) ([]*app.Certificate, error) {
	var issued []*app.Certificate
	now := s.now()
	for _, c := range courses {
		err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			d := newRollupDeltas()
			out, err := s.applyCompletion(tx, d, actor, c, now)
			if err != nil {
				return err
			}
			if out.Certificate != nil {
				issued = append(issued, out.Certificate)
			}
			return d.flush(tx)
		})
		if err != nil {
			return nil, fmt.Errorf("sync completion of %s: %w", c.Slug, err)
		}
	}
	return issued, nil
}

// LessonsDone returns the slugs of lessons the learner completed in a course.
func (s *Store) LessonsDone(ctx context.Context, learnerID string, courseID int64) (map[string]bool, error) {
	done, err := lessonsDoneIn(s.db.WithContext(ctx), learnerID, courseID)
	if err != nil {
		return nil, fmt.Errorf("lessons done: %w", err)
	}
	return done, nil
}

// Progress returns every lesson the learner completed, by course id.
func (s *Store) Progress(ctx context.Context, learnerID string) (map[int64][]app.LessonProgress, error) {
	var rows []progressRow
	if err := s.db.WithContext(ctx).Where("learner_id = ?", learnerID).Order("completed_at").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("progress: %w", err)
	}
	out := map[int64][]app.LessonProgress{}
	for _, r := range rows {
		out[r.CourseID] = append(out[r.CourseID], app.LessonProgress{LearnerID: r.LearnerID, CourseID: r.CourseID, LessonSlug: r.LessonSlug, CompletedAt: r.CompletedAt})
	}
	return out, nil
}

// Completions returns the courses the learner completed.
func (s *Store) Completions(ctx context.Context, learnerID string) ([]app.Completion, error) {
	var rows []completionRow
	if err := s.db.WithContext(ctx).Where("learner_id = ?", learnerID).Order("completed_at").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("completions: %w", err)
	}
	out := make([]app.Completion, 0, len(rows))
	for _, r := range rows {
		out = append(out, app.Completion{LearnerID: r.LearnerID, CourseID: r.CourseID, CompletedAt: r.CompletedAt})
	}
	return out, nil
}

// HasProgress reports whether the learner has done anything a page shows
// back to them: a completed lesson, a quiz attempt or a joined campaign.
func (s *Store) HasProgress(ctx context.Context, learnerID string) (bool, error) {
	var n int64
	err := s.db.WithContext(ctx).Raw(`SELECT
 (SELECT COUNT(*) FROM (SELECT 1 FROM lesson_progress WHERE learner_id = ? LIMIT 1) a) +
 (SELECT COUNT(*) FROM (SELECT 1 FROM quiz_attempts WHERE learner_id = ? LIMIT 1) b) +
 (SELECT COUNT(*) FROM (SELECT 1 FROM campaign_participants WHERE learner_id = ? LIMIT 1) c)`,
		learnerID, learnerID, learnerID).Row().Scan(&n)
	if err != nil {
		return false, fmt.Errorf("has progress: %w", err)
	}
	return n > 0, nil
}
