package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"beacon/app"

	"gorm.io/gorm"
)

type attemptRow struct {
	ID         int64 `gorm:"primaryKey"`
	LearnerID  string
	CourseID   int64
	RevisionID int64
	Nonce      string
	Locale     string
	Correct    int
	Total      int
	Score      int
	Passed     bool
	Answers    string
	CreatedAt  time.Time
}

func (attemptRow) TableName() string { return "quiz_attempts" }

func (r *attemptRow) toApp() (*app.Attempt, error) {
	a := &app.Attempt{ID: r.ID, LearnerID: r.LearnerID, CourseID: r.CourseID, RevisionID: r.RevisionID, Nonce: r.Nonce,
		Locale: r.Locale, Correct: r.Correct, Total: r.Total, Score: r.Score, Passed: r.Passed, CreatedAt: r.CreatedAt}
	if err := json.Unmarshal([]byte(r.Answers), &a.Answers); err != nil {
		return nil, fmt.Errorf("decode attempt %d: %w", r.ID, err)
	}
	return a, nil
}

// SubmitAttempt stores a scored attempt and applies the completion rule, in
// one transaction. An attempt whose nonce was already stored is a double
// submit: the stored attempt is returned with duplicate=true and nothing
// changes. When maxAttempts > 0 and the learner has used them all, it fails
// with EFORBIDDEN.
//
// The work goes to the store's committer (commit.go), which applies the
// submissions that arrive together in one transaction, each inside its own
// savepoint, and answers only after the commit: a returned attempt is
// durable. When ctx ends first, SubmitAttempt returns ctx.Err() and the
// attempt may or may not be stored; submitting the same nonce again is safe.
func (s *Store) SubmitAttempt(ctx context.Context, actor Actor, course *app.PublishedCourse, a *app.Attempt, maxAttempts int) (stored *app.Attempt, duplicate bool, out Outcome, err error) {
	answers, err := json.Marshal(a.Answers)
	if err != nil {
		return nil, false, out, fmt.Errorf("encode answers: %w", err)
	}
	sub := &submission{ctx: ctx, actor: actor, course: course, attempt: a, answers: string(answers),
		maxAttempts: maxAttempts, now: s.now(), done: make(chan struct{})}
	if err := s.committer().submit(ctx, sub); err != nil {
		return nil, false, Outcome{}, fmt.Errorf("submit attempt: %w", err)
	}
	if sub.err != nil {
		if isUniqueViolation(sub.err) { // a concurrent double submit won the race
			var existing attemptRow
			if e := s.db.WithContext(ctx).Where("nonce = ?", a.Nonce).Take(&existing).Error; e == nil {
				stored, e = existing.toApp()
				return stored, true, Outcome{}, e
			}
		}
		return nil, false, Outcome{}, fmt.Errorf("submit attempt: %w", sub.err)
	}
	return sub.stored, sub.duplicate, sub.out, nil
}

// submitIn applies one submission inside tx: the learning start, the
// double-submit and attempt-limit checks, the attempt, and the completion
// rule, leaving the rollup increments in d for the caller to flush. It
// fills sub's results; on error the caller rolls tx back to before it.
// It reads what it needs of the learner's past in two statements up front
// (a submission changes none of it before it inserts the attempt).
func (s *Store) submitIn(tx *gorm.DB, d *rollupDeltas, sub *submission) error {
	actor, course, a, now := sub.actor, sub.course, sub.attempt, sub.now
	if err := s.lockLearner(tx, actor.LearnerID, now); err != nil {
		return err
	}
	var past struct {
		Used   int64
		DupID  *int64
		Passed bool
	}
	if err := tx.Raw(`SELECT (SELECT COUNT(*) FROM quiz_attempts WHERE learner_id = ? AND course_id = ?) AS used,
(SELECT id FROM quiz_attempts WHERE nonce = ?) AS dup_id,
EXISTS (SELECT 1 FROM quiz_attempts WHERE learner_id = ? AND course_id = ? AND passed = ?) AS passed`,
		actor.LearnerID, course.ID, a.Nonce, actor.LearnerID, course.ID, true).Scan(&past).Error; err != nil {
		return err
	}
	done, err := lessonsDoneIn(tx, actor.LearnerID, course.ID)
	if err != nil {
		return err
	}
	subj, err := s.recordStart(tx, d, actor, course.ID, now, past.Used > 0 || len(done) > 0)
	if err != nil {
		return err
	}
	if past.DupID != nil {
		var existing attemptRow
		if err := tx.Where("id = ?", *past.DupID).Take(&existing).Error; err != nil {
			return err
		}
		stored, err := existing.toApp()
		sub.stored, sub.duplicate = stored, true
		return err
	}
	if sub.maxAttempts > 0 && past.Used >= int64(sub.maxAttempts) {
		return app.Errorf(app.EFORBIDDEN, "quiz.error.max_attempts")
	}
	rev := a.RevisionID
	if rev == 0 {
		rev = course.RevisionID
	}
	stored := &app.Attempt{LearnerID: actor.LearnerID, CourseID: course.ID, RevisionID: rev, Nonce: a.Nonce, Locale: a.Locale,
		Correct: a.Correct, Total: a.Total, Score: a.Score, Passed: a.Passed, Answers: a.Answers, CreatedAt: now}
	if err := tx.Raw(`INSERT INTO quiz_attempts (learner_id, course_id, revision_id, nonce, locale, correct, total, score, passed, answers, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, stored.LearnerID, stored.CourseID, stored.RevisionID, stored.Nonce, stored.Locale,
		stored.Correct, stored.Total, stored.Score, stored.Passed, sub.answers, now).Scan(&stored.ID).Error; err != nil {
		return err
	}
	d.bump(now, app.MetricQuizAttempt, course.ID, actor.Locale, actor.guest(), 1)
	if a.Passed {
		d.bump(now, app.MetricQuizPassed, course.ID, actor.Locale, actor.guest(), 1)
	}
	d.bump(now, app.MetricQuizScoreSum, course.ID, actor.Locale, actor.guest(), int64(a.Score))
	addItemDeltas(d.items, d.choices, course.ID, rev, actor.guest(), a.Passed, a.Answers)
	if err := recordAttemptIn(tx, d.stats, subj, course.ID, a.Passed, a.Score, now); err != nil {
		return err
	}
	out, err := s.completeIf(tx, d, actor, course, now, done, past.Passed || a.Passed)
	if err != nil {
		return err
	}
	sub.stored, sub.out = stored, out
	return nil
}

// FindAttempt returns the attempt with id (ENOTFOUND otherwise).
func (s *Store) FindAttempt(ctx context.Context, id int64) (*app.Attempt, error) {
	var row attemptRow
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return nil, notFound(err, "quiz.result.not_found")
	}
	return row.toApp()
}

// Attempts returns the learner's attempts, newest first; courseID 0 means every course.
func (s *Store) Attempts(ctx context.Context, learnerID string, courseID int64) ([]*app.Attempt, error) {
	var rows []attemptRow
	q := s.db.WithContext(ctx).Where("learner_id = ?", learnerID)
	if courseID != 0 {
		q = q.Where("course_id = ?", courseID)
	}
	if err := q.Order("created_at DESC, id DESC").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("attempts: %w", err)
	}
	out := make([]*app.Attempt, 0, len(rows))
	for i := range rows {
		a, err := rows[i].toApp()
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}
