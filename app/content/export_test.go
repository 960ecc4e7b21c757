package content_test

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"beacon/app"
	"beacon/app/content"
	"beacon/app/testenv"
)

// readTree returns every file under dir by slash-separated relative path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = b
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// mapFS turns file texts into a file system for Parse.
func mapFS(files map[string]string) fstest.MapFS {
	out := fstest.MapFS{}
	for name, data := range files {
		out[name] = &fstest.MapFile{Data: []byte(data)}
	}
	return out
}

// sameTree fails unless a and b hold the same files with the same bytes.
func sameTree(t *testing.T, a, b map[string][]byte) {
	t.Helper()
	for name, data := range a {
		other, ok := b[name]
		if !ok {
			t.Errorf("%s is only in the first export", name)
		} else if !bytes.Equal(data, other) {
			t.Errorf("%s differs:\n--- first\n%s\n--- second\n%s", name, data, other)
		}
	}
	for name := range b {
		if _, ok := a[name]; !ok {
			t.Errorf("%s is only in the second export", name)
		}
	}
}

// writeParse writes pack to a temp folder and parses it back.
func writeParse(t *testing.T, pack *app.Pack) (*app.Pack, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "pack")
	if err := content.Write(dir, pack); err != nil {
		t.Fatalf("Write: %v", err)
	}
	back, err := content.Parse(os.DirFS(dir), content.Options{Locales: locales})
	if err != nil {
		t.Fatalf("Parse of the export:\n%v", err)
	}
	return back, dir
}

func TestWrite_SeedRoundTrip(t *testing.T) {
	seed, err := content.Parse(testenv.Sub(t, "content"), content.Options{Locales: locales})
	if err != nil {
		t.Fatalf("Parse seed: %v", err)
	}
	back, first := writeParse(t, seed)
	if !reflect.DeepEqual(seed, back) {
		t.Fatalf("export → parse changed the pack:\nseed %+v\nback %+v", seed, back)
	}
	_, second := writeParse(t, back)
	a, b := readTree(t, first), readTree(t, second)
	if len(a) == 0 {
		t.Fatal("the export wrote no files")
	}
	sameTree(t, a, b)

	// The export has the documented shape: lesson files keep their stems.
	for _, name := range []string{"courses/cyber-hygiene/course.yaml", "courses/cyber-hygiene/01-passwords.en.md",
		"courses/cyber-hygiene/01-passwords.zh-Hans.md", "campaigns/security-education-day-2027.yaml", "regions.yaml"} {
		if _, ok := a[name]; !ok {
			t.Errorf("export lacks %s", name)
		}
	}
	// Lesson files are reproduced byte for byte from the seed.
	want, err := os.ReadFile(filepath.Join(testenv.Root(t), "content/courses/cyber-hygiene/01-passwords.en.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a["courses/cyber-hygiene/01-passwords.en.md"], want) {
		t.Errorf("lesson file differs from the seed:\n%s", a["courses/cyber-hygiene/01-passwords.en.md"])
	}
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

// trickyPack holds text that YAML and front matter could mangle, in the
// form Parse returns (empty slices and maps rather than nil, translations
// stamped).
func trickyPack(t *testing.T) *app.Pack {
	t.Helper()
	body := "\n\nkey: value\n---\ntitle: not the title\n---\n- item\n\n    indented code\n\n\n"
	pack := &app.Pack{
		Courses: []app.Course{{
			Slug: "tricky", SourceLocale: "en", Categories: []string{},
			Title:   app.Text{"en": "Tricky: a course", "zh-Hans": "棘手：课程"},
			Summary: app.Text{"en": "multi\nline\n\n  summary  \n\n"},
			Lessons: []app.Lesson{
				{Slug: "yamlish", File: "01-yamlish",
					Title: app.Text{"en": "Step 1: don't panic", "zh-Hans": "--- 第一步"},
					Body:  app.Text{"en": body, "zh-Hans": "---\nstarts with a rule\n"}},
				{Slug: "2027", File: "02-2027",
					Title: app.Text{"en": "# not a comment"},
					Body:  app.Text{"en": "no newline at the end"}},
			},
			Quiz: &app.Quiz{PassPercent: 100, MaxAttempts: 3, Draw: 2, Questions: []app.Question{
				{ID: "null", Type: app.QuestionTrueFalse, Prompt: app.Text{"en": "true"}, Explanation: app.Text{},
					Choices: []app.Choice{
						{ID: "true", Text: app.Text{"en": "yes"}},
						{ID: "false", Correct: true, Text: app.Text{"en": "no", "zh-Hans": "~"}},
					}},
				{ID: "80", Type: app.QuestionMultiple,
					Prompt:      app.Text{"en": " leading and trailing ", "zh-Hans": "tab\there \"quoted\" 'single' \r\n"},
					Explanation: app.Text{"en": "- [x] {flow}: &anchor *alias !tag %pct @at `tick` |pipe >gt"},
					Choices: []app.Choice{
						{ID: "1", Correct: true, Text: app.Text{"en": "null"}},
						{ID: "2", Correct: true, Text: app.Text{"en": "80"}},
						{ID: "3", Text: app.Text{"en": "2027-04-08"}},
					}},
			}},
		}},
		Campaigns: []app.Campaign{{
			Slug: "utc-day", SourceLocale: "zh-Hans",
			Starts: mustTime(t, "2027-01-01T00:00:00Z"), Ends: mustTime(t, "2027-01-02T12:30:00.5-05:30"),
			Courses: []string{"tricky"}, Regions: []string{"north-hill"},
			Title: app.Text{"zh-Hans": "日", "en": "Day: one"}, Description: app.Text{"zh-Hans": "描述"},
		}},
		Regions: []app.Region{
			{Code: "north", Name: app.Text{"en": "North: upper", "zh-Hans": "北区"}},
			{Code: "north-hill", ParentCode: "north", Name: app.Text{"en": "Hill"}},
			{Code: "123", Name: app.Text{"en": "true"}},
		},
	}
	// Parse stamps every translation of a pack as made from its source.
	pack.Courses[0].StampAll()
	return pack
}

func TestWrite_TrickyTextRoundTrips(t *testing.T) {
	pack := trickyPack(t)
	back, first := writeParse(t, pack)
	if !reflect.DeepEqual(pack, back) {
		t.Fatalf("round trip changed the pack:\nwant %#v\ngot  %#v", pack, back)
	}
	_, second := writeParse(t, back)
	sameTree(t, readTree(t, first), readTree(t, second))

	files := readTree(t, first)
	course := string(files["courses/tricky/course.yaml"])
	for _, want := range []string{`- id: "true"`, `- id: "false"`, `- slug: "2027"`, `- id: "80"`} {
		if !strings.Contains(course, want) {
			t.Errorf("course.yaml lacks %s:\n%s", want, course)
		}
	}
	for _, absent := range []string{"topic:", "categories:", "review_by:", "shuffle_choices: true"} {
		if strings.Contains(course, absent) {
			t.Errorf("course.yaml has %s, which the pack leaves empty:\n%s", absent, course)
		}
	}
	if n := strings.Count(course, "explanation:"); n != 1 {
		t.Errorf("course.yaml has %d explanation keys, want 1 (empty ones omitted)", n)
	}
	if n := strings.Count(course, "correct: true"); n != 3 {
		t.Errorf("course.yaml has %d correct keys, want 3 (only right choices)", n)
	}
	camp := string(files["campaigns/utc-day.yaml"])
	for _, want := range []string{"starts: 2027-01-01T00:00:00Z\n", "ends: 2027-01-02T12:30:00.5-05:30\n", "courses: [tricky]\n", "title:\n  zh-Hans: 日\n  en: 'Day: one'\n"} {
		if !strings.Contains(camp, want) {
			t.Errorf("campaign lacks %q:\n%s", want, camp)
		}
	}
	lesson := string(files["courses/tricky/01-yamlish.en.md"])
	if want := "---\ntitle: 'Step 1: don''t panic'\n---\n" + pack.Courses[0].Lessons[0].Body["en"]; lesson != want {
		t.Errorf("lesson file = %q, want %q", lesson, want)
	}
}

// TestWrite_Format pins the documented layout and key order of one small
// course, campaign and region tree.
func TestWrite_Format(t *testing.T) {
	pack := &app.Pack{
		Courses: []app.Course{{
			Slug: "demo", SourceLocale: "zh-Hans", Topic: "safety", Categories: []string{"Safety", "Fire"}, ReviewBy: "2027-06-30",
			Title:   app.Text{"en": "Demo", "zh-Hans": "演示", "ar": "عرض"},
			Summary: app.Text{"zh-Hans": "摘要"},
			Lessons: []app.Lesson{{Slug: "intro", Title: app.Text{"zh-Hans": "简介"}, Body: app.Text{"zh-Hans": "你好。\n"}}},
			Quiz: &app.Quiz{PassPercent: 80, ShuffleChoices: true, Questions: []app.Question{{
				ID: "q", Type: app.QuestionSingle, Prompt: app.Text{"zh-Hans": "问"}, Explanation: app.Text{"zh-Hans": "因为"},
				Choices: []app.Choice{{ID: "a", Correct: true, Text: app.Text{"zh-Hans": "对"}}, {ID: "b", Text: app.Text{"zh-Hans": "错"}}},
			}}},
		}},
		Campaigns: []app.Campaign{{
			Slug: "day", SourceLocale: "en", Starts: mustTime(t, "2027-04-08T00:00:00+08:00"), Ends: mustTime(t, "2027-04-22T23:59:59+08:00"),
			GoalCompletions: 10, Courses: []string{"demo"}, Regions: []string{},
			Title: app.Text{"en": "Day"}, Description: app.Text{"en": "Text"},
		}},
		Regions: []app.Region{
			{Code: "south", Name: app.Text{"zh-Hans": "南区", "en": "South"}},
			{Code: "north", Name: app.Text{"en": "North"}},
			{Code: "south-harbour", ParentCode: "south", Name: app.Text{"en": "Harbour"}},
		},
	}
	want := map[string]string{
		"courses/demo/course.yaml": `slug: demo
source_locale: zh-Hans
topic: safety
categories: [Safety, Fire]
review_by: 2027-06-30
title:
  zh-Hans: 演示
  ar: عرض
  en: Demo
summary:
  zh-Hans: 摘要
lessons:
  - slug: intro
    file: 01-intro
quiz:
  pass_percent: 80
  max_attempts: 0
  draw: 0
  shuffle_choices: true
  questions:
    - id: q
      type: single
      prompt:
        zh-Hans: 问
      explanation:
        zh-Hans: 因为
      choices:
        - id: a
          correct: true
          text:
            zh-Hans: 对
        - id: b
          text:
            zh-Hans: 错
`,
		"courses/demo/01-intro.zh-Hans.md": "---\ntitle: 简介\n---\n你好。\n",
		"campaigns/day.yaml": `slug: day
source_locale: en
starts: 2027-04-08T00:00:00+08:00
ends: 2027-04-22T23:59:59+08:00
goal_completions: 10
courses: [demo]
regions: []
title:
  en: Day
description:
  en: Text
`,
		"regions.yaml": `regions:
  - code: south
    name: {en: South, zh-Hans: 南区}
    children:
      - code: south-harbour
        name: {en: Harbour}
  - code: north
    name: {en: North}
`,
	}
	var names []string
	got := map[string]string{}
	err := content.Export(pack, func(name string, data []byte) error {
		names = append(names, name)
		got[name] = string(data)
		return nil
	})
	if err != nil {
		t.Fatalf("Export: %v", err)
	}
	wantNames := []string{"campaigns/day.yaml", "courses/demo/01-intro.zh-Hans.md", "courses/demo/course.yaml", "regions.yaml"}
	if !reflect.DeepEqual(names, wantNames) {
		t.Errorf("Export order = %v, want %v", names, wantNames)
	}
	for name, w := range want {
		if got[name] != w {
			t.Errorf("%s =\n%s\nwant\n%s", name, got[name], w)
		}
	}

	// The empty File fell back to NN-<slug>, which is what Parse reads back.
	back, err := content.Parse(mapFS(got), content.Options{Locales: []string{"en", "zh-Hans", "ar"}})
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if f := back.Courses[0].Lessons[0].File; f != "01-intro" {
		t.Errorf("lesson file = %q, want 01-intro", f)
	}
}

func TestExport_PutError(t *testing.T) {
	boom := errors.New("disk full")
	err := content.Export(trickyPack(t), func(string, []byte) error { return boom })
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), "campaigns/utc-day.yaml") {
		t.Fatalf("Export error = %v, want the put error naming the first file", err)
	}
}

func TestWrite_Refuses(t *testing.T) {
	course := func(slug string, lessons ...app.Lesson) app.Course {
		return app.Course{Slug: slug, SourceLocale: "en", Title: app.Text{"en": "T"}, Summary: app.Text{"en": "S"}, Lessons: lessons}
	}
	lesson := func(slug, file, body string) app.Lesson {
		return app.Lesson{Slug: slug, File: file, Title: app.Text{"en": "T"}, Body: app.Text{"en": body}}
	}
	tests := []struct {
		name string
		pack app.Pack
		want string
	}{
		{"course slug with a path", app.Pack{Courses: []app.Course{course("../evil", lesson("a", "01-a", "x"))}}, `export course "../evil": slug must match`},
		{"course slug used twice", app.Pack{Courses: []app.Course{course("c"), course("c")}}, "export course c: the slug is used twice"},
		{"lesson stem with a slash", app.Pack{Courses: []app.Course{course("c", lesson("a", "../a", "x"))}}, `lesson "a": file stem "../a" must not hold`},
		{"lesson stem with a dot", app.Pack{Courses: []app.Course{course("c", lesson("a", "01.a", "x"))}}, `file stem "01.a"`},
		{"two lessons share a file with different text", app.Pack{Courses: []app.Course{course("c", lesson("a", "01", "x"), lesson("b", "01", "y"))}},
			"two lessons write courses/c/01.en.md with different text"},
		{"locale with a slash", app.Pack{Courses: []app.Course{course("c", app.Lesson{Slug: "a", File: "01", Body: app.Text{"../en": "x"}})}}, `locale "../en"`},
		{"campaign slug with a path", app.Pack{Campaigns: []app.Campaign{{Slug: "a/b"}}}, `export campaign "a/b": slug must match`},
		{"campaign slug used twice", app.Pack{Campaigns: []app.Campaign{{Slug: "a"}, {Slug: "a"}}}, "export campaign a: the slug is used twice"},
		{"region parent missing", app.Pack{Regions: []app.Region{{Code: "a"}, {Code: "b", ParentCode: "ghost"}}}, `region "b" names parent "ghost", which is not in the pack`},
		{"region cycle", app.Pack{Regions: []app.Region{{Code: "top"}, {Code: "a", ParentCode: "b"}, {Code: "b", ParentCode: "a"}}}, "regions form a cycle: 2 of 3"},
		{"region code used twice", app.Pack{Regions: []app.Region{{Code: "a"}, {Code: "a"}}}, `region code "a" is used twice`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			err := content.Write(dir, &tt.pack)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Write error = %v, want one containing %q", err, tt.want)
			}
			if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("Write created %s for a refused pack (stat: %v)", dir, err)
			}
		})
	}
}
