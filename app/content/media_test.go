package content_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"beacon/app"
	"beacon/app/content"
	"beacon/app/testenv"
)

// tinyPNG returns a real 3×2 PNG.
func tinyPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 3, 2))
	img.Set(1, 1, color.RGBA{200, 30, 30, 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// seedWithImage is the seed pack plus media/exit-map.png, shown by the
// first lesson of cyber-hygiene.
func seedWithImage(t *testing.T) (fstest.MapFS, []byte) {
	t.Helper()
	fsys := fstest.MapFS{}
	root := filepath.Join(testenv.Root(t), "content")
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		fsys[filepath.ToSlash(rel)] = &fstest.MapFile{Data: data}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	img := tinyPNG(t)
	fsys["media/exit-map.png"] = &fstest.MapFile{Data: img}
	lesson := "courses/cyber-hygiene/01-passwords.en.md"
	fsys[lesson] = &fstest.MapFile{Data: append(fsys[lesson].Data, []byte("\n![A map of the exits](media/exit-map.png)\n")...)}
	return fsys, img
}

func TestPackMedia_RoundTrip(t *testing.T) {
	fsys, img := seedWithImage(t)
	pack, err := content.Parse(fsys, content.Options{Locales: locales, KnownMedia: func(string) bool { return false }})
	if err != nil {
		t.Fatalf("Parse:\n%v", err)
	}
	if len(pack.Media) != 1 {
		t.Fatalf("pack media: %d", len(pack.Media))
	}
	m := pack.Media[0]
	if m.Name != "exit-map.png" || m.ContentType != "image/png" || m.Width != 3 || m.Height != 2 || !bytes.Equal(m.Data, img) {
		t.Fatalf("parsed media %+v", m)
	}

	t.Run("Folder", func(t *testing.T) {
		back, dir := writeParse(t, pack)
		if !reflect.DeepEqual(pack, back) {
			t.Fatal("Write → Parse changed the pack")
		}
		got, err := os.ReadFile(filepath.Join(dir, "media", "exit-map.png"))
		if err != nil || !bytes.Equal(got, img) {
			t.Fatalf("written image differs: %v", err)
		}
		_, again := writeParse(t, back)
		sameTree(t, readTree(t, dir), readTree(t, again))
	})

	t.Run("Zip", func(t *testing.T) {
		data := writeZip(t, pack)
		zfs, err := content.ReadZip(data, content.ZipLimits{})
		if err != nil {
			t.Fatalf("ReadZip: %v", err)
		}
		back, err := content.Parse(zfs, content.Options{Locales: locales, KnownMedia: func(string) bool { return false }})
		if err != nil {
			t.Fatalf("Parse of the zip:\n%v", err)
		}
		if !reflect.DeepEqual(pack, back) || !bytes.Equal(back.Media[0].Data, img) {
			t.Fatal("zip → parse changed the pack")
		}
		if again := writeZip(t, back); !bytes.Equal(data, again) {
			t.Error("zipping the re-parsed pack gave different bytes")
		}
	})

	t.Run("ExportRefusesABrokenImage", func(t *testing.T) {
		bad := &app.Pack{Media: []app.MediaFile{{Name: "cut.png", Data: img[:20]}}}
		if err := content.Export(bad, func(string, []byte) error { return nil }); err == nil {
			t.Fatal("exported a broken image")
		}
		twice := &app.Pack{Media: []app.MediaFile{{Name: "a.png", Data: img}, {Name: "a.png", Data: img}}}
		if err := content.Export(twice, func(string, []byte) error { return nil }); err == nil {
			t.Fatal("exported one name twice")
		}
	})
}

// mediaCase is one row of the media-problem table: how it breaks the valid
// pack, the site's media (nil: references not checked), and the problems.
type mediaCase struct {
	name      string
	breakPack func(fsys fstest.MapFS)
	known     func(string) bool
	want      []wantProblem
}

// mediaCases are the rows of TestPackMedia_Problems (TestProblems_HaveIDs
// runs them too).
func mediaCases(t *testing.T) []mediaCase {
	img := tinyPNG(t)
	lesson := "courses/demo/01-intro.en.md"
	return []mediaCase{
		{"MissingImage", func(fsys fstest.MapFS) {
			fsys[lesson] = lessonFile("Intro", "Hello.\n\n![Exits](media/missing.png)\n")
		}, func(string) bool { return false }, []wantProblem{{lesson, "media/missing.png", "media/missing.png"}}},
		{"MissingLinkedFile", func(fsys fstest.MapFS) {
			fsys["courses/demo/02-next.zh-Hans.md"] = lessonFile("下一步", "见[图](media/plan.gif)。\n")
		}, func(string) bool { return false }, []wantProblem{{"courses/demo/02-next.zh-Hans.md", "media/plan.gif", "media/plan.gif"}}},
		{"HTMLNamedPNG", func(fsys fstest.MapFS) {
			fsys["media/page.png"] = &fstest.MapFile{Data: []byte("<!DOCTYPE html><script>alert(1)</script>")}
		}, nil, []wantProblem{{"media/page.png", "", "not a PNG, JPEG, WebP or GIF image"}}},
		{"TruncatedImage", func(fsys fstest.MapFS) {
			fsys["media/cut.png"] = &fstest.MapFile{Data: img[:len(img)-8]}
		}, nil, []wantProblem{{"media/cut.png", "", "damaged or incomplete"}}},
		{"ExtensionNotTheType", func(fsys fstest.MapFS) {
			fsys["media/photo.jpg"] = &fstest.MapFile{Data: img}
		}, nil, []wantProblem{{"media/photo.jpg", "", "image/png image"}}},
		{"EscapingPath", func(fsys fstest.MapFS) {
			fsys[lesson] = lessonFile("Intro", "Hello.\n\n![Exits](media/../../x.png)\n")
		}, func(string) bool { return true }, []wantProblem{{lesson, "media/../../x.png", "points outside the media library"}}},
		{"BackslashPath", func(fsys fstest.MapFS) {
			fsys[lesson] = lessonFile("Intro", "Hello.\n\n[Exits](media\\x.png)\n")
		}, func(string) bool { return true }, []wantProblem{{lesson, "media\\x.png", "points outside the media library"}}},
		{"BadName", func(fsys fstest.MapFS) {
			fsys["media/My Photo.png"] = &fstest.MapFile{Data: img}
		}, nil, []wantProblem{{"media/My Photo.png", "", "lower-case letters"}}},
		{"Folder", func(fsys fstest.MapFS) {
			fsys["media/sub/a.png"] = &fstest.MapFile{Data: img}
		}, nil, []wantProblem{{"media/sub", "", "not folders"}}},
	}
}

func TestPackMedia_Problems(t *testing.T) {
	img := tinyPNG(t)
	lesson := "courses/demo/01-intro.en.md"
	for _, tt := range mediaCases(t) {
		t.Run(tt.name, func(t *testing.T) {
			fsys := validPack()
			tt.breakPack(fsys)
			_, err := content.Parse(fsys, content.Options{Locales: locales, KnownMedia: tt.known})
			ps, ok := err.(content.Problems)
			if !ok {
				t.Fatalf("want Problems, got %v", err)
			}
			if len(ps) != len(tt.want) {
				t.Fatalf("got %d problems, want %d:\n%v", len(ps), len(tt.want), ps)
			}
			for i, w := range tt.want {
				p := ps[i]
				line := 0
				if w.at != "" {
					line = lineOf(t, fsys, w.file, w.at)
				}
				if p.File != w.file || p.Line != line || !strings.Contains(p.Message, w.msg) {
					t.Errorf("problem %v; want %s:%d containing %q", p, w.file, line, w.msg)
				}
			}
		})
	}

	t.Run("FoundInPackOrSite", func(t *testing.T) {
		fsys := validPack()
		fsys[lesson] = lessonFile("Intro", "![a](media/in-pack.png) ![b](media/on-site.png)\n")
		fsys["media/in-pack.png"] = &fstest.MapFile{Data: img}
		fsys["media/.DS_Store"] = &fstest.MapFile{Data: []byte("junk")}
		pack, err := content.Parse(fsys, content.Options{Locales: locales, KnownMedia: func(n string) bool { return n == "on-site.png" }})
		if err != nil {
			t.Fatalf("Parse:\n%v", err)
		}
		if len(pack.Media) != 1 || pack.Media[0].Name != "in-pack.png" {
			t.Fatalf("media %+v", pack.Media)
		}
	})

	t.Run("NotCheckedWithoutKnownMedia", func(t *testing.T) {
		fsys := validPack()
		fsys[lesson] = lessonFile("Intro", "![a](media/missing.png)\n")
		if _, err := content.Parse(fsys, content.Options{Locales: locales}); err != nil {
			t.Fatalf("references checked without KnownMedia:\n%v", err)
		}
	})
}
