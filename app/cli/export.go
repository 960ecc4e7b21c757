package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"beacon/app"
	"beacon/app/content"
	"beacon/app/store"
)

// exportPack writes the site's content as a pack folder: every published
// course (its published revision), every campaign, the region tree and
// every media file. It
// refuses a DIR that exists and is not an empty folder, so an export never
// mixes with older files (a stale lesson file would be an orphan on import).
func exportPack(ctx context.Context, env Env, args []string) error {
	var dir string
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		dir, args = args[0], args[1:]
	}
	cfg, rest, err := loadConfig(env, "export", args)
	if err != nil {
		return err
	}
	if dir == "" && len(rest) > 0 {
		dir = rest[0]
	}
	if dir == "" {
		return errors.New("usage: beacon export DIR")
	}
	if err := checkExportDir(dir); err != nil {
		return err
	}
	st, err := openStore(ctx, env, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	pack, err := sitePack(ctx, st)
	if err != nil {
		return fmt.Errorf("export %s: %w", dir, err)
	}

	// A dry run refuses a pack that cannot be written before any file is.
	if err := content.Export(pack, func(string, []byte) error { return nil }); err != nil {
		return fmt.Errorf("export %s: %w", dir, err)
	}
	warnMissingCourses(env.Stderr, pack)

	// Each course is a pack of its own files, so writing them one by one
	// gives the same folder as content.Write of the whole pack.
	bar := newProgress(env.Stderr, len(pack.Courses), "exporting courses")
	defer bar.done()
	for i := range pack.Courses {
		bar.describe("exporting " + pack.Courses[i].Slug)
		if err := content.Write(dir, &app.Pack{Courses: pack.Courses[i : i+1]}); err != nil {
			return fmt.Errorf("export %s: %w", dir, err)
		}
		bar.add(1)
	}
	if err := content.Write(dir, &app.Pack{Campaigns: pack.Campaigns, Regions: pack.Regions, Alerts: pack.Alerts, Channels: pack.Channels}); err != nil {
		return fmt.Errorf("export %s: %w", dir, err)
	}
	bar.done()
	nMedia, err := exportMedia(ctx, st, dir)
	if err != nil {
		return fmt.Errorf("export %s: %w", dir, err)
	}
	summary := fmt.Sprintf("exported %s: %d courses, %d campaigns, %d alerts, %d regions", dir, len(pack.Courses), len(pack.Campaigns), len(pack.Alerts), len(pack.Regions))
	if nMedia > 0 {
		summary += fmt.Sprintf(", %d media files", nMedia)
	}
	fmt.Fprintln(env.Stdout, summary)
	return nil
}

// exportMedia writes every media file of the site to dir/media/, one at a
// time so that the library never sits in memory whole, and returns how
// many it wrote.
func exportMedia(ctx context.Context, st *store.Store, dir string) (int, error) {
	list, err := st.ListMedia(ctx)
	if err != nil {
		return 0, err
	}
	for _, info := range list {
		m, err := st.FindMedia(ctx, info.Name)
		if err != nil {
			return 0, err
		}
		if err := content.Write(dir, &app.Pack{Media: []app.MediaFile{*m}}); err != nil {
			return 0, err
		}
	}
	return len(list), nil
}

// checkExportDir accepts a folder that does not exist yet or is empty.
func checkExportDir(dir string) error {
	fi, err := os.Stat(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("export %s: %w", dir, err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("export %s: exists and is not a folder", dir)
	}
	f, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("export %s: %w", dir, err)
	}
	defer f.Close()
	if _, err := f.Readdirnames(1); err == nil {
		return fmt.Errorf("export %s: the folder is not empty; export into a new or empty folder", dir)
	} else if !errors.Is(err, io.EOF) {
		return fmt.Errorf("export %s: %w", dir, err)
	}
	return nil
}

// sitePack gathers what an export holds (see store.SitePack).
func sitePack(ctx context.Context, st *store.Store) (*app.Pack, error) {
	return st.SitePack(ctx)
}

// warnMissingCourses tells about campaigns featuring a course the export
// does not hold (a draft or archived one): the pack then imports only into
// a site that has that course.
func warnMissingCourses(w io.Writer, pack *app.Pack) {
	have := map[string]bool{}
	for _, c := range pack.Courses {
		have[c.Slug] = true
	}
	for _, camp := range pack.Campaigns {
		for _, slug := range camp.Courses {
			if !have[slug] {
				fmt.Fprintf(w, "beacon export: warning: campaign %s features course %s, which is not published and not exported\n", camp.Slug, slug)
			}
		}
	}
}
