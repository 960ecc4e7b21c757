package store

import "sync/atomic"

// GroupCommits are the figures of one group-commit batcher since the store
// opened: how many transactions it ran and how many writes they carried
// (Items / Batches is the mean batch size, which grows with load).
type GroupCommits struct {
	Batches, Items uint64
}

// groupCounters counts one batcher's group commits without a lock.
type groupCounters struct {
	batches, items atomic.Uint64
}

func (g *groupCounters) add(n int) {
	g.batches.Add(1)
	g.items.Add(uint64(n))
}

func (g *groupCounters) read() GroupCommits {
	return GroupCommits{Batches: g.batches.Load(), Items: g.items.Load()}
}

// QuizGroupCommits reports the quiz submissions' group commits (commit.go).
func (s *Store) QuizGroupCommits() GroupCommits { return s.quizGroups.read() }

// VisitGroupCommits reports the visits' group commits (visit.go).
func (s *Store) VisitGroupCommits() GroupCommits { return s.visitGroups.read() }
