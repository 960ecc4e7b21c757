package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/url"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"beacon/app/config"
	"beacon/app/mail"
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
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", cfg.Addr, err)
	}
	listenURL := listenURL(cfg.Addr, ln.Addr())
	srv, err := newServer(env, cfg, listenURL, st, bundle, log)
	if err != nil {
		ln.Close()
		return err
	}
	if err := srv.PinAlertOrigins(ctx); err != nil {
		ln.Close()
		return fmt.Errorf("record alert senders: %w", err)
	}
	if cfg.SMTP().Enabled() {
		log.Info("mail is on: password resets and sign-up confirmations go through SMTP", "server", cfg.SMTP().Addr())
	} else {
		log.Info("mail is off (BEACON_SMTP_URL unset): registration makes the account at once; administrators issue password reset links")
	}
	if cfg.BaseURL == "" && cfg.TrustedProxies == "" {
		log.Warn("links in feeds, CAP documents, certificates and hreflang follow the listener's address, "+
			"since neither BEACON_BASE_URL nor BEACON_TRUSTED_PROXIES is set; set BEACON_BASE_URL to the public URL "+
			"(for example https://beacon.example.org)", "links", listenURL)
	}
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	go sweep(ctx, st, log)
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

// listenURL is the listener's address as a URL, for links when there is
// no base URL: the configured host (localhost when it names every
// interface) and the port actually bound.
func listenURL(configured string, bound net.Addr) string {
	host, _, err := net.SplitHostPort(configured)
	if err != nil || host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	port := ""
	if tcp, ok := bound.(*net.TCPAddr); ok {
		port = strconv.Itoa(tcp.Port)
	} else if _, p, err := net.SplitHostPort(bound.String()); err == nil {
		port = p
	}
	return "http://" + net.JoinHostPort(host, port)
}

// newServer wires the web server to the embedded folders.
func newServer(env Env, cfg *config.Config, listenURL string, st storeT, bundle bundleT, log loggerT) (*web.Server, error) {
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
		Secret: []byte(cfg.Secret), BaseURL: cfg.BaseURL, ListenURL: listenURL, TrustedProxies: cfg.Proxies(),
		Limits: cfg.Limits(), MetricsAllow: cfg.MetricsNetworks(), MetricsToken: cfg.MetricsToken, Logger: log, SecureCookies: strings.HasPrefix(cfg.BaseURL, "https://"),
		Mailer:           mail.New(mail.Options{Server: cfg.SMTP(), Hello: helloName(cfg.BaseURL)}),
		SecurityContacts: cfg.SecurityContacts()})
}

// helloName is the name Beacon gives in SMTP's EHLO: the public host, as
// mail servers expect a name that resolves to the sender.
func helloName(baseURL string) string {
	if u, err := url.Parse(baseURL); err == nil && u.Hostname() != "" {
		return u.Hostname()
	}
	return "localhost"
}

// sweep deletes expired sessions and ended rate-limit windows hourly.
func sweep(ctx context.Context, st storeT, log loggerT) {
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
			if n, err := st.DeleteExpiredAccountTokens(ctx); err != nil {
				log.Warn("sweep reset and confirmation links", "err", err)
			} else if n > 0 {
				log.Info("swept expired reset and confirmation links", "count", n)
			}
			if n, err := st.DeleteExpiredRateLimits(ctx, time.Now()); err != nil {
				log.Warn("sweep rate limits", "err", err)
			} else if n > 0 {
				log.Info("swept ended rate-limit windows", "count", n)
			}
		}
	}
}
