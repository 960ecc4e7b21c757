package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"beacon/app"

	"gorm.io/gorm"
)

// Participation statistics.
//
// Every figure is additive, so that a date range is a sum over days and a
// dashboard never scans raw events:
//
//   - "unique" figures are counted as first-time events of a learner in a
//     scope (0 = site-wide, otherwise a campaign id): StatVisited (course 0),
//     and StatStarted, StatCompleted, StatCertified once per course and once
//     with course 0 ("any course"). Recording a kind also records the earlier
//     steps of the funnel visited → started → completed → certified when
//     they are missing, so the funnel never grows downward.
//   - StatAttempts, StatPassed and StatScoreSum are plain counts over quiz
//     attempts (average score = score sum / attempts).
//
// Each raw event is one row of stat_firsts or stat_attempts holding the
// dimensions as they were at event time: guest (no account then), region
// and organization (from the account), locale (the interface locale of the
// event, else the account's), and channel (the first channel the learner
// came by in that scope, see SetLearnerChannel). In the same transaction
// the event adds to stat_rollups, keyed by (scope, dim, day, value, guest,
// metric), once per breakdown dimension:
//
//   - first-time events with course 0 and attempts: DimAll (value ""),
//     DimRegion, DimOrganization (code), DimLocale, DimChannel (id);
//   - first-time events of a course and attempts: DimCourse (course id).
//
// So StatsBreakdown by course counts learners per course, and the other
// dimensions count people. Days are UTC calendar days.
//
// Alert events (alertstats.go) are first-time events too, site-wide only
// (scope 0), with the alert's id in course_id: StatAlertViewed and
// StatAlertLearned, once per learner and alert (a "learn what to do" click
// implies a view). They stand outside the learning funnel: they imply no
// visit and no other step, and no step implies them. Their rollups are
// DimAll (value ""), DimAlert (the alert id), DimRegion, DimOrganization
// and DimLocale; no channel and no course. So StatsBreakdown by alert
// counts people per alert, and dashboards showing the other dimensions
// pick their own metrics out of each row.
//
// The rollups always equal a recount over the raw rows (the property test
// checks it): an account deletion anonymizes the raw rows (the learner id is
// replaced by a random one per row) and leaves the rollups alone; a
// guest→account merge keeps the earlier of two first-time events and
// subtracts the other's rollups.

// The statistics vocabulary lives in app (app/stat.go); these names stay
// so that the store's callers read as before.
const (
	StatVisited   = app.StatVisited
	StatStarted   = app.StatStarted
	StatCompleted = app.StatCompleted
	StatCertified = app.StatCertified
	StatAttempts  = app.StatAttempts
	StatPassed    = app.StatPassed
	StatScoreSum  = app.StatScoreSum

	DimAll          = app.DimAll
	DimRegion       = app.DimRegion
	DimOrganization = app.DimOrganization
	DimLocale       = app.DimLocale
	DimCourse       = app.DimCourse
	DimChannel      = app.DimChannel
	DimAlert        = app.DimAlert
)

// StatFunnel lists the first-time kinds in funnel order (app.StatFunnel).
var StatFunnel = app.StatFunnel

// StatDims lists the breakdown dimensions (app.StatDims).
var StatDims = app.StatDims

const statDay = "2006-01-02"

type statFirstRow struct {
	LearnerID    string `gorm:"primaryKey"`
	Scope        int64  `gorm:"primaryKey"`
	Kind         string `gorm:"primaryKey"`
	CourseID     int64  `gorm:"primaryKey"`
	At           time.Time
	Day          string
	Guest        bool
	Region       string
	Organization string
	Locale       string
	Channel      int64
}

func (statFirstRow) TableName() string { return "stat_firsts" }

type statAttemptRow struct {
	ID           int64 `gorm:"primaryKey"`
	LearnerID    string
	Scope        int64
	CourseID     int64
	At           time.Time
	Day          string
	Guest        bool
	Region       string
	Organization string
	Locale       string
	Channel      int64
	Passed       bool
	Score        int
}

func (statAttemptRow) TableName() string { return "stat_attempts" }

type statChannelRow struct {
	LearnerID string `gorm:"primaryKey"`
	Scope     int64  `gorm:"primaryKey"`
	Channel   int64
}

func (statChannelRow) TableName() string { return "stat_channels" }

type statRollupRow struct {
	Scope  int64  `gorm:"primaryKey"`
	Dim    string `gorm:"primaryKey"`
	Day    string `gorm:"primaryKey"`
	Value  string `gorm:"primaryKey"`
	Guest  bool   `gorm:"primaryKey"`
	Metric string `gorm:"primaryKey"`
	N      int64
}

func (statRollupRow) TableName() string { return "stat_rollups" }

// StatEvent is one raw statistics event: a first-time event (Kind one of
// StatFunnel, or of StatAlertKinds with the alert's id in CourseID) or a
// quiz attempt (Kind StatAttempts, with Passed and Score).
type StatEvent struct {
	Kind         string
	LearnerID    string
	Scope        int64
	CourseID     int64
	At           time.Time
	Guest        bool
	Region       string
	Organization string
	Locale       string
	Channel      int64
	Passed       bool
	Score        int
}

// StatKey names one rollup counter.
type StatKey struct {
	Scope  int64
	Dim    string
	Day    string
	Value  string
	Guest  bool
	Metric string
}

// statDeltas adds the rollup increments of e (times sign) to into.
func statDeltas(e *StatEvent, sign int64, into map[StatKey]int64) {
	day := e.At.UTC().Format(statDay)
	people := []struct{ dim, value string }{{DimAll, ""}, {DimRegion, e.Region}, {DimOrganization, e.Organization},
		{DimLocale, e.Locale}, {DimChannel, strconv.FormatInt(e.Channel, 10)}}
	add := func(dim, value, metric string, n int64) {
		if n != 0 {
			into[StatKey{Scope: e.Scope, Dim: dim, Day: day, Value: value, Guest: e.Guest, Metric: metric}] += sign * n
		}
	}
	course := strconv.FormatInt(e.CourseID, 10)
	if isAlertKind(e.Kind) {
		for _, p := range []struct{ dim, value string }{{DimAll, ""}, {DimAlert, course}, {DimRegion, e.Region},
			{DimOrganization, e.Organization}, {DimLocale, e.Locale}} {
			add(p.dim, p.value, e.Kind, 1)
		}
		return
	}
	if e.Kind != StatAttempts {
		if e.CourseID != 0 {
			add(DimCourse, course, e.Kind, 1)
			return
		}
		for _, p := range people {
			add(p.dim, p.value, e.Kind, 1)
		}
		return
	}
	passed := int64(0)
	if e.Passed {
		passed = 1
	}
	for _, p := range append(people, struct{ dim, value string }{DimCourse, course}) {
		add(p.dim, p.value, StatAttempts, 1)
		add(p.dim, p.value, StatPassed, passed)
		add(p.dim, p.value, StatScoreSum, int64(e.Score))
	}
}

// applyStatDeltas adds deltas to the rollups in one statement.
func applyStatDeltas(tx *gorm.DB, deltas map[StatKey]int64) error {
	if len(deltas) == 0 {
		return nil
	}
	keys := make([]StatKey, 0, len(deltas))
	for k := range deltas {
		keys = append(keys, k)
	}
	// A fixed order keeps concurrent writers from deadlocking on PostgreSQL.
	sort.Slice(keys, func(i, j int) bool { return statKeyLess(keys[i], keys[j]) })
	const chunk = 500
	for start := 0; start < len(keys); start += chunk {
		end := min(start+chunk, len(keys))
		var sb strings.Builder
		sb.WriteString(`INSERT INTO stat_rollups (scope, dim, day, value, guest, metric, n) VALUES `)
		args := make([]any, 0, 7*(end-start))
		for i, k := range keys[start:end] {
			if i > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString("(?, ?, ?, ?, ?, ?, ?)")
			args = append(args, k.Scope, k.Dim, k.Day, k.Value, k.Guest, k.Metric, deltas[k])
		}
		sb.WriteString(` ON CONFLICT (scope, dim, day, value, guest, metric) DO UPDATE SET n = stat_rollups.n + excluded.n`)
		if err := tx.Exec(sb.String(), args...).Error; err != nil {
			return fmt.Errorf("stat rollups: %w", err)
		}
	}
	return nil
}

func statKeyLess(a, b StatKey) bool {
	if a.Scope != b.Scope {
		return a.Scope < b.Scope
	}
	if a.Dim != b.Dim {
		return a.Dim < b.Dim
	}
	if a.Day != b.Day {
		return a.Day < b.Day
	}
	if a.Value != b.Value {
		return a.Value < b.Value
	}
	if a.Guest != b.Guest {
		return !a.Guest
	}
	return a.Metric < b.Metric
}

// statActor is a learner's dimensions at event time, except the channel,
// which depends on the scope.
type statActor struct {
	learnerID    string
	guest        bool
	region       string
	organization string
	locale       string
}

// lookupStatActor reads the learner's account, if any, inside tx. locale is
// the interface locale of the event; "" falls back to the account's.
func lookupStatActor(tx *gorm.DB, learnerID, locale string) (statActor, error) {
	var rows []struct {
		RegionCode string
		Locale     string
		OrgCode    *string
	}
	if err := tx.Raw(`SELECT users.region_code AS region_code, users.locale AS locale, organizations.code AS org_code
FROM users LEFT JOIN organizations ON organizations.id = users.organization_id WHERE users.learner_id = ?`, learnerID).
		Scan(&rows).Error; err != nil {
		return statActor{}, fmt.Errorf("stat learner: %w", err)
	}
	a := statActor{learnerID: learnerID, guest: len(rows) == 0, locale: locale}
	if !a.guest {
		a.region = rows[0].RegionCode
		if rows[0].OrgCode != nil {
			a.organization = *rows[0].OrgCode
		}
		if a.locale == "" {
			a.locale = rows[0].Locale
		}
	}
	return a, nil
}

func learnerChannel(tx *gorm.DB, learnerID string, scope int64) (int64, error) {
	var ch []int64
	if err := tx.Raw(`SELECT channel FROM stat_channels WHERE learner_id = ? AND scope = ?`, learnerID, scope).
		Scan(&ch).Error; err != nil {
		return 0, fmt.Errorf("stat channel: %w", err)
	}
	if len(ch) == 0 {
		return 0, nil
	}
	return ch[0], nil
}

func (a statActor) event(kind string, scope, courseID, channel int64, at time.Time) StatEvent {
	return StatEvent{Kind: kind, LearnerID: a.learnerID, Scope: scope, CourseID: courseID, At: at, Guest: a.guest,
		Region: a.region, Organization: a.organization, Locale: a.locale, Channel: channel}
}

// insertFirst stores a first-time event unless the learner already had it
// and adds its rollups; it reports whether the event was new.
func insertFirst(tx *gorm.DB, e *StatEvent, deltas map[StatKey]int64) (bool, error) {
	res := tx.Exec(`INSERT INTO stat_firsts (learner_id, scope, kind, course_id, at, day, guest, region, organization, locale, channel)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (learner_id, scope, kind, course_id) DO NOTHING`,
		e.LearnerID, e.Scope, e.Kind, e.CourseID, e.At.UTC(), e.At.UTC().Format(statDay), e.Guest, e.Region, e.Organization, e.Locale, e.Channel)
	if res.Error != nil {
		return false, fmt.Errorf("stat event %s: %w", e.Kind, res.Error)
	}
	if res.RowsAffected == 0 {
		return false, nil
	}
	statDeltas(e, 1, deltas)
	return true, nil
}

// statScopes returns the scopes a learning event of learnerID in courseID
// at time at counts in: 0 (site-wide), and every campaign the learner has
// joined whose window contains at and which features the course (any
// campaign for course 0). It reads inside tx, so campaign figures commit
// with the event.
func statScopes(tx *gorm.DB, learnerID string, courseID int64, at time.Time) ([]int64, error) {
	scopes := []int64{0}
	var rows []campaignRow
	if err := tx.Table("campaigns").Select("campaigns.*").
		Joins("JOIN campaign_participants ON campaign_participants.campaign_id = campaigns.id").
		Where("campaign_participants.learner_id = ? AND campaigns.starts <= ? AND campaigns.ends >= ?", learnerID, at.UTC(), at.UTC()).
		Order("campaigns.id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("campaign scopes: %w", err)
	}
	if len(rows) == 0 {
		return scopes, nil
	}
	var slug string
	if courseID != 0 {
		var slugs []string
		if err := tx.Model(&courseRow{}).Where("id = ?", courseID).Pluck("slug", &slugs).Error; err != nil {
			return nil, fmt.Errorf("campaign scopes: %w", err)
		}
		if len(slugs) > 0 {
			slug = slugs[0]
		}
	}
	for _, r := range rows {
		var c app.Campaign
		if err := json.Unmarshal([]byte(r.Document), &c); err != nil {
			return nil, fmt.Errorf("campaign scopes: decode %s: %w", r.Slug, err)
		}
		if courseID == 0 || slices.Contains(c.Courses, slug) {
			scopes = append(scopes, r.ID)
		}
	}
	return scopes, nil
}

// recordFirstIn records a first-time event of kind (one of StatFunnel) in
// courseID (0: none, for StatVisited) for every scope of scopes, with the
// earlier funnel steps it implies, inside tx.
func recordFirstIn(tx *gorm.DB, learnerID, locale, kind string, courseID int64, scopes []int64, at time.Time) error {
	subj, err := loadStatSubject(tx, learnerID, locale, scopes)
	if err != nil {
		return err
	}
	deltas := map[StatKey]int64{}
	if err := addFirstsIn(tx, deltas, subj, kind, courseID, at); err != nil {
		return err
	}
	return applyStatDeltas(tx, deltas)
}

// statSubject is what the statistics of one learning event know of its
// learner: the scopes the event counts in, the learner's dimensions, and
// its channel in each scope. The events of one submission (started, the
// attempt) share it; a completion loads its own, since completing a
// course may join campaigns.
type statSubject struct {
	actor    statActor
	scopes   []int64
	channels []int64 // by scope index
}

// loadStatSubject reads the learner's dimensions and channels inside tx.
func loadStatSubject(tx *gorm.DB, learnerID, locale string, scopes []int64) (statSubject, error) {
	a, err := lookupStatActor(tx, learnerID, locale)
	if err != nil {
		return statSubject{}, err
	}
	subj := statSubject{actor: a, scopes: scopes, channels: make([]int64, len(scopes))}
	for i, scope := range scopes {
		if subj.channels[i], err = learnerChannel(tx, learnerID, scope); err != nil {
			return statSubject{}, err
		}
	}
	return subj, nil
}

// addFirstsIn is recordFirstIn for subj, leaving the rollup increments in deltas.
func addFirstsIn(tx *gorm.DB, deltas map[StatKey]int64, subj statSubject, kind string, courseID int64, at time.Time) error {
	var events []StatEvent
	for i, scope := range subj.scopes {
		for _, k := range StatFunnel {
			courses := []int64{0}
			if k != StatVisited && courseID != 0 {
				courses = append(courses, courseID)
			}
			for _, c := range courses {
				events = append(events, subj.actor.event(k, scope, c, subj.channels[i], at))
			}
			if k == kind {
				break
			}
		}
	}
	return insertFirsts(tx, events, deltas)
}

// insertFirsts is insertFirst for several events of one learner, in one
// statement: it adds the rollups of those that were new.
func insertFirsts(tx *gorm.DB, events []StatEvent, deltas map[StatKey]int64) error {
	if len(events) == 0 {
		return nil
	}
	var sb strings.Builder
	sb.WriteString(`INSERT INTO stat_firsts (learner_id, scope, kind, course_id, at, day, guest, region, organization, locale, channel) VALUES `)
	args := make([]any, 0, 11*len(events))
	for i, e := range events {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
		args = append(args, e.LearnerID, e.Scope, e.Kind, e.CourseID, e.At.UTC(), e.At.UTC().Format(statDay), e.Guest, e.Region,
			e.Organization, e.Locale, e.Channel)
	}
	sb.WriteString(` ON CONFLICT (learner_id, scope, kind, course_id) DO NOTHING RETURNING scope, kind, course_id`)
	var inserted []struct {
		Scope    int64
		Kind     string
		CourseID int64
	}
	if err := tx.Raw(sb.String(), args...).Scan(&inserted).Error; err != nil {
		return fmt.Errorf("stat events: %w", err)
	}
	for _, r := range inserted {
		for i := range events {
			if e := &events[i]; e.Scope == r.Scope && e.Kind == r.Kind && e.CourseID == r.CourseID {
				statDeltas(e, 1, deltas)
			}
		}
	}
	return nil
}

// recordLearningIn records a first-time learning event (StatStarted,
// StatCompleted or StatCertified) in every scope statScopes gives, leaving
// the rollup increments in deltas. It returns the learner as the event saw
// it, for further events of the same action.
func recordLearningIn(tx *gorm.DB, deltas map[StatKey]int64, learnerID, locale, kind string, courseID int64, at time.Time) (statSubject, error) {
	scopes, err := statScopes(tx, learnerID, courseID, at)
	if err != nil {
		return statSubject{}, err
	}
	subj, err := loadStatSubject(tx, learnerID, locale, scopes)
	if err != nil {
		return statSubject{}, err
	}
	return subj, addFirstsIn(tx, deltas, subj, kind, courseID, at)
}

// recordAttemptIn records one quiz attempt of subj (as the submission's
// learning start saw it) in each of its scopes, leaving the rollup
// increments in deltas.
func recordAttemptIn(tx *gorm.DB, deltas map[StatKey]int64, subj statSubject, courseID int64, passed bool, score int, at time.Time) error {
	for i, scope := range subj.scopes {
		ch := subj.channels[i]
		e := subj.actor.event(StatAttempts, scope, courseID, ch, at)
		e.Passed, e.Score = passed, score
		if err := tx.Exec(`INSERT INTO stat_attempts (learner_id, scope, course_id, at, day, guest, region, organization, locale, channel, passed, score)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, subj.actor.learnerID, scope, courseID, at.UTC(), at.UTC().Format(statDay),
			e.Guest, e.Region, e.Organization, e.Locale, ch, passed, score).Error; err != nil {
			return fmt.Errorf("stat attempt: %w", err)
		}
		statDeltas(&e, 1, deltas)
	}
	return nil
}

// setChannelIn records channel as the learner's channel in scope and, as
// its first channel anywhere, site-wide; a channel already set stays
// (first touch wins). Channel 0 is "none" and sets nothing.
func setChannelIn(tx *gorm.DB, learnerID string, scope, channel int64) error {
	if channel == 0 {
		return nil
	}
	scopes := []int64{scope}
	if scope != 0 {
		scopes = append(scopes, 0)
	}
	for _, sc := range scopes {
		if err := tx.Exec(`INSERT INTO stat_channels (learner_id, scope, channel) VALUES (?, ?, ?)
ON CONFLICT (learner_id, scope) DO NOTHING`, learnerID, sc, channel).Error; err != nil {
			return fmt.Errorf("stat channel: %w", err)
		}
	}
	return nil
}

// SetLearnerChannel attributes the learner to channel (a campaign channel
// id; 0 = none, ignored) in scope and, when it has none yet, site-wide.
// The first channel a learner came by wins; later ones change nothing, and
// events already recorded keep the channel they had. The campaign feature
// calls it when a tracked link is followed.
func (s *Store) SetLearnerChannel(ctx context.Context, learnerID string, scope, channel int64) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return setChannelIn(tx, learnerID, scope, channel)
	})
	if err != nil {
		return fmt.Errorf("set learner channel: %w", err)
	}
	return nil
}

// RecordCampaignEvent records a first-time event of kind (one of
// StatFunnel) of the learner in courseID (0 for StatVisited) in the
// campaign scope only, with the earlier funnel steps it implies; for
// callers outside a learning transaction (a join after the fact). Learning
// events reach campaign scopes through statScopes instead.
func (s *Store) RecordCampaignEvent(ctx context.Context, scope int64, learnerID, kind string, courseID int64, locale string) error {
	if learnerID == "" || !isFunnelKind(kind) {
		return fmt.Errorf("record campaign event: bad learner %q or kind %q", learnerID, kind)
	}
	now := s.now()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return recordFirstIn(tx, learnerID, locale, kind, courseID, []int64{scope}, now)
	})
	if err != nil {
		return fmt.Errorf("record campaign event: %w", err)
	}
	return nil
}

func isFunnelKind(kind string) bool {
	for _, k := range StatFunnel {
		if k == kind {
			return true
		}
	}
	return false
}

// mergeStatsIn moves the statistics of learner from to learner to inside
// tx (ClaimLearner). Of a first-time event both had, the earlier stays
// (to's on a tie) and the other's row and rollups are removed; attempts
// move; channels move where to has none.
func mergeStatsIn(tx *gorm.DB, from, to string) error {
	var theirs []statFirstRow
	if err := tx.Where("learner_id = ?", from).Find(&theirs).Error; err != nil {
		return err
	}
	deltas := map[StatKey]int64{}
	for _, r := range theirs {
		var mine []statFirstRow
		if err := tx.Where("learner_id = ? AND scope = ? AND kind = ? AND course_id = ?", to, r.Scope, r.Kind, r.CourseID).
			Find(&mine).Error; err != nil {
			return err
		}
		if len(mine) > 0 {
			loser := r
			if r.At.Before(mine[0].At) {
				loser = mine[0]
			}
			if err := tx.Exec(`DELETE FROM stat_firsts WHERE learner_id = ? AND scope = ? AND kind = ? AND course_id = ?`,
				loser.LearnerID, loser.Scope, loser.Kind, loser.CourseID).Error; err != nil {
				return err
			}
			e := loser.event()
			statDeltas(&e, -1, deltas)
			if loser.LearnerID == to {
				mine = nil
			}
		}
		if len(mine) == 0 {
			if err := tx.Exec(`UPDATE stat_firsts SET learner_id = ? WHERE learner_id = ? AND scope = ? AND kind = ? AND course_id = ?`,
				to, from, r.Scope, r.Kind, r.CourseID).Error; err != nil {
				return err
			}
		}
	}
	for _, q := range []string{
		`UPDATE stat_attempts SET learner_id = ? WHERE learner_id = ?`,
		`INSERT INTO stat_channels (learner_id, scope, channel) SELECT ?, scope, channel FROM stat_channels WHERE learner_id = ? ON CONFLICT (learner_id, scope) DO NOTHING`,
	} {
		if err := tx.Exec(q, to, from).Error; err != nil {
			return err
		}
	}
	if err := tx.Exec(`DELETE FROM stat_channels WHERE learner_id = ?`, from).Error; err != nil {
		return err
	}
	return applyStatDeltas(tx, deltas)
}

func (r statFirstRow) event() StatEvent {
	return StatEvent{Kind: r.Kind, LearnerID: r.LearnerID, Scope: r.Scope, CourseID: r.CourseID, At: r.At, Guest: r.Guest,
		Region: r.Region, Organization: r.Organization, Locale: r.Locale, Channel: r.Channel}
}

// anonymizeStatsIn cuts the statistics of a deleted person loose from
// them inside tx: every raw row gets a random learner id of its own (so
// rows cannot be linked to each other either), channels are erased, and
// the rollups stay as they are.
func (s *Store) anonymizeStatsIn(tx *gorm.DB, learnerID string) error {
	anon := `'anon-' || lower(hex(randomblob(16)))`
	if s.dialect == DialectPostgres {
		anon = `'anon-' || md5(random()::text || clock_timestamp()::text)`
	}
	for _, q := range []string{
		`UPDATE stat_firsts SET learner_id = ` + anon + ` WHERE learner_id = ?`,
		`UPDATE stat_attempts SET learner_id = ` + anon + ` WHERE learner_id = ?`,
		`DELETE FROM stat_channels WHERE learner_id = ?`,
	} {
		if err := tx.Exec(q, learnerID).Error; err != nil {
			return fmt.Errorf("anonymize stats: %w", err)
		}
	}
	return nil
}

// RecountStats recomputes rollups from raw events with the live mapping,
// for tools and for checking the bulk path; zero counters are left out.
func RecountStats(events []StatEvent) map[StatKey]int64 {
	out := map[StatKey]int64{}
	for i := range events {
		statDeltas(&events[i], 1, out)
	}
	for k, v := range out {
		if v == 0 {
			delete(out, k)
		}
	}
	return out
}
