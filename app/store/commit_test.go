package store_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"sort"
	"sync"
	"testing"
	"time"

	"beacon/app"
	"beacon/app/store"
	"beacon/app/testenv"
)

// scoredAttempt is a scored attempt with a given nonce and score.
func scoredAttempt(nonce string, score int) *app.Attempt {
	return &app.Attempt{Nonce: nonce, Locale: "en", Total: 10, Correct: score / 10, Score: score, Passed: score >= 60,
		Answers: []app.AnsweredQuestion{{QuestionID: "q1", Chosen: []string{"a"}, Correct: score >= 60}}}
}

// completeLessons marks every lesson of c complete for actor.
func completeLessons(t testing.TB, st *store.Store, actor store.Actor, c *app.PublishedCourse) {
	t.Helper()
	for _, l := range c.Lessons {
		if _, err := st.CompleteLesson(context.Background(), actor, c, l.Slug); err != nil {
			t.Fatal(err)
		}
	}
}

// TestSubmitAttempt_OneBatch applies several submissions in ONE committer
// transaction: two of the same learner see each other's writes (the
// double submit, the attempt limit, the completion and the certificate
// happen once), and a failing submission, one that panics, or one whose
// caller has gone leaves the others committed and itself no trace.
func TestSubmitAttempt_OneBatch(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		courses := seed(t, st)
		c := courses[0]
		now := time.Date(2027, 4, 8, 10, 0, 0, 0, time.UTC)
		st.SetClock(func() time.Time { return now })
		u := &app.User{Email: "batch@example.org", DisplayName: "Batch", PasswordHash: "x", Locale: "en"}
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		a := store.Actor{LearnerID: u.LearnerID, User: u, Locale: "en"}
		completeLessons(t, st, a, c)
		broken := store.Actor{LearnerID: app.NewID(), Locale: "fr"}
		gone := store.Actor{LearnerID: app.NewID(), Locale: "en"}
		guest := store.Actor{LearnerID: app.NewID(), Locale: "en"}
		cancelled, cancel := context.WithCancel(ctx)
		cancel()
		bad := scoredAttempt("broken-1", 80)
		bad.RevisionID = 1 << 40 // no such revision: the insert breaks a foreign key
		res := st.SubmitBatch([]store.BatchSubmission{
			{Ctx: ctx, Actor: a, Course: c, Attempt: scoredAttempt("a-1", 90), MaxAttempts: 2},
			{Ctx: ctx, Actor: a, Course: c, Attempt: scoredAttempt("a-1", 90), MaxAttempts: 2},
			{Ctx: ctx, Actor: broken, Course: c, Attempt: bad, MaxAttempts: 2},
			{Ctx: ctx, Actor: a, Course: c, Attempt: scoredAttempt("a-2", 70), MaxAttempts: 2},
			{Ctx: cancelled, Actor: gone, Course: c, Attempt: scoredAttempt("gone-1", 70), MaxAttempts: 2},
			{Ctx: ctx, Actor: a, Course: c, Attempt: scoredAttempt("a-3", 70), MaxAttempts: 2},
			{Ctx: ctx, Actor: guest, Course: c, Attempt: scoredAttempt("guest-1", 40), MaxAttempts: 2},
			{Ctx: ctx, Actor: gone, Course: nil, Attempt: scoredAttempt("panics-1", 70)}, // a bug: it panics
		})
		first, dup, broke, second, cut, third, other, panicked := res[0], res[1], res[2], res[3], res[4], res[5], res[6], res[7]
		if first.Err != nil || first.Duplicate || first.Stored == nil {
			t.Fatalf("first attempt: %+v", first)
		}
		if !first.Out.CourseCompleted || first.Out.Certificate == nil {
			t.Fatalf("the first passing attempt after every lesson completes the course with a certificate: %+v", first.Out)
		}
		if dup.Err != nil || !dup.Duplicate || dup.Stored == nil || dup.Stored.ID != first.Stored.ID || dup.Out.Certificate != nil {
			t.Fatalf("double submit in the same batch: %+v, want the first attempt %d as a duplicate", dup, first.Stored.ID)
		}
		if broke.Err == nil || broke.Stored != nil {
			t.Fatalf("attempt of a missing revision: %+v, want an error", broke)
		}
		if second.Err != nil || second.Duplicate || second.Out.CourseCompleted || second.Out.Certificate != nil {
			t.Fatalf("second attempt: %+v, want stored with no second completion or certificate", second)
		}
		if !errors.Is(cut.Err, context.Canceled) || cut.Stored != nil {
			t.Fatalf("attempt of a gone caller: %+v, want context.Canceled", cut)
		}
		var e *app.Error
		if !errors.As(third.Err, &e) || e.Code != app.EFORBIDDEN {
			t.Fatalf("third attempt over a limit of 2 (the two before it in the same batch): %+v, want EFORBIDDEN", third)
		}
		if other.Err != nil || other.Stored == nil || other.Stored.Passed {
			t.Fatalf("other learner's attempt: %+v", other)
		}
		if panicked.Err == nil || panicked.Stored != nil {
			t.Fatalf("a submission that panics: %+v, want an error", panicked)
		}

		for _, tt := range []struct {
			actor store.Actor
			want  int
		}{{a, 2}, {broken, 0}, {gone, 0}, {guest, 1}} {
			got, err := st.Attempts(ctx, tt.actor.LearnerID, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tt.want {
				t.Errorf("learner %s has %d attempts, want %d", tt.actor.LearnerID, len(got), tt.want)
			}
		}
		certs, err := st.Certificates(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(certs) != 1 {
			t.Fatalf("%d certificates, want 1", len(certs))
		}
		events := checkRecount(t, st)
		for _, ev := range events {
			if ev.LearnerID == broken.LearnerID || ev.LearnerID == gone.LearnerID {
				t.Fatalf("a rolled-back submission left a statistics event: %+v", ev)
			}
		}
		totals, err := st.CountTotals(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]int64{app.MetricQuizAttempt: 3, app.MetricQuizPassed: 2, app.MetricQuizScoreSum: 90 + 70 + 40,
			app.MetricCourseCompleted: 1, app.MetricCertificate: 1, app.MetricLearnerStarted: 2}
		for m, n := range want {
			if totals[m] != n {
				t.Errorf("daily count %s = %d, want %d", m, totals[m], n)
			}
		}
	})
}

// quizLoad is a generated set of submissions: guests and accounts, some
// having done every lesson, submitting to a course with an attempt limit
// and one without, some forms twice.
type quizLoad struct {
	learners []loadLearner
	subs     []loadSub
}

type loadLearner struct {
	id      string
	user    bool
	region  string
	org     string
	locale  string
	lessons bool // completes every lesson of both courses first
}

type loadSub struct {
	learner int // index into learners
	course  int // 0: limited to 2 attempts; 1: unlimited
	nonce   string
	score   int
}

func newQuizLoad(seedN uint64, learners int) quizLoad {
	rng := rand.New(rand.NewPCG(seedN, 7))
	var q quizLoad
	regions := []string{"", "north", "east"}
	orgs := []string{"", "acme"}
	for i := range learners {
		l := loadLearner{id: fmt.Sprintf("load%04d-%s", i, app.NewID()[:8]), user: rng.IntN(3) == 0,
			locale: []string{"en", "fr", "zh-Hans"}[rng.IntN(3)], lessons: rng.IntN(3) == 0}
		if l.user {
			l.region, l.org = regions[rng.IntN(len(regions))], orgs[rng.IntN(len(orgs))]
		}
		q.learners = append(q.learners, l)
		// On the limited course all of a learner's attempts score the
		// same, so which two of them win the race changes no figure.
		limited := rng.IntN(101)
		for j := range 1 + rng.IntN(4) {
			course := rng.IntN(2)
			score := limited
			if course == 1 {
				score = rng.IntN(101)
			}
			s := loadSub{learner: i, course: course, nonce: fmt.Sprintf("%s-%d", l.id, j), score: score}
			q.subs = append(q.subs, s)
			if rng.IntN(4) == 0 { // the same form sent twice
				q.subs = append(q.subs, s)
			}
		}
	}
	return q
}

type loadResult struct {
	course    int
	stored    int64
	duplicate bool
	err       error
	out       store.Outcome
}

// runQuizLoad creates the load's learners in st, then submits every
// submission, all at once (parallel) or one after the other.
func runQuizLoad(t *testing.T, st *store.Store, courses []*app.PublishedCourse, q quizLoad, parallel bool) ([]loadResult, []store.Actor) {
	t.Helper()
	ctx := context.Background()
	for _, code := range []string{"acme"} {
		if err := st.CreateOrganization(ctx, nil, &app.Organization{Code: code, Name: app.Text{"en": code}}); err != nil {
			t.Fatal(err)
		}
	}
	actors := make([]store.Actor, len(q.learners))
	for i, l := range q.learners {
		actors[i] = store.Actor{LearnerID: l.id, Locale: l.locale}
		if l.user {
			u := &app.User{Email: l.id + "@example.org", DisplayName: "L", PasswordHash: "x", Locale: l.locale, LearnerID: l.id}
			if err := st.CreateUserWithAffiliation(ctx, u, store.Affiliation{RegionCode: l.region, OrganizationCode: l.org}); err != nil {
				t.Fatal(err)
			}
			actors[i].User = u
		}
		if l.lessons {
			for _, c := range courses {
				completeLessons(t, st, actors[i], c)
			}
		}
	}
	results := make([]loadResult, len(q.subs))
	submit := func(i int) {
		s := q.subs[i]
		maxAttempts := 0
		if s.course == 0 {
			maxAttempts = 2
		}
		stored, dup, out, err := st.SubmitAttempt(ctx, actors[s.learner], courses[s.course], scoredAttempt(s.nonce, s.score), maxAttempts)
		results[i] = loadResult{course: s.course, duplicate: dup, err: err, out: out}
		if stored != nil {
			results[i].stored = stored.ID
		}
	}
	if !parallel {
		for i := range q.subs {
			submit(i)
		}
		return results, actors
	}
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range q.subs {
		wg.Go(func() {
			<-start
			submit(i)
		})
	}
	close(start)
	wg.Wait()
	return results, actors
}

// quizFigures is everything a submission leaves, in a form that does not
// depend on the order the submissions were applied in.
type quizFigures struct {
	Attempts     map[string]int // learner/course → attempts stored
	Completions  map[string]int // learner → courses completed
	Certificates map[string]int // learner → certificates
	Totals       map[string]int64
	Rollups      map[store.StatKey]int64
	// Answers that were duplicates (on the unlimited course: on the other
	// one, which forms are refused depends on the order), completions,
	// certificates.
	Outcomes [3]int
}

func figuresOf(t *testing.T, st *store.Store, courses []*app.PublishedCourse, actors []store.Actor, results []loadResult) quizFigures {
	t.Helper()
	ctx := context.Background()
	f := quizFigures{Attempts: map[string]int{}, Completions: map[string]int{}, Certificates: map[string]int{}}
	for _, a := range actors {
		for _, c := range courses {
			got, err := st.Attempts(ctx, a.LearnerID, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			f.Attempts[a.LearnerID+"/"+c.Slug] = len(got)
		}
		done, err := st.Completions(ctx, a.LearnerID)
		if err != nil {
			t.Fatal(err)
		}
		f.Completions[a.LearnerID] = len(done)
		if a.User != nil {
			certs, err := st.Certificates(ctx, a.User.ID)
			if err != nil {
				t.Fatal(err)
			}
			f.Certificates[a.LearnerID] = len(certs)
		}
	}
	var err error
	if f.Totals, err = st.CountTotals(ctx, 0); err != nil {
		t.Fatal(err)
	}
	if f.Rollups, err = st.StatRollups(ctx); err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if r.duplicate && r.course == 1 {
			f.Outcomes[0]++
		}
		if r.out.CourseCompleted {
			f.Outcomes[1]++
		}
		if r.out.Certificate != nil {
			f.Outcomes[2]++
		}
	}
	return f
}

// TestSubmitAttempt_ConcurrentEqualsSequential submits a generated load
// all at once (so that the committer batches it) and the same load one by
// one into a second database: the attempts, completions, certificates,
// daily counts and statistics rollups come out the same, the rollups equal
// a recount of the raw events, and every answer agrees with the others.
func TestSubmitAttempt_ConcurrentEqualsSequential(t *testing.T) {
	for name, open := range testenv.Stores(t) {
		t.Run(name, func(t *testing.T) {
			now := time.Date(2027, 4, 8, 10, 0, 0, 0, time.UTC)
			q := newQuizLoad(1, 60)
			run := func(parallel bool) quizFigures {
				st := open(t)
				st.SetClock(func() time.Time { return now })
				all := seed(t, st)
				courses := []*app.PublishedCourse{all[0], all[1]}
				results, actors := runQuizLoad(t, st, courses, q, parallel)
				checkAnswers(t, q, results)
				checkRecount(t, st)
				return figuresOf(t, st, courses, actors, results)
			}
			seq, conc := run(false), run(true)
			if !maps.Equal(seq.Attempts, conc.Attempts) {
				t.Errorf("attempts differ:\n sequential %v\n concurrent %v", seq.Attempts, conc.Attempts)
			}
			if !maps.Equal(seq.Completions, conc.Completions) || !maps.Equal(seq.Certificates, conc.Certificates) {
				t.Errorf("completions or certificates differ")
			}
			if !maps.Equal(seq.Totals, conc.Totals) {
				t.Errorf("daily counts differ:\n sequential %v\n concurrent %v", seq.Totals, conc.Totals)
			}
			if !maps.Equal(seq.Rollups, conc.Rollups) {
				t.Errorf("statistics rollups differ (%d and %d keys)", len(seq.Rollups), len(conc.Rollups))
			}
			if seq.Outcomes != conc.Outcomes {
				t.Errorf("answers (duplicates, completions, certificates) differ: sequential %v, concurrent %v", seq.Outcomes, conc.Outcomes)
			}
			if conc.Totals[app.MetricQuizAttempt] == 0 || conc.Outcomes[0] == 0 || conc.Outcomes[2] == 0 {
				t.Fatalf("the load exercised too little: %v %v", conc.Totals, conc.Outcomes)
			}
		})
	}
}

// checkAnswers checks the answers of one run against each other: all
// submissions of one form name the same stored attempt and exactly one of
// them is not a duplicate, or all are refused at the attempt limit; a
// learner never has more than two attempts stored on the limited course.
func checkAnswers(t *testing.T, q quizLoad, results []loadResult) {
	t.Helper()
	type form struct {
		ids        map[int64]bool
		firsts     int
		forbidden  int
		submission int
	}
	forms := map[string]*form{}
	limited := map[int]map[int64]bool{}
	for i, r := range results {
		s := q.subs[i]
		f := forms[s.nonce]
		if f == nil {
			f = &form{ids: map[int64]bool{}}
			forms[s.nonce] = f
		}
		f.submission++
		var e *app.Error
		switch {
		case r.err == nil:
			f.ids[r.stored] = true
			if !r.duplicate {
				f.firsts++
			}
			if s.course == 0 {
				if limited[s.learner] == nil {
					limited[s.learner] = map[int64]bool{}
				}
				limited[s.learner][r.stored] = true
			}
		case errors.As(r.err, &e) && e.Code == app.EFORBIDDEN && s.course == 0:
			f.forbidden++
		default:
			t.Fatalf("submission %s: %v", s.nonce, r.err)
		}
	}
	nonces := make([]string, 0, len(forms))
	for n := range forms {
		nonces = append(nonces, n)
	}
	sort.Strings(nonces)
	for _, n := range nonces {
		f := forms[n]
		if f.forbidden > 0 && f.forbidden != f.submission {
			t.Errorf("form %s: refused %d of %d times", n, f.forbidden, f.submission)
		}
		if f.forbidden == 0 && (len(f.ids) != 1 || f.firsts != 1) {
			t.Errorf("form %s: stored as %v, %d answers not duplicates", n, f.ids, f.firsts)
		}
	}
	for l, ids := range limited {
		if len(ids) > 2 {
			t.Errorf("learner %d has %d attempts on a course limited to 2", l, len(ids))
		}
	}
}

// TestSubmitAttempt_AfterClose answers an error, and does not hang, once
// the store is closed.
func TestSubmitAttempt_AfterClose(t *testing.T) {
	st := testenv.MustOpenStore(t)
	courses := seed(t, st)
	a := store.Actor{LearnerID: app.NewID(), Locale: "en"}
	if _, _, _, err := st.SubmitAttempt(context.Background(), a, courses[0], scoredAttempt("open-1", 80), 0); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := st.SubmitAttempt(context.Background(), a, courses[0], scoredAttempt("closed-1", 80), 0); err == nil {
		t.Fatal("a submission to a closed store succeeded")
	}
}

// TestCheckpoint_RestartsTheLog checks the background checkpoints of
// SQLite: connections never checkpoint on commit (the log only grows), and
// a checkpoint pass lets the next commits write the log from its start
// again. (Under a steady load only the RESTART checkpoint achieves that;
// the benchmark shows it.)
func TestCheckpoint_RestartsTheLog(t *testing.T) {
	st := testenv.MustOpenStore(t)
	courses := seed(t, st)
	submitSome := func(prefix string) {
		for i := range 50 {
			a := store.Actor{LearnerID: app.NewID(), Locale: "en"}
			if _, _, _, err := st.SubmitAttempt(context.Background(), a, courses[0], scoredAttempt(fmt.Sprintf("%s-%d", prefix, i), 70), 0); err != nil {
				t.Fatal(err)
			}
		}
	}
	submitSome("before")
	long, auto, err := st.CheckpointPass(1 << 30) // never restart
	if err != nil {
		t.Fatal(err)
	}
	if auto != 0 {
		t.Fatalf("wal_autocheckpoint = %d, want 0: commits would checkpoint", auto)
	}
	if long < 100 {
		t.Fatalf("the log holds %d pages after 50 submissions; the test needs a long one", long)
	}
	if _, _, err := st.CheckpointPass(0); err != nil { // restart whatever its length
		t.Fatal(err)
	}
	submitSome("after")
	short, _, err := st.CheckpointPass(1 << 30)
	if err != nil {
		t.Fatal(err)
	}
	if short >= long+long/2 {
		t.Fatalf("the log grew from %d to %d pages: the restart did not take", long, short)
	}
}
