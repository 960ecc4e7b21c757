package content

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"beacon/app"
	"beacon/app/media"
)

// mediaDir is the pack folder of media files (CONTENT-FORMAT.md: lesson
// bodies refer to them as media/<name>).
const mediaDir = "media"

// media reads the pack's media/ folder: every file must have a media name
// (media.ValidName), be an image Beacon accepts judged by its bytes
// (media.Inspect), and carry the extension of its type. Files starting
// with a dot (.DS_Store, .gitkeep) are skipped.
func (p *parser) media() []app.MediaFile {
	entries, err := fs.ReadDir(p.fsys, mediaDir)
	if err != nil {
		return nil
	}
	var out []app.MediaFile
	for _, e := range entries {
		name := e.Name()
		file := path.Join(mediaDir, name)
		if strings.HasPrefix(name, ".") {
			continue
		}
		if e.IsDir() {
			p.problem(file, 0, "media_folder", nil, "media/ holds image files only, not folders")
			continue
		}
		if !media.ValidName(name) {
			p.problem(file, 0, "media_name", kv{"Name": name},
				"media file name %q must be lower-case letters, digits and hyphens, then .png, .jpg, .gif or .webp", name)
			continue
		}
		data, err := fs.ReadFile(p.fsys, file)
		if err != nil {
			p.problem(file, 0, "media_unreadable", kv{"Detail": err.Error()}, "cannot read the file: %v", err)
			continue
		}
		info, err := media.Inspect(data)
		if err != nil {
			id, args := mediaProblem(err)
			p.problem(file, 0, id, args, "%s", strings.TrimPrefix(err.Error(), "media: "))
			continue
		}
		if !media.FitsType(name, info.ContentType) {
			p.problem(file, 0, "media_ext_mismatch", kv{"Type": info.ContentType, "Ext": path.Ext(name), "Want": "." + info.Ext},
				"the file is a %s image, but its name ends in %s (use .%s)", info.ContentType, path.Ext(name), info.Ext)
			continue
		}
		out = append(out, app.MediaFile{Name: name, ContentType: info.ContentType, Size: int64(len(data)),
			Width: info.Width, Height: info.Height, SHA256: digest(data), Data: data})
	}
	return out
}

// mediaProblem returns the problem ID and named values of a media.Inspect
// error.
func mediaProblem(err error) (string, kv) {
	switch {
	case errors.Is(err, media.ErrEmpty):
		return "media_empty", nil
	case errors.Is(err, media.ErrTooLarge):
		return "media_too_large", kv{"Max": media.MaxSize}
	case errors.Is(err, media.ErrNotImage):
		return "media_not_image", nil
	case errors.Is(err, media.ErrDimensions):
		// "… pixels (it is W × H)"
		var w, h int
		fmt.Sscanf(strings.TrimPrefix(err.Error(), media.ErrDimensions.Error()), " (it is %d × %d)", &w, &h)
		return "media_dimensions", kv{"Max": media.MaxDimension, "Width": w, "Height": h}
	case errors.Is(err, media.ErrBroken):
		// "…: what is wrong", from the image format's own check
		detail := strings.TrimPrefix(strings.TrimPrefix(err.Error(), media.ErrBroken.Error()), ": ")
		return "media_broken", kv{"Detail": detail}
	}
	return "media_invalid", kv{"Detail": strings.TrimPrefix(err.Error(), "media: ")}
}

// checkMediaRefs reports every media/<name> that a lesson body refers to
// and that neither the pack's media/ folder nor the site (KnownMedia)
// holds, naming the lesson file and the line of the first use.
func (p *parser) checkMediaRefs(courses []app.Course, inPack map[string]bool) {
	for _, c := range courses {
		for _, l := range c.Lessons {
			for _, loc := range l.Body.Locales() {
				file := path.Join("courses", c.Slug, l.File+"."+loc+".md")
				bad := media.BadRefs(l.Body[loc])
				for _, dest := range bad {
					p.problem(file, p.lineOfText(file, dest), "media_ref_invalid", kv{"Path": dest},
						"the lesson shows %s, which points outside the media library: write media/<name>", dest)
				}
				for _, name := range media.Refs(l.Body[loc]) {
					if inPack[name] || (media.ValidName(name) && p.opts.KnownMedia(name)) || slices.Contains(bad, media.Prefix+name) {
						continue
					}
					p.problem(file, p.lineOfText(file, media.Prefix+name), "media_ref_missing", kv{"Name": name},
						"the lesson shows media/%s, which is neither in the pack's media/ folder nor on the site", name)
				}
			}
		}
	}
}

// lineOfText returns the line of the first occurrence of s in file, or 0.
func (p *parser) lineOfText(file, s string) int {
	data, err := fs.ReadFile(p.fsys, file)
	if err != nil {
		return 0
	}
	i := strings.Index(string(data), s)
	if i < 0 {
		return 0
	}
	return 1 + strings.Count(string(data[:i]), "\n")
}

// mediaFiles renders media/<name> for each media file; a name that is not
// a media name, a name used twice, or bytes that are not an image Beacon
// accepts with that extension refuse the export.
func mediaFiles(files map[string][]byte, list []app.MediaFile) error {
	for _, m := range list {
		if !media.ValidName(m.Name) {
			return fmt.Errorf("export media %q: the name must be a media file name ([a-z0-9-]+.png, .jpg, .gif or .webp)", m.Name)
		}
		name := path.Join(mediaDir, m.Name)
		if _, ok := files[name]; ok {
			return fmt.Errorf("export media %s: the name is used twice", m.Name)
		}
		info, err := media.Inspect(m.Data)
		if err != nil {
			return fmt.Errorf("export media %s: %w", m.Name, err)
		}
		if !media.FitsType(m.Name, info.ContentType) {
			return fmt.Errorf("export media %s: the file is a %s image", m.Name, info.ContentType)
		}
		files[name] = m.Data
	}
	return nil
}

func digest(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}
