package store

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"gorm.io/gorm/schema"
)

// TestSchema_EveryModelFieldHasItsColumn migrates a fresh database and
// checks that every field GORM maps has a column in the migrated schema.
func TestSchema_EveryModelFieldHasItsColumn(t *testing.T) {
	ctx := context.Background()
	st, err := Open(ctx, filepath.Join(t.TempDir(), "schema.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Migrate(ctx, os.DirFS("../../migrations")); err != nil {
		t.Fatal(err)
	}
	models := []any{&userRow{}, &sessionRow{}, &courseRow{}, &revisionRow{}, &progressRow{}, &completionRow{},
		&attemptRow{}, &certificateRow{}, &campaignRow{}, &regionRow{}, &auditRow{}, &mediaRow{}, &mediaCopyRow{},
		&statFirstRow{}, &statAttemptRow{}, &statChannelRow{}, &statRollupRow{}, &alertRow{},
		&passwordResetRow{}, &signupRow{}, &apiTokenRow{}, &feedbackRow{}, &feedbackCountRow{}}
	for _, m := range models {
		sch, err := schema.Parse(m, &sync.Map{}, st.db.NamingStrategy)
		if err != nil {
			t.Fatal(err)
		}
		cols, err := st.Columns(ctx, sch.Table)
		if err != nil {
			t.Fatal(err)
		}
		have := map[string]bool{}
		for _, c := range cols {
			have[c] = true
		}
		for _, f := range sch.Fields {
			if f.DBName != "" && !have[f.DBName] {
				t.Errorf("table %s has no column %s for field %s", sch.Table, f.DBName, f.Name)
			}
		}
	}
	// A second run applies nothing.
	n, err := st.Migrate(ctx, os.DirFS("../../migrations"))
	if err != nil || n != 0 {
		t.Fatalf("second migrate ran %d migrations, err %v", n, err)
	}
}
