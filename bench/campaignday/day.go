package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// dayOptions are the flags of the campaign-day run.
type dayOptions struct {
	repo         string
	duration     time.Duration // the mix, at least
	alertWait    time.Duration // longest wait after the alert for every client to see it
	reference    time.Duration // each wrk reference run
	goReference  time.Duration // the Go driver against the static copy
	citizens     int           // concurrent citizen clients (closed loop, no think time)
	organizers   int           // organizers reloading the dashboard
	dashEvery    time.Duration // an organizer's reload interval
	nginxWorkers int
	postgres     string // admin URL of an existing server; "" = throwaway cluster
	rateLimits   string
	maxRequests  int64
	killAt       time.Duration // kill -9 the second instance this long into the mix (0: never)
	keep         bool
}

// The pages every mix uses for references and probes.
const (
	refCourse = "cyber-hygiene"
	refLesson = "phishing"
)

// publicKinds are the request kinds that are public pages, which a shared
// cache may keep under the contract of issue #10.
var publicKinds = []string{"landing", "course", "lesson", "lesson_guest"}

// kindOrder is the order of the report's table.
var kindOrder = []string{"channel", "landing", "course", "lesson", "lesson_guest", "lesson_complete", "lesson_next", "pixel",
	"quiz_form", "quiz_submit", "quiz_result", "dashboard"}

// runDay stands up PostgreSQL, two Beacon instances and nginx as a caching
// proxy, measures the references, drives the campaign-day mix with an
// alert published half way, prints the report, and stops everything.
func runDay(ctx context.Context, o dayOptions) error {
	var cu cleanup
	defer cu.run()
	tmp, err := makeTemp(o.keep, &cu)
	if err != nil {
		return err
	}
	seed, err := readSeed(o.repo)
	if err != nil {
		return err
	}
	fmt.Println(machine())
	bin := filepath.Join(tmp, "beacon")
	if err := buildBeacon(ctx, o.repo, bin); err != nil {
		return err
	}

	var db *database
	if o.postgres == "" {
		db, err = throwawayPostgres(ctx, tmp, &cu)
	} else {
		db, err = existingPostgres(ctx, o.postgres, &cu)
	}
	if err != nil {
		return err
	}
	ver, _ := db.query(ctx, "SHOW server_version")
	fmt.Printf("PostgreSQL %s: %s (%s)\n", ver, db.URL, map[bool]string{true: "throwaway cluster under " + tmp, false: "database created for this run; that server's CPU shows under other processes"}[db.server != nil])

	ports := make([]int, 4)
	for i := range ports {
		if ports[i], err = freePort(); err != nil {
			return err
		}
	}
	proxyPort, staticPort := ports[2], ports[3]
	base := fmt.Sprintf("http://127.0.0.1:%d", proxyPort)
	setup := &beaconSetup{bin: bin, database: db.URL, env: map[string]string{
		"BEACON_SECRET":          newSecret(),
		"BEACON_BASE_URL":        base,
		"BEACON_TRUSTED_PROXIES": "127.0.0.1",
		"BEACON_RATE_LIMITS":     o.rateLimits,
	}}
	fmt.Printf("Beacon instances: BEACON_TRUSTED_PROXIES=127.0.0.1 BEACON_BASE_URL=%s\n  BEACON_RATE_LIMITS=%s\n", base, o.rateLimits)

	instances, err := startInstances(ctx, setup, tmp, ports[:2], &cu)
	if err != nil {
		return err
	}
	site := &nginxSite{Dir: filepath.Join(tmp, "nginx"), StaticRoot: filepath.Join(tmp, "static"), StaticPort: staticPort,
		ProxyPort: proxyPort, Workers: o.nginxWorkers}
	for _, in := range instances {
		site.Upstreams = append(site.Upstreams, in.addr)
	}
	if err := os.MkdirAll(site.StaticRoot, 0o755); err != nil {
		return err
	}
	ng, err := startNginx(ctx, site, &cu)
	if err != nil {
		return err
	}
	groups := func() map[string]int {
		g := map[string]int{"nginx": ng.cmd.Process.Pid}
		for _, in := range instances {
			if !in.proc.exited() {
				g[in.name] = in.proc.cmd.Process.Pid
			}
		}
		if db.server != nil {
			g["postgres"] = db.server.cmd.Process.Pid
		}
		return g
	}
	fmt.Printf("nginx %d workers: caching proxy %s → %s; static reference http://127.0.0.1:%d/\n",
		site.Workers, base, strings.Join(site.Upstreams, ", "), staticPort)

	lessonPath := "/en/courses/" + refCourse + "/lessons/" + refLesson
	probeContract(ctx, base, "http://"+instances[0].addr, lessonPath)
	var unknown []string
	for _, v := range []string{"BEACON_TRUSTED_PROXIES", "BEACON_RATE_LIMITS"} {
		if !buildKnows(ctx, bin, v) {
			unknown = append(unknown, v)
		}
	}
	if len(unknown) > 0 {
		fmt.Printf("  NOTE: `beacon help` does not name %s: this build ignores them, so every citizen shares the proxy's address (127.0.0.1)\n"+
			"  and its per-address limits, kept per instance: expect 429 on quiz submissions\n", strings.Join(unknown, " or "))
	}

	// Organizers: accounts made with `beacon user create`, signed in
	// through the proxy; the first one adds the campaign's channels.
	say := func(format string, args ...any) { fmt.Printf(format+"\n", args...) }
	setupWorker := newWorker(&mix{drv: newDriver(base, 4, 1<<40)}, 99, false)
	var orgBrowsers []*browser
	for i := 0; i < max(o.organizers, 1); i++ {
		email, password := fmt.Sprintf("organizer%d@bench.example", i+1), "campaign-day-"+newSecret()[:16]
		if err := setup.createUser(ctx, instances[0].dir, email, "organizer", password); err != nil {
			return err
		}
		b := newBrowser(fmt.Sprintf("192.0.2.%d", i+1), "en")
		if err := signIn(ctx, setupWorker, b, "en", email, password); err != nil {
			return err
		}
		orgBrowsers = append(orgBrowsers, b)
	}
	var channels []channelLink
	for _, cp := range seed.campaigns {
		for _, name := range []string{"Posters (QR code)", "Radio spot", "Text message"} {
			code, err := createChannel(ctx, setupWorker, orgBrowsers[0], cp.Slug, name)
			if err != nil {
				say("NOTE: channels cannot be created (%v); first visits will start on a lesson instead", err)
				break
			}
			channels = append(channels, channelLink{code: code, campaign: cp.Slug})
		}
	}
	fmt.Printf("%d organizers signed in; %d channel links: ", len(orgBrowsers), len(channels))
	for _, ch := range channels {
		fmt.Printf("/c/%s ", ch.code)
	}
	fmt.Println()

	// The reference: the same lesson bytes as a static file.
	page, err := fetchPlain(ctx, base+lessonPath)
	if err != nil {
		return fmt.Errorf("lesson page for the static copy: %w", err)
	}
	if err := os.WriteFile(filepath.Join(site.StaticRoot, "lesson.html"), page, 0o644); err != nil {
		return err
	}
	staticURL := fmt.Sprintf("http://127.0.0.1:%d/lesson.html", staticPort)
	fmt.Printf("\n== References (%d-byte lesson page %s; wrk -t2 -c16 -d%s --latency; nothing else running)\n", len(page), lessonPath, o.reference)
	fmt.Printf("%-44s %10s %9s %9s\n", "target", "req/s", "p50 ms", "p99 ms")
	var refs []*wrkResult
	var cpuLines []string
	for _, t := range []struct{ label, url string }{
		{"nginx static file (reference)", staticURL},
		{"lesson via nginx cache → Beacon, cookieless", base + lessonPath},
	} {
		before := sampleCPU(groups())
		r, err := runWrk(ctx, t.label, t.url, 2, 16, o.reference)
		if err != nil {
			return err
		}
		refs = append(refs, r)
		fmt.Println(r.line())
		cpuLines = append(cpuLines, "  "+t.label+": "+cpuReport(before, sampleCPU(groups())))
	}
	for _, l := range cpuLines {
		fmt.Println(l)
	}
	if len(refs) == 2 && refs[0].rps > 0 {
		fmt.Printf("ratio cookieless lesson through the proxy / static file: %.2f\n", refs[1].rps/refs[0].rps)
	}
	goStatic := goReference(ctx, staticURL, o.citizens, o.goReference)
	fmt.Printf("%-44s %10.0f %9.2f %9.2f  (Go driver, %d connections, %s)\n", "nginx static file, Go driver", goStatic.rps, goStatic.p50, goStatic.p99, o.citizens, o.goReference)

	// The mix.
	fmt.Printf("\n== Campaign day: %d citizen clients (closed loop, no think time) + %d organizers (dashboard every %s), at least %s; alert at half time\n",
		o.citizens, len(orgBrowsers), o.dashEvery, o.duration)
	m := &mix{drv: newDriver(base, o.citizens+len(orgBrowsers)+4, o.maxRequests), seed: seed, channels: channels, say: say}
	m.drv.onBody = m.noticeAlert
	before := sampleCPU(groups())
	res := m.play(ctx, o, orgBrowsers, setup, instances, filepath.Join(tmp, "alertpack"))
	mixCPU := cpuReport(before, sampleCPU(groups()))
	all := newRecorder()
	for _, w := range append(res.citizens, res.organizers...) {
		all.merge(w.rec)
	}
	fmt.Printf("\nran %.1f s, %d requests (bound %d)\n", res.elapsed.Seconds(), m.drv.sent.Load(), o.maxRequests)
	all.report(os.Stdout, kindOrder, res.elapsed)
	fmt.Println(mixCPU)
	if ratio, n := all.cacheRatio(publicKinds...); n > 0 {
		fmt.Printf("nginx cache hit ratio, public pages (%s): %.1f%% of %d\n", strings.Join(publicKinds, ", "), 100*ratio, n)
	}
	res.alertReport(os.Stdout)
	acked := m.acked.Load()
	rows, err := db.query(ctx, "SELECT count(*) FROM quiz_attempts")
	switch n, perr := strconv.ParseInt(rows, 10, 64); {
	case err != nil || perr != nil:
		fmt.Printf("quiz: %d submissions acknowledged (303 to a result page); attempts in the database: ? (%v)\n", acked, err)
	case n >= acked:
		fmt.Printf("quiz: %d submissions acknowledged (303 to a result page); %d rows in quiz_attempts: none lost", acked, n)
		if n > acked {
			fmt.Printf(" (%d more: answers still in flight when the run stopped)", n-acked)
		}
		fmt.Println()
	default:
		fmt.Printf("quiz: %d submissions acknowledged but only %d rows in quiz_attempts: %d ACKNOWLEDGED SUBMISSIONS LOST\n", acked, n, acked-n)
	}
	for i, in := range instances {
		if in.proc.exited() && !(i == 1 && res.killed) {
			fmt.Printf("WARNING: %s exited during the run: %v\n%s\n", in.name, in.proc.err, in.proc.logTail(5))
		}
	}
	if o.keep {
		fmt.Printf("kept %s (nginx access log with $upstream_cache_status: %s)\n", tmp, site.AccessLog)
	}
	return nil
}

// startInstances starts one Beacon per port, all at once on the empty
// database, as an operator scaling out would. An instance that exits at
// start is reported and started again once another one is ready.
func startInstances(ctx context.Context, setup *beaconSetup, tmp string, ports []int, cu *cleanup) ([]*instance, error) {
	start := time.Now()
	var out []*instance
	for i, p := range ports {
		in, err := setup.start(fmt.Sprintf("beacon-%c", 'a'+i), fmt.Sprintf("127.0.0.1:%d", p), filepath.Join(tmp, fmt.Sprintf("beacon-%c", 'a'+i)))
		if err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	cu.add(func() {
		var wg sync.WaitGroup
		for _, in := range out {
			wg.Add(1)
			go func() { defer wg.Done(); in.stop() }()
		}
		wg.Wait()
	})
	var failed []int
	for i, in := range out {
		if err := in.waitReady(ctx, 90*time.Second); err != nil {
			if !in.proc.exited() {
				return nil, err
			}
			fmt.Printf("NOTE: %s exited while %d instances started together on the empty database (%v); last log lines:\n%s\n",
				in.name, len(out), in.proc.err, indent(in.proc.logTail(3)))
			failed = append(failed, i)
		}
	}
	if len(failed) == len(out) {
		return nil, fmt.Errorf("no Beacon instance started")
	}
	for _, i := range failed {
		in := out[i]
		fmt.Printf("NOTE: starting %s again now that the schema and seed exist (start-up is not serialized in this build: issue #10 point 6)\n", in.name)
		again, err := setup.start(in.name, in.addr, in.dir)
		if err != nil {
			return nil, err
		}
		out[i] = again
		if err := again.waitReady(ctx, 90*time.Second); err != nil {
			return nil, err
		}
	}
	fmt.Printf("%d Beacon instances ready in %.1f s; started together on an empty database, %d of them had to be started again\n",
		len(out), time.Since(start).Seconds(), len(failed))
	return out, nil
}

// dayResult is what the mix did.
type dayResult struct {
	citizens, organizers []*worker
	elapsed              time.Duration
	pub                  *publication
	publishedAt          time.Duration // since the start of the mix
	headline             string
	killed               bool // the second instance was killed on purpose
}

// play runs the workers; half way it publishes the alert; it stops once
// the duration has passed and every citizen client has seen the alert
// (or alertWait has passed since it was published), or at the request
// bound.
func (m *mix) play(ctx context.Context, o dayOptions, orgs []*browser, setup *beaconSetup, instances []*instance, packDir string) *dayResult {
	res := &dayResult{}
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	start := time.Now()
	for i := 0; i < o.citizens; i++ {
		w := newWorker(m, uint64(i+1), true)
		res.citizens = append(res.citizens, w)
		wg.Add(1)
		go func() { defer wg.Done(); w.run(wctx) }()
	}
	for i, b := range orgs {
		if i >= o.organizers {
			break
		}
		w := newWorker(m, uint64(1000+i), false)
		res.organizers = append(res.organizers, w)
		wg.Add(1)
		go func() { defer wg.Done(); w.organize(wctx, b, o.dashEvery) }()
	}
	pubc := make(chan publication, 1)
	publishing := false
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	lastReport := start
	lastSent := int64(0)
	for {
		select {
		case <-ctx.Done():
		case <-tick.C:
		case p := <-pubc:
			res.pub = &p
			if p.err != nil {
				fmt.Printf("NOTE: publishing the alert failed: %v\n", p.err)
			} else {
				fmt.Printf("  alert imported at +%.1f s (beacon import took %.2f s): %q\n", p.started.Sub(start).Seconds(), p.done.Sub(p.started).Seconds(), res.headline)
			}
		}
		now := time.Now()
		if now.Sub(lastReport) >= 10*time.Second {
			sent := m.drv.sent.Load()
			fmt.Printf("  +%3.0f s  %8d requests  %7.0f req/s\n", now.Sub(start).Seconds(), sent, float64(sent-lastSent)/now.Sub(lastReport).Seconds())
			lastReport, lastSent = now, sent
		}
		if !publishing && now.Sub(start) >= o.duration/2 {
			publishing = true
			nonce := strings.ToUpper(randomHex(4))
			headline, err := alertPack(packDir, nonce)
			if err != nil {
				pubc <- publication{started: now, done: now, err: err}
			} else {
				res.headline = headline
				h := []byte(headline)
				m.headline.Store(&h)
				res.publishedAt = now.Sub(start)
				go func() { pubc <- publishAlert(ctx, setup, instances[0].dir, packDir) }()
			}
		}
		if o.killAt > 0 && !res.killed && len(instances) > 1 && now.Sub(start) >= o.killAt {
			res.killed = true
			instances[1].proc.stop(syscall.SIGKILL, 0)
			fmt.Printf("  killed %s with SIGKILL at +%.1f s\n", instances[1].name, now.Sub(start).Seconds())
		}
		stop := ctx.Err() != nil || m.drv.sent.Load() >= m.drv.maxSent
		if now.Sub(start) >= o.duration && res.pub != nil {
			stop = stop || res.pub.err != nil || res.allSeen() || now.Sub(res.pub.done) >= o.alertWait
		}
		if stop {
			break
		}
	}
	cancel()
	wg.Wait()
	res.elapsed = time.Since(start)
	return res
}

// allSeen reports whether every citizen client has seen the alert.
func (r *dayResult) allSeen() bool {
	for _, w := range r.citizens {
		if w.alertSeen.Load() == 0 {
			return false
		}
	}
	return true
}

// alertReport prints how long the alert took to reach the clients.
func (r *dayResult) alertReport(w *os.File) {
	if r.pub == nil {
		fmt.Fprintln(w, "alert: not published (the run ended first)")
		return
	}
	if r.pub.err != nil {
		fmt.Fprintf(w, "alert: publishing failed: %v\n", r.pub.err)
		return
	}
	var delays []float64
	for _, c := range r.citizens {
		if ns := c.alertSeen.Load(); ns != 0 {
			// A page may show the alert before the import command has
			// exited (its transaction is committed): that counts as 0.
			delays = append(delays, max(time.Unix(0, ns).Sub(r.pub.done).Seconds(), 0))
		}
	}
	sort.Float64s(delays)
	fmt.Fprintf(w, "alert: published at +%.1f s with `beacon import` (%.2f s); seen by %d of %d clients",
		r.publishedAt.Seconds(), r.pub.done.Sub(r.pub.started).Seconds(), len(delays), len(r.citizens))
	if len(delays) == 0 {
		fmt.Fprintf(w, "; no client saw it within %.0f s\n", time.Since(r.pub.done).Seconds())
		return
	}
	fmt.Fprintf(w, "; after the import returned: first %.1f s, median %.1f s, last %.1f s", delays[0], delays[len(delays)/2], delays[len(delays)-1])
	if len(delays) == len(r.citizens) {
		fmt.Fprintf(w, "\n  → time until every client saw the new alert: %.1f s\n", delays[len(delays)-1])
	} else {
		fmt.Fprintf(w, "\n  → %d clients had NOT seen it when the run ended\n", len(r.citizens)-len(delays))
	}
}

// probeContract prints what the proxy and the instances answer today for
// the features the load test relies on (issue #10), so that a run on a
// build without them says why its figures look as they do.
func probeContract(ctx context.Context, base, direct, lessonPath string) {
	hc := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(method, path string, h ...string) (*http.Response, error) {
		url := base + path
		if method == http.MethodHead {
			// nginx turns HEAD into GET for cacheable locations
			// (proxy_cache_convert_head), so ask Beacon itself.
			url = direct + path
		}
		req, err := http.NewRequestWithContext(ctx, method, url, nil)
		if err != nil {
			return nil, err
		}
		for i := 0; i+1 < len(h); i += 2 {
			req.Header.Set(h[i], h[i+1])
		}
		resp, err := hc.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		return resp, err
	}
	fmt.Println("\n== What this build answers (contract of issue #10)")
	first, err := get("GET", lessonPath)
	if err != nil {
		fmt.Printf("  lesson page: %v\n", err)
		return
	}
	second, _ := get("GET", lessonPath)
	cacheable := len(first.Header.Values("Set-Cookie")) == 0 && strings.Contains(first.Header.Get("Cache-Control"), "public")
	fmt.Printf("  cookieless lesson: %d, Cache-Control %q, %d Set-Cookie, ETag %q, Last-Modified %q, Vary %q; X-Cache-Status %s then %s\n",
		first.StatusCode, first.Header.Get("Cache-Control"), len(first.Header.Values("Set-Cookie")), first.Header.Get("ETag"),
		first.Header.Get("Last-Modified"), first.Header.Get("Vary"), first.Header.Get("X-Cache-Status"), second.Header.Get("X-Cache-Status"))
	if !cacheable {
		fmt.Println("  NOTE: public pages are not cacheable in this build (issue #10 point 1): nginx passes every page to Beacon; expect a hit ratio near 0")
	}
	if etag := first.Header.Get("ETag"); etag != "" {
		// A session cookie would make the page private (no 304 by design),
		// so the conditional request goes through the cache as a browser's would.
		if r, err := get("GET", lessonPath, "If-None-Match", etag); err == nil {
			fmt.Printf("  conditional GET (If-None-Match): %d, X-Cache-Status %s\n", r.StatusCode, r.Header.Get("X-Cache-Status"))
		}
	}
	if r, err := get("GET", "/visit.gif?l=en"); err == nil {
		fmt.Printf("  /visit.gif: %d %s, Cache-Control %q\n", r.StatusCode, r.Header.Get("Content-Type"), r.Header.Get("Cache-Control"))
	}
	if r, err := get("HEAD", "/healthz"); err == nil {
		fmt.Printf("  HEAD /healthz, straight to an instance: %d\n", r.StatusCode)
	}
}

// fetchPlain gets a page without cookies and without compression, as the
// bytes a static copy should hold.
func fetchPlain(ctx context.Context, url string) ([]byte, error) {
	hc := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableCompression: true}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return io.ReadAll(io.LimitReader(resp.Body, 8<<20))
}

// goReferenceResult is the Go driver's figure against the static copy.
type goReferenceResult struct{ rps, p50, p99 float64 }

// goReference drives the static copy with the same Go client and the same
// concurrency as the mix, for a like-for-like latency reference.
func goReference(ctx context.Context, url string, conns int, d time.Duration) goReferenceResult {
	i := strings.Index(url[len("http://"):], "/") + len("http://")
	m := &mix{drv: newDriver(url[:i], conns, 1<<40)}
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var wg sync.WaitGroup
	var ws []*worker
	start := time.Now()
	for n := 0; n < conns; n++ {
		w := newWorker(m, uint64(5000+n), false)
		ws = append(ws, w)
		wg.Add(1)
		go func() {
			defer wg.Done()
			b := newBrowser("", "")
			for ctx.Err() == nil {
				w.do(ctx, b, call{kind: "static", path: url[i:]})
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	all := newRecorder()
	for _, w := range ws {
		all.merge(w.rec)
	}
	k := all.stats("static")
	sort.Slice(k.lat, func(a, b int) bool { return k.lat[a] < k.lat[b] })
	return goReferenceResult{rps: float64(len(k.lat)) / elapsed.Seconds(), p50: percentile(k.lat, 50), p99: percentile(k.lat, 99)}
}

func makeTemp(keep bool, cu *cleanup) (string, error) {
	tmp, err := os.MkdirTemp("", "beacon-campaignday-")
	if err != nil {
		return "", err
	}
	// nginx workers (nobody) and PostgreSQL (postgres) must reach their
	// folders inside.
	if err := os.Chmod(tmp, 0o755); err != nil {
		return "", err
	}
	if !keep {
		cu.add(func() { os.RemoveAll(tmp) })
	}
	return tmp, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(s, "\n", "\n    ")
}
