package web_test

import (
	"context"
	"strings"
	"testing"

	"beacon/app"
)

// TestReviewDiffInWords puts a draft in review that moves a question's
// right answer, adds an alert category and changes the French title, and
// checks that the reviewer's diff and the translation screens say so in
// words, in English and in French, with no internal key on the page.
func TestReviewDiffInWords(t *testing.T) {
	srv := MustOpenServer(t)
	ctx := context.Background()
	const slug = "cyber-hygiene"
	author := srv.signedInUser(t, "author@example.org", app.RoleEducator)
	err := srv.Store.EditDraft(ctx, author, slug, "course:edit", func(c *app.Course) error {
		c.Categories = append(c.Categories, "Met")
		c.Title["fr"] = "Hygiène numérique, nouvelle édition"
		q := &c.Quiz.Questions[0]
		for i := range q.Choices {
			q.Choices[i].Correct = q.Choices[i].ID == "name-birthday"
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Store.SubmitForReview(ctx, author, slug); err != nil {
		t.Fatal(err)
	}
	reviewer := srv.signedIn(t, "reviewer@example.org", app.RoleReviewer, app.RoleEducator)
	leaks := []string{"question/", "lesson/", "categories:", "[fr]", "[en]", "strongest-password", "name-birthday", "quiz/settings", "admin.words."}
	for _, tc := range []struct {
		lang string
		want []string
	}{
		{"en", []string{"Question 1: right answer", "Right answer: copper-lantern-ocean-tulip", "Right answer: Your first name followed by your year of birth",
			"Alert categories", "Security (crime, terrorism); Weather (storm, flood)", "Title (Français)", "Hygiène numérique, nouvelle édition"}},
		{"fr", []string{"Question 1 : bonne réponse", "Bonne réponse : Votre prénom suivi de votre année de naissance",
			"Catégories d’alerte", "Météo (tempête, inondation)", "Titre (Français)"}},
	} {
		page := reviewer.get("/" + tc.lang + "/admin/courses/" + slug + "/review")
		reviewer.mustStatus(page, 200)
		diff := text(page, ".diff-list")
		for _, w := range tc.want {
			if !strings.Contains(diff, w) {
				t.Errorf("%s review lacks %q:\n%s", tc.lang, w, diff)
			}
		}
		for _, k := range leaks {
			if strings.Contains(text(page, "main"), k) {
				t.Errorf("%s review shows the internal key %q", tc.lang, k)
			}
		}
		if page.Doc.Find(".diff-list code").Length() > 0 {
			t.Errorf("%s review still shows keys as code", tc.lang)
		}

		tr := reviewer.get("/" + tc.lang + "/admin/courses/" + slug + "/translations/fr")
		reviewer.mustStatus(tr, 200)
		for _, k := range leaks {
			if strings.Contains(text(tr, ".translate-key"), k) || strings.Contains(text(tr, "main label"), k) {
				t.Errorf("%s translation screen shows the internal key %q", tc.lang, k)
			}
		}
		wantQ := map[string]string{"en": "Question 1: answer B", "fr": "Question 1 : réponse B"}[tc.lang]
		if !strings.Contains(text(tr, "main"), wantQ) {
			t.Errorf("%s translation screen lacks %q", tc.lang, wantQ)
		}

		cov := reviewer.get("/" + tc.lang + "/admin/translations?locale=ar")
		reviewer.mustStatus(cov, 200)
		for _, k := range leaks {
			if strings.Contains(text(cov, ".translation-fields"), k) {
				t.Errorf("%s translations overview shows the internal key %q", tc.lang, k)
			}
		}
	}
}
