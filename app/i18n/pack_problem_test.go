package i18n_test

import (
	"strings"
	"testing"

	"beacon/app/content"
)

// TestCatalogs_PackProblemIDs checks that every kind of content pack
// problem (content.ProblemIDs) has its message, pack.problem.<id>, in every
// catalog, and that no catalog keeps a pack.problem key no problem uses.
func TestCatalogs_PackProblemIDs(t *testing.T) {
	b := mustLoad(t)
	ids := map[string]string{}
	for _, id := range content.ProblemIDs() {
		ids[content.ProblemKeyPrefix+id] = "content.ProblemIDs"
	}
	if len(ids) < 50 {
		t.Fatalf("content.ProblemIDs has only %d IDs; is it still the full list?", len(ids))
	}
	requireInEveryCatalog(t, b, ids)
	for _, loc := range b.Locales() {
		for id := range b.MessageIDs(loc) {
			if strings.HasPrefix(id, content.ProblemKeyPrefix) && ids[id] == "" {
				t.Errorf("%s.toml has %q, which no content pack problem uses", loc, id)
			}
		}
	}
}
