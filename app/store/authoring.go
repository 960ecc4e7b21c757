package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"beacon/app"
	"beacon/app/authoring"

	"gorm.io/gorm"
)

// CourseState is a course as the admin area sees it: its live revision,
// its working draft and where the draft stands in review.
type CourseState struct {
	ID            int64
	Slug          string
	Status        string // draft (never published), published, archived
	ReviewState   string // "", draft, in_review
	ReviewComment string
	// DraftEditors are everyone who wrote any part of the pending draft:
	// who edited it, and the writers of any text it restores. With
	// four-eyes on, none of them may publish it.
	DraftEditors        []int64
	PublishedRevisionID int64
	DraftRevisionID     int64
	Published           *app.Course // nil when never published
	Draft               *app.Course // nil when there is no pending change
	UpdatedAt           time.Time
}

// Working is the text an editor works on: the draft, or else the published revision.
func (cs *CourseState) Working() *app.Course {
	if cs.Draft != nil {
		return cs.Draft
	}
	return cs.Published
}

// EditedBy reports whether the user changed the pending draft.
func (cs *CourseState) EditedBy(userID int64) bool {
	for _, id := range cs.DraftEditors {
		if id == userID {
			return true
		}
	}
	return false
}

// RevisionInfo is one entry of a course's history.
type RevisionInfo struct {
	ID          int64
	Number      int
	CreatedBy   string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	PublishedAt *time.Time
	Live        bool
	Draft       bool
}

func copyCourse(c *app.Course) (*app.Course, error) {
	raw, err := json.Marshal(c)
	if err != nil {
		return nil, err
	}
	var out app.Course
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// joinIDs writes the ids of lists as one comma-separated set, in the
// order first seen, each once.
func joinIDs(lists ...[]int64) string {
	seen := map[int64]bool{}
	var ids []string
	for _, l := range lists {
		for _, id := range l {
			if id != 0 && !seen[id] {
				seen[id] = true
				ids = append(ids, strconv.FormatInt(id, 10))
			}
		}
	}
	return strings.Join(ids, ",")
}

func parseEditors(s string) []int64 {
	var out []int64
	for _, x := range strings.Split(s, ",") {
		if id, err := strconv.ParseInt(strings.TrimSpace(x), 10, 64); err == nil {
			out = append(out, id)
		}
	}
	return out
}

func (s *Store) courseState(tx *gorm.DB, row *courseRow) (*CourseState, error) {
	cs := &CourseState{ID: row.ID, Slug: row.Slug, Status: row.Status, ReviewState: row.ReviewState, ReviewComment: row.ReviewComment,
		DraftEditors: parseEditors(row.DraftEditors), UpdatedAt: row.UpdatedAt}
	var contributors string
	load := func(id int64) (*app.Course, error) {
		var rev revisionRow
		if err := tx.Where("id = ?", id).Take(&rev).Error; err != nil {
			return nil, fmt.Errorf("load revision %d: %w", id, err)
		}
		contributors = rev.Contributors
		return rev.course()
	}
	var err error
	if row.PublishedRevisionID != nil {
		cs.PublishedRevisionID = *row.PublishedRevisionID
		if cs.Published, err = load(*row.PublishedRevisionID); err != nil {
			return nil, err
		}
	}
	if row.DraftRevisionID != nil {
		cs.DraftRevisionID = *row.DraftRevisionID
		if cs.Draft, err = load(*row.DraftRevisionID); err != nil {
			return nil, err
		}
		cs.DraftEditors = parseEditors(joinIDs(cs.DraftEditors, parseEditors(contributors)))
	}
	return cs, nil
}

// FindCourseState returns the admin view of the course with slug (ENOTFOUND otherwise).
func (s *Store) FindCourseState(ctx context.Context, slug string) (*CourseState, error) {
	var row courseRow
	db := s.db.WithContext(ctx)
	if err := db.Where("slug = ?", slug).Take(&row).Error; err != nil {
		return nil, notFound(err, "course.not_found")
	}
	return s.courseState(db, &row)
}

// AdminCourseFilter narrows the admin course list.
type AdminCourseFilter struct {
	ReviewState string // "", draft, in_review
	Status      string // "", draft, published, archived
}

// AdminCourses lists every course in any state, by slug.
func (s *Store) AdminCourses(ctx context.Context, f AdminCourseFilter) ([]*CourseState, error) {
	db := s.db.WithContext(ctx)
	q := db.Order("slug")
	if f.ReviewState != "" {
		q = q.Where("review_state = ?", f.ReviewState)
	}
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	var rows []courseRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list courses: %w", err)
	}
	out := make([]*CourseState, 0, len(rows))
	for i := range rows {
		cs, err := s.courseState(db, &rows[i])
		if err != nil {
			return nil, err
		}
		out = append(out, cs)
	}
	return out, nil
}

// CreateCourse starts a new course as a draft by actor (ECONFLICT when the slug is taken).
func (s *Store) CreateCourse(ctx context.Context, actor *app.User, c *app.Course) error {
	now := s.now()
	doc, err := json.Marshal(c)
	if err != nil {
		return err
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&courseRow{}).Where("slug = ?", c.Slug).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return &app.Error{Code: app.ECONFLICT, MessageID: "admin.error.slug_taken", Field: "slug"}
		}
		row := courseRow{Slug: c.Slug, Status: app.CourseDraft, ReviewState: app.CourseDraft, DraftEditors: strconv.FormatInt(actor.ID, 10), CreatedAt: now, UpdatedAt: now}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		by := actor.ID
		rev := revisionRow{CourseID: row.ID, Number: 1, Document: string(doc), CreatedBy: &by, Contributors: joinIDs([]int64{by}), CreatedAt: now, UpdatedAt: now}
		if err := tx.Create(&rev).Error; err != nil {
			return err
		}
		if err := tx.Model(&courseRow{}).Where("id = ?", row.ID).Update("draft_revision_id", rev.ID).Error; err != nil {
			return err
		}
		return audit(tx, now, actor, "course:create", "course", c.Slug, nil, c)
	})
	if err != nil {
		return fmt.Errorf("create course %s: %w", c.Slug, err)
	}
	return nil
}

// EditDraft applies edit to the course's draft, creating the draft from the
// published revision when there is none, and saves it in one transaction
// with its audit entry. A draft in review returns to draft. edit may return
// an error (an *app.Error or app.FieldErrors) to save nothing.
func (s *Store) EditDraft(ctx context.Context, actor *app.User, slug, action string, edit func(c *app.Course) error) error {
	now := s.now()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var row courseRow
		if err := tx.Where("slug = ?", slug).Take(&row).Error; err != nil {
			return notFound(err, "course.not_found")
		}
		cs, err := s.courseState(tx, &row)
		if err != nil {
			return err
		}
		before := cs.Working()
		work, err := copyCourse(before)
		if err != nil {
			return err
		}
		if err := edit(work); err != nil {
			return err
		}
		doc, err := json.Marshal(work)
		if err != nil {
			return err
		}
		// A draft made from the live revision starts with its editor alone:
		// the live text has already passed a second pair of eyes.
		editors := joinIDs(cs.DraftEditors, []int64{actor.ID})
		if cs.Draft != nil {
			if err := tx.Model(&revisionRow{}).Where("id = ? AND published_at IS NULL", cs.DraftRevisionID).
				Updates(map[string]any{"document": string(doc), "contributors": editors, "updated_at": now}).Error; err != nil {
				return err
			}
		} else {
			var maxNumber int
			if err := tx.Model(&revisionRow{}).Where("course_id = ?", row.ID).Select("COALESCE(MAX(number), 0)").Scan(&maxNumber).Error; err != nil {
				return err
			}
			by := actor.ID
			rev := revisionRow{CourseID: row.ID, Number: maxNumber + 1, Document: string(doc), CreatedBy: &by, Contributors: editors, CreatedAt: now, UpdatedAt: now}
			if err := tx.Create(&rev).Error; err != nil {
				return err
			}
			row.DraftRevisionID = &rev.ID
		}
		if err := tx.Model(&courseRow{}).Where("id = ?", row.ID).Updates(map[string]any{
			"draft_revision_id": row.DraftRevisionID, "review_state": app.CourseDraft, "draft_editors": editors, "updated_at": now}).Error; err != nil {
			return err
		}
		return audit(tx, now, actor, action, "course", slug, before, work)
	})
	if err != nil {
		return fmt.Errorf("edit %s: %w", slug, err)
	}
	return nil
}

// SubmitForReview sends the draft to review (ECONFLICT when there is no draft to send).
func (s *Store) SubmitForReview(ctx context.Context, actor *app.User, slug string) error {
	return s.moveReview(ctx, actor, slug, "course:submit", app.CourseDraft, map[string]any{"review_state": app.CourseInReview, "submitted_by": actor.ID, "review_comment": ""})
}

// ReturnDraft sends a draft in review back to its authors with a comment.
func (s *Store) ReturnDraft(ctx context.Context, actor *app.User, slug, comment string) error {
	return s.moveReview(ctx, actor, slug, "course:return", app.CourseInReview, map[string]any{"review_state": app.CourseDraft, "review_comment": comment})
}

func (s *Store) moveReview(ctx context.Context, actor *app.User, slug, action, from string, set map[string]any) error {
	now := s.now()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var row courseRow
		if err := tx.Where("slug = ?", slug).Take(&row).Error; err != nil {
			return notFound(err, "course.not_found")
		}
		if row.DraftRevisionID == nil || row.ReviewState != from {
			return app.Errorf(app.ECONFLICT, "admin.review.wrong_state")
		}
		set["updated_at"] = now
		res := tx.Model(&courseRow{}).Where("id = ? AND review_state = ?", row.ID, from).Updates(set)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return app.Errorf(app.ECONFLICT, "admin.review.wrong_state")
		}
		return audit(tx, now, actor, action, "course", slug, map[string]any{"review_state": from}, set)
	})
	if err != nil {
		return fmt.Errorf("%s %s: %w", action, slug, err)
	}
	return nil
}

// PublishDraft makes the draft in review the live revision, at once for
// every learner. With fourEyes, nobody publishes a draft they wrote any
// part of (EFORBIDDEN): its editors, and the writers of any text it
// restores (see RestoreRevision).
func (s *Store) PublishDraft(ctx context.Context, actor *app.User, slug string, fourEyes bool) error {
	now := s.now()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var row courseRow
		if err := tx.Where("slug = ?", slug).Take(&row).Error; err != nil {
			return notFound(err, "course.not_found")
		}
		if row.DraftRevisionID == nil || row.ReviewState != app.CourseInReview {
			return app.Errorf(app.ECONFLICT, "admin.review.wrong_state")
		}
		if fourEyes {
			var draft revisionRow
			if err := tx.Select("contributors").Where("id = ?", *row.DraftRevisionID).Take(&draft).Error; err != nil {
				return fmt.Errorf("load draft: %w", err)
			}
			writers := parseEditors(joinIDs(parseEditors(row.DraftEditors), parseEditors(draft.Contributors)))
			if err := authoring.MayPublish(actor.ID, writers, true); err != nil {
				return err
			}
		}
		by := actor.ID
		if err := tx.Model(&revisionRow{}).Where("id = ?", *row.DraftRevisionID).
			Updates(map[string]any{"published_at": now, "published_by": by}).Error; err != nil {
			return err
		}
		status := app.CoursePublished
		if row.Status == app.CourseArchived {
			status = app.CourseArchived
		}
		res := tx.Model(&courseRow{}).Where("id = ? AND review_state = ?", row.ID, app.CourseInReview).Updates(map[string]any{
			"published_revision_id": *row.DraftRevisionID, "draft_revision_id": nil, "review_state": "", "review_comment": "",
			"draft_editors": "", "submitted_by": nil, "status": status, "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return app.Errorf(app.ECONFLICT, "admin.review.wrong_state")
		}
		var prev any
		if row.PublishedRevisionID != nil {
			prev = map[string]any{"published_revision_id": *row.PublishedRevisionID}
		}
		return audit(tx, now, actor, "course:publish", "course", slug, prev, map[string]any{"published_revision_id": *row.DraftRevisionID})
	})
	if err != nil {
		return fmt.Errorf("publish %s: %w", slug, err)
	}
	return nil
}

// Revisions lists a course's history, newest first.
func (s *Store) Revisions(ctx context.Context, slug string) ([]RevisionInfo, error) {
	db := s.db.WithContext(ctx)
	var row courseRow
	if err := db.Where("slug = ?", slug).Take(&row).Error; err != nil {
		return nil, notFound(err, "course.not_found")
	}
	var revs []revisionRow
	if err := db.Where("course_id = ?", row.ID).Order("number DESC").Find(&revs).Error; err != nil {
		return nil, fmt.Errorf("history of %s: %w", slug, err)
	}
	var authors []userRow
	if err := db.Select("id, email").Where("id IN (SELECT created_by FROM course_revisions WHERE course_id = ?)", row.ID).Find(&authors).Error; err != nil {
		return nil, fmt.Errorf("history of %s: %w", slug, err)
	}
	emails := map[int64]string{}
	for _, a := range authors {
		emails[a.ID] = a.Email
	}
	out := make([]RevisionInfo, 0, len(revs))
	for _, r := range revs {
		info := RevisionInfo{ID: r.ID, Number: r.Number, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, PublishedAt: r.PublishedAt,
			Live: row.PublishedRevisionID != nil && *row.PublishedRevisionID == r.ID, Draft: row.DraftRevisionID != nil && *row.DraftRevisionID == r.ID}
		if r.CreatedBy != nil {
			info.CreatedBy = emails[*r.CreatedBy]
		}
		out = append(out, info)
	}
	return out, nil
}

// RestoreRevision makes a copy of revision number the course's draft,
// replacing any pending draft (which stays in the history). The copy's
// writers are the restored revision's writers and actor.
func (s *Store) RestoreRevision(ctx context.Context, actor *app.User, slug string, number int) error {
	now := s.now()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var row courseRow
		if err := tx.Where("slug = ?", slug).Take(&row).Error; err != nil {
			return notFound(err, "course.not_found")
		}
		var old revisionRow
		if err := tx.Where("course_id = ? AND number = ?", row.ID, number).Take(&old).Error; err != nil {
			return notFound(err, "admin.history.not_found")
		}
		var maxNumber int
		if err := tx.Model(&revisionRow{}).Where("course_id = ?", row.ID).Select("COALESCE(MAX(number), 0)").Scan(&maxNumber).Error; err != nil {
			return err
		}
		by := actor.ID
		var author []int64
		if old.CreatedBy != nil {
			author = []int64{*old.CreatedBy}
		}
		// The restored text keeps its writers: restoring someone's
		// unpublished text must not let them publish it.
		writers := joinIDs(author, parseEditors(old.Contributors), []int64{by})
		rev := revisionRow{CourseID: row.ID, Number: maxNumber + 1, Document: old.Document, CreatedBy: &by, Contributors: writers, CreatedAt: now, UpdatedAt: now}
		if err := tx.Create(&rev).Error; err != nil {
			return err
		}
		if err := tx.Model(&courseRow{}).Where("id = ?", row.ID).Updates(map[string]any{"draft_revision_id": rev.ID,
			"review_state": app.CourseDraft, "draft_editors": writers, "review_comment": "", "updated_at": now}).Error; err != nil {
			return err
		}
		return audit(tx, now, actor, "course:restore", "course", slug, nil, map[string]any{"restored_number": number, "draft_number": rev.Number})
	})
	if err != nil {
		return fmt.Errorf("restore %s #%d: %w", slug, number, err)
	}
	return nil
}

// SetArchived archives a published course (it leaves the catalog; learners'
// records and certificates stay) or brings it back.
func (s *Store) SetArchived(ctx context.Context, actor *app.User, slug string, archived bool) error {
	now := s.now()
	from, to, action := app.CoursePublished, app.CourseArchived, "course:archive"
	if !archived {
		from, to, action = app.CourseArchived, app.CoursePublished, "course:unarchive"
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&courseRow{}).Where("slug = ? AND status = ?", slug, from).Updates(map[string]any{"status": to, "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return app.Errorf(app.ECONFLICT, "admin.review.wrong_state")
		}
		return audit(tx, now, actor, action, "course", slug, map[string]any{"status": from}, map[string]any{"status": to})
	})
	if err != nil {
		return fmt.Errorf("%s %s: %w", action, slug, err)
	}
	return nil
}
