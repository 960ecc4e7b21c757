package store_test

import (
	"context"
	"testing"

	"beacon/app"
	"beacon/app/store"
)

func TestStore_RegionAndLessonExist(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		seed(t, st)
		educator := newUser(t, st, "edu@example.org", "")
		admin := userWithRoles(t, st, "root@example.org", "Root", app.RoleAdministrator)

		// A lesson only in the draft of a published course is not there yet.
		if err := st.EditDraft(ctx, educator, "emergency-preparedness", "lesson:create", func(c *app.Course) error {
			c.Lessons = append(c.Lessons, app.Lesson{Slug: "draft-only", File: "04-draft-only", Title: app.Text{"en": "Draft"}, Body: app.Text{"en": "Draft."}})
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		// A course that was never published has no lessons to point at.
		never := &app.Course{Slug: "never-published", SourceLocale: "en", Title: app.Text{"en": "Never"}, Summary: app.Text{"en": "Never."},
			Lessons: []app.Lesson{{Slug: "intro", File: "01-intro", Title: app.Text{"en": "Intro"}, Body: app.Text{"en": "Hi."}}}}
		if err := st.CreateCourse(ctx, educator, never); err != nil {
			t.Fatal(err)
		}
		// Nor has an archived course: it left the catalog.
		if err := st.SetArchived(ctx, admin, "cyber-hygiene", true); err != nil {
			t.Fatal(err)
		}

		regions := []struct {
			code string
			want bool
		}{
			{"north", true},
			{"north-riverside", true},
			{"atlantis", false},
			{"", false},
			{"North", false},
		}
		for _, tt := range regions {
			got, err := st.RegionExists(ctx, tt.code)
			if err != nil {
				t.Fatalf("RegionExists(%q): %v", tt.code, err)
			}
			if got != tt.want {
				t.Errorf("RegionExists(%q) = %v, want %v", tt.code, got, tt.want)
			}
		}

		lessons := []struct {
			name           string
			course, lesson string
			want           bool
		}{
			{"published lesson", "emergency-preparedness", "warnings", true},
			{"last lesson", "emergency-preparedness", "evacuation-and-shelter", true},
			{"unknown lesson", "emergency-preparedness", "ghost", false},
			{"lesson only in the draft", "emergency-preparedness", "draft-only", false},
			{"lesson of another course", "emergency-preparedness", "passwords", false},
			{"unknown course", "ghost", "warnings", false},
			{"course never published", "never-published", "intro", false},
			{"archived course", "cyber-hygiene", "passwords", false},
			{"empty names", "", "", false},
		}
		for _, tt := range lessons {
			t.Run(tt.name, func(t *testing.T) {
				got, err := st.LessonExists(ctx, tt.course, tt.lesson)
				if err != nil {
					t.Fatalf("LessonExists(%q, %q): %v", tt.course, tt.lesson, err)
				}
				if got != tt.want {
					t.Errorf("LessonExists(%q, %q) = %v, want %v", tt.course, tt.lesson, got, tt.want)
				}
			})
		}
	})
}
