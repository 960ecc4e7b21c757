package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"beacon/app"
	"beacon/app/campaign"
	"beacon/app/store"
)

// demoBatch is how many learners one transaction writes.
const demoBatch = 10000

// demoData fills the database with synthetic participation over the days
// of the first seed campaign: `beacon demo-data --learners N [--seed S]`.
func demoData(ctx context.Context, env Env, args []string) error {
	fs := flag.NewFlagSet("beacon demo-data", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	n := fs.Int("learners", 2000, "number of synthetic learners")
	seedN := fs.Uint64("seed", uint64(time.Now().UnixNano()), "random seed")
	// Our flags and the common ones may come in any order.
	var mine, rest []string
	for i := 0; i < len(args); i++ {
		name := strings.SplitN(strings.TrimLeft(args[i], "-"), "=", 2)[0]
		if name != "learners" && name != "seed" {
			rest = append(rest, args[i])
			continue
		}
		mine = append(mine, args[i])
		if !strings.Contains(args[i], "=") && i+1 < len(args) {
			i++
			mine = append(mine, args[i])
		}
	}
	if err := fs.Parse(mine); err != nil {
		return err
	}
	cfg, _, err := loadConfig(env, "demo-data", rest)
	if err != nil {
		return err
	}
	if *n < 1 {
		return errors.New("--learners must be at least 1")
	}
	st, err := openStore(ctx, env, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	bundle, err := loadBundle(env, cfg)
	if err != nil {
		return err
	}
	if _, err := seed(ctx, env, st, bundle.Locales()); err != nil {
		return err
	}
	start := time.Now()
	bar := newProgress(env.Stdout, *n, "demo data")
	defer bar.done()
	if err := GenerateDemo(ctx, st, *n, *seedN, bar.add); err != nil {
		return err
	}
	bar.done()
	fmt.Fprintf(env.Stdout, "demo data: %d learners in %s\n", *n, time.Since(start).Round(time.Millisecond))
	return nil
}

// GenerateDemo writes n synthetic learners into st (which holds the seed
// pack) in batches, calling progress with each batch's size. Guests and
// accounts, regions of the seed, a few organizations, locales en and
// zh-Hans, five named channels of the campaign, lessons, answers to "Was
// this lesson useful?" (one lesson per course clearly less useful), quiz
// attempts with plausible scores, completions by the course rule and
// certificates, spread over the days of
// the first campaign; events count site-wide and in that campaign.
func GenerateDemo(ctx context.Context, st *store.Store, n int, seedN uint64, progress func(int)) error {
	courses, err := st.PublishedCourses(ctx)
	if err != nil {
		return err
	}
	camps, err := st.Campaigns(ctx, time.Time{})
	if err != nil {
		return err
	}
	if len(courses) == 0 || len(camps) == 0 {
		return errors.New("demo data needs the seed pack's courses and campaign")
	}
	camp := camps[0]
	channels, err := demoChannels(ctx, st, camp)
	if err != nil {
		return err
	}
	regions, err := st.Regions(ctx)
	if err != nil {
		return err
	}
	var leaves []string
	for _, r := range regions {
		if r.ParentCode != "" {
			leaves = append(leaves, r.Code)
		}
	}
	orgs := []string{"demo-school-north", "demo-school-south", "demo-city-hall", "demo-hospital"}
	have, err := st.Organizations(ctx)
	if err != nil {
		return err
	}
	known := map[string]bool{}
	for _, o := range have {
		known[o.Code] = true
	}
	for _, code := range orgs {
		if !known[code] {
			if err := st.CreateOrganization(ctx, nil, &app.Organization{Code: code, Name: app.Text{"en": code}}); err != nil {
				return err
			}
		}
	}
	rng := rand.New(rand.NewPCG(seedN, 2027))
	// Answers to "Was this lesson useful?" draw from their own stream, so
	// that adding them left every other demo figure of a seed as it was.
	fbRng := rand.New(rand.NewPCG(seedN, 2028))
	tag := fmt.Sprintf("%x", rng.Uint32())
	span := camp.Ends.Sub(camp.Starts)
	for done := 0; done < n; {
		size := min(demoBatch, n-done)
		batch := make([]store.DemoLearner, 0, size)
		for i := 0; i < size; i++ {
			batch = append(batch, demoLearner(rng, fbRng, done+i, tag, camp, span, courses, leaves, orgs, channels))
		}
		if err := st.LoadDemo(ctx, batch, courses); err != nil {
			return err
		}
		done += size
		if progress != nil {
			progress(size)
		}
	}
	return nil
}

func demoLearner(rng, fbRng *rand.Rand, i int, tag string, camp *app.Campaign, span time.Duration,
	courses []*app.PublishedCourse, regions, orgs []string, channels []int64) store.DemoLearner {
	locale := "en"
	if rng.IntN(100) < 35 {
		locale = "zh-Hans"
	}
	// Later days see more visitors, as word of the campaign spreads.
	at := camp.Starts.Add(time.Duration(float64(span) * (1 - rng.Float64()*rng.Float64())))
	l := store.DemoLearner{LearnerID: app.NewID(), Locale: locale, Scopes: []int64{0, camp.ID}, Visit: at}
	if rng.IntN(2) == 0 && len(channels) > 0 {
		l.Channel = channels[rng.IntN(len(channels))]
	}
	if rng.IntN(100) < 40 {
		region := ""
		if rng.IntN(10) > 0 {
			region = regions[rng.IntN(len(regions))]
		}
		l.User = &app.User{Email: fmt.Sprintf("demo-%s-%d@example.invalid", tag, i), DisplayName: fmt.Sprintf("Demo Learner %d", i),
			Locale: locale, RegionCode: region}
		if rng.IntN(100) < 45 {
			l.OrganizationCode = orgs[rng.IntN(len(orgs))]
		}
	}
	if rng.IntN(100) >= 70 { // visited only
		return l
	}
	t := at
	step := func() time.Time {
		t = t.Add(time.Duration(1+rng.IntN(20)) * time.Minute)
		return t
	}
	for _, ci := range rng.Perm(len(courses))[:1+rng.IntN(2)] {
		c := courses[ci]
		done := map[string]bool{}
		read := map[string]time.Time{}
		for _, lesson := range c.Lessons {
			if rng.IntN(100) >= 85 {
				break
			}
			done[lesson.Slug] = true
			read[lesson.Slug] = step()
			l.Lessons = append(l.Lessons, app.LessonProgress{LearnerID: l.LearnerID, CourseID: c.ID, LessonSlug: lesson.Slug, CompletedAt: read[lesson.Slug]})
		}
		l.Feedback = append(l.Feedback, demoFeedback(fbRng, c, read, locale)...)
		passed := false
		if c.Quiz != nil && len(done) == len(c.Lessons) && rng.IntN(100) < 85 {
			ability := max(-1.5, min(1.5, rng.NormFloat64()*0.6))
			for try := 0; try < 3 && !passed; try++ {
				a := demoAttempt(rng, c.Quiz, ability+0.2*float64(try))
				passed = a.Passed
				a.CourseID, a.RevisionID, a.CreatedAt = c.ID, c.RevisionID, step()
				l.Attempts = append(l.Attempts, *a)
				if rng.IntN(100) < 40 {
					break
				}
			}
		}
		if c.Completed(done, passed) {
			when := step()
			l.Completions = append(l.Completions, app.Completion{LearnerID: l.LearnerID, CourseID: c.ID, CompletedAt: when})
			if l.User != nil {
				l.Certified = append(l.Certified, app.Completion{LearnerID: l.LearnerID, CourseID: c.ID, CompletedAt: when})
			}
		}
	}
	return l
}

// demoChannelNames are the channels demo data spreads visitors over.
var demoChannelNames = []string{"Posters", "School talks", "Partner sites", "Messaging apps", "Local radio"}

// demoChannels returns the ids of the campaign's demo channels, creating
// the missing ones, so that dashboards show channels by name.
func demoChannels(ctx context.Context, st *store.Store, camp *app.Campaign) ([]int64, error) {
	have, err := st.CampaignChannelList(ctx, camp.ID)
	if err != nil {
		return nil, err
	}
	byName := map[string]int64{}
	for _, ch := range have {
		byName[ch.Name] = ch.ID
	}
	ids := make([]int64, 0, len(demoChannelNames))
	for _, name := range demoChannelNames {
		if id, ok := byName[name]; ok {
			ids = append(ids, id)
			continue
		}
		ch, err := st.CreateChannel(ctx, nil, camp.Slug, name, campaign.NewCode)
		if err != nil {
			return nil, fmt.Errorf("demo channel %s: %w", name, err)
		}
		ids = append(ids, ch.ID)
	}
	return ids, nil
}
