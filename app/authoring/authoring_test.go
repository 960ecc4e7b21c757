package authoring_test

import (
	"strings"
	"testing"

	"beacon/app"
	"beacon/app/authoring"
)

func fields(errs app.FieldErrors) string {
	var out []string
	for _, e := range errs {
		out = append(out, e.Field+"="+e.MessageID)
	}
	return strings.Join(out, " ")
}

func TestCheckQuestion(t *testing.T) {
	choice := func(id, text string, right bool) app.Choice {
		return app.Choice{ID: id, Correct: right, Text: app.Text{"en": text}}
	}
	tests := []struct {
		name string
		q    app.Question
		want string // "" = valid
	}{
		{name: "SingleValid", q: app.Question{ID: "q1", Type: "single", Prompt: app.Text{"en": "P"}, Choices: []app.Choice{choice("a", "A", true), choice("b", "B", false)}}},
		{name: "SingleTwoRight", q: app.Question{ID: "q1", Type: "single", Prompt: app.Text{"en": "P"}, Choices: []app.Choice{choice("a", "A", true), choice("b", "B", true)}}, want: "choices=admin.error.exactly_one_right"},
		{name: "MultipleNoneRight", q: app.Question{ID: "q1", Type: "multiple", Prompt: app.Text{"en": "P"}, Choices: []app.Choice{choice("a", "A", false), choice("b", "B", false)}}, want: "choices=admin.error.one_right_or_more"},
		{name: "MultipleAllRight", q: app.Question{ID: "q1", Type: "multiple", Prompt: app.Text{"en": "P"}, Choices: []app.Choice{choice("a", "A", true), choice("b", "B", true)}}},
		{name: "OneChoice", q: app.Question{ID: "q1", Type: "single", Prompt: app.Text{"en": "P"}, Choices: []app.Choice{choice("a", "A", true)}}, want: "choices=admin.error.two_choices"},
		{name: "TrueFalseValid", q: app.Question{ID: "q1", Type: "true_false", Prompt: app.Text{"en": "P"}, Choices: []app.Choice{choice("true", "", true), choice("false", "", false)}}},
		{name: "TrueFalseWrongIDs", q: app.Question{ID: "q1", Type: "true_false", Prompt: app.Text{"en": "P"}, Choices: []app.Choice{choice("yes", "Y", true), choice("no", "N", false)}}, want: "choices=admin.error.true_false"},
		{name: "NoPrompt", q: app.Question{ID: "q1", Type: "single", Prompt: app.Text{}, Choices: []app.Choice{choice("a", "A", true), choice("b", "B", false)}}, want: "prompt=admin.error.required"},
		{name: "BadType", q: app.Question{ID: "q1", Type: "essay", Prompt: app.Text{"en": "P"}, Choices: []app.Choice{choice("a", "A", true), choice("b", "B", false)}}, want: "type=admin.error.question_type"},
		{name: "BadID", q: app.Question{ID: "Q 1", Type: "single", Prompt: app.Text{"en": "P"}, Choices: []app.Choice{choice("a", "A", true), choice("b", "B", false)}}, want: "id=admin.error.slug"},
		{name: "DuplicateChoice", q: app.Question{ID: "q1", Type: "single", Prompt: app.Text{"en": "P"}, Choices: []app.Choice{choice("a", "A", true), choice("a", "B", false)}}, want: "choice_1=admin.error.choice_id"},
		{name: "MultiLinePrompt", q: app.Question{ID: "q1", Type: "single", Prompt: app.Text{"en": "P\nQ"}, Choices: []app.Choice{choice("a", "A", true), choice("b", "B", false)}}, want: "prompt=admin.error.one_line"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := fields(authoring.CheckQuestion(&tt.q, "en", nil))
			if got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
	t.Run("TakenID", func(t *testing.T) {
		q := app.Question{ID: "q1", Type: "single", Prompt: app.Text{"en": "P"}, Choices: []app.Choice{choice("a", "A", true), choice("b", "B", false)}}
		if got := fields(authoring.CheckQuestion(&q, "en", []string{"q1"})); got != "id=admin.error.slug_taken" {
			t.Fatalf("got %q", got)
		}
	})
}

func TestCheckMetaAndReview(t *testing.T) {
	c := &app.Course{Slug: "c", SourceLocale: "en", Topic: "Bad Topic", Categories: []string{"Weather"}, ReviewBy: "2027-13-01",
		Title: app.Text{"en": ""}, Summary: app.Text{"en": "S"}}
	got := fields(authoring.CheckMeta(c, []string{"en", "zh-Hans"}))
	for _, want := range []string{"title=admin.error.required", "topic=admin.error.slug", "categories=admin.error.category", "review_by=admin.error.date"} {
		if !strings.Contains(got, want) {
			t.Errorf("CheckMeta lacks %s: %s", want, got)
		}
	}
	c = &app.Course{Slug: "c", SourceLocale: "en", Title: app.Text{"en": "T"}, Summary: app.Text{"en": "S"},
		Quiz: &app.Quiz{PassPercent: 0, Draw: 3}}
	got = fields(authoring.CheckForReview(c, []string{"en"}))
	for _, want := range []string{"lessons=admin.error.no_lessons", "pass_percent=admin.error.pass_percent", "draw=admin.error.draw", "quiz=admin.error.no_questions"} {
		if !strings.Contains(got, want) {
			t.Errorf("CheckForReview lacks %s: %s", want, got)
		}
	}
}

// testWords echoes message ids, for tests of the diff's structure.
var testWords = authoring.Words{T: func(id string, _ map[string]any) string { return id },
	Language: func(code string) string { return code }, Lang: "en"}

func TestDiff(t *testing.T) {
	before := &app.Course{SourceLocale: "en", Title: app.Text{"en": "Old"}, Summary: app.Text{"en": "S"},
		Lessons: []app.Lesson{{Slug: "a", Title: app.Text{"en": "A"}, Body: app.Text{"en": "one\ntwo\nthree"}}}}
	after := &app.Course{SourceLocale: "en", Title: app.Text{"en": "New", "zh-Hans": "新"}, Summary: app.Text{"en": "S"},
		Lessons: []app.Lesson{{Slug: "a", Title: app.Text{"en": "A"}, Body: app.Text{"en": "one\n2\nthree"}}}}
	changes := authoring.Diff(before, after, testWords)
	byKey := map[string]authoring.Change{}
	for _, c := range changes {
		byKey[c.Key] = c
	}
	if c := byKey["title [en]"]; c.Op != authoring.Changed || c.Before != "Old" || c.After != "New" {
		t.Fatalf("title change: %+v", c)
	}
	if c := byKey["title [zh-Hans]"]; c.Op != authoring.Added {
		t.Fatalf("translation added: %+v", c)
	}
	if _, ok := byKey["summary [en]"]; ok {
		t.Fatal("an unchanged field is listed")
	}
	body := byKey["lesson/a/body [en]"]
	var ops []string
	for _, l := range body.Lines {
		ops = append(ops, l.Op+l.Text)
	}
	if strings.Join(ops, "|") != "=one|-two|+2|=three" {
		t.Fatalf("line diff %v", ops)
	}
	if first := authoring.Diff(nil, after, testWords); len(first) == 0 || first[0].Op != authoring.Added {
		t.Fatal("a first publication lists everything as added")
	}
	removed := authoring.Diff(after, before, testWords)
	found := false
	for _, c := range removed {
		if c.Key == "title [zh-Hans]" && c.Op == authoring.Removed {
			found = true
		}
	}
	if !found {
		t.Fatal("a removed translation is not listed")
	}
}

func TestMayPublish(t *testing.T) {
	writers := []int64{3, 7}
	if err := authoring.MayPublish(7, writers, true); app.ErrorCode(err) != app.EFORBIDDEN {
		t.Errorf("a writer may publish: %v", err)
	}
	if err := authoring.MayPublish(9, writers, true); err != nil {
		t.Errorf("another reviewer may not publish: %v", err)
	}
	if err := authoring.MayPublish(7, writers, false); err != nil {
		t.Errorf("four-eyes off: %v", err)
	}
}
