package store

import (
	"context"
	"errors"
	"fmt"

	"beacon/app"

	"gorm.io/gorm"
)

// RegionExists reports whether a region with code exists, for content
// packs whose alerts target a region of the site
// (content.Options.KnownRegions).
func (s *Store) RegionExists(ctx context.Context, code string) (bool, error) {
	var n int64
	if err := s.db.WithContext(ctx).Model(&regionRow{}).Where("code = ?", code).Count(&n).Error; err != nil {
		return false, fmt.Errorf("find region %s: %w", code, err)
	}
	return n > 0, nil
}

// LessonExists reports whether the published revision of the course with
// slug course has a lesson with slug lesson, for content packs whose
// alerts point at a lesson of the site (content.Options.KnownLesson). A
// course never published, or archived, has no lessons to point at: an
// alert's "learn what to do" link must lead into the catalog.
func (s *Store) LessonExists(ctx context.Context, course, lesson string) (bool, error) {
	var row courseRow
	err := s.db.WithContext(ctx).Where("slug = ? AND status = ? AND published_revision_id IS NOT NULL", course, app.CoursePublished).
		Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("find course %s: %w", course, err)
	}
	c, err := s.revision(ctx, *row.PublishedRevisionID)
	if err != nil {
		return false, fmt.Errorf("find lesson %s of %s: %w", lesson, course, err)
	}
	for _, l := range c.Lessons {
		if l.Slug == lesson {
			return true, nil
		}
	}
	return false, nil
}
