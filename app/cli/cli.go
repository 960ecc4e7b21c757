package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"beacon/app/config"
	"beacon/app/content"
	"beacon/app/i18n"
	"beacon/app/store"
)

// Env is what a command may use from its surroundings; main fills it from
// the process, tests from their own values.
type Env struct {
	Args   []string // after the program name
	Getenv func(string) string
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// FS holds templates/, static/, content/ and migrations/.
	FS fs.FS
}

const usage = `Beacon: public education and awareness.

Usage:
  beacon [serve] [flags]                      run the web server (default)
  beacon migrate [flags]                      apply pending database migrations
  beacon import DIR [flags]                   import a content pack folder (all or nothing)
  beacon export DIR [flags]                   write published courses, campaigns, regions as a pack folder
  beacon healthcheck [flags]                  exit 0 when the local server answers /healthz
  beacon backup FILE [flags]                  copy the database while servers run (SQLite: VACUUM INTO;
                                              PostgreSQL: pg_dump --format=custom, which must be on PATH)
  beacon restore FILE [--force] [flags]       put a backup in place of the database; stop the servers first;
                                              --force replaces a database that holds data (PostgreSQL: pg_restore)
  beacon demo-data --learners N [flags]       fill the database with synthetic participation
  beacon user create --email E --role R [--name N] [--password-stdin] [flags]
                                              create an account (roles: learner, educator,
                                              reviewer, organizer, administrator; comma-separated)

Keep data/secret (or BEACON_SECRET) with every backup: certificates, CSRF tokens
and the statistics noise depend on it.

Flags (each also read from its environment variable):
  -addr            BEACON_ADDR            listen address (default :8080)
  -database        BEACON_DATABASE        SQLite file (default data/beacon.db) or postgres:// URL
  -base-url        BEACON_BASE_URL        public URL of the site
  -secret          BEACON_SECRET          signing secret (generated in the data folder when empty)
  -default-locale  BEACON_DEFAULT_LOCALE  default locale (default en)
  -log-format      BEACON_LOG_FORMAT      text or json (default text)
  -trusted-proxies BEACON_TRUSTED_PROXIES addresses or CIDRs whose X-Forwarded-* headers are believed
  -rate-limits     BEACON_RATE_LIMITS     name=N/unit,... (login_account, login_address, register_address,
                                          quiz_learner, quiz_address; units s, m, h; 0 disables)
  -metrics-allow   BEACON_METRICS_ALLOW   CIDRs that may read /metrics, or none (default 127.0.0.0/8,::1)
  -metrics-token   BEACON_METRICS_TOKEN   bearer token that opens /metrics from anywhere (32+ characters)
`

// Run executes the command named by env.Args and returns the exit code.
func Run(ctx context.Context, env Env) int {
	args := env.Args
	cmd := "serve"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "serve":
		err = serve(ctx, env, args)
	case "migrate":
		err = migrate(ctx, env, args)
	case "import":
		err = importPack(ctx, env, args)
	case "export":
		err = exportPack(ctx, env, args)
	case "user":
		err = user(ctx, env, args)
	case "healthcheck":
		err = healthcheck(ctx, env, args)
	case "demo-data":
		err = demoData(ctx, env, args)
	case "backup":
		err = backupDB(ctx, env, args)
	case "restore":
		err = restoreDB(ctx, env, args)
	case "help", "-h", "--help":
		fmt.Fprint(env.Stdout, usage)
		return 0
	default:
		fmt.Fprintf(env.Stderr, "beacon: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	if err != nil {
		var pe content.Problems
		if errors.As(err, &pe) {
			fmt.Fprintln(env.Stderr, pe.Error())
		} else {
			fmt.Fprintf(env.Stderr, "beacon %s: %v\n", cmd, err)
		}
		return 1
	}
	return 0
}

// loadConfig parses flags and environment, validates, and prepares the secret.
func loadConfig(env Env, name string, args []string) (*config.Config, []string, error) {
	cfg, rest, err := config.Load("beacon "+name, args, env.Getenv, env.Stderr)
	if err != nil {
		return nil, nil, err
	}
	if err := cfg.Validate(); err != nil {
		return nil, nil, err
	}
	if err := cfg.EnsureSecret(); err != nil {
		return nil, nil, err
	}
	return cfg, rest, nil
}

func newLogger(cfg *config.Config, w io.Writer) *slog.Logger {
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}

// openStore opens the database and applies pending migrations, as every
// command that opens the database must.
func openStore(ctx context.Context, env Env, cfg *config.Config) (*store.Store, error) {
	st, err := store.Open(ctx, cfg.Database)
	if err != nil {
		return nil, err
	}
	mfs, err := fs.Sub(env.FS, "migrations")
	if err != nil {
		st.Close()
		return nil, err
	}
	if _, err := st.Migrate(ctx, mfs); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

func loadBundle(env Env, cfg *config.Config) (*i18n.Bundle, error) {
	lfs, err := fs.Sub(env.FS, "content/locales")
	if err != nil {
		return nil, err
	}
	return i18n.Load(lfs, cfg.DefaultLocale)
}

func migrate(ctx context.Context, env Env, args []string) error {
	cfg, _, err := loadConfig(env, "migrate", args)
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, cfg.Database)
	if err != nil {
		return err
	}
	defer st.Close()
	mfs, err := fs.Sub(env.FS, "migrations")
	if err != nil {
		return err
	}
	n, err := st.Migrate(ctx, mfs)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "applied %d migration(s)\n", n)
	return nil
}

// healthcheck asks the local server's /healthz, for container health checks.
func healthcheck(ctx context.Context, env Env, args []string) error {
	cfg, _, err := config.Load("beacon healthcheck", args, env.Getenv, env.Stderr)
	if err != nil {
		return err
	}
	addr := cfg.Addr
	if strings.HasPrefix(addr, ":") {
		addr = "127.0.0.1" + addr
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/healthz", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthz answered %d", resp.StatusCode)
	}
	return nil
}
