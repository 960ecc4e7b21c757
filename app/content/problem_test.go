package content_test

import (
	"bytes"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"image"
	"image/png"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"beacon/app"
	"beacon/app/content"
	"beacon/app/i18n"
	"beacon/app/testenv"
)

// plainArgs reports whether every string value of args quotes (%q) as
// itself between double quotes, so that a catalog's "{{.Slug}}" words it
// the way the English Message's %q does.
func plainArgs(args map[string]any) bool {
	for _, v := range args {
		if s, ok := v.(string); ok && strconv.Quote(s) != `"`+s+`"` {
			return false
		}
	}
	return true
}

// checkProblem fails unless p has a known ID whose catalog message exists
// in every locale with every placeholder filled, and whose English catalog
// text is the English Message.
func checkProblem(t *testing.T, b *i18n.Bundle, known map[string]bool, p content.Problem) {
	t.Helper()
	if p.ID == "" {
		t.Errorf("problem %v has no ID", p)
		return
	}
	if !known[p.ID] {
		t.Errorf("problem %v: ID %q is not in content.ProblemIDs()", p, p.ID)
	}
	for _, loc := range b.Locales() {
		got := b.Localizer(loc).T(p.Key(), p.Args)
		if got == p.Key() || strings.Contains(got, "<no value>") || strings.Contains(got, "{{") {
			t.Errorf("problem %v: %s message %q (args %v)", p, loc, got, p.Args)
		}
	}
	if en := b.Localizer("en").T(p.Key(), p.Args); plainArgs(p.Args) && en != p.Message {
		t.Errorf("problem %s: en catalog says %q, the Message %q", p.ID, en, p.Message)
	}
}

func mustBundle(t *testing.T) (*i18n.Bundle, map[string]bool) {
	t.Helper()
	b, err := i18n.Load(testenv.Sub(t, "content/locales"), "en")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	known := map[string]bool{}
	for _, id := range content.ProblemIDs() {
		known[id] = true
	}
	return b, known
}

// bigPNG returns a real PNG wider than media.MaxDimension.
func bigPNG(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, 8001, 1))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestProblems_HaveIDs(t *testing.T) {
	b, known := mustBundle(t)
	problems := func(t *testing.T, fsys fstest.MapFS, opts content.Options) content.Problems {
		t.Helper()
		opts.Locales = locales
		_, err := content.Parse(fsys, opts)
		var ps content.Problems
		if !errors.As(err, &ps) {
			t.Fatalf("Parse error = %v, want Problems", err)
		}
		return ps
	}

	t.Run("BadPack", func(t *testing.T) {
		for _, tt := range badPackCases() {
			if len(tt.want) == 0 {
				continue
			}
			t.Run(tt.name, func(t *testing.T) {
				fsys := validPack()
				tt.breakPack(t, fsys)
				var opts content.Options
				if tt.opts != nil {
					tt.opts(&opts)
				}
				for _, p := range problems(t, fsys, opts) {
					checkProblem(t, b, known, p)
				}
			})
		}
	})

	t.Run("Media", func(t *testing.T) {
		for _, tt := range mediaCases(t) {
			t.Run(tt.name, func(t *testing.T) {
				fsys := validPack()
				tt.breakPack(fsys)
				for _, p := range problems(t, fsys, content.Options{KnownMedia: tt.known}) {
					checkProblem(t, b, known, p)
				}
			})
		}
	})

	// More kinds than the tables above show, each with the ID it must get.
	more := []struct {
		name      string
		breakPack func(t *testing.T, fsys fstest.MapFS)
		id        string
	}{
		{"EmptyImage", func(t *testing.T, fsys fstest.MapFS) { fsys["media/blank.png"] = &fstest.MapFile{} }, "media_empty"},
		{"HugeImage", func(t *testing.T, fsys fstest.MapFS) { fsys["media/wide.png"] = &fstest.MapFile{Data: bigPNG(t)} }, "media_dimensions"},
		{"GoalNegative", func(t *testing.T, fsys fstest.MapFS) {
			edit(t, fsys, campaignYAML, "goal_completions: ", "goal_completions: -")
		}, "campaign_goal_negative"},
		{"CourseTitleLong", func(t *testing.T, fsys fstest.MapFS) {
			edit(t, fsys, courseYAML, `en: "Demo course"`, `en: "`+strings.Repeat("x", app.MaxCourseLine+1)+`"`)
		}, "course_text_long"},
		{"CourseTitleLines", func(t *testing.T, fsys fstest.MapFS) {
			edit(t, fsys, courseYAML, `en: "Demo course"`, `en: "Demo\ncourse"`)
		}, "course_title_lines"},
		{"CourseTopicLong", func(t *testing.T, fsys fstest.MapFS) {
			edit(t, fsys, courseYAML, "topic: safety", "topic: "+strings.Repeat("s", app.MaxCourseSlug+1))
		}, "course_topic_long"},
		{"GoalLarge", func(t *testing.T, fsys fstest.MapFS) {
			edit(t, fsys, campaignYAML, "goal_completions: 100", "goal_completions: 1000000001")
		}, "campaign_goal_large"},
		{"CampaignNoCourse", func(t *testing.T, fsys fstest.MapFS) {
			edit(t, fsys, campaignYAML, "courses: [demo]", "courses: []")
		}, "campaign_courses_none"},
		{"CampaignTitleLong", func(t *testing.T, fsys fstest.MapFS) {
			edit(t, fsys, campaignYAML, "zh-Hans: \"演示日\"", "zh-Hans: \""+strings.Repeat("演", app.MaxCampaignTitle+1)+"\"")
		}, "campaign_text_long"},
		{"CampaignTextInvalid", func(t *testing.T, fsys fstest.MapFS) {
			edit(t, fsys, campaignYAML, "Demo day", "Demo\\aday")
		}, "campaign_text_invalid"},
		{"CampaignSlugLong", func(t *testing.T, fsys fstest.MapFS) {
			edit(t, fsys, campaignYAML, "slug: demo-day", "slug: "+strings.Repeat("a", app.MaxCampaignSlug+1))
		}, "campaign_slug_long"},
		{"ChannelCode", func(t *testing.T, fsys fstest.MapFS) {
			appendTo(fsys, campaignYAML, "channels:\n  - {code: ABC, name: Posters}\n")
		}, "campaign_channel_code"},
		{"ChannelName", func(t *testing.T, fsys fstest.MapFS) {
			appendTo(fsys, campaignYAML, "channels:\n  - {code: k7mp3xqa, name: \"\"}\n")
		}, "campaign_channel_name"},
		{"ChannelTwice", func(t *testing.T, fsys fstest.MapFS) {
			appendTo(fsys, campaignYAML, "channels:\n  - {code: k7mp3xqa, name: Posters}\n  - {code: w2hd9tse, name: Posters}\n")
		}, "campaign_channel_twice"},
		{"NoCourseYAML", func(t *testing.T, fsys fstest.MapFS) { fsys["courses/other/x.en.md"] = lessonFile("X", "x\n") }, "course_yaml_missing"},
		{"FrontMatterOpen", func(t *testing.T, fsys fstest.MapFS) {
			fsys["courses/demo/02-next.zh-Hans.md"] = &fstest.MapFile{Data: []byte("---\ntitle: x\n")}
		}, "front_matter_unclosed"},
		{"FrontMatterBadYAML", func(t *testing.T, fsys fstest.MapFS) {
			fsys["courses/demo/02-next.zh-Hans.md"] = &fstest.MapFile{Data: []byte("---\ntitle: x\nmood: happy\n---\nText.\n")}
		}, "front_matter_yaml"},
		{"BodyEmpty", func(t *testing.T, fsys fstest.MapFS) { fsys["courses/demo/02-next.zh-Hans.md"] = lessonFile("x", "\n") }, "lesson_body_empty"},
		{"LessonFileName", func(t *testing.T, fsys fstest.MapFS) { fsys["courses/demo/notes.md"] = lessonFile("x", "x\n") }, "lesson_file_name"},
		{"SourceLocale", func(t *testing.T, fsys fstest.MapFS) {
			edit(t, fsys, courseYAML, "source_locale: en", "source_locale: de")
		}, "source_locale_not_enabled"},
		{"ReviewBy", func(t *testing.T, fsys fstest.MapFS) {
			edit(t, fsys, courseYAML, "review_by: 2027-06-30", "review_by: soon")
		}, "review_by_format"},
		{"Topic", func(t *testing.T, fsys fstest.MapFS) { edit(t, fsys, courseYAML, "topic: safety", "topic: Safety!") }, "topic_format"},
		{"RegionTwice", func(t *testing.T, fsys fstest.MapFS) {
			fsys["regions.yaml"] = &fstest.MapFile{Data: []byte("regions:\n  - code: north\n    name: {en: North}\n  - code: north\n    name: {en: North}\n")}
		}, "region_code_twice"},
	}
	t.Run("More", func(t *testing.T) {
		for _, tt := range more {
			t.Run(tt.name, func(t *testing.T) {
				fsys := validPack()
				tt.breakPack(t, fsys)
				ps := problems(t, fsys, content.Options{})
				var ids []string
				for _, p := range ps {
					checkProblem(t, b, known, p)
					ids = append(ids, p.ID)
				}
				if !slices.Contains(ids, tt.id) {
					t.Errorf("IDs %v, want %s among them:\n%v", ids, tt.id, ps)
				}
			})
		}
	})

	t.Run("Zip", func(t *testing.T) {
		for _, tt := range readZipCases(t) {
			if tt.want == "" {
				continue
			}
			t.Run(tt.name, func(t *testing.T) {
				data := []byte("not a zip")
				if tt.entries != nil {
					data = buildZip(t, tt.entries...)
				}
				_, err := content.ReadZip(data, tt.limits)
				var ze *content.ZipError
				if !errors.As(err, &ze) {
					t.Fatalf("ReadZip error = %v (%T), want a *content.ZipError", err, err)
				}
				p := ze.Problem("upload.zip")
				if p.File != "upload.zip" || p.Message != err.Error() || p.ID != ze.ID {
					t.Errorf("Problem = %+v, want upload.zip, ID %s and the error's text", p, ze.ID)
				}
				if p.ID == "" || !known[p.ID] {
					t.Fatalf("ZipError ID %q is not in content.ProblemIDs()", p.ID)
				}
				for _, loc := range b.Locales() {
					if got := b.Localizer(loc).T(p.Key(), p.Args); got == p.Key() || strings.Contains(got, "<no value>") {
						t.Errorf("%s message %q (args %v)", loc, got, p.Args)
					}
				}
				if en := b.Localizer("en").T(p.Key(), p.Args); p.ID != "zip_not_zip" && plainArgs(p.Args) && !strings.Contains(p.Message, en) {
					t.Errorf("en catalog says %q, not part of the error %q", en, p.Message)
				}
			})
		}
	})
}

// TestProblemIDs_MatchSource checks content.ProblemIDs() against the
// package's source: every ID a problem or zip error is given as a literal
// is listed, and every listed ID appears in the source.
func TestProblemIDs_MatchSource(t *testing.T) {
	listed := map[string]bool{}
	for _, id := range content.ProblemIDs() {
		if listed[id] {
			t.Errorf("ProblemIDs lists %q twice", id)
		}
		listed[id] = true
	}
	literals := map[string]bool{}
	used := 0
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.BasicLit:
				if s, err := strconv.Unquote(n.Value); err == nil && n.Kind == token.STRING {
					literals[s] = true
				}
			case *ast.CallExpr:
				arg := -1
				switch fn := n.Fun.(type) {
				case *ast.SelectorExpr:
					if fn.Sel.Name == "problem" {
						arg = 2
					}
				case *ast.Ident:
					if fn.Name == "zipError" {
						arg = 0
					}
				}
				if arg < 0 || arg >= len(n.Args) {
					return true
				}
				used++
				lit, ok := n.Args[arg].(*ast.BasicLit)
				if !ok {
					return true // an ID chosen just before, from literals checked below
				}
				id, _ := strconv.Unquote(lit.Value)
				if !listed[id] {
					t.Errorf("%s: ID %q is not in ProblemIDs", fset.Position(lit.Pos()), id)
				}
			}
			return true
		})
	}
	if used < 50 {
		t.Fatalf("found only %d problem and zipError calls; is the scan still right?", used)
	}
	for id := range listed {
		if !literals[id] {
			t.Errorf("ProblemIDs lists %q, which no source file uses", id)
		}
	}
}

// The catalog key prefix is what the admin page and the catalogs use.
func TestProblem_Key(t *testing.T) {
	if got := (content.Problem{ID: "slug_format"}).Key(); got != "pack.problem.slug_format" {
		t.Errorf("Key = %q", got)
	}
}

// appendTo adds text at the end of a pack file.
func appendTo(fsys fstest.MapFS, name, text string) {
	fsys[name] = &fstest.MapFile{Data: append(append([]byte{}, fsys[name].Data...), text...)}
}
