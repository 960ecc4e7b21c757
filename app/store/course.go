package store

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"beacon/app"

	"gorm.io/gorm"
)

type courseRow struct {
	ID                  int64 `gorm:"primaryKey"`
	Slug                string
	Status              string
	PublishedRevisionID *int64
	DraftRevisionID     *int64
	ReviewState         string
	ReviewComment       string
	DraftEditors        string
	SubmittedBy         *int64
	CreatedAt           time.Time
	UpdatedAt           time.Time
}

func (courseRow) TableName() string { return "courses" }

type revisionRow struct {
	ID          int64 `gorm:"primaryKey"`
	CourseID    int64
	Number      int
	Document    string
	CreatedBy   *int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
	PublishedAt *time.Time
	PublishedBy *int64
	// Contributors are the ids of everyone who wrote any part of the
	// revision, comma-separated (see joinIDs).
	Contributors string
}

func (revisionRow) TableName() string { return "course_revisions" }

// ImportResult says what an import changed.
type ImportResult struct {
	CoursesCreated, CoursesUpdated, CoursesUnchanged       int
	CampaignsCreated, CampaignsUpdated, CampaignsUnchanged int
	Regions                                                int
	MediaCreated, MediaUpdated, MediaUnchanged             int
	AlertsCreated, AlertsUpdated, AlertsUnchanged          int
}

// ImportPack writes a validated pack in one transaction: a new course gets
// a first published revision; a changed course gets a new published
// revision; an unchanged course is left alone, so importing the same pack
// twice changes nothing. Campaigns and regions are upserted; media files
// are upserted by name (the same bytes leave a file unchanged). Alerts are
// upserted by identifier as published messages (sent at the import when
// new; an unchanged alert is left alone), and an Update or Cancel marks the
// alerts it references as superseded.
func (s *Store) ImportPack(ctx context.Context, pack *app.Pack) (ImportResult, error) {
	var res ImportResult
	now := s.now()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := bumpVersion(tx, now); err != nil {
			return err
		}
		for i := range pack.Courses {
			c := &pack.Courses[i]
			doc, err := json.Marshal(c)
			if err != nil {
				return fmt.Errorf("encode course %s: %w", c.Slug, err)
			}
			var row courseRow
			err = tx.Where("slug = ?", c.Slug).Take(&row).Error
			switch {
			case err == gorm.ErrRecordNotFound:
				row = courseRow{Slug: c.Slug, Status: app.CoursePublished, CreatedAt: now, UpdatedAt: now}
				if err := tx.Create(&row).Error; err != nil {
					return fmt.Errorf("create course %s: %w", c.Slug, err)
				}
				res.CoursesCreated++
			case err != nil:
				return fmt.Errorf("find course %s: %w", c.Slug, err)
			default:
				var live revisionRow
				if row.PublishedRevisionID != nil && row.Status != app.CourseArchived {
					if err := tx.Where("id = ?", *row.PublishedRevisionID).Take(&live).Error; err == nil && live.Document == string(doc) {
						res.CoursesUnchanged++
						continue
					}
				}
				res.CoursesUpdated++
			}
			var maxNumber int
			if err := tx.Model(&revisionRow{}).Where("course_id = ?", row.ID).Select("COALESCE(MAX(number), 0)").Scan(&maxNumber).Error; err != nil {
				return fmt.Errorf("number revision of %s: %w", c.Slug, err)
			}
			rev := revisionRow{CourseID: row.ID, Number: maxNumber + 1, Document: string(doc), CreatedAt: now, UpdatedAt: now, PublishedAt: &now}
			if err := tx.Create(&rev).Error; err != nil {
				return fmt.Errorf("create revision of %s: %w", c.Slug, err)
			}
			if err := tx.Model(&courseRow{}).Where("id = ?", row.ID).
				Updates(map[string]any{"published_revision_id": rev.ID, "status": app.CoursePublished, "updated_at": now}).Error; err != nil {
				return fmt.Errorf("publish %s: %w", c.Slug, err)
			}
		}
		for i := range pack.Campaigns {
			created, changed, err := upsertCampaign(tx, &pack.Campaigns[i], now)
			if err != nil {
				return err
			}
			switch {
			case created:
				res.CampaignsCreated++
			case changed:
				res.CampaignsUpdated++
			default:
				res.CampaignsUnchanged++
			}
		}
		for _, r := range pack.Regions {
			if err := upsertRegion(tx, r); err != nil {
				return err
			}
			res.Regions++
		}
		if err := importMedia(tx, pack.Media, now, &res); err != nil {
			return err
		}
		if err := importChannels(tx, pack.Channels, now); err != nil {
			return err
		}
		return importAlerts(tx, pack.Alerts, now, &res)
	})
	if err != nil {
		return ImportResult{}, fmt.Errorf("import pack: %w", err)
	}
	return res, nil
}

// CountCourses returns how many courses exist in any state; serve imports
// the seed pack when it is zero.
func (s *Store) CountCourses(ctx context.Context) (int64, error) {
	var n int64
	if err := s.db.WithContext(ctx).Model(&courseRow{}).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count courses: %w", err)
	}
	return n, nil
}

// revision returns the parsed revision with id, from the cache when it
// can. Only published revisions are cached: they never change again.
func (s *Store) revision(ctx context.Context, id int64) (*app.Course, error) {
	if c, ok := s.revisions.Load(id); ok {
		return c.(*app.Course), nil
	}
	var rev revisionRow
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&rev).Error; err != nil {
		return nil, notFound(err, "course.not_found")
	}
	c, err := rev.course()
	if err != nil {
		return nil, err
	}
	if rev.PublishedAt != nil {
		s.revisions.Store(id, c)
	}
	return c, nil
}

func (r *revisionRow) course() (*app.Course, error) {
	var c app.Course
	if err := json.Unmarshal([]byte(r.Document), &c); err != nil {
		return nil, fmt.Errorf("decode revision %d: %w", r.ID, err)
	}
	c.ReviewedAt = r.CreatedAt
	if r.PublishedAt != nil {
		c.ReviewedAt = *r.PublishedAt
	}
	return &c, nil
}

// PublishedCourses returns every published course, ordered by slug.
func (s *Store) PublishedCourses(ctx context.Context) ([]*app.PublishedCourse, error) {
	var rows []courseRow
	if err := s.db.WithContext(ctx).Where("status = ? AND published_revision_id IS NOT NULL", app.CoursePublished).
		Order("slug").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list courses: %w", err)
	}
	out := make([]*app.PublishedCourse, 0, len(rows))
	for _, r := range rows {
		c, err := s.revision(ctx, *r.PublishedRevisionID)
		if err != nil {
			return nil, err
		}
		out = append(out, &app.PublishedCourse{ID: r.ID, RevisionID: *r.PublishedRevisionID, UpdatedAt: r.UpdatedAt, Course: *c})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Slug < out[j].Slug })
	return out, nil
}

// FindPublishedCourse returns the live revision of the course with slug,
// published or archived (Archived tells which); ENOTFOUND when it was never
// published. Archived courses leave the catalog but their pages, learners'
// records and certificates stay.
func (s *Store) FindPublishedCourse(ctx context.Context, slug string) (*app.PublishedCourse, error) {
	var r courseRow
	if err := s.db.WithContext(ctx).Where("slug = ? AND status IN ? AND published_revision_id IS NOT NULL", slug,
		[]string{app.CoursePublished, app.CourseArchived}).Take(&r).Error; err != nil {
		return nil, notFound(err, "course.not_found")
	}
	c, err := s.revision(ctx, *r.PublishedRevisionID)
	if err != nil {
		return nil, err
	}
	return &app.PublishedCourse{ID: r.ID, RevisionID: *r.PublishedRevisionID, UpdatedAt: r.UpdatedAt, Archived: r.Status == app.CourseArchived, Course: *c}, nil
}

// FindCourseRevision returns a course's content at a given revision; results
// of old attempts are shown against the revision they were taken on.
func (s *Store) FindCourseRevision(ctx context.Context, revisionID int64) (*app.Course, error) {
	return s.revision(ctx, revisionID)
}

// CourseSlugs maps course ids to slugs for every course in any state.
func (s *Store) CourseSlugs(ctx context.Context) (map[int64]string, error) {
	var rows []courseRow
	if err := s.db.WithContext(ctx).Select("id, slug").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list course slugs: %w", err)
	}
	out := make(map[int64]string, len(rows))
	for _, r := range rows {
		out[r.ID] = r.Slug
	}
	return out, nil
}

// CourseExists reports whether a course with slug exists in any state.
func (s *Store) CourseExists(ctx context.Context, slug string) (bool, error) {
	var n int64
	if err := s.db.WithContext(ctx).Model(&courseRow{}).Where("slug = ?", slug).Count(&n).Error; err != nil {
		return false, fmt.Errorf("find course %s: %w", slug, err)
	}
	return n > 0, nil
}

// SitePack gathers what an export holds: the live revision of every
// published course, every campaign, the regions and every published alert
// (by identifier).
func (s *Store) SitePack(ctx context.Context) (*app.Pack, error) {
	courses, err := s.PublishedCourses(ctx)
	if err != nil {
		return nil, err
	}
	campaigns, err := s.Campaigns(ctx, time.Time{})
	if err != nil {
		return nil, err
	}
	regions, err := s.Regions(ctx)
	if err != nil {
		return nil, err
	}
	boundaries, err := s.RegionBoundaries(ctx, nil)
	if err != nil {
		return nil, err
	}
	for i := range regions {
		regions[i].Boundary = boundaries[regions[i].Code]
	}
	alerts, err := s.packAlerts(ctx)
	if err != nil {
		return nil, err
	}
	channels, err := s.packChannels(ctx)
	if err != nil {
		return nil, err
	}
	pack := &app.Pack{Regions: regions, Alerts: alerts, Channels: channels}
	for _, c := range courses {
		pack.Courses = append(pack.Courses, c.Course)
	}
	for _, c := range campaigns {
		pack.Campaigns = append(pack.Campaigns, *c)
	}
	return pack, nil
}
