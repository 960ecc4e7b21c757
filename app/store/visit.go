package store

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"gorm.io/gorm"
)

// Visits in group commits.
//
// On a campaign day or a real alert, first visits come in bursts of
// thousands a second, and each one is a small write transaction that bumps
// the same few rollup rows (visited, per day, scope and locale): one
// transaction per visit queues them on SQLite's write lock, or on
// PostgreSQL's row lock of those rows until each commit. So RecordVisit and
// RecordChannelVisit hand their visit to one goroutine that applies what
// arrived meanwhile (up to maxVisitBatch) in one transaction, each visit in
// a savepoint, sums the rollup increments and the channels' follow counts,
// writes them last in key order, commits once and then answers every
// caller: a caller's visit is stored when it returns, as before.

// maxVisitBatch caps the visits of one transaction.
const maxVisitBatch = 512

// visitJob is one visit handed to the visit batcher.
type visitJob struct {
	learnerID string
	scope     int64 // the campaign, 0 for site-wide only
	channel   int64 // the channel that brought the learner (0 = none)
	follow    *Channel
	locale    string
	at        time.Time
	err       error
	done      chan struct{}
}

// visitBatcher applies visits in group commits; see above.
type visitBatcher struct {
	s    *Store
	in   chan *visitJob
	quit chan struct{}
	gone chan struct{}
	once sync.Once
}

// visits returns the store's visit batcher, starting it on first use.
func (s *Store) visits() *visitBatcher {
	s.visitStart.Do(func() {
		s.visitB = &visitBatcher{s: s, in: make(chan *visitJob, maxVisitBatch), quit: make(chan struct{}), gone: make(chan struct{})}
		go s.visitB.loop()
	})
	return s.visitB
}

// closeVisits stops the visit batcher after it has answered every visit
// handed to it.
func (s *Store) closeVisits() {
	s.visitStart.Do(func() {})
	if s.visitB != nil {
		s.visitB.once.Do(func() { close(s.visitB.quit) })
		<-s.visitB.gone
	}
}

// record hands j over and waits for its answer.
func (b *visitBatcher) record(ctx context.Context, j *visitJob) error {
	j.done = make(chan struct{})
	select {
	case b.in <- j:
	case <-b.quit:
		return errCommitterClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case <-j.done:
		return j.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (b *visitBatcher) loop() {
	defer close(b.gone)
	for {
		var first *visitJob
		select {
		case first = <-b.in:
		case <-b.quit:
			for { // answer what is still queued
				select {
				case j := <-b.in:
					b.apply([]*visitJob{j})
				default:
					return
				}
			}
		}
		batch := []*visitJob{first}
	collect:
		for len(batch) < maxVisitBatch {
			select {
			case j := <-b.in:
				batch = append(batch, j)
			default:
				break collect
			}
		}
		b.apply(batch)
	}
}

// apply writes one batch and answers its callers. When the batch as a
// whole fails (begin, commit, the rollups), each visit is tried again on
// its own, so that one cannot fail the others.
func (b *visitBatcher) apply(batch []*visitJob) {
	b.s.visitGroups.add(len(batch))
	defer func() {
		for _, j := range batch {
			close(j.done)
		}
	}()
	// Learner rows in learner order, rollups and channels last in key
	// order: batches of several instances cannot deadlock on PostgreSQL.
	slices.SortStableFunc(batch, func(x, y *visitJob) int { return cmp.Compare(x.learnerID, y.learnerID) })
	err := b.s.db.Transaction(func(tx *gorm.DB) error { return b.applyIn(tx, batch, len(batch) > 1) })
	if err == nil || len(batch) == 1 {
		if err != nil {
			batch[0].err = err
		}
		return
	}
	for _, j := range batch {
		j.err = b.s.db.Transaction(func(tx *gorm.DB) error { return b.applyIn(tx, []*visitJob{j}, false) })
	}
}

// applyIn writes the batch inside tx; with savepoints, a failing visit
// rolls back only itself and keeps its error.
func (b *visitBatcher) applyIn(tx *gorm.DB, batch []*visitJob, savepoints bool) error {
	deltas := map[StatKey]int64{}
	follows := map[int64]int64{} // channel id → follows
	for _, j := range batch {
		j.err = nil
		mine := map[StatKey]int64{}
		if savepoints {
			if err := tx.SavePoint("visit").Error; err != nil {
				return err
			}
		}
		err := visitIn(tx, mine, j)
		if err != nil {
			if !savepoints {
				return err
			}
			j.err = err
			if rerr := tx.RollbackTo("visit").Error; rerr != nil {
				return rerr
			}
			continue
		}
		for k, n := range mine {
			deltas[k] += n
		}
		if j.follow != nil {
			follows[j.follow.ID]++
		}
	}
	ids := make([]int64, 0, len(follows))
	for id := range follows {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		if err := tx.Exec(`UPDATE campaign_channels SET visits = visits + ? WHERE id = ?`, follows[id], id).Error; err != nil {
			return fmt.Errorf("count channel follows: %w", err)
		}
	}
	return applyStatDeltas(tx, deltas)
}

// visitIn writes one visit inside tx, leaving its rollup increments in deltas.
func visitIn(tx *gorm.DB, deltas map[StatKey]int64, j *visitJob) error {
	if err := ensureLearner(tx, j.learnerID, j.at); err != nil {
		return err
	}
	if ch := j.follow; ch != nil {
		if err := tx.Exec(`INSERT INTO campaign_visits (learner_id, campaign_id, channel_id, visited_at) VALUES (?, ?, ?, ?)
ON CONFLICT (learner_id, campaign_id) DO NOTHING`, j.learnerID, ch.CampaignID, ch.ID, j.at).Error; err != nil {
			return err
		}
		if err := tx.Exec(`UPDATE campaign_participants SET channel_id = (SELECT channel_id FROM campaign_visits v
  WHERE v.learner_id = campaign_participants.learner_id AND v.campaign_id = campaign_participants.campaign_id)
WHERE campaign_id = ? AND learner_id = ? AND channel_id IS NULL`, ch.CampaignID, j.learnerID).Error; err != nil {
			return err
		}
		return nil
	}
	if err := setChannelIn(tx, j.learnerID, j.scope, j.channel); err != nil {
		return err
	}
	scopes := []int64{0}
	if j.scope != 0 {
		scopes = append(scopes, j.scope)
	}
	subj, err := loadStatSubject(tx, j.learnerID, j.locale, scopes)
	if err != nil {
		return err
	}
	return addFirstsIn(tx, deltas, subj, StatVisited, 0, j.at)
}

// RecordVisit counts the learner's first visit in scope (and site-wide,
// since a campaign page is part of the site), after attributing it to
// channel as SetLearnerChannel does. locale is the interface locale. It is
// idempotent: later visits change nothing. The visit is written in a group
// commit (see above) and stored when RecordVisit returns.
func (s *Store) RecordVisit(ctx context.Context, learnerID string, scope, channel int64, locale string) error {
	if learnerID == "" {
		return errors.New("record visit: no learner id")
	}
	err := s.visits().record(ctx, &visitJob{learnerID: learnerID, scope: scope, channel: channel, locale: locale, at: s.now()})
	if err != nil {
		return fmt.Errorf("record visit: %w", err)
	}
	return nil
}

// RecordChannelVisit counts a follow of the channel's link and attributes
// the learner to the channel for its campaign: the first channel a learner
// comes by wins, and a participant who joined on their own before gets it.
// It returns the channel (ENOTFOUND for an unknown code). Written in a
// group commit, like RecordVisit.
func (s *Store) RecordChannelVisit(ctx context.Context, code, learnerID string) (*Channel, error) {
	ch, err := s.FindChannel(ctx, code)
	if err != nil {
		return nil, err
	}
	if err := s.visits().record(ctx, &visitJob{learnerID: learnerID, follow: ch, at: s.now()}); err != nil {
		return nil, fmt.Errorf("record visit of channel %s: %w", code, err)
	}
	return ch, nil
}
