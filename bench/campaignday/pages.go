package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// pagesOptions are the flags of the side-by-side page measurement.
type pagesOptions struct {
	repo     string
	duration time.Duration // each measured wrk run
	warmup   time.Duration // an unreported wrk run before each
	threads  int
	conns    int
	keep     bool
}

// Targets of issue #10 point 3, as ratios to nginx serving the same bytes.
const (
	targetCookieless = 0.8
	targetSignedIn   = 0.3
	targetP99ms      = 10.0
)

// runPages measures, in one run and with the same wrk settings, nginx
// serving a lesson page's bytes from a file, one Beacon instance (SQLite,
// fresh data folder) serving that lesson to a cookieless visitor, and the
// same lesson to a signed-in learner.
func runPages(ctx context.Context, o pagesOptions) error {
	var cu cleanup
	defer cu.run()
	tmp, err := makeTemp(o.keep, &cu)
	if err != nil {
		return err
	}
	fmt.Println(machine())
	bin := filepath.Join(tmp, "beacon")
	if err := buildBeacon(ctx, o.repo, bin); err != nil {
		return err
	}
	port, err := freePort()
	if err != nil {
		return err
	}
	staticPort, err := freePort()
	if err != nil {
		return err
	}
	dir := filepath.Join(tmp, "beacon-a")
	setup := &beaconSetup{bin: bin, database: filepath.Join(dir, "data", "beacon.db"), env: map[string]string{
		"BEACON_SECRET": newSecret(),
		// One sign-in only; the default limits would do, raised so that a
		// re-run within the minute never trips them.
		"BEACON_RATE_LIMITS": "login_account=100/m,login_address=1000/m",
	}}
	in, err := setup.start("beacon-a", fmt.Sprintf("127.0.0.1:%d", port), dir)
	if err != nil {
		return err
	}
	cu.add(in.stop)
	if err := in.waitReady(ctx, 90*time.Second); err != nil {
		return err
	}
	base := "http://" + in.addr
	lessonPath := "/en/courses/" + refCourse + "/lessons/" + refLesson
	page, err := fetchPlain(ctx, base+lessonPath)
	if err != nil {
		return err
	}
	site := &nginxSite{Dir: filepath.Join(tmp, "nginx"), StaticRoot: filepath.Join(tmp, "static"), StaticPort: staticPort, Workers: 2}
	if err := os.MkdirAll(site.StaticRoot, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(site.StaticRoot, "lesson.html"), page, 0o644); err != nil {
		return err
	}
	ng, err := startNginx(ctx, site, &cu)
	if err != nil {
		return err
	}
	groups := map[string]int{"beacon": in.proc.cmd.Process.Pid, "nginx": ng.cmd.Process.Pid}

	email, password := "learner@bench.example", "side-by-side-"+newSecret()[:16]
	if err := setup.createUser(ctx, dir, email, "learner", password); err != nil {
		return err
	}
	w := newWorker(&mix{drv: newDriver(base, 2, 1<<40)}, 1, false)
	b := newBrowser("", "en")
	if err := signIn(ctx, w, b, "en", email, password); err != nil {
		return err
	}
	cookie := "Cookie: " + b.cookieHeader()
	if err := checkSignedIn(ctx, base+lessonPath, b.cookieHeader()); err != nil {
		return err
	}
	names := make([]string, 0, len(b.cookies))
	for n := range b.cookies {
		names = append(names, n)
	}
	fmt.Printf("signed in as %s (learner); the signed-in runs send the browser's cookies: %s\n", email, strings.Join(names, ", "))

	fmt.Printf("\n== Side by side: %d-byte lesson page %s; wrk -t%d -c%d -d%s --latency each (after a %s warm-up), one after the other\n",
		len(page), lessonPath, o.threads, o.conns, o.duration, o.warmup)
	targets := []struct {
		label, url string
		headers    []string
	}{
		{"nginx, the same bytes from a file", fmt.Sprintf("http://127.0.0.1:%d/lesson.html", staticPort), nil},
		{"Beacon, cookieless lesson", base + lessonPath, nil},
		{"Beacon, signed-in lesson", base + lessonPath, []string{cookie}},
	}
	var res []*wrkResult
	var cpuLines []string
	for _, t := range targets {
		if o.warmup > 0 {
			if _, err := runWrk(ctx, t.label, t.url, o.threads, o.conns, o.warmup, t.headers...); err != nil {
				return err
			}
		}
		before := sampleCPU(groups)
		r, err := runWrk(ctx, t.label, t.url, o.threads, o.conns, o.duration, t.headers...)
		if err != nil {
			return err
		}
		res = append(res, r)
		cpuLines = append(cpuLines, "  "+t.label+": "+cpuReport(before, sampleCPU(groups)))
	}
	fmt.Printf("%-44s %10s %9s %9s %8s  %s\n", "target", "req/s", "p50 ms", "p99 ms", "ratio", "target")
	for i, r := range res {
		ratio, goal := 1.0, ""
		if res[0].rps > 0 {
			ratio = r.rps / res[0].rps
		}
		switch i {
		case 1:
			goal = verdict(ratio, targetCookieless, r.p99)
		case 2:
			goal = verdict(ratio, targetSignedIn, r.p99)
		}
		extra := ""
		if r.non2xx > 0 {
			extra = fmt.Sprintf("  (non-2xx/3xx: %d)", r.non2xx)
		}
		if r.errors != "" {
			extra += "  " + r.errors
		}
		fmt.Printf("%-44s %10.0f %9.2f %9.2f %7.2fx  %s%s\n", r.label, r.rps, r.p50, r.p99, ratio, goal, extra)
	}
	for _, l := range cpuLines {
		fmt.Println(l)
	}
	return nil
}

// verdict says whether a ratio and a p99 meet issue #10's targets.
func verdict(ratio, want, p99 float64) string {
	ok := ratio >= want && p99 < targetP99ms
	s := fmt.Sprintf("≥ %.1fx and p99 < %.0f ms: ", want, targetP99ms)
	if ok {
		return s + "met"
	}
	return s + "NOT met"
}

// checkSignedIn makes sure the cookies really sign the learner in: the
// lesson then offers a sign-out form.
func checkSignedIn(ctx context.Context, url, cookie string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Cookie", cookie)
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	f, err := readAllLimited(resp)
	if err != nil {
		return err
	}
	if !strings.Contains(string(f), `/logout"`) {
		return fmt.Errorf("the session cookie does not sign in: the lesson page shows no sign-out form")
	}
	return nil
}
