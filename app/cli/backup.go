package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"

	"beacon/app/backup"
	"beacon/app/config"
	"beacon/app/store"
)

// secretNote reminds the operator that a copy is only whole with the
// site's secret.
const secretNote = "keep %s (or BEACON_SECRET) with every copy: certificate checks, CSRF tokens and the statistics noise depend on it\n"

// backupDB runs `beacon backup FILE`: a consistent copy while servers run.
// It applies no migration, so a newer binary never changes a live
// database while copying it.
func backupDB(ctx context.Context, env Env, args []string) error {
	file, cfg, _, err := fileCommand(env, "backup", args)
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, cfg.Database)
	if err != nil {
		return err
	}
	defer st.Close()
	if st.Dialect() == store.DialectPostgres {
		fmt.Fprintln(env.Stderr, "PostgreSQL: running pg_dump --format=custom")
	}
	res, err := backup.Backup(ctx, st, cfg.Database, file)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "wrote %s (%d bytes, %s): %d accounts, %d courses, %d quiz attempts\n",
		res.Path, res.Size, res.Tool, res.Rows["users"], res.Rows["courses"], res.Rows["quiz_attempts"])
	fmt.Fprintf(env.Stdout, secretNote, filepath.Join(cfg.DataDir(), "secret"))
	return nil
}

// restoreDB runs `beacon restore FILE [--force]`.
func restoreDB(ctx context.Context, env Env, args []string) error {
	file, cfg, force, err := fileCommand(env, "restore", args)
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stderr, "restore replaces the database: stop every beacon server that uses it first")
	var res *backup.Result
	if cfg.Postgres() {
		res, err = backup.RestorePostgres(ctx, file, cfg.Database, force)
	} else {
		mfs, serr := fs.Sub(env.FS, "migrations")
		if serr != nil {
			return serr
		}
		known, lerr := store.LoadMigrations(mfs, store.DialectSQLite)
		if lerr != nil {
			return lerr
		}
		res, err = backup.RestoreSQLite(ctx, file, cfg.Database, known, force)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "restored %s (%s): %d accounts, %d courses, %d quiz attempts; start the servers again\n",
		res.Path, res.Tool, res.Rows["users"], res.Rows["courses"], res.Rows["quiz_attempts"])
	fmt.Fprintf(env.Stdout, secretNote, filepath.Join(cfg.DataDir(), "secret"))
	return nil
}

// fileCommand reads `beacon NAME FILE [--force] [flags]`, flags before or
// after FILE. It neither creates the secret nor opens the database.
func fileCommand(env Env, name string, args []string) (file string, cfg *config.Config, force bool, err error) {
	var rest []string
	for _, a := range args {
		switch a {
		case "--force", "-force":
			if name != "restore" {
				return "", nil, false, fmt.Errorf("usage: beacon %s FILE", name)
			}
			force = true
		default:
			rest = append(rest, a)
		}
	}
	if len(rest) > 0 && len(rest[0]) > 0 && rest[0][0] != '-' {
		file, rest = rest[0], rest[1:]
	}
	cfg, more, err := config.Load("beacon "+name, rest, env.Getenv, env.Stderr)
	if err != nil {
		return "", nil, false, err
	}
	if err := cfg.Validate(); err != nil {
		return "", nil, false, err
	}
	if file == "" && len(more) > 0 {
		file, more = more[0], more[1:]
	}
	if file == "" || len(more) > 0 {
		if name == "restore" {
			return "", nil, false, errors.New("usage: beacon restore FILE [--force]")
		}
		return "", nil, false, fmt.Errorf("usage: beacon %s FILE", name)
	}
	return file, cfg, force, nil
}
