package cli_test

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"beacon/app"
	"beacon/app/content"
	"beacon/app/testenv"
)

var packLocales = []string{"ar", "en", "es", "fr", "ru", "zh-Hans"}

// byCode sorts regions, which the database returns in code order rather
// than pack order.
func byCode(regions []app.Region) []app.Region {
	out := append([]app.Region(nil), regions...)
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

func TestCLI_Export(t *testing.T) {
	ctx := context.Background()
	env := newEnv(t)
	seedDir := filepath.Join(testenv.Root(t), "content")
	if code, out, errOut := run(t, ctx, env, "", "import", seedDir); code != 0 {
		t.Fatalf("import seed: %d %q %q", code, out, errOut)
	}
	dir := filepath.Join(t.TempDir(), "export")
	code, out, errOut := run(t, ctx, env, "", "export", dir)
	if code != 0 {
		t.Fatalf("export: %d %q %q", code, out, errOut)
	}
	if want := "exported " + dir + ": 4 courses, 1 campaigns, 1 alerts, 12 regions\n"; out != want {
		t.Errorf("stdout = %q, want %q", out, want)
	}
	if errOut != "" {
		t.Errorf("stderr = %q, want nothing (no progress bar off a terminal)", errOut)
	}

	seed, err := content.Parse(testenv.Sub(t, "content"), content.Options{Locales: packLocales})
	if err != nil {
		t.Fatalf("Parse seed: %v", err)
	}
	got, err := content.Parse(os.DirFS(dir), content.Options{Locales: packLocales})
	if err != nil {
		t.Fatalf("Parse export:\n%v", err)
	}
	if !reflect.DeepEqual(seed.Courses, got.Courses) {
		t.Error("exported courses differ from the seed's")
	}
	if !reflect.DeepEqual(seed.Campaigns, got.Campaigns) {
		t.Errorf("exported campaigns differ from the seed's:\nseed %+v\ngot  %+v", seed.Campaigns, got.Campaigns)
	}
	// The export adds each alert's sent time (docs/PACK-EXTENSIONS.md): here
	// the import's, which the seed file does not hold.
	for i := range got.Alerts {
		if got.Alerts[i].Sent.IsZero() {
			t.Errorf("exported alert %s has no sent time", got.Alerts[i].Identifier)
		}
		got.Alerts[i].Sent = seed.Alerts[i].Sent
	}
	if !reflect.DeepEqual(seed.Alerts, got.Alerts) {
		t.Errorf("exported alerts differ from the seed's:\nseed %+v\ngot  %+v", seed.Alerts, got.Alerts)
	}
	if !reflect.DeepEqual(byCode(seed.Regions), byCode(got.Regions)) {
		t.Errorf("exported regions differ from the seed's:\nseed %+v\ngot  %+v", seed.Regions, got.Regions)
	}

	t.Run("ImportOfTheExportChangesNothing", func(t *testing.T) {
		code, out, errOut := run(t, ctx, env, "", "import", dir)
		if code != 0 || !strings.Contains(out, "courses 0 new, 0 updated, 4 unchanged; campaigns 0 new, 0 updated, 1 unchanged; alerts 0 new, 0 updated, 1 unchanged") {
			t.Fatalf("import of the export: %d %q %q", code, out, errOut)
		}
		if errOut != "" {
			t.Errorf("stderr = %q, want nothing", errOut)
		}
	})

	t.Run("ExportIsStable", func(t *testing.T) {
		again := filepath.Join(t.TempDir(), "again")
		if code, out, errOut := run(t, ctx, env, "", "export", again); code != 0 {
			t.Fatalf("second export: %d %q %q", code, out, errOut)
		}
		first, second := os.DirFS(dir), os.DirFS(again)
		var names []string
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				rel, _ := filepath.Rel(dir, p)
				names = append(names, filepath.ToSlash(rel))
			}
			return err
		})
		if err != nil || len(names) == 0 {
			t.Fatalf("walk the export: %d files, %v", len(names), err)
		}
		for _, name := range names {
			a, _ := fs.ReadFile(first, name)
			b, err := fs.ReadFile(second, name)
			if err != nil || !bytes.Equal(a, b) {
				t.Errorf("%s differs between two exports (%v)", name, err)
			}
		}
	})

	t.Run("ErrNotEmpty", func(t *testing.T) {
		code, out, errOut := run(t, ctx, env, "", "export", dir)
		if code != 1 || !strings.Contains(errOut, "export "+dir+": the folder is not empty") {
			t.Fatalf("export into a non-empty folder: %d %q %q", code, out, errOut)
		}
	})

	t.Run("ErrNotAFolder", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "file")
		os.WriteFile(file, []byte("x"), 0o644)
		code, _, errOut := run(t, ctx, env, "", "export", file)
		if code != 1 || !strings.Contains(errOut, "exists and is not a folder") {
			t.Fatalf("export onto a file: %d %q", code, errOut)
		}
	})

	t.Run("EmptyFolderAccepted", func(t *testing.T) {
		empty := t.TempDir()
		if code, out, errOut := run(t, ctx, env, "", "export", empty); code != 0 || !strings.Contains(out, "4 courses") {
			t.Fatalf("export into an empty folder: %d %q %q", code, out, errOut)
		}
	})

	t.Run("ErrNoDir", func(t *testing.T) {
		if code, _, errOut := run(t, ctx, env, "", "export"); code != 1 || !strings.Contains(errOut, "usage: beacon export DIR") {
			t.Fatalf("export without DIR: %d %q", code, errOut)
		}
	})
}
