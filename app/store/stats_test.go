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
		case e.Kind == store.StatAlertViewed || e.Kind == store.StatAlertLearned:
			// Alerts: people per alert and site-wide, no channel, no course.
			for d, v := range map[string]string{store.DimAll: "", store.DimAlert: strconv.FormatInt(e.CourseID, 10),
				store.DimRegion: e.Region, store.DimOrganization: e.Organization, store.DimLocale: e.Locale} {
				out[key(d, v, e.Kind)]++
			}
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
		case r < 28:
			op = "alert"
			kind := store.StatAlertKinds[rng.IntN(len(store.StatAlertKinds))]
			if err := st.RecordAlertEvent(ctx, l.id, l.locale, int64(1+rng.IntN(3)), kind); err != nil {
				t.Fatal(err)
			}
		case r < 48:
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
	alerts := 0
	for _, e := range events {
		if e.Kind == store.StatAttempts {
			continue
		}
		key := k{e.LearnerID, e.Kind, e.Scope, e.CourseID}
		if seen[key] {
			t.Fatalf("duplicate first-time event %+v", key)
		}
		seen[key] = true
		if e.Kind == store.StatAlertViewed || e.Kind == store.StatAlertLearned {
			alerts++
			if e.Scope != 0 {
				t.Fatalf("alert event outside the site-wide scope: %+v", e)
			}
		}
	}
	if alerts == 0 {
		t.Fatal("the stream recorded no alert event: the property does not cover them")
	}
	// A click implies a view of the same alert (anonymized rows each have
	// an id of their own, so they cannot be matched).
	for key := range seen {
		if key.kind == store.StatAlertLearned && !strings.HasPrefix(key.l, "anon-") &&
			!seen[k{key.l, store.StatAlertViewed, 0, key.course}] {
			t.Fatalf("learn click without a view: %+v", key)
		}
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

// TestStats_AlertEvents checks the alert counters: once per learner and
// alert, a click implying a view, no learning funnel, the dimensions of
// the account, and a guest→account merge and an account deletion keeping
// the rollups equal to a recount.
func TestStats_AlertEvents(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		seed(t, st) // the regions
		if err := st.CreateOrganization(ctx, nil, &app.Organization{Code: "acme", Name: app.Text{"en": "Acme"}}); err != nil {
			t.Fatal(err)
		}
		day := time.Date(2027, 4, 8, 10, 0, 0, 0, time.UTC)
		now := day
		st.SetClock(func() time.Time { return now })
		defer st.SetClock(func() time.Time { return time.Now().UTC() })
		const alertA, alertB = int64(41), int64(42)
		breakdown := func(dim string) map[string]map[string]store.StatSplit {
			t.Helper()
			rows, err := st.StatsBreakdown(ctx, 0, dim, day, day.AddDate(0, 0, 10))
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]map[string]store.StatSplit{}
			for _, r := range rows {
				out[r.Value] = r.Metrics
			}
			return out
		}

		// A guest views alert A twice and clicks it twice: one of each.
		guest := app.NewID()
		for range 2 {
			if err := st.RecordAlertEvent(ctx, guest, "fr", alertA, store.StatAlertViewed); err != nil {
				t.Fatal(err)
			}
			if err := st.RecordAlertEvent(ctx, guest, "fr", alertA, store.StatAlertLearned); err != nil {
				t.Fatal(err)
			}
		}
		// A click without a view counts the view too.
		now = day.Add(time.Hour)
		if err := st.RecordAlertEvent(ctx, guest, "fr", alertB, store.StatAlertLearned); err != nil {
			t.Fatal(err)
		}
		byAlert := breakdown(store.DimAlert)
		a, b := byAlert[strconv.FormatInt(alertA, 10)], byAlert[strconv.FormatInt(alertB, 10)]
		if a[store.StatAlertViewed] != (store.StatSplit{Guest: 1}) || a[store.StatAlertLearned] != (store.StatSplit{Guest: 1}) ||
			b[store.StatAlertViewed] != (store.StatSplit{Guest: 1}) || b[store.StatAlertLearned] != (store.StatSplit{Guest: 1}) || len(byAlert) != 2 {
			t.Fatalf("by alert = %+v", byAlert)
		}
		// No learning funnel: no visit, no start.
		sum, err := st.StatsSummary(ctx, 0, day, day)
		if err != nil {
			t.Fatal(err)
		}
		if sum[store.StatVisited].Total() != 0 || sum[store.StatStarted].Total() != 0 || sum[store.StatAlertViewed].Guest != 2 {
			t.Fatalf("summary %+v: alert events must not count as visits", sum)
		}
		if loc := breakdown(store.DimLocale); loc["fr"][store.StatAlertViewed].Guest != 2 || loc["fr"][store.StatVisited].Total() != 0 {
			t.Fatalf("by locale %+v", loc)
		}
		if ch := breakdown(store.DimChannel); len(ch) != 0 {
			t.Fatalf("alert events counted by channel: %+v", ch)
		}

		// A registered learner in a region and an organization; the
		// interface locale of the event wins over the account's.
		u := &app.User{Email: "alerts@example.org", DisplayName: "A", PasswordHash: "x", Locale: "en"}
		if err := st.CreateUserWithAffiliation(ctx, u, store.Affiliation{RegionCode: "north", OrganizationCode: "acme"}); err != nil {
			t.Fatal(err)
		}
		now = day.Add(2 * time.Hour)
		if err := st.RecordAlertEvent(ctx, u.LearnerID, "", alertA, store.StatAlertViewed); err != nil {
			t.Fatal(err)
		}
		a = breakdown(store.DimAlert)[strconv.FormatInt(alertA, 10)]
		if a[store.StatAlertViewed] != (store.StatSplit{Guest: 1, Registered: 1}) {
			t.Fatalf("alert A after the account's view = %+v", a)
		}
		if r := breakdown(store.DimRegion)["north"]; r[store.StatAlertViewed].Registered != 1 {
			t.Fatalf("by region %+v", r)
		}
		if o := breakdown(store.DimOrganization)["acme"]; o[store.StatAlertViewed].Registered != 1 {
			t.Fatalf("by organization %+v", o)
		}
		if l := breakdown(store.DimLocale)["en"]; l[store.StatAlertViewed].Registered != 1 {
			t.Fatalf("by locale: the account's locale when the event has none: %+v", l)
		}
		checkRecount(t, st)

		// The guest signs in to the account: one person, so alert A keeps
		// one view (the earlier, the guest's) and one click; B moves over.
		if err := st.ClaimLearner(ctx, u.ID, guest); err != nil {
			t.Fatal(err)
		}
		byAlert = breakdown(store.DimAlert)
		a, b = byAlert[strconv.FormatInt(alertA, 10)], byAlert[strconv.FormatInt(alertB, 10)]
		if a[store.StatAlertViewed].Total() != 1 || a[store.StatAlertLearned].Total() != 1 || b[store.StatAlertViewed].Total() != 1 {
			t.Fatalf("after the merge: A %+v, B %+v", a, b)
		}
		events := checkRecount(t, st)
		n := 0
		for _, e := range events {
			if e.Kind == store.StatAlertViewed && e.CourseID == alertA {
				n++
				if e.LearnerID != u.LearnerID {
					t.Errorf("merged view kept the guest's id: %+v", e)
				}
			}
		}
		if n != 1 {
			t.Fatalf("%d views of alert A after the merge, want 1", n)
		}

		// Deleting the account anonymizes the rows and keeps the figures.
		before, err := st.StatRollups(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.DeleteUser(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		after, err := st.StatRollups(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(before) != fmt.Sprint(after) {
			t.Fatalf("deletion changed the rollups:\n%v\n%v", before, after)
		}
		for _, e := range checkRecount(t, st) {
			if e.LearnerID == u.LearnerID || e.LearnerID == guest {
				t.Fatalf("an alert event kept the deleted person's id: %+v", e)
			}
		}

		// Bad input records nothing.
		for _, bad := range []struct {
			learner string
			alert   int64
			kind    string
		}{{"", alertA, store.StatAlertViewed}, {guest, 0, store.StatAlertViewed}, {guest, alertA, store.StatVisited}} {
			if err := st.RecordAlertEvent(ctx, bad.learner, "en", bad.alert, bad.kind); err == nil {
				t.Errorf("RecordAlertEvent(%q, %d, %q) accepted", bad.learner, bad.alert, bad.kind)
			}
		}
		if got, _ := st.StatRollups(ctx); fmt.Sprint(got) != fmt.Sprint(after) {
			t.Fatal("bad input changed the rollups")
		}
	})
}

// TestStats_AlertHeadlines reads the names of counted alerts in one query.
func TestStats_AlertHeadlines(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		author := newUser(t, st, "author@example.org", "")
		eff := time.Date(2027, 4, 8, 10, 0, 0, 0, time.UTC)
		a := &app.Alert{Identifier: "flood-drill", SourceLocale: "en", Status: "Exercise", MsgType: "Alert", Scope: "Public",
			Categories: []string{"Met"}, Urgency: "Expected", Severity: "Severe", Certainty: "Likely",
			Event: app.Text{"en": "Flood"}, Headline: app.Text{"en": "River <flood> drill", "fr": "Exercice de crue"},
			Effective: eff, Expires: eff.Add(24 * time.Hour)}
		if err := st.CreateAlert(ctx, author, a); err != nil {
			t.Fatal(err)
		}
		got, err := st.AlertHeadlines(ctx, []int64{a.ID, a.ID + 1000})
		if err != nil {
			t.Fatal(err)
		}
		h, ok := got[a.ID]
		if len(got) != 1 || !ok || h.Identifier != "flood-drill" || h.Headline["fr"] != "Exercice de crue" ||
			h.Headline["en"] != "River <flood> drill" || h.SourceLocale != "en" || h.Status != "Exercise" {
			t.Fatalf("headlines = %+v", got)
		}
		if none, err := st.AlertHeadlines(ctx, nil); err != nil || len(none) != 0 {
			t.Fatalf("no ids: %v %v", none, err)
		}
	})
}
