package web_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"beacon/app"
	"beacon/app/campaign"
	"beacon/app/store"
	"beacon/app/testenv"
)

// The attacker of TestSuppressionAttacker is written apart from
// app/stats: it reads only what Beacon publishes for one filter (every
// dashboard CSV for everyone, guests and registered learners, and the
// close-out report's table files), writes down every relation a reader can know
// between those figures, and solves for the hidden ones by interval
// propagation: a shown count v is a true count in max(K, v-D)..v+D, a
// hidden one is any count from 0 up, and each relation total = parts
// narrows every member until nothing changes. A hidden figure that may be
// a small group (its interval starts under K) must keep at least K
// possible values; one proven to be K or more is no small group.

// attackPopulation is one campaign's synthetic people.
type attackPerson struct {
	region    string // "" for a guest
	channel   int    // index into the campaign's channels, -1 for none
	day       int    // 0..2: which day of the campaign they came
	started   bool
	completed bool
	certified bool
}

// loadAttackCampaign creates a campaign (goal 50, cyber-hygiene featured)
// with channels and loads people through the store's bulk statistics path.
func loadAttackCampaign(t *testing.T, srv *testServer, slug string, channels []string, people []attackPerson) *app.Campaign {
	t.Helper()
	ctx := context.Background()
	org := srv.signedInUser(t, "planner-"+slug+"@example.org", app.RoleOrganizer)
	now := time.Now().UTC().Truncate(time.Second)
	cp := &app.Campaign{Slug: slug, SourceLocale: "en", Starts: now.Add(-72 * time.Hour), Ends: now.Add(5 * 24 * time.Hour),
		GoalCompletions: 50, Courses: []string{"cyber-hygiene"}, Regions: []string{}, TimeZone: "UTC",
		Title: app.Text{"en": "Attack week " + slug}, Description: app.Text{}}
	if err := srv.Store.CreateCampaign(ctx, org, cp); err != nil {
		t.Fatal(err)
	}
	var chIDs []int64
	for _, name := range channels {
		ch, err := srv.Store.CreateChannel(ctx, org, slug, name, campaign.NewCode)
		if err != nil {
			t.Fatal(err)
		}
		chIDs = append(chIDs, ch.ID)
	}
	pc := srv.course(t, "cyber-hygiene")
	var learners []store.DemoLearner
	for i, p := range people {
		at := cp.Starts.Add(time.Duration(p.day)*24*time.Hour + time.Hour)
		id := app.NewID()
		l := store.DemoLearner{LearnerID: id, Locale: "en", Scopes: []int64{0, cp.ID}, Visit: at}
		if p.channel >= 0 {
			l.Channel = chIDs[p.channel]
		}
		if p.region != "" {
			l.User = &app.User{Email: fmt.Sprintf("%s-%d@people.example.org", slug, i), DisplayName: "P", Locale: "en", RegionCode: p.region}
		}
		if p.started {
			l.Lessons = []app.LessonProgress{{LearnerID: id, CourseID: pc.ID, LessonSlug: pc.Lessons[0].Slug, CompletedAt: at.Add(time.Minute)}}
		}
		if p.completed {
			l.Completions = []app.Completion{{LearnerID: id, CourseID: pc.ID, CompletedAt: at.Add(time.Hour)}}
		}
		if p.certified && l.User != nil {
			l.Certified = []app.Completion{{LearnerID: id, CourseID: pc.ID, CompletedAt: at.Add(2 * time.Hour)}}
		}
		learners = append(learners, l)
	}
	if err := srv.Store.LoadDemo(ctx, learners, []*app.PublishedCourse{pc}); err != nil {
		t.Fatal(err)
	}
	got, err := srv.Store.FindCampaign(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// randomPeople draws a population: a few regions of very different sizes
// (some a handful of people), guests, channels, and a funnel.
func randomPeople(rng *rand.Rand) []attackPerson {
	regions := []string{"north", "south", "east-industrial-park", "west", "east-university"}
	sizes := make([]int, len(regions))
	for i := range sizes {
		switch rng.IntN(3) {
		case 0:
			sizes[i] = rng.IntN(5)
		case 1:
			sizes[i] = 3 + rng.IntN(12)
		default:
			sizes[i] = 10 + rng.IntN(40)
		}
	}
	var out []attackPerson
	add := func(region string, n int) {
		for range n {
			p := attackPerson{region: region, channel: rng.IntN(3) - 1, day: rng.IntN(3)}
			p.started = rng.IntN(10) < 8
			p.completed = p.started && rng.IntN(10) < 6
			p.certified = p.completed && rng.IntN(10) < 3
			out = append(out, p)
		}
	}
	for i, r := range regions {
		add(r, sizes[i])
	}
	add("", rng.IntN(4)*rng.IntN(12)) // guests: none, a few or many
	return out
}

// published is what one filter publishes: every figure by a readable key.
type published struct {
	cells map[string]string // key → "*" or digits
	eqs   [][]string        // relations a reader knows: eq[0] = sum of eq[1:]
}

func (p *published) key(parts ...string) string { return strings.Join(parts, " | ") }

// readDashboardCSV files one dashboard CSV under who and table.
func (p *published) readDashboardCSV(t *testing.T, who, table, body string) {
	t.Helper()
	recs := readCSV(t, body)
	head := recs[0]
	for _, rec := range recs[1:] {
		for j, v := range rec[1:] {
			col := head[j+1]
			if table == "summary" {
				col = "value" // the column is named for who
			}
			p.cells[p.key(who, table, rec[0], col)] = v
		}
	}
}

// summaryMetric maps the summary's figure names to the tables' columns.
var summaryMetric = map[string]string{"Unique visitors": "Visitors", "Learners who started": "Started",
	"Learners who completed": "Completed", "Learners certified": "Certified", "Quiz attempts": "Quiz attempts"}

// relations writes down what a reader knows of the dashboard's figures.
func (p *published) relations() {
	type rc struct{ table, row, col string }
	byWho := map[string]map[rc]bool{}
	for k := range p.cells {
		f := strings.Split(k, " | ")
		if len(f) != 4 || f[0] == "report" {
			continue
		}
		if byWho[f[0]] == nil {
			byWho[f[0]] = map[rc]bool{}
		}
		byWho[f[0]][rc{f[1], f[2], f[3]}] = true
	}
	// all = guests + registered, cell by cell.
	for c := range byWho["all"] {
		p.eqs = append(p.eqs, []string{p.key("all", c.table, c.row, c.col), p.key("guests", c.table, c.row, c.col), p.key("registered", c.table, c.row, c.col)})
	}
	for who, cells := range byWho {
		// Rows add up to the Total row, column by column.
		cols := map[[2]string][]string{}
		for c := range cells {
			if c.row != "Total" && c.table != "summary" && c.table != "course" {
				cols[[2]string{c.table, c.col}] = append(cols[[2]string{c.table, c.col}], p.key(who, c.table, c.row, c.col))
			}
		}
		for tc, parts := range cols {
			sort.Strings(parts)
			p.eqs = append(p.eqs, append([]string{p.key(who, tc[0], "Total", tc[1])}, parts...))
		}
		// Every Total row is the summary's figure.
		for c := range cells {
			if c.table != "summary" {
				continue
			}
			col, ok := summaryMetric[c.row]
			if !ok {
				continue
			}
			for d := range cells {
				if d.row == "Total" && d.col == col {
					p.eqs = append(p.eqs, []string{p.key(who, "summary", c.row, c.col), p.key(who, d.table, d.row, d.col)})
				}
			}
		}
	}
}

// readReport files the close-out report's tables (one CSV file each,
// keyed by the page's section name) and their relations to the dashboard
// (which counts everyone).
func (p *published) readReport(t *testing.T, tables map[string]string, summaryCol string) {
	t.Helper()
	for section, body := range tables {
		cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff")))
		lines, err := cr.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		head := lines[0]
		for _, l := range lines[1:] {
			for j, v := range l[1:] {
				p.cells[p.key("report", section, l[0], head[j+1])] = v
			}
		}
	}
	eq := func(a, b string) { p.eqs = append(p.eqs, []string{a, b}) }
	region := func(name string) string {
		switch name {
		case "Region not given":
			return "Not stated"
		}
		return name
	}
	channel := func(name string) string {
		if name == "No channel (came on their own)" {
			return "No channel"
		}
		return name
	}
	var regionRows []string
	for k := range p.cells {
		f := strings.Split(k, " | ")
		if f[0] != "report" {
			continue
		}
		switch {
		case f[1] == "Regions" && f[3] == "People taking part":
			eq(k, p.key("all", "region", region(f[2]), "Started"))
			if f[2] != "Total" {
				regionRows = append(regionRows, k)
			}
		case f[1] == "Regions" && f[3] == "Completed a course":
			eq(k, p.key("all", "region", region(f[2]), "Completed"))
		case f[1] == "Channels":
			col := map[string]string{"Visited": "Visitors", "Started a course": "Started", "Completed a course": "Completed"}[f[3]]
			if col != "" {
				eq(k, p.key("all", "channel", channel(f[2]), col))
			}
		case f[1] == "Funnel" && f[3] == "People":
			fig := map[string]string{"Visited": "Unique visitors", "Started a course": "Learners who started",
				"Completed a course": "Learners who completed", "Earned a certificate": "Learners certified"}[f[2]]
			eq(k, p.key("all", "summary", fig, summaryCol))
		case f[1] == "Goal" && f[3] == "Course completions":
			// One featured course: its completions are the course row's.
			eq(k, p.key("all", "course", "Cyber hygiene: protecting yourself online", "Completed"))
		}
	}
	sort.Strings(regionRows)
	p.eqs = append(p.eqs, append([]string{p.key("report", "Regions", "Total", "People taking part")}, regionRows...))
}

// attack propagates intervals to a fixed point and returns, per hidden
// figure, its interval (hi < 0 means unbounded).
func (p *published) attack(k, d int64) map[string][2]int64 {
	const inf = int64(1) << 50
	idx := map[string]int{}
	var lo, hi []int64
	var hidden []bool
	for key, v := range p.cells {
		n, err := strconv.ParseInt(v, 10, 64)
		switch {
		case v == "*":
			idx[key] = len(lo)
			lo, hi, hidden = append(lo, 0), append(hi, inf), append(hidden, true)
		case err == nil:
			idx[key] = len(lo)
			l, h := max(k, n-d), n+d
			if n == 0 {
				l, h = 0, 0
			}
			lo, hi, hidden = append(lo, l), append(hi, h), append(hidden, false)
		}
	}
	var eqs [][]int
	for _, e := range p.eqs {
		var ids []int
		for _, key := range e {
			i, ok := idx[key]
			if !ok {
				ids = nil
				break
			}
			ids = append(ids, i)
		}
		if len(ids) >= 2 {
			eqs = append(eqs, ids)
		}
	}
	add := func(a, b int64) int64 { return min(a+b, inf) }
	for changed, sweeps := true, 0; changed && sweeps < 100000; sweeps++ {
		changed = false
		for _, e := range eqs {
			t, parts := e[0], e[1:]
			var sl, sh int64
			for _, q := range parts {
				sl, sh = add(sl, lo[q]), add(sh, hi[q])
			}
			if sl > lo[t] {
				lo[t], changed = sl, true
			}
			if sh < hi[t] {
				hi[t], changed = sh, true
			}
			for _, q := range parts {
				othersHi, othersLo := int64(0), sl-lo[q]
				for _, o := range parts {
					if o != q {
						othersHi = add(othersHi, hi[o])
					}
				}
				if othersHi < inf {
					if l := lo[t] - othersHi; l > lo[q] {
						lo[q], changed = l, true
					}
				}
				if hi[t] < inf {
					if h := hi[t] - othersLo; h < hi[q] {
						hi[q], changed = h, true
					}
				}
			}
		}
	}
	out := map[string][2]int64{}
	for key, i := range idx {
		if hidden[i] {
			h := hi[i]
			if h >= inf {
				h = -1
			}
			out[key] = [2]int64{lo[i], h}
		}
	}
	return out
}

// bruteForceRegions enumerates every integer table of guests and
// registered learners per region consistent with the published Visitors
// column of the region table (each row's everyone = guests + registered,
// each column adding up to its Total), when the search is small enough,
// and returns the feasible range of each hidden cell; ok is false when
// the table is too big to enumerate.
func (p *published) bruteForceRegions(k, d int64) (ranges map[string][2]int64, ok bool) {
	var rows []string
	for key := range p.cells {
		f := strings.Split(key, " | ")
		if f[0] == "all" && f[1] == "region" && f[3] == "Visitors" && f[2] != "Total" {
			rows = append(rows, f[2])
		}
	}
	sort.Strings(rows)
	cell := func(who, row string) string { return p.key(who, "region", row, "Visitors") }
	var limit int64
	for _, v := range p.cells {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			limit = max(limit, n+d)
		}
	}
	fits := func(key string, v int64) bool {
		s, known := p.cells[key]
		if !known || s == "*" {
			return v >= 0
		}
		n, _ := strconv.ParseInt(s, 10, 64)
		if n == 0 {
			return v == 0
		}
		return v >= max(k, n-d) && v <= n+d
	}
	pairs := make([][][2]int64, len(rows))
	space := 1.0
	for i, r := range rows {
		for g := int64(0); g <= limit; g++ {
			if !fits(cell("guests", r), g) {
				continue
			}
			for reg := int64(0); reg <= limit; reg++ {
				if fits(cell("registered", r), reg) && fits(cell("all", r), g+reg) {
					pairs[i] = append(pairs[i], [2]int64{g, reg})
				}
			}
		}
		space *= float64(len(pairs[i]))
	}
	if len(rows) == 0 || space > 4e5 {
		return nil, false
	}
	ranges = map[string][2]int64{}
	note := func(key string, v int64) {
		if p.cells[key] != "*" {
			return
		}
		r, seen := ranges[key]
		if !seen {
			r = [2]int64{v, v}
		}
		ranges[key] = [2]int64{min(r[0], v), max(r[1], v)}
	}
	chosen := make([][2]int64, len(rows))
	var walk func(i int, sg, sr int64)
	walk = func(i int, sg, sr int64) {
		if i < len(rows) {
			for _, pr := range pairs[i] {
				chosen[i] = pr
				walk(i+1, sg+pr[0], sr+pr[1])
			}
			return
		}
		if !fits(cell("guests", "Total"), sg) || !fits(cell("registered", "Total"), sr) || !fits(cell("all", "Total"), sg+sr) {
			return
		}
		for j, r := range rows {
			note(cell("guests", r), chosen[j][0])
			note(cell("registered", r), chosen[j][1])
			note(cell("all", r), chosen[j][0]+chosen[j][1])
		}
		note(cell("guests", "Total"), sg)
		note(cell("registered", "Total"), sr)
		note(cell("all", "Total"), sg+sr)
	}
	walk(0, 0, 0)
	// A range that reaches the search's limit is unbounded.
	for key, r := range ranges {
		if r[1] >= limit {
			delete(ranges, key)
		}
	}
	return ranges, true
}

// publishedFor fetches everything one campaign publishes for its window.
func publishedFor(t *testing.T, org *client, cp *app.Campaign) *published {
	t.Helper()
	p := &published{cells: map[string]string{}}
	base := "/en/admin/campaigns/" + cp.Slug + "/stats.csv?table="
	for _, who := range []string{"all", "guests", "registered"} {
		for _, table := range []string{"summary", "daily", "region", "organization", "locale", "course", "channel"} {
			r := org.get(base + table + "&who=" + who)
			org.mustStatus(r, 200)
			p.readDashboardCSV(t, who, table, r.Body)
		}
	}
	p.relations()
	tables := map[string]string{}
	for file, section := range map[string]string{"summary": "Goal", "funnel": "Funnel", "channels": "Channels", "regions": "Regions"} {
		r := org.get("/en/admin/campaigns/" + cp.Slug + "/report/" + file + ".csv")
		org.mustStatus(r, 200)
		tables[section] = r.Body
	}
	p.readReport(t, tables, "value")
	return p
}

// TestSuppressionAttacker is the property test of the disclosure control:
// random populations, loaded through the store's statistics path on
// SQLite and PostgreSQL, published through the real pages' CSV files for
// one filter, then attacked; no hidden figure may be left with fewer than
// K possible values. The scenario (an Industrial Park row hidden
// beside a Total row) runs first.
func TestSuppressionAttacker(t *testing.T) {
	for name, open := range testenv.Stores(t) {
		t.Run(name, func(t *testing.T) {
			srv := mustOpenServerOn(t, open(t))
			org := srv.signedIn(t, "attacker-"+name+"@stats.example.org", app.RoleOrganizer)
			settings := []struct{ k, d int64 }{{5, 2}, {5, 2}, {5, 0}, {3, 1}}
			rounds := 30
			if name != "sqlite" {
				rounds = 10
			}
			if testing.Short() {
				rounds = 4
			}
			rng := rand.New(rand.NewPCG(2027, uint64(len(name))))
			enumerated := 0
			defer func() { t.Logf("%d rounds, %d region tables small enough to enumerate", rounds, enumerated) }()
			for round := 0; round < rounds; round++ {
				s := settings[round%len(settings)]
				setK(t, srv, int(s.k))
				setNoise(t, srv, int(s.d))
				var people []attackPerson
				switch round {
				case 0:
					people = industrialPark(2)
				case 1:
					people = industrialPark(40)
				default:
					people = randomPeople(rng)
				}
				cp := loadAttackCampaign(t, srv, fmt.Sprintf("attack-%s-%d", name, round), []string{"Posters", "Radio"}, people)
				p := publishedFor(t, org, cp)
				hiddenN, shown := 0, 0
				for key, iv := range p.attack(s.k, s.d) {
					hiddenN++
					if iv[1] >= 0 && iv[1]-iv[0]+1 < s.k && iv[0] < s.k {
						t.Errorf("round %d (K=%d, D=%d): %s is hidden but pinned to %d..%d", round, s.k, s.d, key, iv[0], iv[1])
					}
				}
				for _, v := range p.cells {
					if v != "*" {
						shown++
					}
				}
				if ranges, ok := p.bruteForceRegions(s.k, s.d); ok {
					enumerated++
					for key, r := range ranges {
						if r[1]-r[0]+1 < s.k && r[0] < s.k {
							t.Errorf("round %d (K=%d, D=%d): enumeration pins %s to %d..%d", round, s.k, s.d, key, r[0], r[1])
						}
					}
				}
				t.Logf("round %d (K=%d, D=%d): %d people, %d figures shown, %d hidden, %d relations", round, s.k, s.d, len(people), shown, hiddenN, len(p.eqs))
				if round < 2 {
					// Hiding is not wholesale: the big regions stay readable
					// for everyone, and for registered learners when guests
					// are not a small group (who=registered once hid them all).
					whos := []string{"all"}
					if round == 1 {
						whos = append(whos, "registered", "guests")
					}
					for _, who := range whos {
						for _, region := range []string{"North District", "South District", "Industrial Park"} {
							if v := p.cells[p.key(who, "region", region, "Visitors")]; v == "*" && who != "guests" {
								t.Errorf("round %d: %s visitors of %s hidden", round, who, region)
							}
						}
					}
					if v := p.cells[p.key("all", "summary", "Unique visitors", "value")]; v == "*" {
						t.Errorf("round %d: the headline figure is hidden", round)
					}
				}
			}
		})
	}
}

// industrialPark is the scenario: an Industrial Park row with a
// small group in it (3 certified) beside two big regions and a Total row,
// and guests, a small group or not.
func industrialPark(guests int) []attackPerson {
	var out []attackPerson
	add := func(region string, n int, started, completed, certified int) {
		for i := range n {
			out = append(out, attackPerson{region: region, channel: i % 3 % 2, day: i % 3,
				started: i < started, completed: i < completed, certified: i < certified})
		}
	}
	add("north", 60, 50, 30, 10)
	add("south", 45, 40, 20, 6)
	add("east-industrial-park", 222, 140, 73, 3)
	add("", guests, guests/2, guests/4, 0)
	return out
}

func setNoise(t *testing.T, srv *testServer, d int) {
	t.Helper()
	if err := srv.Store.SetSetting(context.Background(), "stats_noise", strconv.Itoa(d)); err != nil {
		t.Fatal(err)
	}
}
