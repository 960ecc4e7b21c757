package content

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"
	"testing/fstest"
	"time"

	"beacon/app"
)

// Default limits of ReadZip, for uploads from the admin area.
const (
	MaxZipEntries   = 2000
	MaxZipFileSize  = 5 << 20  // 5 MiB uncompressed, per entry
	MaxZipTotalSize = 50 << 20 // 50 MiB uncompressed, all entries
)

// ZipLimits bound what ReadZip accepts; a zero field takes its default
// (MaxZipEntries, MaxZipFileSize, MaxZipTotalSize).
type ZipLimits struct {
	Entries   int   // entries, folders included
	FileSize  int64 // uncompressed bytes of one entry
	TotalSize int64 // uncompressed bytes of all entries
}

func (l ZipLimits) withDefaults() ZipLimits {
	if l.Entries <= 0 {
		l.Entries = MaxZipEntries
	}
	if l.FileSize <= 0 {
		l.FileSize = MaxZipFileSize
	}
	if l.TotalSize <= 0 {
		l.TotalSize = MaxZipTotalSize
	}
	return l
}

// zipEpoch is the modification time of every WriteZip entry, so that the
// same pack always gives the same bytes.
var zipEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// WriteZip writes pack to w as a zip archive of the pack folder's files at
// the archive's root, in the format Parse reads. The archive is
// deterministic: entries sorted by path, all dated 2000-01-01 UTC.
func WriteZip(w io.Writer, pack *app.Pack) error {
	return WriteSiteZip(w, pack, nil, nil)
}

// WriteSiteZip is WriteZip followed by the media files named in media, in
// that order, each fetched by load only when its turn comes and checked as
// Export checks pack.Media, so that the media library never sits in memory
// whole beside the archive. The archive of a site is its pack with every
// image its lessons may show: what another site imports to become a copy.
func WriteSiteZip(w io.Writer, pack *app.Pack, media []string, load func(name string) (*app.MediaFile, error)) error {
	zw := zip.NewWriter(w)
	put := func(name string, data []byte) error {
		h := &zip.FileHeader{Name: name, Method: zip.Deflate, Modified: zipEpoch}
		if strings.HasPrefix(name, mediaDir+"/") {
			h.Method = zip.Store // images are compressed already
		}
		h.SetMode(0o644)
		f, err := zw.CreateHeader(h)
		if err != nil {
			return err
		}
		_, err = f.Write(data)
		return err
	}
	if err := Export(pack, put); err != nil {
		return fmt.Errorf("write zip: %w", err)
	}
	for _, name := range media {
		m, err := load(name)
		if err != nil {
			return fmt.Errorf("write zip: media %s: %w", name, err)
		}
		if err := Export(&app.Pack{Media: []app.MediaFile{*m}}, put); err != nil {
			return fmt.Errorf("write zip: %w", err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("write zip: %w", err)
	}
	return nil
}

// ReadZip reads a pack uploaded as a zip archive into a file system that
// Parse reads. A pack zipped with its folder (mypack/courses/...) is
// accepted: when every file sits under one top-level folder that is not
// itself a pack folder (courses, campaigns, alerts, locales, media), that
// folder is stripped. macOS metadata (__MACOSX/, .DS_Store) is skipped.
//
// ReadZip refuses, naming the entry, an archive with an absolute path, a ".."
// segment or another path that is not clean, a symlink or other special
// file, the same file twice, more entries than limits.Entries, or an entry
// over limits.FileSize or a total over limits.TotalSize uncompressed. Sizes
// are checked as declared in the archive and again while inflating, so an
// entry that lies about its size is refused too. The error is a *ZipError,
// whose ID and Args say why in words a catalog can localize.
func ReadZip(data []byte, limits ZipLimits) (fs.FS, error) {
	limits = limits.withDefaults()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	// With GODEBUG=zipinsecurepath=0 the reader flags unsafe names without
	// saying which; the checks below name the entry.
	if err != nil && !(errors.Is(err, zip.ErrInsecurePath) && zr != nil) {
		return nil, zipError("zip_not_zip", nil, "read zip: %w", err)
	}
	if len(zr.File) > limits.Entries {
		return nil, zipError("zip_too_many", kv{"Count": len(zr.File), "Max": limits.Entries},
			"read zip: %d entries, more than the %d allowed", len(zr.File), limits.Entries)
	}
	var declared uint64
	for _, f := range zr.File {
		if id, err := checkZipName(f.Name); err != nil {
			return nil, zipError(id, kv{"Entry": f.Name}, "read zip: entry %q: %w", f.Name, err)
		}
		if t := f.Mode().Type(); t != 0 && t != fs.ModeDir {
			id, args := "zip_special_file", kv{"Entry": f.Name, "Mode": t.String()}
			if t&fs.ModeSymlink != 0 {
				id, args = "zip_symlink", kv{"Entry": f.Name}
			}
			return nil, zipError(id, args, "read zip: entry %q is a %s, not a file or folder", f.Name, zipTypeName(t))
		}
		if f.UncompressedSize64 > uint64(limits.FileSize) {
			return nil, zipError("zip_entry_too_large", kv{"Entry": f.Name, "Size": f.UncompressedSize64, "Max": limits.FileSize},
				"read zip: entry %q is %d bytes uncompressed, more than the %d allowed", f.Name, f.UncompressedSize64, limits.FileSize)
		}
		declared += f.UncompressedSize64
		if declared > uint64(limits.TotalSize) {
			return nil, zipError("zip_total_too_large", kv{"Entry": f.Name, "Max": limits.TotalSize},
				"read zip: entry %q brings the total to more than the %d bytes allowed uncompressed", f.Name, limits.TotalSize)
		}
	}
	files := map[string][]byte{}
	var total int64
	for _, f := range zr.File {
		if f.Mode().IsDir() || strings.HasSuffix(f.Name, "/") || zipJunk(f.Name) {
			continue
		}
		if _, ok := files[f.Name]; ok {
			return nil, zipError("zip_entry_twice", kv{"Entry": f.Name}, "read zip: entry %q appears twice", f.Name)
		}
		b, err := readZipFile(f, min(limits.FileSize, limits.TotalSize-total))
		if err != nil {
			return nil, err
		}
		total += int64(len(b))
		files[f.Name] = b
	}
	prefix := zipTopFolder(files)
	out := fstest.MapFS{}
	for name, b := range files {
		name = strings.TrimPrefix(name, prefix)
		if err := checkZipFileParents(files, prefix, name); err != nil {
			return nil, err
		}
		out[name] = &fstest.MapFile{Data: b, Mode: 0o444, ModTime: zipEpoch}
	}
	return out, nil
}

// readZipFile inflates one entry, reading at most limit bytes: the declared
// size was checked, but it may lie.
func readZipFile(f *zip.File, limit int64) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, zipError("zip_entry_unreadable", kv{"Entry": f.Name, "Detail": err.Error()}, "read zip: entry %q: %w", f.Name, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if int64(len(b)) > limit {
		return nil, zipError("zip_entry_inflates_too_large", kv{"Entry": f.Name, "Max": limit, "Size": f.UncompressedSize64},
			"read zip: entry %q inflates to more than the %d bytes allowed (its declared size is %d)", f.Name, limit, f.UncompressedSize64)
	}
	if err != nil {
		// archive/zip stops with ErrFormat at the declared size.
		return nil, zipError("zip_broken", kv{"Entry": f.Name, "Size": f.UncompressedSize64},
			"read zip: entry %q is damaged or inflates past its declared %d bytes: %w", f.Name, f.UncompressedSize64, err)
	}
	return b, nil
}

// checkZipName accepts a relative, clean, slash-separated path; a folder
// entry may end in a slash. A refused name returns its problem ID too.
func checkZipName(name string) (string, error) {
	trimmed := strings.TrimSuffix(name, "/")
	switch {
	case name == "":
		return "zip_path_empty", fmt.Errorf("the name is empty")
	case strings.HasPrefix(name, "/") || strings.HasPrefix(name, `\`) || (len(name) > 1 && name[1] == ':'):
		return "zip_path_absolute", fmt.Errorf("absolute paths are not allowed")
	case strings.Contains(name, `\`):
		return "zip_path_backslash", fmt.Errorf(`backslashes are not allowed; paths use "/"`)
	case trimmed == ".." || strings.HasPrefix(trimmed, "../") || strings.HasSuffix(trimmed, "/..") || strings.Contains(trimmed, "/../"):
		return "zip_path_dotdot", fmt.Errorf(`".." segments are not allowed`)
	case trimmed == "." || !fs.ValidPath(trimmed):
		return "zip_path_unclean", fmt.Errorf("the path is not clean (empty or \".\" segments)")
	}
	return "", nil
}

func zipTypeName(t fs.FileMode) string {
	if t&fs.ModeSymlink != 0 {
		return "symlink"
	}
	return "special file (" + t.String() + ")"
}

// zipJunk reports metadata that archivers add beside the pack's files.
func zipJunk(name string) bool {
	return strings.HasPrefix(name, "__MACOSX/") || path.Base(name) == ".DS_Store"
}

// packFolders are the top-level folders of a pack; a zip whose files all
// sit under one of them holds a pack at its root, not inside a folder.
var packFolders = map[string]bool{"courses": true, "campaigns": true, "alerts": true, "locales": true, "media": true}

// zipTopFolder returns "folder/" when every file sits under that one
// folder and it is not a pack folder, or "".
func zipTopFolder(files map[string][]byte) string {
	top := ""
	for name := range files {
		i := strings.Index(name, "/")
		if i < 0 {
			return ""
		}
		if top == "" {
			top = name[:i]
		} else if name[:i] != top {
			return ""
		}
	}
	if top == "" || packFolders[top] {
		return ""
	}
	return top + "/"
}

// checkZipFileParents refuses a file that is also used as a folder
// (a and a/b), which a file system cannot hold.
func checkZipFileParents(files map[string][]byte, prefix, name string) error {
	for dir := path.Dir(name); dir != "."; dir = path.Dir(dir) {
		if _, ok := files[prefix+dir]; ok {
			return zipError("zip_file_and_folder", kv{"Entry": prefix + dir, "Inner": prefix + name},
				"read zip: entry %q is both a file and the folder of %q", prefix+dir, prefix+name)
		}
	}
	return nil
}
