package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"beacon/app"

	"gorm.io/gorm"
)

// Group commit of quiz submissions.
//
// A quiz submission is a write transaction of a few dozen statements, and
// SQLite runs one writer at a time: with one transaction per submission,
// concurrent submissions queue on the database lock (and on its busy
// handler, which sleeps), and each pays its own commit. So a committer
// goroutine takes the submissions (one per Store on SQLite, pgCommitters on
// PostgreSQL, all fed by one queue): it collects those that arrived
// while its previous batch committed (up to maxBatch; it never waits for
// more when there are none), applies them in ONE transaction, each inside a
// savepoint of its own so that a failing submission (attempt limit,
// constraint) rolls back only itself, commits once, and then answers every
// caller.
//
// Durability: a caller gets its answer only after the commit returned.
// SQLite runs in WAL mode with synchronous=NORMAL: a commit is in the WAL
// file before COMMIT returns, so it survives the process being killed
// (kill -9, a crash, an OOM kill); only an operating-system crash or power
// loss may lose the last commits before a checkpoint (synchronous=FULL would
// close that too, at an fsync per batch). PostgreSQL with its default
// synchronous_commit=on flushes the WAL before COMMIT returns.
//
// Lock order on PostgreSQL: a batch takes learner rows in learner-id order
// (submissions are applied sorted by learner, arrival order kept within a
// learner) and writes its rollups last, in key order (rollupDeltas), so
// concurrent batches, of this instance or of others, cannot deadlock.

// maxBatch caps the submissions applied in one transaction, so that one
// batch holds the write lock for a bounded time (a few tens of ms).
const maxBatch = 256

// pgCommitters is how many batches run at once on PostgreSQL, each on a
// connection of its own. There, unlike on SQLite, writers run side by side
// and a submission's time is mostly round trips to the server, so one
// committer leaves the database idle between its statements; a few keep it
// busy and leave most of the pool (20) to readers. Measured on 2 cores: 1
// committer ~1,100 submissions/s, 2 ~1,750, 4 ~2,200, 8 ~1,900 (batches get
// small and queue on the same rollup rows). Batches cannot deadlock: each
// takes learner rows in learner order, then rollup rows in key order.
const pgCommitters = 4

// errCommitterClosed answers submissions that reach a closed store.
var errCommitterClosed = errors.New("store closed")

// submission is one SubmitAttempt handed to the committer; the committer
// fills the results, then closes done.
type submission struct {
	ctx         context.Context
	actor       Actor
	course      *app.PublishedCourse
	attempt     *app.Attempt
	answers     string // attempt.Answers as JSON
	maxAttempts int
	now         time.Time

	stored    *app.Attempt
	duplicate bool
	out       Outcome
	err       error
	done      chan struct{}
}

// committer applies submissions in group commits; see above.
type committer struct {
	s       *Store
	in      chan *submission
	quit    chan struct{} // closed by close: finish what was handed over, then stop
	stopped chan struct{} // closed when every loop has returned
	once    sync.Once
}

// committer returns the store's committer, starting it on first use.
func (s *Store) committer() *committer {
	s.commitStart.Do(func() {
		s.commit = &committer{s: s, in: make(chan *submission, maxBatch), quit: make(chan struct{}), stopped: make(chan struct{})}
		n := 1
		if s.dialect == DialectPostgres {
			n = pgCommitters
		}
		var wg sync.WaitGroup
		for range n {
			wg.Go(s.commit.loop)
		}
		go func() { wg.Wait(); close(s.commit.stopped) }()
	})
	return s.commit
}

// closeCommitter stops the committer (if it ever started) after it has
// answered every submission handed to it.
func (s *Store) closeCommitter() {
	s.commitStart.Do(func() {}) // none may start from now on
	if s.commit != nil {
		s.commit.close()
	}
}

// submit hands sub to the committer and waits for its answer, which is then
// in sub's result fields. It returns ctx.Err() when ctx ends first: the
// submission is then left to the committer, which skips it if it has not
// started on it yet (a batch never runs with a caller's context, so one
// caller's cancellation cannot fail the others).
func (c *committer) submit(ctx context.Context, sub *submission) error {
	select {
	case c.in <- sub:
	case <-ctx.Done():
		return ctx.Err()
	case <-c.quit:
		return errCommitterClosed
	}
	select {
	case <-sub.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-c.stopped:
		select {
		case <-sub.done:
			return nil
		default:
			return errCommitterClosed
		}
	}
}

func (c *committer) close() {
	c.once.Do(func() { close(c.quit) })
	<-c.stopped
}

func (c *committer) loop() {
	batch := make([]*submission, 0, maxBatch)
	for {
		select {
		case sub := <-c.in:
			batch = append(batch[:0], sub)
		case <-c.quit:
			// Answer what was handed over before the close.
			for {
				batch = c.collect(batch[:0])
				if len(batch) == 0 {
					return
				}
				c.apply(batch)
			}
		}
		batch = c.collect(batch)
		c.apply(batch)
		clear(batch) // let the answered submissions go
		c.s.checkpoints.restartIfDue()
	}
}

// collect adds the submissions already waiting, up to maxBatch, without
// waiting for more.
func (c *committer) collect(batch []*submission) []*submission {
	for len(batch) < maxBatch {
		select {
		case sub := <-c.in:
			batch = append(batch, sub)
		default:
			return batch
		}
	}
	return batch
}

// apply runs a batch in one transaction and answers its callers.
func (c *committer) apply(batch []*submission) {
	c.s.quizGroups.add(len(batch))
	defer func() {
		for _, sub := range batch {
			close(sub.done)
		}
	}()
	slices.SortStableFunc(batch, func(a, b *submission) int { return strings.Compare(a.actor.LearnerID, b.actor.LearnerID) })
	err := c.s.db.WithContext(context.Background()).Transaction(func(tx *gorm.DB) error {
		rollups := newRollupDeltas()
		for _, sub := range batch {
			if err := sub.ctx.Err(); err != nil {
				sub.err = err // its caller has gone: leave it out
				continue
			}
			if err := tx.Exec("SAVEPOINT submission").Error; err != nil {
				return err
			}
			d := newRollupDeltas()
			if sub.err = c.submitSafely(tx, d, sub); sub.err != nil {
				sub.stored, sub.duplicate, sub.out = nil, false, Outcome{}
				if err := tx.Exec("ROLLBACK TO SAVEPOINT submission").Error; err != nil {
					return err
				}
			} else {
				rollups.merge(d)
			}
			if err := tx.Exec("RELEASE SAVEPOINT submission").Error; err != nil {
				return err
			}
		}
		// The batch's rollups are written once, summed over its
		// submissions: most of them bump the same few rows.
		return rollups.flush(tx)
	})
	if err == nil {
		return
	}
	// The batch as a whole failed (begin, a savepoint, or the commit): apply
	// each submission in a transaction of its own, so that only those that
	// fail again fail. A batch whose commit failed yet reached the database
	// is answered right too: each attempt is then found by its nonce.
	for _, sub := range batch {
		if sub.ctx.Err() != nil {
			sub.err = sub.ctx.Err()
			continue
		}
		sub.stored, sub.duplicate, sub.out = nil, false, Outcome{}
		sub.err = c.s.db.WithContext(sub.ctx).Transaction(func(tx *gorm.DB) error {
			d := newRollupDeltas()
			if err := c.submitSafely(tx, d, sub); err != nil {
				return err
			}
			return d.flush(tx)
		})
		if sub.err != nil {
			sub.stored, sub.duplicate, sub.out = nil, false, Outcome{}
		}
	}
}

// submitSafely runs submitIn and turns a panic into the submission's error,
// so that one bad submission cannot take the committer (and with it the
// server) down; its savepoint is rolled back like any failure's.
func (c *committer) submitSafely(tx *gorm.DB, d *rollupDeltas, sub *submission) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return c.s.submitIn(tx, d, sub)
}
