package app

import "time"

// MediaFile is one image of the media library, served to everyone at
// /media/<Name> and referred to from lesson Markdown as media/<Name>.
type MediaFile struct {
	ID          int64     `json:"-"`
	Name        string    `json:"name"`         // [a-z0-9-]+.<ext>, unique on the site
	ContentType string    `json:"content_type"` // decided from the bytes: image/png, image/jpeg, image/gif or image/webp
	Size        int64     `json:"size"`         // bytes
	Width       int       `json:"width"`        // pixels
	Height      int       `json:"height"`
	SHA256      string    `json:"sha256"` // hex digest of Data; the ETag
	Data        []byte    `json:"-"`      // nil in lists
	CreatedAt   time.Time `json:"created_at"`
}
