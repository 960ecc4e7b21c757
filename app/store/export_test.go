package store

import (
	"context"
	"encoding/json"
	"time"

	"beacon/app"
)

// BatchSubmission is one SubmitAttempt call for SubmitBatch.
type BatchSubmission struct {
	Ctx         context.Context
	Actor       Actor
	Course      *app.PublishedCourse
	Attempt     *app.Attempt
	MaxAttempts int
}

// BatchResult is what the committer answered one submission.
type BatchResult struct {
	Stored    *app.Attempt
	Duplicate bool
	Out       Outcome
	Err       error
}

// SubmitBatch applies subs as ONE batch of the committer, as if they had
// all arrived while the previous batch committed, and returns the answers
// in the order of subs: for tests of what one transaction of several
// submissions does.
func (s *Store) SubmitBatch(subs []BatchSubmission) []BatchResult {
	batch := make([]*submission, len(subs))
	for i, in := range subs {
		answers, err := json.Marshal(in.Attempt.Answers)
		if err != nil {
			panic(err)
		}
		batch[i] = &submission{ctx: in.Ctx, actor: in.Actor, course: in.Course, attempt: in.Attempt, answers: string(answers),
			maxAttempts: in.MaxAttempts, now: s.now(), done: make(chan struct{})}
	}
	s.committer().apply(append([]*submission(nil), batch...))
	out := make([]BatchResult, len(batch))
	for i, sub := range batch {
		out[i] = BatchResult{Stored: sub.stored, Duplicate: sub.duplicate, Out: sub.out, Err: sub.err}
	}
	return out
}

// CheckpointPass runs one pass of the background checkpointer, restarting
// the log when it holds restartAt pages or more, and returns the log's
// length in pages and the connection's wal_autocheckpoint afterwards.
func (s *Store) CheckpointPass(restartAt int) (frames, autocheckpoint int, err error) {
	s.checkpoints.pass(restartAt)
	s.checkpoints.restartIfDue()
	// SQLite answers -1 frames when another checkpoint holds the lock at
	// that moment (the background checkpointer may be running one): ask
	// again until this one runs.
	for range 200 {
		if frames, err = s.checkpoints.checkpoint("PASSIVE"); err != nil {
			return 0, 0, err
		}
		if frames >= 0 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	err = s.db.Raw("PRAGMA wal_autocheckpoint").Row().Scan(&autocheckpoint)
	return frames, autocheckpoint, err
}
