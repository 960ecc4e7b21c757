package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"beacon/app/web"
)

// serve runs the web server until SIGINT or SIGTERM, then finishes the
// requests in flight (up to 30 s) before returning.
func serve(ctx context.Context, env Env, args []string) error {
	cfg, _, err := loadConfig(env, "serve", args)
	if err != nil {
		return err
	}
	log := newLogger(cfg, env.Stderr)
	bundle, err := loadBundle(env, cfg)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, env, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	if seeded, err := seed(ctx, env, st, bundle.Locales()); err != nil {
		return err
	} else if seeded {
		log.Info("imported the seed content pack", "from", "content/")
	}
	srv, err := newServer(env, cfg.Secret, cfg.BaseURL, st, bundle, log)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", cfg.Addr, err)
	}
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	go sweepSessions(ctx, st, log)
	errc := make(chan error, 1)
	go func() { errc <- srv.App().Listener(ln) }()
	log.Info("beacon is listening", "addr", displayAddr(ln.Addr().String()), "database", st.Dialect(), "locales", strings.Join(bundle.Locales(), ","))
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests in flight")
	sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("shutdown: %w", err)
	}
	log.Info("stopped")
	return nil
}

func displayAddr(a string) string {
	if strings.HasPrefix(a, "[::]:") {
		return "http://localhost:" + strings.TrimPrefix(a, "[::]:")
	}
	return "http://" + a
}

// newServer wires the web server to the embedded folders.
func newServer(env Env, secret, baseURL string, st storeT, bundle bundleT, log loggerT) (*web.Server, error) {
	tfs, err := fs.Sub(env.FS, "templates")
	if err != nil {
		return nil, err
	}
	sfs, err := fs.Sub(env.FS, "static")
	if err != nil {
		return nil, err
	}
	mfs, err := fs.Sub(env.FS, "migrations")
	if err != nil {
		return nil, err
	}
	return web.New(web.Options{Store: st, Bundle: bundle, Templates: tfs, Static: sfs, Migrations: mfs,
		Secret: []byte(secret), BaseURL: baseURL, Logger: log, SecureCookies: strings.HasPrefix(baseURL, "https://")})
}

// sweepSessions deletes expired sessions hourly.
func sweepSessions(ctx context.Context, st storeT, log loggerT) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := st.DeleteExpiredSessions(ctx); err != nil {
				log.Warn("sweep sessions", "err", err)
			} else if n > 0 {
				log.Info("swept expired sessions", "count", n)
			}
		}
	}
}
