package content_test

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"beacon/app/content"
	"beacon/app/testenv"
)

var locales = []string{"ar", "en", "es", "fr", "ru", "zh-Hans"}

func TestParse_SeedPack(t *testing.T) {
	pack, err := content.Parse(testenv.Sub(t, "content"), content.Options{Locales: locales})
	if err != nil {
		t.Fatalf("the seed pack has problems:\n%v", err)
	}

	wantCourses := []string{"national-security-basics", "cyber-hygiene", "personal-data-protection", "emergency-preparedness"}
	if len(pack.Courses) != len(wantCourses) {
		t.Errorf("courses = %d, want %d", len(pack.Courses), len(wantCourses))
	}
	for _, slug := range wantCourses {
		t.Run(slug, func(t *testing.T) {
			var found bool
			for _, c := range pack.Courses {
				if c.Slug != slug {
					continue
				}
				found = true
				if len(c.Lessons) < 3 {
					t.Errorf("lessons = %d, want at least 3", len(c.Lessons))
				}
				for _, l := range c.Lessons {
					if n := len(strings.Fields(l.Body["en"])); n < 300 {
						t.Errorf("lesson %s: en body has %d words, want at least 300", l.Slug, n)
					}
					if strings.TrimSpace(l.Body["zh-Hans"]) == "" {
						t.Errorf("lesson %s: no zh-Hans body", l.Slug)
					}
					if l.Title["en"] == "" || l.Title["zh-Hans"] == "" {
						t.Errorf("lesson %s: title = %v, want en and zh-Hans", l.Slug, l.Title)
					}
				}
				if c.Quiz == nil {
					t.Fatal("no quiz")
				}
				if len(c.Quiz.Questions) < 6 {
					t.Errorf("questions = %d, want at least 6", len(c.Quiz.Questions))
				}
				// Every course: title and summary in all six languages,
				// everything in en and zh-Hans; cyber-hygiene: everything in
				// all six (lessons, quiz, explanations).
				for _, f := range c.Fields() {
					all := slug == "cyber-hygiene" || f.Key == "title" || f.Key == "summary"
					for _, loc := range locales {
						if (all || loc == "en" || loc == "zh-Hans") && strings.TrimSpace(f.Text[loc]) == "" {
							t.Errorf("%s: no %s text", f.Key, loc)
						}
					}
				}
				if slug == "cyber-hygiene" {
					for _, l := range c.Lessons {
						for _, loc := range locales {
							if n, en := len([]rune(l.Body[loc])), len([]rune(l.Body["en"])); loc != "zh-Hans" && n < en/2 {
								t.Errorf("lesson %s: the %s body has %d characters for English's %d: not a whole translation", l.Slug, loc, n, en)
							}
						}
					}
				}
			}
			if !found {
				t.Fatal("course missing from the seed pack")
			}
		})
	}
	if len(pack.Campaigns) != 1 {
		t.Fatalf("campaigns = %d, want 1", len(pack.Campaigns))
	}
	for _, loc := range locales {
		if cp := pack.Campaigns[0]; strings.TrimSpace(cp.Title[loc]) == "" || strings.TrimSpace(cp.Description[loc]) == "" {
			t.Errorf("the seed campaign has no %s title or description", loc)
		}
	}
	if len(pack.Regions) == 0 {
		t.Error("no regions")
	}
	// One drill alert for the demo, in all six languages.
	if len(pack.Alerts) != 1 {
		t.Fatalf("alerts = %d, want 1", len(pack.Alerts))
	}
	if a := pack.Alerts[0]; a.Status != "Exercise" {
		t.Errorf("the seed alert has status %q, want Exercise (a drill)", a.Status)
	}
	for _, f := range pack.Alerts[0].AlertFields() {
		for _, loc := range locales {
			if strings.TrimSpace(f.Text[loc]) == "" {
				t.Errorf("the seed alert has no %s %s", loc, f.Key)
			}
		}
	}
}

const validCourse = `slug: demo
source_locale: en
topic: safety
categories: [Safety]
review_by: 2027-06-30
title:
  en: "Demo course"
  zh-Hans: "演示课程"
summary:
  en: "A small course for tests."
lessons:
  - slug: intro
    file: 01-intro
  - slug: next
    file: 02-next
quiz:
  pass_percent: 80
  max_attempts: 0
  draw: 0
  shuffle_choices: true
  questions:
    - id: pick-one
      type: single
      prompt:
        en: "Pick one"
        zh-Hans: "选一个"
      explanation:
        en: "Because."
      choices:
        - id: right
          correct: true
          text: {en: "Right"}
        - id: wrong
          text: {en: "Wrong"}
    - id: pick-many
      type: multiple
      prompt: {en: "Pick many"}
      choices:
        - id: m-a
          correct: true
          text: {en: "A"}
        - id: m-b
          correct: true
          text: {en: "B"}
        - id: m-c
          text: {en: "C"}
    - id: is-true
      type: true_false
      prompt: {en: "Is it true?"}
      choices:
        - id: "true"
          correct: true
          text: {en: "True"}
        - id: "false"
          text: {en: "False"}
`

const validCampaign = `slug: demo-day
starts: 2027-04-08T00:00:00+08:00
ends: 2027-04-22T23:59:59+08:00
goal_completions: 100
courses: [demo]
regions: []
title: {en: "Demo day", zh-Hans: "演示日"}
description: {en: "A campaign for tests."}
`

const validRegions = `regions:
  - code: north
    name: {en: "North", zh-Hans: "北区"}
    children:
      - code: north-hill
        name: {en: "Hill"}
`

const (
	courseYAML   = "courses/demo/course.yaml"
	campaignYAML = "campaigns/demo-day.yaml"
)

func lessonFile(title, body string) *fstest.MapFile {
	return &fstest.MapFile{Data: []byte("---\ntitle: " + title + "\n---\n" + body)}
}

// validPack is a small pack that parses without problems; each bad-pack row
// breaks one thing in a fresh copy.
func validPack() fstest.MapFS {
	return fstest.MapFS{
		courseYAML:                         {Data: []byte(validCourse)},
		"courses/demo/01-intro.en.md":      lessonFile("Intro", "Hello **world**.\n"),
		"courses/demo/01-intro.zh-Hans.md": lessonFile("简介", "你好。\n"),
		"courses/demo/02-next.en.md":       lessonFile("Next", "More text.\n"),
		"courses/demo/02-next.zh-Hans.md":  lessonFile("下一步", "更多内容。\n"),
		campaignYAML:                       {Data: []byte(validCampaign)},
		"regions.yaml":                     {Data: []byte(validRegions)},
	}
}

// edit replaces the first old in file with new, failing when old is absent
// so that a row cannot silently test the valid pack.
func edit(t *testing.T, fsys fstest.MapFS, file, old, new string) {
	t.Helper()
	s := string(fsys[file].Data)
	if !strings.Contains(s, old) {
		t.Fatalf("%s does not contain %q", file, old)
	}
	fsys[file] = &fstest.MapFile{Data: []byte(strings.Replace(s, old, new, 1))}
}

// lineOf is the 1-based line of the first occurrence of marker in file.
func lineOf(t *testing.T, fsys fstest.MapFS, file, marker string) int {
	t.Helper()
	s := string(fsys[file].Data)
	i := strings.Index(s, marker)
	if i < 0 {
		t.Fatalf("%s does not contain marker %q", file, marker)
	}
	return strings.Count(s[:i], "\n") + 1
}

// wantProblem is one expected problem: the file, the text on the line it
// must point at ("" when the problem concerns the whole file and has no
// line), and a substring of its message.
type wantProblem struct {
	file string
	at   string
	msg  string
}

// badPackCase is one row of the bad-pack table: how it breaks the valid
// pack, and the problems that must be found.
type badPackCase struct {
	name      string
	breakPack func(t *testing.T, fsys fstest.MapFS)
	opts      func(o *content.Options)
	want      []wantProblem
}

// badPackCases are the rows of TestParse_BadPack (TestProblems_HaveIDs runs
// them too).
func badPackCases() []badPackCase {
	return []badPackCase{
		{
			name: "bad course slug",
			breakPack: func(t *testing.T, fsys fstest.MapFS) {
				edit(t, fsys, courseYAML, "slug: demo\n", "slug: Demo_Course\n")
			},
			want: []wantProblem{{courseYAML, "slug: Demo_Course", `slug "Demo_Course" must match [a-z0-9-]+`}},
		},
		{
			name: "course slug differs from its folder",
			breakPack: func(t *testing.T, fsys fstest.MapFS) {
				edit(t, fsys, courseYAML, "slug: demo\n", "slug: other\n")
			},
			want: []wantProblem{{courseYAML, "slug: other", `must equal the folder name "demo"`}},
		},
		{
			name: "bad lesson slug",
			breakPack: func(t *testing.T, fsys fstest.MapFS) {
				edit(t, fsys, courseYAML, "- slug: intro", "- slug: Intro!")
				delete(fsys, "courses/demo/01-intro.en.md")
				delete(fsys, "courses/demo/01-intro.zh-Hans.md")
			},
			want: []wantProblem{{courseYAML, "- slug: Intro!", `lesson slug "Intro!" must match`}},
		},
		{
			name: "duplicate lesson slug",
			breakPack: func(t *testing.T, fsys fstest.MapFS) {
				edit(t, fsys, courseYAML, "- slug: next\n    file: 02-next", "- slug: intro # dup\n    file: 01-intro")
				delete(fsys, "courses/demo/02-next.en.md")
				delete(fsys, "courses/demo/02-next.zh-Hans.md")
			},
			want: []wantProblem{{courseYAML, "- slug: intro # dup", `lesson slug "intro" is used twice`}},
		},
		{
			name: "bad question id",
			breakPack: func(t *testing.T, fsys fstest.MapFS) {
				edit(t, fsys, courseYAML, "- id: pick-one", "- id: Pick One")
			},
			want: []wantProblem{{courseYAML, "- id: Pick One", `question id "Pick One" must match`}},
		},
		{
			name: "duplicate question id",
			breakPack: func(t *testing.T, fsys fstest.MapFS) {
				edit(t, fsys, courseYAML, "- id: pick-many", "- id: pick-one # dup")
			},
			want: []wantProblem{{courseYAML, "- id: pick-one # dup", `question id "pick-one" is used twice`}},
		},
		{
			name: "bad choice id",
			breakPack: func(t *testing.T, fsys fstest.MapFS) {
				edit(t, fsys, courseYAML, "- id: m-c", "- id: M_C")
			},
			want: []wantProblem{{courseYAML, "- id: M_C", `choice id "M_C" must match`}},
		},
		{
			name: "duplicate choice id",
			breakPack: func(t *testing.T, fsys fstest.MapFS) {
				edit(t, fsys, courseYAML, "- id: m-c", "- id: m-a # dup")
			},
			want: []wantProblem{{courseYAML, "- id: m-a # dup", `choice id "m-a" is used twice`}},
		},
		{
			name: "title without source-locale text",
			breakPack: func(t *testing.T, fsys fstest.MapFS) {
				edit(t, fsys, courseYAML, "  en: \"Demo course\"\n", "")
			},
			want: []wantProblem{{courseYAML, "title:", `title has no text in the source locale "en"`}},
		},
		{
			name: "choice text without source-locale text",
			breakPack: func(t *testing.T, fsys fstest.MapFS) {
				edit(t, fsys, courseYAML, `text: {en: "C"}`, `text: {zh-Hans: "C"}`)
			},
			want: []wantProblem{{courseYAML, `text: {zh-Hans: "C"}`, `quiz.questions[1].choices[2].text has no text in the source locale "en"`}},
		},
		{
			name: "campaign title without source-locale text",
			breakPack: func(t *testing.T, fsys fstest.MapFS) {
				edit(t, fsys, campaignYAML, `title: {en: "Demo day", `, `title: {`)
			},
			want: []wantProblem{{campaignYAML, "title:", `title has no text in the source locale "en"`}},
		},
		{
			name: "translated field names a locale not enabled",
			breakPack: func(t *testing.T, fsys fstest.MapFS) {
				edit(t, fsys, courseYAML, "  zh-Hans: \"演示课程\"\n", "  zh-Hans: \"演示课程\"\n  de: \"Kurs\"\n")
			},
			want: []wantProblem{{courseYAML, `de: "Kurs"`, `title names locale "de", which is not enabled`}},
		},
		{
			name: "lesson body file in a locale not enabled",
			breakPack: func(t *testing.T, fsys fstest.MapFS) {
				fsys["courses/demo/01-intro.de.md"] = lessonFile("Intro", "Hallo.\n")
			},
			want: []wantProblem{{"courses/demo/01-intro.de.md", "", `locale "de" is not enabled`}},
		},
		{
			name: "lesson without a source-locale body file",
			breakPack: func(t *testing.T, fsys fstest.MapFS) {
				delete(fsys, "courses/demo/02-next.en.md")
			},
			want: []wantProblem{{courseYAML, "- slug: next", `lesson "next" has no body file 02-next.en.md in the source locale`}},
		},
		{
			name: "orphaned body file",
			breakPack: func(t *testing.T, fsys fstest.MapFS) {
				fsys["courses/demo/99-extra.en.md"] = lessonFile("Extra", "Nobody lists me.\n")
			},
			want: []wantProblem{{"courses/demo/99-extra.en.md", "", `orphaned lesson file: no lesson in course.yaml uses "99-extra"`}},
		},
		{
			name: "lesson file without front matter",
			breakPack: func(t *testing.T, fsys fstest.MapFS) {
				fsys["courses/demo/02-next.en.md"] = &fstest.MapFile{Data: []byte("Just text.\n")}
			},
			want: []wantProblem{
				{"courses/demo/02-next.en.md", "Just text.", "starts with front matter"},
				{courseYAML, "- slug: next", `lesson "next" has no body file 02-next.en.md`},
			},
		},
		{
			name: "single question with two right choices",
			breakPack: func(t *testing.T, fsys fstest.MapFS) {
				edit(t, fsys, courseYAML, "- id: wrong\n", "- id: wrong\n          correct: true\n")
			},
			want: []wantProblem{{courseYAML, "- id: pick-one", `question "pick-one": a single question has exactly one right choice (has 2)`}},
		},
		{
			name: "single question with no right choice",
			breakPack: func(t *testing.T, fsys fstest.MapFS) {
				edit(t, fsys, courseYAML, "- id: right\n          correct: true\n", "- id: right\n")
			},
			want: []wantProblem{{courseYAML, "- id: pick-one", `a single question has exactly one right choice (has 0)`}},
		},
		{
			name: "multiple question with no right choice",
			breakPack: func(t *testing.T, fsys fstest.MapFS) {
				edit(t, fsys, courseYAML, "- id: m-a\n          correct: true\n", "- id: m-a\n")
				edit(t, fsys, courseYAML, "- id: m-b\n          correct: true\n", "- id: m-b\n")
			},
			want: []wantProblem{{courseYAML, "- id: pick-many", `question "pick-many": a multiple question has at least one right choice`}},
		},
		{
			name: "true_false question with other choice ids",
			breakPack: func(t *testing.T, fsys fstest.MapFS) {
				edit(t, fsys, courseYAML, `- id: "false"`, `- id: "no"`)
			},
			want: []wantProblem{{courseYAML, "- id: is-true", `question "is-true": a true_false question has exactly the choices "true" and "false"`}},
		},
		{
			name: "true_false question with two right choices",
			breakPack: func(t *testing.T, fsys fstest.MapFS) {
				edit(t, fsys, courseYAML, "- id: \"false\"\n", "- id: \"false\"\n          correct: true\n")
			},
			want: []wantProblem{{courseYAML, "- id: is-true", `a true_false question has exactly one right choice (has 2)`}},
		},
		{
			name: "unknown question type",
			breakPack: func(t *testing.T, fsys fstest.MapFS) {
				edit(t, fsys, courseYAML, "type: multiple", "type: essay")
			},
			want: []wantProblem{{courseYAML, "type: essay", `question "pick-many": type must be single, multiple or true_false`}},
		},
		{
			name: "question with one choice",
			breakPack: func(t *testing.T, fsys fstest.MapFS) {
				edit(t, fsys, courseYAML, "        - id: wrong\n          text: {en: \"Wrong\"}\n", "")
			},
			want: []wantProblem{{courseYAML, "- id: pick-one", `question "pick-one" needs 2 or more choices`}},
		},
		{
			name: "pass_percent 0",
			breakPack: func(t *testing.T, fsys fstest.MapFS) {
				edit(t, fsys, courseYAML, "pass_percent: 80", "pass_percent: 0")
			},
			want: []wantProblem{{courseYAML, "pass_percent: 0", "quiz.pass_percent must be 1–100"}},
		},
		{
			name: "pass_percent 101",
			breakPack: func(t *testing.T, fsys fstest.MapFS) {
				edit(t, fsys, courseYAML, "pass_percent: 80", "pass_percent: 101")
			},
			want: []wantProblem{{courseYAML, "pass_percent: 101", "quiz.pass_percent must be 1–100"}},
		},
		{
			name: "pass_percent missing",
			breakPack: func(t *testing.T, fsys fstest.MapFS) {
				edit(t, fsys, courseYAML, "  pass_percent: 80\n", "")
			},
			want: []wantProblem{{courseYAML, "quiz:", "quiz.pass_percent must be 1–100"}},
		},
		{
			name: "draw more than the questions",
			breakPack: func(t *testing.T, fsys fstest.MapFS) {
				edit(t, fsys, courseYAML, "draw: 0", "draw: 4")
			},
			want: []wantProblem{{courseYAML, "draw: 4", "quiz.draw must be 0 (all) or at most the 3 questions"}},
		},
		{
			name: "draw negative",
			breakPack: func(t *testing.T, fsys fstest.MapFS) {
				edit(t, fsys, courseYAML, "draw: 0", "draw: -1")
			},
			want: []wantProblem{{courseYAML, "draw: -1", "quiz.draw must be 0 (all)"}},
		},
		{
			name: "max_attempts -1",
			breakPack: func(t *testing.T, fsys fstest.MapFS) {
				edit(t, fsys, courseYAML, "max_attempts: 0", "max_attempts: -1")
			},
			want: []wantProblem{{courseYAML, "max_attempts: -1", "quiz.max_attempts must be 0 (unlimited) or more"}},
		},
		{
			name: "campaign starts after it ends",
			breakPack: func(t *testing.T, fsys fstest.MapFS) {
				edit(t, fsys, campaignYAML, "starts: 2027-04-08T00:00:00+08:00", "starts: 2027-04-23T00:00:00+08:00")
			},
			want: []wantProblem{{campaignYAML, "ends:", "starts must come before ends"}},
		},
		{
			name: "campaign starts when it ends",
			breakPack: func(t *testing.T, fsys fstest.MapFS) {
				edit(t, fsys, campaignYAML, "starts: 2027-04-08T00:00:00+08:00", "starts: 2027-04-22T23:59:59+08:00")
			},
			want: []wantProblem{{campaignYAML, "ends:", "starts must come before ends"}},
		},
		{
			name: "campaign start without zone offset",
			breakPack: func(t *testing.T, fsys fstest.MapFS) {
				edit(t, fsys, campaignYAML, "starts: 2027-04-08T00:00:00+08:00", "starts: 2027-04-08T00:00:00")
			},
			want: []wantProblem{{campaignYAML, "starts:", "must be a date-time with a zone offset"}},
		},
		{
			name: "campaign end as a bare date",
			breakPack: func(t *testing.T, fsys fstest.MapFS) {
				edit(t, fsys, campaignYAML, "ends: 2027-04-22T23:59:59+08:00", "ends: 2027-04-22")
			},
			want: []wantProblem{{campaignYAML, "ends:", "must be a date-time with a zone offset"}},
		},
		{
			name: "campaign names an unknown course",
			breakPack: func(t *testing.T, fsys fstest.MapFS) {
				edit(t, fsys, campaignYAML, "courses: [demo]", "courses: [demo, ghost]")
			},
			want: []wantProblem{{campaignYAML, "courses:", `course "ghost" does not exist in the pack or the site`}},
		},
		{
			name: "campaign names a course the site knows",
			breakPack: func(t *testing.T, fsys fstest.MapFS) {
				edit(t, fsys, campaignYAML, "courses: [demo]", "courses: [demo, ghost]")
			},
			opts: func(o *content.Options) {
				o.KnownCourses = func(slug string) bool { return slug == "ghost" }
			},
			want: nil,
		},
		{
			name: "campaign names a course the site does not know",
			breakPack: func(t *testing.T, fsys fstest.MapFS) {
				edit(t, fsys, campaignYAML, "courses: [demo]", "courses: [demo, ghost]")
			},
			opts: func(o *content.Options) {
				o.KnownCourses = func(slug string) bool { return slug == "other" }
			},
			want: []wantProblem{{campaignYAML, "courses:", `course "ghost" does not exist`}},
		},
		{
			name: "campaign with a bad slug",
			breakPack: func(t *testing.T, fsys fstest.MapFS) {
				edit(t, fsys, campaignYAML, "slug: demo-day", "slug: Demo Day")
			},
			want: []wantProblem{{campaignYAML, "slug:", `slug "Demo Day" must match`}},
		},
		{
			name: "unknown CAP category",
			breakPack: func(t *testing.T, fsys fstest.MapFS) {
				edit(t, fsys, courseYAML, "categories: [Safety]", "categories: [Safety, Weather]")
			},
			want: []wantProblem{{courseYAML, "categories:", `category "Weather" is not a CAP category`}},
		},
		{
			name: "invalid YAML",
			breakPack: func(t *testing.T, fsys fstest.MapFS) {
				edit(t, fsys, courseYAML, "topic: safety\n", "topic: safety: first\n")
			},
			want: []wantProblem{{courseYAML, "topic: safety: first", "not valid YAML: line 3: mapping values are not allowed"}},
		},
		{
			name: "unknown field",
			breakPack: func(t *testing.T, fsys fstest.MapFS) {
				edit(t, fsys, courseYAML, "topic: safety\n", "topic: safety\ncolour: blue\n")
			},
			want: []wantProblem{{courseYAML, "colour: blue", "field colour not found"}},
		},
		{
			name: "unknown field in a campaign",
			breakPack: func(t *testing.T, fsys fstest.MapFS) {
				edit(t, fsys, campaignYAML, "regions: []\n", "regions: []\nbudget: 10\n")
			},
			want: []wantProblem{{campaignYAML, "budget: 10", "field budget not found"}},
		},
		{
			name: "two independent errors are both listed",
			breakPack: func(t *testing.T, fsys fstest.MapFS) {
				edit(t, fsys, courseYAML, "pass_percent: 80", "pass_percent: 0")
				edit(t, fsys, campaignYAML, "starts: 2027-04-08T00:00:00+08:00", "starts: 2027-04-08")
			},
			want: []wantProblem{
				{campaignYAML, "starts:", "zone offset"},
				{courseYAML, "pass_percent: 0", "pass_percent must be 1–100"},
			},
		},
		{
			name: "two errors in one file are both listed",
			breakPack: func(t *testing.T, fsys fstest.MapFS) {
				edit(t, fsys, courseYAML, "max_attempts: 0", "max_attempts: -1")
				edit(t, fsys, courseYAML, "categories: [Safety]", "categories: [Weather]")
			},
			want: []wantProblem{
				{courseYAML, "categories:", `category "Weather"`},
				{courseYAML, "max_attempts: -1", "max_attempts must be 0"},
			},
		},
	}
}

func TestParse_BadPack(t *testing.T) {
	for _, tt := range badPackCases() {
		t.Run(tt.name, func(t *testing.T) {
			fsys := validPack()
			tt.breakPack(t, fsys)
			opts := content.Options{Locales: locales}
			if tt.opts != nil {
				tt.opts(&opts)
			}
			pack, err := content.Parse(fsys, opts)
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				if pack == nil {
					t.Fatal("Parse returned no pack and no error")
				}
				return
			}
			if pack != nil {
				t.Error("Parse returned a pack along with problems; a bad pack is refused whole")
			}
			var problems content.Problems
			if !errors.As(err, &problems) {
				t.Fatalf("Parse error = %v (%T), want content.Problems", err, err)
			}
			if len(problems) != len(tt.want) {
				t.Errorf("got %d problems, want %d:\n%v", len(problems), len(tt.want), err)
			}
			for _, w := range tt.want {
				wantLine := 0
				if w.at != "" {
					wantLine = lineOf(t, fsys, w.file, w.at)
				}
				var match bool
				for _, p := range problems {
					if p.File == w.file && p.Line == wantLine && strings.Contains(p.Message, w.msg) {
						match = true
						break
					}
				}
				if !match {
					t.Errorf("no problem %s:%d containing %q; got:\n%v", w.file, wantLine, w.msg, err)
				}
			}
			if msg := err.Error(); !strings.Contains(msg, tt.want[0].file) {
				t.Errorf("Error() = %q, does not name the file %s", msg, tt.want[0].file)
			}
		})
	}
}

func TestParse_ValidPack(t *testing.T) {
	pack, err := content.Parse(validPack(), content.Options{Locales: locales})
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if len(pack.Courses) != 1 || len(pack.Campaigns) != 1 || len(pack.Regions) != 2 {
		t.Fatalf("pack = %d courses, %d campaigns, %d regions; want 1, 1, 2", len(pack.Courses), len(pack.Campaigns), len(pack.Regions))
	}
	c := pack.Courses[0]
	if c.Slug != "demo" || c.SourceLocale != "en" || c.Title["zh-Hans"] != "演示课程" {
		t.Errorf("course = %s/%s/%v", c.Slug, c.SourceLocale, c.Title)
	}
	if len(c.Lessons) != 2 || c.Lessons[0].Slug != "intro" || c.Lessons[1].Slug != "next" {
		t.Fatalf("lessons = %+v, want intro then next", c.Lessons)
	}
	if got := c.Lessons[0].Title["zh-Hans"]; got != "简介" {
		t.Errorf("lesson title zh-Hans = %q, want 简介 (from the front matter)", got)
	}
	if c.Quiz == nil || c.Quiz.PassPercent != 80 || len(c.Quiz.Questions) != 3 {
		t.Fatalf("quiz = %+v", c.Quiz)
	}
	if q := c.Quiz.Questions[2]; q.Choices[0].ID != "true" || !q.Choices[0].Correct || q.Choices[1].Correct {
		t.Errorf("true_false question = %+v", q)
	}
	camp := pack.Campaigns[0]
	if _, off := camp.Starts.Zone(); off != 8*3600 {
		t.Errorf("campaign starts zone offset = %d, want +08:00 kept", off)
	}
	if pack.Regions[1].ParentCode != "north" {
		t.Errorf("region %s parent = %q, want north", pack.Regions[1].Code, pack.Regions[1].ParentCode)
	}
}

func TestParse_MarkdownStoredAsWritten(t *testing.T) {
	fsys := validPack()
	body := "Before.\n\n<script>alert(1)</script>\n\n[link](javascript:alert(2))\n"
	fsys["courses/demo/01-intro.en.md"] = lessonFile("Intro", body)
	pack, err := content.Parse(fsys, content.Options{Locales: locales})
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if got := pack.Courses[0].Lessons[0].Body["en"]; got != body {
		t.Errorf("body = %q, want it verbatim %q", got, body)
	}
}
