package app_test

import (
	"testing"

	"beacon/app"
)

func TestText_Get(t *testing.T) {
	tx := app.Text{"en": "Hello", "zh-Hans": "你好", "fr": ""}
	tests := []struct {
		name, locale, want string
		fellBack           bool
	}{
		{"Present", "zh-Hans", "你好", false},
		{"Source", "en", "Hello", false},
		{"Missing", "ar", "Hello", true},
		{"Empty", "fr", "Hello", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, fb := tx.Get(tt.locale, "en")
			if got != tt.want || fb != tt.fellBack {
				t.Fatalf("got %q %v, want %q %v", got, fb, tt.want, tt.fellBack)
			}
		})
	}
}

func TestCourse_Completed(t *testing.T) {
	c := &app.Course{Lessons: []app.Lesson{{Slug: "a"}, {Slug: "b"}}, Quiz: &app.Quiz{Questions: []app.Question{{ID: "q"}}}}
	tests := []struct {
		name   string
		done   map[string]bool
		passed bool
		want   bool
	}{
		{"Nothing", nil, false, false},
		{"LessonsOnly", map[string]bool{"a": true, "b": true}, false, false},
		{"QuizOnly", nil, true, false},
		{"All", map[string]bool{"a": true, "b": true}, true, true},
		{"RemovedLessonIgnored", map[string]bool{"a": true, "b": true, "gone": true}, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.Completed(tt.done, tt.passed); got != tt.want {
				t.Fatalf("got %v", got)
			}
		})
	}
	noQuiz := &app.Course{Lessons: []app.Lesson{{Slug: "a"}}}
	if !noQuiz.Completed(map[string]bool{"a": true}, false) {
		t.Fatal("a course without a quiz completes with its lessons")
	}
}

func TestCourse_TranslationState(t *testing.T) {
	c := &app.Course{SourceLocale: "en", Title: app.Text{"en": "Floods", "zh-Hans": "洪水"}, Summary: app.Text{"en": "Stay safe."}}
	c.StampAll()
	title := c.Fields()[0]
	if got := c.TranslationState("zh-Hans", title); got != app.TranslationUpToDate {
		t.Fatalf("stamped translation is %s", got)
	}
	if got := c.TranslationState("zh-Hans", c.Fields()[1]); got != app.TranslationMissing {
		t.Fatalf("missing translation is %s", got)
	}
	c.Title["en"] = "Floods and you"
	if got := c.TranslationState("zh-Hans", c.Fields()[0]); got != app.TranslationOutdated {
		t.Fatalf("translation of a changed source is %s", got)
	}
	c.StampTranslation("zh-Hans", "title", c.Title["en"])
	if got := c.TranslationState("zh-Hans", c.Fields()[0]); got != app.TranslationUpToDate {
		t.Fatalf("re-stamped translation is %s", got)
	}
	n := c.TranslationCounts("zh-Hans")
	if n[app.TranslationUpToDate] != 1 || n[app.TranslationMissing] != 1 {
		t.Fatalf("counts %v", n)
	}
}

func TestUser_HasRole(t *testing.T) {
	admin := &app.User{Roles: []string{app.RoleAdministrator}}
	edu := &app.User{Roles: []string{app.RoleEducator}}
	if !admin.HasRole(app.RoleReviewer) || !edu.HasRole(app.RoleEducator) || edu.HasRole(app.RoleReviewer) {
		t.Fatal("role rules")
	}
}

func TestNormalizeCode(t *testing.T) {
	for typed, want := range map[string]string{
		"ABCDEFGHJKMN": "ABCDEFGHJKMN", " abcd-efgh-jkmn ": "ABCDEFGHJKMN", "abcd efgh jkmn": "ABCDEFGHJKMN",
		"ABCD–EFGH—JKMN": "ABCDEFGHJKMN", "": "", "ABC": "", "ABCDEFGHJKM0": "", "ABCDEFGHJKMNP": "",
	} {
		got, ok := app.NormalizeCode(typed)
		if got != want || ok != (want != "") {
			t.Errorf("%q: %q, %v", typed, got, ok)
		}
	}
	if got, ok := app.NormalizeCode(app.NewCode()); !ok || len(got) != app.CodeLength {
		t.Error("a new code is not well formed")
	}
}
