package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"beacon/app"
	"beacon/app/media"

	"gorm.io/gorm"
)

type mediaRow struct {
	ID          int64 `gorm:"primaryKey"`
	Name        string
	ContentType string
	Size        int64
	Width       int
	Height      int
	SHA256      string `gorm:"column:sha256"`
	Data        []byte
	CreatedBy   *int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (mediaRow) TableName() string { return "media" }

// mediaColumns are the columns lists read: everything but the bytes.
const mediaColumns = "id, name, content_type, size, width, height, sha256, created_by, created_at, updated_at"

func (r *mediaRow) file() *app.MediaFile {
	return &app.MediaFile{ID: r.ID, Name: r.Name, ContentType: r.ContentType, Size: r.Size, Width: r.Width, Height: r.Height,
		SHA256: r.SHA256, Data: r.Data, CreatedAt: r.CreatedAt}
}

// mediaAudit is what the audit log keeps of a media file: never its bytes.
func mediaAudit(r *mediaRow) map[string]any {
	return map[string]any{"name": r.Name, "content_type": r.ContentType, "size": r.Size, "width": r.Width, "height": r.Height, "sha256": r.SHA256}
}

// checkMedia decides the file's type and dimensions from its bytes
// (media.Inspect) and checks its name and declared type ("" for any)
// against them; a refusal is an EINVALID error on the form field "file".
func checkMedia(name, contentType string, data []byte) (media.Info, error) {
	info, err := media.Inspect(data)
	if err != nil {
		return media.Info{}, &app.Error{Code: app.EINVALID, MessageID: media.MessageID(err), Field: "file"}
	}
	if (contentType != "" && contentType != info.ContentType) || !media.ValidName(name) || !media.FitsType(name, info.ContentType) {
		return media.Info{}, &app.Error{Code: app.EINVALID, MessageID: "admin.media.error.name", Field: "file"}
	}
	return info, nil
}

func digest(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// CreateMedia stores an uploaded image by actor under name, or a free
// variant of it (photo-2.png, photo-3.png, ...), and writes the audit
// entry "media:upload". When the same bytes are already stored it stores
// nothing and returns that file. name must be a media.ValidName whose
// extension fits contentType, and the bytes must pass media.Inspect with
// that content type; otherwise nothing is stored and the error is an
// EINVALID *app.Error for the field "file".
func (s *Store) CreateMedia(ctx context.Context, actor *app.User, name, contentType string, data []byte) (*app.MediaFile, error) {
	info, err := checkMedia(name, contentType, data)
	if err != nil {
		return nil, err
	}
	sum := digest(data)
	copies, err := s.mediaCopies(info.ContentType, info.Width, data, sum, s.now())
	if err != nil {
		return nil, fmt.Errorf("upload media %s: %w", name, err)
	}
	var out *app.MediaFile
	// Two uploads of one name at once may both find it free; the loser's
	// unique violation is retried with the next number.
	for try := 0; ; try++ {
		out = nil
		now := s.now()
		err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			var same mediaRow
			err := tx.Select(mediaColumns).Where("sha256 = ?", sum).Order("id").Take(&same).Error
			if err == nil {
				out = same.file()
				return nil
			}
			if !errors.Is(err, gorm.ErrRecordNotFound) {
				return err
			}
			free, err := freeMediaName(tx, name)
			if err != nil {
				return err
			}
			row := mediaRow{Name: free, ContentType: info.ContentType, Size: int64(len(data)), Width: info.Width, Height: info.Height,
				SHA256: sum, Data: data, CreatedAt: now, UpdatedAt: now}
			if actor != nil {
				id := actor.ID
				row.CreatedBy = &id
			}
			if err := tx.Create(&row).Error; err != nil {
				return err
			}
			if err := saveMediaCopies(tx, row.ID, copies); err != nil {
				return err
			}
			if err := audit(tx, now, actor, "media:upload", "media", row.Name, nil, mediaAudit(&row)); err != nil {
				return err
			}
			row.Data = nil
			out = row.file()
			return nil
		})
		if err == nil || !isUniqueViolation(err) || try >= 4 {
			break
		}
	}
	if err != nil {
		return nil, fmt.Errorf("upload media %s: %w", name, err)
	}
	return out, nil
}

// freeMediaName returns name, or name-2, name-3, ... whichever is free first.
func freeMediaName(tx *gorm.DB, name string) (string, error) {
	for n := 1; n < 10000; n++ {
		candidate := media.Numbered(name, n)
		var count int64
		if err := tx.Model(&mediaRow{}).Where("name = ?", candidate).Count(&count).Error; err != nil {
			return "", err
		}
		if count == 0 {
			return candidate, nil
		}
	}
	return "", app.Errorf(app.ECONFLICT, "admin.media.error.name")
}

// FindMedia returns the media file called name with its bytes (ENOTFOUND otherwise).
func (s *Store) FindMedia(ctx context.Context, name string) (*app.MediaFile, error) {
	var row mediaRow
	if err := s.db.WithContext(ctx).Where("name = ?", name).Take(&row).Error; err != nil {
		return nil, notFound(err, "admin.media.not_found")
	}
	return row.file(), nil
}

// MediaExists reports whether a media file called name exists, for pack
// checks (content.Options.KnownMedia).
func (s *Store) MediaExists(ctx context.Context, name string) (bool, error) {
	var n int64
	if err := s.db.WithContext(ctx).Model(&mediaRow{}).Where("name = ?", name).Count(&n).Error; err != nil {
		return false, fmt.Errorf("find media %s: %w", name, err)
	}
	return n > 0, nil
}

// ListMedia returns every media file without its bytes, newest first.
func (s *Store) ListMedia(ctx context.Context) ([]app.MediaFile, error) {
	var rows []mediaRow
	if err := s.db.WithContext(ctx).Select(mediaColumns).Order("created_at DESC, id DESC").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list media: %w", err)
	}
	out := make([]app.MediaFile, 0, len(rows))
	for i := range rows {
		out = append(out, *rows[i].file())
	}
	return out, nil
}

// DeleteMedia removes the media file called name by actor and writes the
// audit entry "media:delete" (ENOTFOUND when there is none). Lessons that
// show it show a broken image until it is uploaded again.
func (s *Store) DeleteMedia(ctx context.Context, actor *app.User, name string) error {
	now := s.now()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var row mediaRow
		if err := tx.Select(mediaColumns).Where("name = ?", name).Take(&row).Error; err != nil {
			return notFound(err, "admin.media.not_found")
		}
		if err := tx.Where("media_id = ?", row.ID).Delete(&mediaCopyRow{}).Error; err != nil {
			return err
		}
		res := tx.Where("id = ?", row.ID).Delete(&mediaRow{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return app.Errorf(app.ENOTFOUND, "admin.media.not_found")
		}
		return audit(tx, now, actor, "media:delete", "media", name, mediaAudit(&row), nil)
	})
	if err != nil {
		return fmt.Errorf("delete media %s: %w", name, err)
	}
	return nil
}

// importMedia upserts a pack's media files by name inside ImportPack's
// transaction: a new name is created, the same bytes leave the file
// unchanged, other bytes replace it. Each file is checked as an upload is.
func importMedia(tx *gorm.DB, files []app.MediaFile, now time.Time, res *ImportResult) error {
	for i := range files {
		f := &files[i]
		info, err := checkMedia(f.Name, "", f.Data)
		if err != nil {
			return fmt.Errorf("import media %s: %w", f.Name, err)
		}
		sum := digest(f.Data)
		var row mediaRow
		err = tx.Select(mediaColumns).Where("name = ?", f.Name).Take(&row).Error
		switch {
		case errors.Is(err, gorm.ErrRecordNotFound):
			row = mediaRow{Name: f.Name, ContentType: info.ContentType, Size: int64(len(f.Data)), Width: info.Width, Height: info.Height,
				SHA256: sum, Data: f.Data, CreatedAt: now, UpdatedAt: now}
			if err := tx.Create(&row).Error; err != nil {
				return fmt.Errorf("import media %s: %w", f.Name, err)
			}
			res.MediaCreated++
		case err != nil:
			return fmt.Errorf("import media %s: %w", f.Name, err)
		case row.SHA256 == sum:
			res.MediaUnchanged++
		default:
			if err := tx.Model(&mediaRow{}).Where("id = ?", row.ID).Updates(map[string]any{"content_type": info.ContentType,
				"size": int64(len(f.Data)), "width": info.Width, "height": info.Height, "sha256": sum, "data": f.Data, "updated_at": now}).Error; err != nil {
				return fmt.Errorf("import media %s: %w", f.Name, err)
			}
			// Copies of the old bytes go; new ones are made on first request.
			if err := tx.Where("media_id = ?", row.ID).Delete(&mediaCopyRow{}).Error; err != nil {
				return fmt.Errorf("import media %s: %w", f.Name, err)
			}
			res.MediaUpdated++
		}
	}
	return nil
}
