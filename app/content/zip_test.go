package content_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"io/fs"
	"reflect"
	"sort"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"beacon/app"
	"beacon/app/content"
	"beacon/app/testenv"
)

func seedPack(t *testing.T) *app.Pack {
	t.Helper()
	pack, err := content.Parse(testenv.Sub(t, "content"), content.Options{Locales: locales})
	if err != nil {
		t.Fatalf("Parse seed: %v", err)
	}
	return pack
}

func writeZip(t *testing.T, pack *app.Pack) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := content.WriteZip(&b, pack); err != nil {
		t.Fatalf("WriteZip: %v", err)
	}
	return b.Bytes()
}

func TestWriteZip_RoundTrip(t *testing.T) {
	seed := seedPack(t)
	data := writeZip(t, seed)
	fsys, err := content.ReadZip(data, content.ZipLimits{})
	if err != nil {
		t.Fatalf("ReadZip: %v", err)
	}
	if err := fstest.TestFS(fsys, "courses/cyber-hygiene/course.yaml", "regions.yaml"); err != nil {
		t.Fatalf("ReadZip's file system: %v", err)
	}
	back, err := content.Parse(fsys, content.Options{Locales: locales})
	if err != nil {
		t.Fatalf("Parse of the zip:\n%v", err)
	}
	if !reflect.DeepEqual(seed, back) {
		t.Fatal("zip → parse changed the pack")
	}
	if again := writeZip(t, back); !bytes.Equal(data, again) {
		t.Error("zipping the re-parsed pack gave different bytes")
	}
}

func TestWriteZip_Deterministic(t *testing.T) {
	a, b := writeZip(t, seedPack(t)), writeZip(t, seedPack(t))
	if !bytes.Equal(a, b) {
		t.Fatal("WriteZip twice gave different bytes")
	}
	zr, err := zip.NewReader(bytes.NewReader(a), int64(len(a)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	epoch := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, f := range zr.File {
		names = append(names, f.Name)
		if !f.Modified.Equal(epoch) {
			t.Errorf("%s modified %v, want %v", f.Name, f.Modified, epoch)
		}
	}
	if !sort.StringsAreSorted(names) || len(names) == 0 {
		t.Errorf("entries not sorted: %v", names)
	}
}

// zipEntry is one entry of a hand-made archive. raw, when set, is stored
// as the entry's deflated bytes while the header declares size.
type zipEntry struct {
	name string
	data string
	mode fs.FileMode
	raw  []byte
	size uint64
}

func buildZip(t *testing.T, entries ...zipEntry) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		if e.mode != 0 {
			h.SetMode(e.mode)
		}
		if e.raw != nil {
			h.CompressedSize64, h.UncompressedSize64 = uint64(len(e.raw)), e.size
			w, err := zw.CreateRaw(h)
			if err != nil {
				t.Fatal(err)
			}
			w.Write(e.raw)
			continue
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(e.data))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// deflated compresses n bytes of 'a'.
func deflated(t *testing.T, n int) []byte {
	t.Helper()
	var b bytes.Buffer
	fw, _ := flate.NewWriter(&b, flate.BestCompression)
	fw.Write(bytes.Repeat([]byte("a"), n))
	fw.Close()
	return b.Bytes()
}

// packEntries is a valid pack's files under prefix, as zip entries.
func packEntries(t *testing.T, prefix string) []zipEntry {
	t.Helper()
	var out []zipEntry
	err := content.Export(trickyPack(t), func(name string, data []byte) error {
		out = append(out, zipEntry{name: prefix + name, data: string(data)})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// readZipCase is one row of the ReadZip table.
type readZipCase struct {
	name    string
	entries []zipEntry // nil: the bytes "not a zip"
	limits  content.ZipLimits
	want    string // substring of the error; "" = accepted and parses to trickyPack
}

// readZipCases are the rows of TestReadZip (TestProblems_HaveIDs runs the
// refused ones too).
func readZipCases(t *testing.T) []readZipCase {
	many := make([]zipEntry, 6)
	for i := range many {
		many[i] = zipEntry{name: strings.Repeat("x", i+1), data: "x"}
	}
	return []readZipCase{
		{name: "pack at the root", entries: packEntries(t, "")},
		{name: "pack in one top folder", entries: packEntries(t, "mypack/")},
		{name: "pack in one top folder with folder entries and macOS junk",
			entries: append(packEntries(t, "mypack/"), zipEntry{name: "mypack/", mode: fs.ModeDir | 0o755},
				zipEntry{name: "__MACOSX/mypack/._regions.yaml", data: "junk"}, zipEntry{name: "mypack/.DS_Store", data: "junk"})},
		{name: "parent folder", entries: []zipEntry{{name: "../evil", data: "x"}}, want: `entry "../evil": ".." segments are not allowed`},
		{name: "parent folder inside", entries: []zipEntry{{name: "courses/../../evil", data: "x"}}, want: `entry "courses/../../evil": ".." segments`},
		{name: "absolute path", entries: []zipEntry{{name: "/abs", data: "x"}}, want: `entry "/abs": absolute paths are not allowed`},
		{name: "drive letter", entries: []zipEntry{{name: "C:/abs", data: "x"}}, want: `entry "C:/abs": absolute paths`},
		{name: "backslash", entries: []zipEntry{{name: `courses\x`, data: "x"}}, want: `backslashes are not allowed`},
		{name: "dot segment", entries: []zipEntry{{name: "courses/./x", data: "x"}}, want: `entry "courses/./x": the path is not clean`},
		{name: "symlink", entries: []zipEntry{{name: "regions.yaml", data: "/etc/passwd", mode: fs.ModeSymlink | 0o777}}, want: `entry "regions.yaml" is a symlink`},
		{name: "same file twice", entries: []zipEntry{{name: "regions.yaml", data: "a"}, {name: "regions.yaml", data: "b"}}, want: `entry "regions.yaml" appears twice`},
		{name: "file and folder", entries: []zipEntry{{name: "courses", data: "a"}, {name: "courses/x", data: "b"}}, want: `entry "courses" is both a file and the folder of "courses/x"`},
		{name: "too many entries", entries: many, limits: content.ZipLimits{Entries: 5}, want: "6 entries, more than the 5 allowed"},
		{name: "declared entry size over the limit", entries: []zipEntry{{name: "big", data: strings.Repeat("a", 11)}},
			limits: content.ZipLimits{FileSize: 10}, want: `entry "big" is 11 bytes uncompressed, more than the 10 allowed`},
		{name: "declared total over the limit", entries: []zipEntry{{name: "a", data: "123456"}, {name: "b", data: "123456"}},
			limits: content.ZipLimits{TotalSize: 10}, want: `entry "b" brings the total to more than the 10 bytes allowed`},
		{name: "entry inflating past its declared size", entries: []zipEntry{{name: "bomb", raw: deflated(t, 1<<20), size: 10}},
			limits: content.ZipLimits{FileSize: 100}, want: `entry "bomb" is damaged or inflates past its declared 10 bytes`},
		{name: "zip bomb under the default limits", entries: []zipEntry{{name: "bomb", raw: deflated(t, 8<<20), size: 1}},
			want: `entry "bomb" is damaged or inflates past its declared 1 bytes`},
		{name: "not a zip", want: "read zip: zip: not a valid zip file"},
	}
}

func TestReadZip(t *testing.T) {
	for _, tt := range readZipCases(t) {
		t.Run(tt.name, func(t *testing.T) {
			data := []byte("not a zip")
			if tt.entries != nil {
				data = buildZip(t, tt.entries...)
			}
			fsys, err := content.ReadZip(data, tt.limits)
			if tt.want != "" {
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("ReadZip error = %v, want one containing %q", err, tt.want)
				}
				if fsys != nil {
					t.Error("ReadZip returned files along with an error")
				}
				return
			}
			if err != nil {
				t.Fatalf("ReadZip: %v", err)
			}
			pack, err := content.Parse(fsys, content.Options{Locales: locales})
			if err != nil {
				t.Fatalf("Parse:\n%v", err)
			}
			if !reflect.DeepEqual(pack, trickyPack(t)) {
				t.Errorf("the zipped pack parsed to %+v", pack)
			}
		})
	}
}

// TestReadZip_KeepsPackFolders checks that a pack holding only courses/ is
// not mistaken for a pack inside a folder named courses.
func TestReadZip_KeepsPackFolders(t *testing.T) {
	var entries []zipEntry
	for _, e := range packEntries(t, "") {
		if strings.HasPrefix(e.name, "courses/") {
			entries = append(entries, e)
		}
	}
	fsys, err := content.ReadZip(buildZip(t, entries...), content.ZipLimits{})
	if err != nil {
		t.Fatalf("ReadZip: %v", err)
	}
	pack, err := content.Parse(fsys, content.Options{Locales: locales})
	if err != nil {
		t.Fatalf("Parse:\n%v", err)
	}
	if len(pack.Courses) != 1 || pack.Courses[0].Slug != "tricky" {
		t.Fatalf("courses = %+v, want the tricky course", pack.Courses)
	}
}
