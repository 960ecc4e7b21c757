package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"beacon/app"
	"beacon/app/media"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

type mediaCopyRow struct {
	MediaID   int64  `gorm:"primaryKey;autoIncrement:false"`
	Width     int    `gorm:"primaryKey;autoIncrement:false"`
	SHA256    string `gorm:"column:sha256"`
	Height    int
	Size      int64
	Data      []byte
	CreatedAt time.Time
}

func (mediaCopyRow) TableName() string { return "media_copies" }

// mediaCopies resizes an original to every media.CopyWidths width. They
// are made outside any transaction: resizing takes a while.
func (s *Store) mediaCopies(contentType string, width int, data []byte, sum string, now time.Time) ([]mediaCopyRow, error) {
	ws := media.CopyWidths(contentType, width)
	if len(ws) == 0 {
		return nil, nil
	}
	s.resizing.Lock()
	defer s.resizing.Unlock()
	var out []mediaCopyRow
	for _, w := range ws {
		b, h, err := media.Resize(data, w)
		if err != nil {
			return nil, err
		}
		out = append(out, mediaCopyRow{Width: w, SHA256: sum, Height: h, Size: int64(len(b)), Data: b, CreatedAt: now})
	}
	return out, nil
}

// saveMediaCopies stores copies of the media file id, replacing any it had
// of the same widths.
func saveMediaCopies(tx *gorm.DB, id int64, copies []mediaCopyRow) error {
	for i := range copies {
		copies[i].MediaID = id
		if err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "media_id"}, {Name: "width"}},
			UpdateAll: true}).Create(&copies[i]).Error; err != nil {
			return fmt.Errorf("save media copy %d px: %w", copies[i].Width, err)
		}
	}
	return nil
}

// FindMediaCopy returns the copy of the media file called name that is
// width pixels wide (one of media.CopyWidths for the original), as a
// MediaFile with its bytes. A copy that is missing or belongs to older
// bytes (media uploaded before copies existed, or replaced by a pack) is
// made now and kept. ENOTFOUND when there is no such file or the width is
// not one of its copies.
func (s *Store) FindMediaCopy(ctx context.Context, name string, width int) (*app.MediaFile, error) {
	var orig mediaRow
	if err := s.db.WithContext(ctx).Select(mediaColumns).Where("name = ?", name).Take(&orig).Error; err != nil {
		return nil, notFound(err, "admin.media.not_found")
	}
	if !slices.Contains(media.CopyWidths(orig.ContentType, orig.Width), width) {
		return nil, app.Errorf(app.ENOTFOUND, "error.not_found")
	}
	file := func(r *mediaCopyRow) *app.MediaFile {
		return &app.MediaFile{ID: orig.ID, Name: orig.Name, ContentType: orig.ContentType, Size: r.Size, Width: r.Width,
			Height: r.Height, SHA256: r.SHA256, Data: r.Data, CreatedAt: r.CreatedAt}
	}
	var row mediaCopyRow
	found := func(err error) (*app.MediaFile, error) {
		if err != nil {
			return nil, err
		}
		return file(&row), nil
	}
	find := func() (bool, error) {
		err := s.db.WithContext(ctx).Where("media_id = ? AND width = ? AND sha256 = ?", orig.ID, width, orig.SHA256).Take(&row).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return false, nil
		}
		if err != nil {
			return false, fmt.Errorf("find media copy %s %d px: %w", name, width, err)
		}
		return true, nil
	}
	if ok, err := find(); err != nil || ok {
		return found(err)
	}
	// One resize at a time; a request that waited may find its copy made.
	s.resizing.Lock()
	defer s.resizing.Unlock()
	if ok, err := find(); err != nil || ok {
		return found(err)
	}
	var full mediaRow
	if err := s.db.WithContext(ctx).Select("data").Where("id = ?", orig.ID).Take(&full).Error; err != nil {
		return nil, fmt.Errorf("find media copy %s: %w", name, err)
	}
	b, h, err := media.Resize(full.Data, width)
	if err != nil {
		return nil, fmt.Errorf("find media copy %s: %w", name, err)
	}
	row = mediaCopyRow{Width: width, SHA256: orig.SHA256, Height: h, Size: int64(len(b)), Data: b, CreatedAt: s.now()}
	// Another instance may make the same copy at once; the upsert lets both win.
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var still int64
		if err := tx.Model(&mediaRow{}).Where("id = ? AND sha256 = ?", orig.ID, orig.SHA256).Count(&still).Error; err != nil || still == 0 {
			return err
		}
		return saveMediaCopies(tx, orig.ID, []mediaCopyRow{row})
	})
	if err != nil {
		return nil, fmt.Errorf("make media copy %s %d px: %w", name, width, err)
	}
	row.MediaID = orig.ID
	return file(&row), nil
}

// MediaSizes returns the stored width and content type of each named media
// file that exists (for lesson images' srcset).
func (s *Store) MediaSizes(ctx context.Context, names []string) (map[string]app.MediaFile, error) {
	out := map[string]app.MediaFile{}
	if len(names) == 0 {
		return out, nil
	}
	var rows []mediaRow
	if err := s.db.WithContext(ctx).Select("name, content_type, width, height").Where("name IN ?", names).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("media sizes: %w", err)
	}
	for _, r := range rows {
		out[r.Name] = app.MediaFile{Name: r.Name, ContentType: r.ContentType, Width: r.Width, Height: r.Height}
	}
	return out, nil
}

// MediaCopyWidths returns the widths of the copies stored of the media
// file called name for its present bytes, narrowest first.
func (s *Store) MediaCopyWidths(ctx context.Context, name string) ([]int, error) {
	var ws []int
	err := s.db.WithContext(ctx).Table("media_copies").Joins("JOIN media ON media.id = media_copies.media_id AND media.sha256 = media_copies.sha256").
		Where("media.name = ?", name).Order("media_copies.width").Pluck("media_copies.width", &ws).Error
	if err != nil {
		return nil, fmt.Errorf("media copy widths %s: %w", name, err)
	}
	return ws, nil
}
