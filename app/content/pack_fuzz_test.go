package content_test

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"reflect"
	"slices"
	"testing"
	"testing/fstest"

	"beacon/app"
	"beacon/app/content"
)

// fuzzAlert is a valid alert for the small pack of validPack (its lesson
// and region exist there).
const fuzzAlert = `identifier: demo-alert
source_locale: en
status: Actual
msg_type: Alert
scope: Public
category: [Safety, Met]
urgency: Expected
severity: Moderate
certainty: Likely
event: {en: "Storm", zh-Hans: "风暴"}
headline: {en: "Storm tonight", zh-Hans: "今晚有风暴"}
description: {en: "Wind."}
instruction: {en: "Stay in."}
effective: 2026-11-01T00:00:00+08:00
expires: 2026-11-02T00:00:00+08:00
regions: [north-hill]
lesson: {course: demo, lesson: intro}
`

// fuzzBase is the pack every FuzzPack input is written into: validPack
// plus an alert, so that each kind of file has a valid neighbour.
func fuzzBase() fstest.MapFS {
	fsys := validPack()
	fsys["alerts/demo-alert.yaml"] = &fstest.MapFile{Data: []byte(fuzzAlert)}
	return fsys
}

// seedFiles are the seed pack's files (content/, less the UI catalogs),
// read directly rather than through testenv, by path.
func seedFiles(tb testing.TB) map[string][]byte {
	tb.Helper()
	fsys := os.DirFS("../../content")
	out := map[string][]byte{}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if p == "locales" || len(p) > 8 && p[:8] == "locales/" {
			return nil
		}
		b, err := fs.ReadFile(fsys, p)
		out[p] = b
		return err
	})
	if err != nil || len(out) == 0 {
		tb.Fatalf("seed pack: %d files, %v", len(out), err)
	}
	return out
}

// checkParsed holds for every Parse result: a pack or Problems, never both
// and never neither; every problem has a file and a known ID; a pack that
// parsed survives export → zip → parse unchanged.
func checkParsed(t *testing.T, pack *app.Pack, err error) {
	t.Helper()
	if (pack == nil) == (err == nil) {
		t.Fatalf("Parse returned pack %v and error %v", pack != nil, err)
	}
	if err != nil {
		var problems content.Problems
		if !errors.As(err, &problems) || len(problems) == 0 {
			t.Fatalf("Parse error %T %v, want Problems", err, err)
		}
		ids := content.ProblemIDs()
		for _, p := range problems {
			if p.File == "" || p.Line < 0 || !slices.Contains(ids, p.ID) {
				t.Fatalf("problem without file, with a negative line or an unknown ID: %+v", p)
			}
		}
		return
	}
	var zipped bytes.Buffer
	if err := content.WriteZip(&zipped, pack); err != nil {
		t.Fatalf("Parse accepted a pack WriteZip refuses: %v", err)
	}
	fsys, err := content.ReadZip(zipped.Bytes(), content.ZipLimits{})
	if err != nil {
		t.Fatalf("ReadZip refused what WriteZip wrote: %v", err)
	}
	back, err := content.Parse(fsys, content.Options{Locales: locales})
	if err != nil {
		t.Fatalf("the exported pack does not parse:\n%v", err)
	}
	if !reflect.DeepEqual(pack, back) {
		t.Fatalf("export → parse changed the pack:\nwas  %+v\nback %+v", pack, back)
	}
}

// FuzzPack writes one fuzzed file (any path, any bytes) into a small valid
// pack and parses it. Parse must never panic; it returns either a pack or
// Problems that name a file and a known problem ID; and a pack it accepts
// exports to a zip that reads and parses back to the same pack. Seeds are
// every file of the seed pack and of the small pack, and tricky YAML.
func FuzzPack(f *testing.F) {
	for name, data := range fuzzBase() {
		f.Add(name, data.Data)
	}
	for name, data := range seedFiles(f) {
		f.Add(name, data)
	}
	for _, s := range []struct{ name, data string }{
		{courseYAML, "a: &a [*a, *a, *a]\n"},
		{courseYAML, "slug: demo\nslug: demo\n"},
		{courseYAML, "!!binary AAAA"},
		{courseYAML, "slug: [demo]\n"},
		{courseYAML, "\xff\xfe"},
		{"courses/demo/01-intro.en.md", "---\n---\n"},
		{"courses/demo/01-intro.en.md", "---\ntitle: [x]\n---\nbody"},
		{"courses/demo/01-intro.en.md", "no front matter"},
		{"courses/demo/01-intro.xx.md", "---\ntitle: X\n---\n"},
		{"courses/demo/03-extra.en.md", "---\ntitle: X\n---\n"},
		{"courses/other/course.yaml", "slug: demo\n"},
		{"alerts/x.yaml", "identifier: x\nreferences: [x]\n"},
		{"alerts/demo-alert.yaml", "identifier: demo-alert\neffective: 10000-01-01T00:00:00Z\n"},
		{"regions.yaml", "regions:\n  - code: north\n  - code: north\n"},
		{"regions.yaml", "regions:\n  - code: a\n    children:\n      - code: a\n"},
		{"media/x.png", "\x89PNG\r\n\x1a\n"},
		{"campaigns/demo-day.yaml", "slug: demo-day\nstarts: 2027-04-08\nends: 2027-04-01\n"},
	} {
		f.Add(s.name, []byte(s.data))
	}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		fsys := fuzzBase()
		if fs.ValidPath(name) && name != "." {
			fsys[name] = &fstest.MapFile{Data: data}
		}
		pack, err := content.Parse(fsys, content.Options{Locales: locales})
		checkParsed(t, pack, err)
	})
}

// fuzzLimits are small, so that the fuzzer reaches them.
var fuzzLimits = content.ZipLimits{Entries: 40, FileSize: 64 << 10, TotalSize: 256 << 10}

// FuzzPackZip reads fuzzed bytes as an uploaded pack zip. ReadZip must
// never panic; it either refuses with a *ZipError whose ID is a known
// problem, or returns files within the limits (entries, size of each, total)
// under clean relative paths, which Parse then reads as FuzzPack requires.
func FuzzPackZip(f *testing.F) {
	var seed bytes.Buffer
	pack, err := content.Parse(fuzzBase(), content.Options{Locales: locales})
	if err != nil {
		f.Fatal(err)
	}
	if err := content.WriteZip(&seed, pack); err != nil {
		f.Fatal(err)
	}
	f.Add(seed.Bytes())
	f.Add([]byte("PK\x05\x06" + string(make([]byte, 18))))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys, err := content.ReadZip(data, fuzzLimits)
		if err != nil {
			var ze *content.ZipError
			if !errors.As(err, &ze) || !slices.Contains(content.ProblemIDs(), ze.ID) {
				t.Fatalf("ReadZip error %T %v, want a *ZipError with a known ID", err, err)
			}
			return
		}
		var n int
		var total int64
		err = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			if !fs.ValidPath(p) {
				t.Fatalf("unclean path %q", p)
			}
			b, err := fs.ReadFile(fsys, p)
			n++
			total += int64(len(b))
			if int64(len(b)) > fuzzLimits.FileSize {
				t.Fatalf("%s: %d bytes, over the %d limit", p, len(b), fuzzLimits.FileSize)
			}
			return err
		})
		if err != nil {
			t.Fatalf("walking the zip's files: %v", err)
		}
		if n > fuzzLimits.Entries || total > fuzzLimits.TotalSize {
			t.Fatalf("%d files, %d bytes: over the limits %+v", n, total, fuzzLimits)
		}
		pack, err := content.Parse(fsys, content.Options{Locales: locales})
		checkParsed(t, pack, err)
	})
}
