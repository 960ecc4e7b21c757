package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"beacon/app/content"
	"beacon/app/store"
)

func importPack(ctx context.Context, env Env, args []string) error {
	var dir string
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		dir, args = args[0], args[1:]
	}
	cfg, rest, err := loadConfig(env, "import", args)
	if err != nil {
		return err
	}
	if dir == "" && len(rest) > 0 {
		dir = rest[0]
	}
	if dir == "" {
		return errors.New("usage: beacon import DIR")
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return fmt.Errorf("import %s: not a folder", dir)
	}
	bundle, err := loadBundle(env, cfg)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, env, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	bar := newProgress(env.Stderr, 2, "checking "+dir)
	res, err := importFS(ctx, st, os.DirFS(dir), bundle.Locales(), bar)
	bar.done()
	if err != nil {
		return fmt.Errorf("import %s: %w", dir, err)
	}
	fmt.Fprintf(env.Stdout, "imported %s: courses %d new, %d updated, %d unchanged; campaigns %d new, %d updated, %d unchanged; alerts %d new, %d updated, %d unchanged; %d regions\n",
		dir, res.CoursesCreated, res.CoursesUpdated, res.CoursesUnchanged, res.CampaignsCreated, res.CampaignsUpdated, res.CampaignsUnchanged,
		res.AlertsCreated, res.AlertsUpdated, res.AlertsUnchanged, res.Regions)
	return nil
}

// ImportFS parses a pack from fsys, validates it against the enabled
// locales and the site's courses, and imports it all or nothing.
func ImportFS(ctx context.Context, st *store.Store, fsys fs.FS, locales []string) (store.ImportResult, error) {
	return importFS(ctx, st, fsys, locales, nil)
}

// importFS is ImportFS reporting its two phases on bar: the import is one
// transaction, so there is no progress to show within the writing.
func importFS(ctx context.Context, st *store.Store, fsys fs.FS, locales []string, bar *progress) (store.ImportResult, error) {
	var site content.Lookup
	pack, err := content.Parse(fsys, content.Options{Locales: locales,
		KnownCourses: site.Check(func(slug string) (bool, error) { return st.CourseExists(ctx, slug) }),
		KnownMedia:   site.Check(func(name string) (bool, error) { return st.MediaExists(ctx, name) }),
		KnownRegions: site.Check(func(code string) (bool, error) { return st.RegionExists(ctx, code) }),
		KnownLesson:  site.CheckLesson(func(course, lesson string) (bool, error) { return st.LessonExists(ctx, course, lesson) })})
	if site.Err() != nil {
		return store.ImportResult{}, site.Err()
	}
	if err != nil {
		return store.ImportResult{}, err
	}
	bar.add(1)
	bar.describe(fmt.Sprintf("importing %d courses, %d campaigns, %d regions", len(pack.Courses), len(pack.Campaigns), len(pack.Regions)))
	res, err := st.ImportPack(ctx, pack)
	if err != nil {
		return store.ImportResult{}, err
	}
	bar.add(1)
	return res, nil
}

// seed imports the project's content/ pack into an empty database and
// reports whether it did. It runs under the store's start-up lock and
// checks again under it that the database is still empty, so that
// instances starting together on one empty PostgreSQL database import the
// pack once: the others wait, then find the courses there.
func seed(ctx context.Context, env Env, st *store.Store, locales []string) (bool, error) {
	if n, err := st.CountCourses(ctx); err != nil || n > 0 {
		return false, err
	}
	cfs, err := fs.Sub(env.FS, "content")
	if err != nil {
		return false, err
	}
	seeded := false
	err = st.WithStartupLock(ctx, func(ctx context.Context) error {
		n, err := st.CountCourses(ctx)
		if err != nil || n > 0 {
			return err
		}
		if _, err := ImportFS(ctx, st, cfs, locales); err != nil {
			return fmt.Errorf("seed content/: %w", err)
		}
		seeded = true
		return nil
	})
	return seeded, err
}
