package web_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"beacon/app"
	"beacon/app/cli"
	"beacon/app/testenv"
)

// lighthousePages are the admin pages Lighthouse audits: one of each kind
// (home, statistics, the figures' definitions, a campaign's close-out report, a course's form, item
// analysis, lesson feedback, the translation editor, the region form,
// the user list), ":lang" left for the caller.
var lighthousePages = []string{
	"/:lang/admin/",
	"/:lang/admin/stats",
	"/:lang/admin/stats/definitions",
	"/:lang/admin/campaigns/security-education-day-2027/report",
	"/:lang/admin/courses/cyber-hygiene/settings",
	"/:lang/admin/courses/cyber-hygiene/items",
	"/:lang/admin/courses/cyber-hygiene/feedback",
	"/:lang/admin/courses/cyber-hygiene/translations/zh-Hans",
	"/:lang/admin/regions/north",
	"/:lang/admin/users",
}

// lighthouseScript runs Lighthouse's accessibility category on every URL
// of a JSON job (argv[2]) in one Chromium, in the form factors (mobile,
// desktop) the job names for it, and prints one JSON line per run: the score and the audits
// that failed.
const lighthouseScript = `
import {pathToFileURL} from "node:url";
import {readFileSync} from "node:fs";
const nm = process.argv[2];
const job = JSON.parse(readFileSync(process.argv[3], "utf8"));
const {default: lighthouse, desktopConfig} = await import(pathToFileURL(nm + "/lighthouse/core/index.js").href);
const chromeLauncher = await import(pathToFileURL(nm + "/chrome-launcher/dist/index.js").href);
const chrome = await chromeLauncher.launch({chromePath: job.chrome, chromeFlags: job.flags});
try {
  for (const {url, forms} of job.runs) {
    for (const form of forms) {
      const t0 = Date.now();
      const flags = {port: chrome.port, onlyCategories: ["accessibility"], extraHeaders: job.headers, logLevel: "error", output: "json"};
      const r = await lighthouse(url, flags, form === "desktop" ? desktopConfig : undefined);
      const lhr = r.lhr;
      const failed = [];
      for (const ref of lhr.categories.accessibility.auditRefs) {
        const a = lhr.audits[ref.id];
        if (ref.weight > 0 && a.score !== null && a.score < 1) {
          failed.push({id: a.id, title: a.title, items: ((a.details && a.details.items) || []).slice(0, 5).map(i => (i.node && (i.node.selector || i.node.snippet)) || "")});
        }
      }
      console.log(JSON.stringify({url, form, ms: Date.now() - t0, final: lhr.finalDisplayedUrl, score: lhr.categories.accessibility.score, error: lhr.runtimeError ? lhr.runtimeError.message : "", failed}));
    }
  }
} finally {
  await chrome.kill();
}
`

// lighthouseRun is one line of lighthouseScript's output.
type lighthouseRun struct {
	URL    string  `json:"url"`
	Form   string  `json:"form"`
	Final  string  `json:"final"`
	Score  float64 `json:"score"`
	MS     int64   `json:"ms"`
	Error  string  `json:"error"`
	Failed []struct {
		ID    string   `json:"id"`
		Title string   `json:"title"`
		Items []string `json:"items"`
	} `json:"failed"`
}

// TestLighthouseAdmin runs Lighthouse (the npm package, as a tool from
// outside Beacon) on a live server with demo data, signed in as an
// administrator through the session cookie, on a representative set of
// admin pages in English and Arabic, on phone and desktop: every page
// scores 1.0 in the accessibility category.
func TestLighthouseAdmin(t *testing.T) {
	if testing.Short() {
		t.Skip("Lighthouse skipped in -short mode")
	}
	if raceDetector {
		// Lighthouse audits pages, not Beacon's concurrency; .ci/run's plain
		// test step runs it, and under -race it would only cost minutes.
		t.Skip("Lighthouse runs in the plain test run, not under -race")
	}
	nm := testenv.NodeModules(t, "lighthouse", "chrome-launcher")
	// Most of a Lighthouse run is waiting for the page to settle: the
	// admin sweeps run beside it (they are parallel too), so that the
	// package's tests stay well inside go test's 10 minutes.
	t.Parallel()
	chromium := chromiumPath()
	testenv.Require(t, "chromium", chromium != "", "install Debian's chromium (apt-get install chromium) for Lighthouse")
	srv := MustOpenServer(t)
	if err := cli.GenerateDemo(context.Background(), srv.Store, sweepDemoLearners, 1, nil); err != nil {
		t.Fatal(err)
	}
	base := srv.listen(t)
	admin := srv.signedIn(t, "lighthouse@example.org", app.RoleAdministrator)
	var cookies []string
	for name, value := range admin.cookies {
		cookies = append(cookies, name+"="+value)
	}
	sort.Strings(cookies)
	// Each page once per language, English on a desktop and Arabic on a
	// phone, and the statistics pages (charts, map, definitions) in both
	// forms: 26 runs, where every page in every combination (40) took 3.5
	// minutes; the axe sweeps already cover every page in every locale.
	type run struct {
		URL   string   `json:"url"`
		Forms []string `json:"forms"`
	}
	var runs []run
	for _, lang := range []string{"en", "ar"} {
		for _, p := range lighthousePages {
			forms := []string{map[string]string{"en": "desktop", "ar": "mobile"}[lang]}
			if strings.Contains(p, "/stats") || strings.HasSuffix(p, "/report") {
				forms = []string{"mobile", "desktop"}
			}
			runs = append(runs, run{URL: base + strings.Replace(p, ":lang", lang, 1), Forms: forms})
		}
	}
	job, _ := json.Marshal(map[string]any{
		"chrome": chromium, "runs": runs, "headers": map[string]string{"Cookie": strings.Join(cookies, "; ")},
		"flags": []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
			"--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions", "--user-data-dir=" + t.TempDir()},
	})
	dir := t.TempDir()
	script, jobFile := filepath.Join(dir, "lighthouse.mjs"), filepath.Join(dir, "job.json")
	if err := os.WriteFile(script, []byte(lighthouseScript), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(jobFile, job, 0o644); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	cmd := exec.Command("node", script, nm, jobFile)
	cmd.Env = append(os.Environ(), "CHROME_PATH="+chromium)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("lighthouse: %v\n%s\n%s", err, out, stderr.String())
	}
	want := 0
	for _, r := range runs {
		want += len(r.Forms)
	}
	done := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		var r lighthouseRun
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Errorf("lighthouse output %q: %v", line, err)
			continue
		}
		done++
		path := strings.TrimPrefix(r.URL, base)
		switch {
		case r.Error != "":
			t.Errorf("%s (%s): %s", path, r.Form, r.Error)
		case r.Final != r.URL:
			t.Errorf("%s (%s) ended at %s: not signed in?", path, r.Form, r.Final)
		case r.Score != 1:
			t.Errorf("%s (%s): accessibility %.2f", path, r.Form, r.Score)
		default:
			t.Logf("%s (%s): accessibility %.2f in %d ms", path, r.Form, r.Score, r.MS)
		}
		for _, f := range r.Failed {
			t.Errorf("%s (%s): %s (%s) at %v", path, r.Form, f.ID, f.Title, f.Items)
		}
	}
	if done != want {
		t.Errorf("%d Lighthouse runs, want %d\n%s", done, want, stderr.String())
	}
	t.Logf("Lighthouse: %d runs in %s", done, time.Since(start).Round(time.Second))
}
