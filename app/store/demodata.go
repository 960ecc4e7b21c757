package store

// Demo data: synthetic learners written in bulk with the statistics and
// item rollups the live path would have written for them.

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"beacon/app"

	"gorm.io/gorm"
)

// DemoLearner is one synthetic learner for LoadDemo: a guest (User nil) or
// an account, with what it did. Times are when it happened.
type DemoLearner struct {
	LearnerID        string
	User             *app.User // Email, DisplayName, Locale, RegionCode
	OrganizationCode string    // of an existing organization, or ""
	Locale           string    // interface locale of its events
	Channel          int64     // 0 = none
	Scopes           []int64   // 0 and the campaigns its events count in
	Visit            time.Time
	Lessons          []app.LessonProgress
	Attempts         []app.Attempt // CourseID, RevisionID, Score, Passed, Answers, CreatedAt
	Completions      []app.Completion
	Certified        []app.Completion // courses certified (accounts only), with the time
	Feedback         []DemoAnswer     // answers to "Was this lesson useful?"
}

// DemoAnswer is one answer to "Was this lesson useful?": Answer is
// app.UsefulYes or app.UsefulNo, Locale the language of the lesson read.
type DemoAnswer struct {
	CourseID   int64
	LessonSlug string
	Locale     string
	Answer     string
	At         time.Time
}

// LoadDemo writes synthetic learners in one transaction with multi-row
// inserts: accounts, progress, attempts, completions, certificates, and the
// statistics events and rollups they imply, computed by the same mapping
// (statDeltas) as the live path, so the rollups equal a recount. Every
// learner must be new. The legacy daily_counts are not filled. Attempts
// with answers fill the item rollups by the live mapping (addItemDeltas);
// answers to "Was this lesson useful?" fill lesson_feedback and its
// rollup, one answer per learner, lesson and language.
func (s *Store) LoadDemo(ctx context.Context, learners []DemoLearner, courses []*app.PublishedCourse) error {
	bySlug := map[int64]*app.PublishedCourse{}
	for _, c := range courses {
		bySlug[c.ID] = c
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		orgs := map[string]int64{}
		var orgRows []organizationRow
		if err := tx.Select("id", "code").Find(&orgRows).Error; err != nil {
			return err
		}
		for _, o := range orgRows {
			orgs[o.Code] = o.ID
		}
		b := &bulk{tx: tx, dialect: s.dialect}
		var learnerRows, userRows, progress, attempts, completions, firsts, statAttempts, channels, feedback [][]any
		type fbKey struct {
			course                 int64
			lesson, locale, answer string
		}
		fbCounts := map[fbKey]int64{}
		deltas := map[StatKey]int64{}
		items, choices := map[itemKey]itemDelta{}, map[choiceKey]int64{}
		scopeCourses := map[int64]map[int64]bool{}
		for i := range learners {
			l := &learners[i]
			learnerRows = append(learnerRows, []any{l.LearnerID, l.Visit.UTC()})
			guest := l.User == nil
			a := statActor{learnerID: l.LearnerID, guest: guest, locale: l.Locale}
			if !guest {
				var org any
				if id, ok := orgs[l.OrganizationCode]; ok {
					org = id
					a.organization = l.OrganizationCode
				}
				a.region = l.User.RegionCode
				userRows = append(userRows, []any{NormalizeEmail(l.User.Email), l.User.DisplayName, "!", app.RoleLearner,
					l.User.Locale, l.User.RegionCode, l.LearnerID, org, false, l.Visit.UTC(), l.Visit.UTC()})
			}
			for _, p := range l.Lessons {
				progress = append(progress, []any{l.LearnerID, p.CourseID, p.LessonSlug, p.CompletedAt.UTC()})
			}
			for _, at := range l.Attempts {
				answers, err := json.Marshal(at.Answers)
				if err != nil || at.Answers == nil {
					answers = []byte("[]")
				}
				attempts = append(attempts, []any{l.LearnerID, at.CourseID, at.RevisionID, app.NewID(), l.Locale, at.Correct,
					at.Total, at.Score, at.Passed, string(answers), at.CreatedAt.UTC()})
				addItemDeltas(items, choices, at.CourseID, at.RevisionID, guest, at.Passed, at.Answers)
			}
			for _, c := range l.Completions {
				completions = append(completions, []any{l.LearnerID, c.CourseID, c.CompletedAt.UTC()})
			}
			for _, f := range l.Feedback {
				if !app.ValidUseful(f.Answer) {
					return app.Errorf(app.EINVALID, "lesson.useful.invalid")
				}
				feedback = append(feedback, []any{l.LearnerID, f.CourseID, f.LessonSlug, f.Locale, f.Answer, f.At.UTC()})
				fbCounts[fbKey{f.CourseID, f.LessonSlug, f.Locale, f.Answer}]++
			}
			// First-time events: the earliest time of each kind per course and overall.
			type fk struct {
				kind   string
				course int64
			}
			// A campaign scope counts only the campaign's courses, as
			// statScopes does for live events: otherwise a campaign's
			// funnel would count completions its goal does not.
			firstsIn := func(in func(course int64) bool) map[fk]time.Time {
				first := map[fk]time.Time{}
				note := func(kind string, course int64, at time.Time) {
					if !in(course) {
						return
					}
					for _, k := range []fk{{kind, course}, {kind, 0}} {
						if t, ok := first[k]; !ok || at.Before(t) {
							first[k] = at
						}
					}
				}
				first[fk{StatVisited, 0}] = l.Visit
				for _, p := range l.Lessons {
					note(StatStarted, p.CourseID, p.CompletedAt)
				}
				for _, at := range l.Attempts {
					note(StatStarted, at.CourseID, at.CreatedAt)
				}
				for _, c := range l.Completions {
					note(StatCompleted, c.CourseID, c.CompletedAt)
				}
				for _, c := range l.Certified {
					note(StatCertified, c.CourseID, c.CompletedAt)
				}
				return first
			}
			for _, scope := range l.Scopes {
				in, err := demoScopeCourses(tx, scopeCourses, scope)
				if err != nil {
					return err
				}
				first := firstsIn(in)
				if l.Channel != 0 {
					channels = append(channels, []any{l.LearnerID, scope, l.Channel})
				}
				for k, at := range first {
					e := a.event(k.kind, scope, k.course, l.Channel, at)
					if k.kind == StatVisited && k.course != 0 {
						continue
					}
					firsts = append(firsts, []any{e.LearnerID, e.Scope, e.Kind, e.CourseID, at.UTC(), at.UTC().Format(statDay),
						e.Guest, e.Region, e.Organization, e.Locale, e.Channel})
					statDeltas(&e, 1, deltas)
				}
				for _, at := range l.Attempts {
					if !in(at.CourseID) {
						continue
					}
					e := a.event(StatAttempts, scope, at.CourseID, l.Channel, at.CreatedAt)
					e.Passed, e.Score = at.Passed, at.Score
					statAttempts = append(statAttempts, []any{e.LearnerID, e.Scope, e.CourseID, at.CreatedAt.UTC(),
						at.CreatedAt.UTC().Format(statDay), e.Guest, e.Region, e.Organization, e.Locale, e.Channel, e.Passed, e.Score})
					statDeltas(&e, 1, deltas)
				}
			}
		}
		for _, w := range []struct {
			table, cols string
			rows        [][]any
		}{
			{"learners", "id, created_at", learnerRows},
			{"users", "email, display_name, password_hash, roles, locale, region_code, learner_id, organization_id, disabled, created_at, updated_at", userRows},
			{"lesson_progress", "learner_id, course_id, lesson_slug, completed_at", progress},
			{"quiz_attempts", "learner_id, course_id, revision_id, nonce, locale, correct, total, score, passed, answers, created_at", attempts},
			{"course_completions", "learner_id, course_id, completed_at", completions},
			{"lesson_feedback", "learner_id, course_id, lesson_slug, locale, answer, answered_at", feedback},
			{"stat_channels", "learner_id, scope, channel", channels},
			{"stat_firsts", "learner_id, scope, kind, course_id, at, day, guest, region, organization, locale, channel", firsts},
			{"stat_attempts", "learner_id, scope, course_id, at, day, guest, region, organization, locale, channel, passed, score", statAttempts},
		} {
			if err := b.insert(ctx, w.table, w.cols, w.rows); err != nil {
				return err
			}
		}
		// Certificates need the new accounts' ids.
		var certs [][]any
		ids := map[string]int64{}
		var owners []struct {
			ID        int64
			LearnerID string
		}
		for i := range learners {
			if learners[i].User == nil || len(learners[i].Certified) == 0 {
				continue
			}
			if err := tx.Raw(`SELECT id, learner_id FROM users WHERE learner_id = ?`, learners[i].LearnerID).Scan(&owners).Error; err != nil {
				return err
			}
			for _, o := range owners {
				ids[o.LearnerID] = o.ID
			}
		}
		for i := range learners {
			l := &learners[i]
			for _, c := range l.Certified {
				pc := bySlug[c.CourseID]
				if pc == nil || ids[l.LearnerID] == 0 {
					continue
				}
				title := `{}`
				if t, ok := pc.Title[pc.SourceLocale]; ok {
					title = fmt.Sprintf(`{%q:%q}`, pc.SourceLocale, t)
				}
				certs = append(certs, []any{app.NewCode(), ids[l.LearnerID], pc.ID, pc.Slug, title, pc.SourceLocale, l.User.DisplayName, c.CompletedAt.UTC()})
			}
		}
		// Status indexes follow the order of issue within the batch.
		sort.SliceStable(certs, func(i, j int) bool { return certs[i][7].(time.Time).Before(certs[j][7].(time.Time)) })
		idx, err := s.nextStatusIndexes(tx, len(certs))
		if err != nil {
			return err
		}
		for i := range certs {
			certs[i] = append(certs[i], idx[i])
		}
		if err := b.insert(ctx, "certificates", "code, user_id, course_id, course_slug, course_title, source_locale, holder_name, issued_at, status_index", certs); err != nil {
			return err
		}
		if err := applyStatDeltas(tx, deltas); err != nil {
			return err
		}
		for k, n := range fbCounts {
			if err := addFeedbackCount(tx, k.course, k.lesson, k.locale, k.answer, n); err != nil {
				return err
			}
		}
		return applyItemDeltas(tx, items, choices)
	})
	if err != nil {
		return fmt.Errorf("load demo data: %w", err)
	}
	return nil
}

// bulk writes rows with multi-row INSERT statements on the transaction's
// own connection, bypassing GORM's statement building for speed.
type bulk struct {
	tx      *gorm.DB
	dialect string
}

func (b *bulk) insert(ctx context.Context, table, cols string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	n := len(rows[0])
	per := max(1, 30000/n)
	for start := 0; start < len(rows); start += per {
		end := min(start+per, len(rows))
		var sb strings.Builder
		sb.WriteString("INSERT INTO " + table + " (" + cols + ") VALUES ")
		args := make([]any, 0, n*(end-start))
		p := 0
		for i, r := range rows[start:end] {
			if i > 0 {
				sb.WriteString(",")
			}
			sb.WriteString("(")
			for j := range r {
				if j > 0 {
					sb.WriteString(",")
				}
				p++
				if b.dialect == DialectPostgres {
					sb.WriteString("$" + strconv.Itoa(p))
				} else {
					sb.WriteString("?")
				}
			}
			sb.WriteString(")")
			args = append(args, r...)
		}
		if _, err := b.tx.Statement.ConnPool.ExecContext(ctx, sb.String(), args...); err != nil {
			return fmt.Errorf("insert %s: %w", table, err)
		}
	}
	return nil
}

// demoScopeCourses says which courses count in scope: every course
// site-wide (scope 0), a campaign's featured courses in its scope. It
// reads each campaign once into cache.
func demoScopeCourses(tx *gorm.DB, cache map[int64]map[int64]bool, scope int64) (func(int64) bool, error) {
	if scope == 0 {
		return func(int64) bool { return true }, nil
	}
	ids, ok := cache[scope]
	if !ok {
		var rows []campaignRow
		if err := tx.Table("campaigns").Where("id = ?", scope).Find(&rows).Error; err != nil {
			return nil, fmt.Errorf("demo scope %d: %w", scope, err)
		}
		ids = map[int64]bool{}
		if len(rows) == 1 {
			var c app.Campaign
			if err := json.Unmarshal([]byte(rows[0].Document), &c); err != nil {
				return nil, fmt.Errorf("demo scope %d: %w", scope, err)
			}
			list, err := campaignCourseIDs(tx, &c)
			if err != nil {
				return nil, err
			}
			for _, id := range list {
				ids[id] = true
			}
		}
		cache[scope] = ids
	}
	return func(course int64) bool { return course == 0 || ids[course] }, nil
}
