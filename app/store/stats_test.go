package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"beacon/app"
	"beacon/app/store"
)

// recount is the brute-force oracle: the rollups recomputed from the raw
// events alone, written independently of the store's own mapping.
func recount(events []store.StatEvent) map[store.StatKey]int64 {
	out := map[store.StatKey]int64{}
	for _, e := range events {
		day := e.At.UTC().Format("2006-01-02")
		key := func(dim, value, metric string) store.StatKey {
			return store.StatKey{Scope: e.Scope, Dim: dim, Day: day, Value: value, Guest: e.Guest, Metric: metric}
		}
		dims := map[string]string{store.DimAll: "", store.DimRegion: e.Region, store.DimOrganization: e.Organization,
			store.DimLocale: e.Locale, store.DimChannel: strconv.FormatInt(e.Channel, 10)}
		switch {
		case e.Kind == store.StatAttempts:
			dims[store.DimCourse] = strconv.FormatInt(e.CourseID, 10)
			for d, v := range dims {
				out[key(d, v, store.StatAttempts)]++
				if e.Passed {
					out[key(d, v, store.StatPassed)]++
				}
				out[key(d, v, store.StatScoreSum)] += int64(e.Score)
			}
		case e.CourseID != 0:
			out[key(store.DimCourse, strconv.FormatInt(e.CourseID, 10), e.Kind)]++
		default:
			for d, v := range dims {
				out[key(d, v, e.Kind)]++
			}
		}
	}
	for k, v := range out {
		if v == 0 {
			delete(out, k)
		}
	}
	return out
}

// checkRecount fails when the rollups differ from a recount of the raw events.
func checkRecount(t testing.TB, st *store.Store) []store.StatEvent {
	t.Helper()
	ctx := context.Background()
	events, err := st.StatEvents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got, err := st.StatRollups(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := recount(events)
	bad := 0
	for k, v := range want {
		if got[k] != v && bad < 10 {
			t.Errorf("rollup %+v = %d, recount %d", k, got[k], v)
			bad++
		}
	}
	for k, v := range got {
		if _, ok := want[k]; !ok && bad < 10 {
			t.Errorf("rollup %+v = %d, recount has none", k, v)
			bad++
		}
	}
	return events
}

type simLearner struct {
	id     string
	user   *app.User
	locale string
}

// TestStats_RollupsEqualRecount applies random event streams through the
// real store and checks, after every step, that the rollups equal a
// brute-force recount of the raw events, and at the end a few semantic facts.
func TestStats_RollupsEqualRecount(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		courses := seed(t, st)
		for _, code := range []string{"acme", "school-1"} {
			if err := st.CreateOrganization(ctx, nil, &app.Organization{Code: code, Name: app.Text{"en": code}}); err != nil {
				t.Fatal(err)
			}
		}
		seeds := []uint64{1, 2, 3, 4}
		steps := 300
		if testing.Short() {
			seeds, steps = seeds[:2], 150
		}
		for _, seedN := range seeds {
			t.Run(fmt.Sprintf("seed%d", seedN), func(t *testing.T) {
				runStatStream(t, st, courses, seedN, steps)
			})
		}
	})
}

func runStatStream(t *testing.T, st *store.Store, courses []*app.PublishedCourse, seedN uint64, steps int) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(seedN, 99))
	now := time.Date(2027, 4, 8, 1, 0, 0, 0, time.UTC)
	st.SetClock(func() time.Time { return now })
	defer st.SetClock(func() time.Time { return time.Now().UTC() })
	var learners []*simLearner
	var deleted []string
	regions := []string{"", "north", "south-harbour", "east"}
	orgs := []string{"", "acme", "school-1"}
	pick := func() *simLearner {
		if len(learners) == 0 || rng.IntN(5) == 0 {
			l := &simLearner{id: app.NewID(), locale: []string{"en", "zh-Hans"}[rng.IntN(2)]}
			learners = append(learners, l)
			return l
		}
		return learners[rng.IntN(len(learners))]
	}
	actor := func(l *simLearner) store.Actor { return store.Actor{LearnerID: l.id, User: l.user, Locale: l.locale} }
	register := func(l *simLearner, adopt bool) {
		u := &app.User{Email: app.NewID() + "@example.org", DisplayName: "P", PasswordHash: "x", Locale: l.locale}
		if adopt {
			u.LearnerID = l.id
		}
		aff := store.Affiliation{RegionCode: regions[rng.IntN(len(regions))], OrganizationCode: orgs[rng.IntN(len(orgs))]}
		if err := st.CreateUserWithAffiliation(ctx, u, aff); err != nil {
			t.Fatal(err)
		}
		l.id, l.user = u.LearnerID, u
	}
	for step := 0; step < steps; step++ {
		now = now.Add(time.Duration(rng.IntN(180)) * time.Minute)
		l := pick()
		c := courses[rng.IntN(len(courses))]
		var op string
		switch r := rng.IntN(100); {
		case r < 15:
			op = "visit"
			if err := st.RecordVisit(ctx, l.id, int64(rng.IntN(2)*7), int64(rng.IntN(3)), l.locale); err != nil {
				t.Fatal(err)
			}
		case r < 20:
			op = "channel"
			if err := st.SetLearnerChannel(ctx, l.id, int64(rng.IntN(2)*7), int64(1+rng.IntN(3))); err != nil {
				t.Fatal(err)
			}
		case r < 45:
			op = "lesson"
			if _, err := st.CompleteLesson(ctx, actor(l), c, c.Lessons[rng.IntN(len(c.Lessons))].Slug); err != nil {
				t.Fatal(err)
			}
		case r < 65:
			op = "attempt"
			score := rng.IntN(101)
			a := &app.Attempt{Nonce: app.NewID(), Locale: l.locale, Total: 10, Correct: score / 10, Score: score,
				Passed: score >= 60, Answers: []app.AnsweredQuestion{}}
			if _, _, _, err := st.SubmitAttempt(ctx, actor(l), c, a, 0); err != nil {
				t.Fatal(err)
			}
		case r < 70:
			op = "campaign"
			kind := store.StatFunnel[rng.IntN(len(store.StatFunnel))]
			if err := st.RecordCampaignEvent(ctx, 7, l.id, kind, c.ID, l.locale); err != nil {
				t.Fatal(err)
			}
		case r < 78:
			op = "register"
			if l.user == nil {
				register(l, true)
			}
		case r < 86:
			op = "merge"
			// A registered learner signs in on a device where a guest learned.
			var guest *simLearner
			for _, g := range learners {
				if g.user == nil && g != l {
					guest = g
					break
				}
			}
			if l.user == nil {
				register(l, rng.IntN(2) == 0)
			}
			if guest != nil {
				if err := st.ClaimLearner(ctx, l.user.ID, guest.id); err != nil {
					t.Fatal(err)
				}
				if _, err := st.SyncCompletions(ctx, actor(l), courses); err != nil {
					t.Fatal(err)
				}
				for i, g := range learners {
					if g == guest {
						learners = append(learners[:i], learners[i+1:]...)
						break
					}
				}
			}
		case r < 92:
			op = "affiliation"
			if l.user != nil {
				aff := store.Affiliation{RegionCode: regions[rng.IntN(len(regions))], OrganizationCode: orgs[rng.IntN(len(orgs))]}
				if err := st.SetUserAffiliation(ctx, l.user.ID, aff); err != nil {
					t.Fatal(err)
				}
			}
		default:
			op = "delete"
			if l.user != nil {
				if err := st.DeleteUser(ctx, l.user.ID); err != nil {
					t.Fatal(err)
				}
				deleted = append(deleted, l.id)
				for i, g := range learners {
					if g == l {
						learners = append(learners[:i], learners[i+1:]...)
						break
					}
				}
			}
		}
		if step%25 == 0 || op == "merge" || op == "delete" {
			checkRecount(t, st)
			if t.Failed() {
				t.Fatalf("seed %d: rollups diverged at step %d (%s)", seedN, step, op)
			}
		}
	}
	events := checkRecount(t, st)
	// Nothing points to a deleted person.
	for _, e := range events {
		for _, id := range deleted {
			if strings.Contains(e.LearnerID, id) {
				t.Fatalf("raw event of a deleted learner kept its id: %+v", e)
			}
		}
	}
	// First-time events are unique per learner, scope, kind and course, and
	// the funnel never grows downward.
	type k struct {
		l, kind string
		scope   int64
		course  int64
	}
	seen := map[k]bool{}
	for _, e := range events {
		if e.Kind == store.StatAttempts {
			continue
		}
		key := k{e.LearnerID, e.Kind, e.Scope, e.CourseID}
		if seen[key] {
			t.Fatalf("duplicate first-time event %+v", key)
		}
		seen[key] = true
	}
	for _, scope := range []int64{0, 7} {
		sum, err := st.StatsSummary(ctx, scope, time.Time{}, now.AddDate(1, 0, 0))
		if err != nil {
			t.Fatal(err)
		}
		for i := 1; i < len(store.StatFunnel); i++ {
			if sum[store.StatFunnel[i]].Total() > sum[store.StatFunnel[i-1]].Total() {
				t.Errorf("scope %d: %s %d > %s %d", scope, store.StatFunnel[i], sum[store.StatFunnel[i]].Total(),
					store.StatFunnel[i-1], sum[store.StatFunnel[i-1]].Total())
			}
		}
	}
}

// TestStats_Queries checks the dashboard queries on a small known history.
func TestStats_Queries(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		courses := seed(t, st)
		c := courses[0]
		day1 := time.Date(2027, 4, 8, 10, 0, 0, 0, time.UTC)
		now := day1
		st.SetClock(func() time.Time { return now })
		guest := store.Actor{LearnerID: app.NewID(), Locale: "zh-Hans"}
		if err := st.RecordVisit(ctx, guest.LearnerID, 0, 3, "zh-Hans"); err != nil {
			t.Fatal(err)
		}
		if _, err := st.CompleteLesson(ctx, guest, c, c.Lessons[0].Slug); err != nil {
			t.Fatal(err)
		}
		now = day1.AddDate(0, 0, 1)
		u := newUser(t, st, "q@example.org", "")
		reg := store.Actor{LearnerID: u.LearnerID, User: u, Locale: "en"}
		a := &app.Attempt{Nonce: "q1", Locale: "en", Total: 4, Correct: 3, Score: 75, Passed: true, Answers: []app.AnsweredQuestion{}}
		if _, _, _, err := st.SubmitAttempt(ctx, reg, c, a, 0); err != nil {
			t.Fatal(err)
		}
		sum, err := st.StatsSummary(ctx, 0, day1, now)
		if err != nil {
			t.Fatal(err)
		}
		if sum[store.StatVisited] != (store.StatSplit{Guest: 1, Registered: 1}) || sum[store.StatStarted].Total() != 2 ||
			sum[store.StatAttempts] != (store.StatSplit{Registered: 1}) || sum[store.StatScoreSum].Registered != 75 {
			t.Fatalf("summary %+v", sum)
		}
		days, err := st.StatsByDay(ctx, 0, store.StatStarted, day1, now)
		if err != nil || len(days) != 2 || days[0].Guest != 1 || days[1].Registered != 1 {
			t.Fatalf("by day %+v %v", days, err)
		}
		// The range filter: only the first day.
		sum1, _ := st.StatsSummary(ctx, 0, day1, day1)
		if sum1[store.StatStarted].Total() != 1 {
			t.Fatalf("one-day summary %+v", sum1)
		}
		rows, err := st.StatsBreakdown(ctx, 0, store.DimChannel, day1, now)
		if err != nil || len(rows) != 2 || rows[0].Value != "0" || rows[1].Value != "3" || rows[1].Metrics[store.StatVisited].Guest != 1 {
			t.Fatalf("by channel %+v %v", rows, err)
		}
		rows, _ = st.StatsBreakdown(ctx, 0, store.DimCourse, day1, now)
		if len(rows) != 1 || rows[0].Value != strconv.FormatInt(c.ID, 10) || rows[0].Metrics[store.StatStarted].Total() != 2 {
			t.Fatalf("by course %+v", rows)
		}
		if _, err := st.StatsBreakdown(ctx, 0, "height", day1, now); app.ErrorCode(err) != app.ENOTFOUND {
			t.Fatalf("unknown dim: %v", err)
		}
		if !strings.Contains(fmt.Sprint(store.StatDims), store.DimOrganization) {
			t.Fatal("StatDims lacks organization")
		}
		checkRecount(t, st)
	})
}
