package web_test

import (
	"context"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"beacon/app"

	"github.com/alexedwards/argon2id"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// setOffline cuts the browser off the network or lets it back on, as
// DevTools' "Offline" does: every request fails, the service worker's too,
// and navigator.onLine says so (the "offline" and "online" events fire).
// Network.emulateNetworkConditions is deprecated in this protocol version;
// its successors are emulateNetworkConditionsByRule (requests, and with
// emulateOfflineServiceWorker the worker's) and overrideNetworkState
// (navigator.onLine).
func setOffline(off bool) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		var rules []*network.Conditions
		if off {
			rules = []*network.Conditions{{Offline: true, DownloadThroughput: -1, UploadThroughput: -1}}
		}
		if _, err := cdp.Call(ctx, tg, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
			EmulateOfflineServiceWorker: &off, MatchedNetworkConditions: rules}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, network.OverrideNetworkState, network.OverrideNetworkStateParams{
			Offline: off, DownloadThroughput: -1, UploadThroughput: -1})
		return err
	})
}

// switchListener serves the app until it is told the network is down: then
// it drops every open connection and refuses new ones. The DevTools
// protocol's offline emulation holds for the page (its requests and
// navigator.onLine) but, as sent to the page, not for its service
// worker's requests; this cuts the worker off too.
type switchListener struct {
	net.Listener
	mu    sync.Mutex
	down  bool
	conns map[net.Conn]bool
}

func (l *switchListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		l.mu.Lock()
		if l.down {
			l.mu.Unlock()
			_ = c.Close()
			continue
		}
		l.conns[c] = true
		l.mu.Unlock()
		return c, nil
	}
}

func (l *switchListener) setDown(down bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.down = down
	if down {
		for c := range l.conns {
			_ = c.Close()
		}
		l.conns = map[net.Conn]bool{}
	}
}

// listenSwitchable serves srv on a loopback port until the test ends.
func listenSwitchable(t *testing.T, srv *testServer) (string, *switchListener) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sl := &switchListener{Listener: ln, conns: map[net.Conn]bool{}}
	go func() { _ = srv.App().Listener(sl) }()
	t.Cleanup(func() { _ = srv.App().Shutdown() })
	return "http://" + ln.Addr().String(), sl
}

// eval runs a script in the page (awaiting a promise) and returns its value.
func evalIn[T any](b *browser, js string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("evaluate %.60s: %v", js, err)
	}
	return v
}

// keptBodies is every response kept in the page's Cache Storage, joined.
const keptBodies = `caches.keys().then(keys => Promise.all(keys.map(k => caches.open(k).then(c => c.keys()
  .then(reqs => Promise.all(reqs.map(r => c.match(r).then(res => r.url + "\n" + (res ? res.clone().text() : "")))))
  .then(parts => Promise.all(parts)))))).then(all => all.flat().join("\n"))`

// TestOfflineJourney walks the offline journey in Chromium with JavaScript
// on, signed in, in English and Arabic at 1280 px and Chinese on a phone: save a course for offline, go
// offline, read a saved lesson, meet the offline page on a page not saved,
// answer the quiz offline (the answers wait on the device), come back
// online (they are sent and the result shows) and sign out (the device
// forgets the course). Nothing kept on the device names the account.
func TestOfflineJourney(t *testing.T) {
	if testing.Short() {
		t.Skip("browser journey skipped in -short mode")
	}
	srv := MustOpenServer(t)
	base, line := listenSwitchable(t, srv)
	// The first lesson shows a picture in every language, with resized
	// copies (srcset): saving the course keeps it for offline reading.
	ctx := context.Background()
	if _, err := srv.Store.ImportPack(ctx, &app.Pack{Media: []app.MediaFile{{Name: "offline-map.png", Data: testPNG(t, 1200, 600, 40)}}}); err != nil {
		t.Fatal(err)
	}
	withPicture := srv.course(t, "cyber-hygiene").Course
	for loc := range withPicture.Lessons[0].Body {
		withPicture.Lessons[0].Body[loc] += "\n\n![Map](media/offline-map.png)\n"
	}
	if _, err := srv.Store.ImportPack(ctx, &app.Pack{Courses: []app.Course{withPicture}}); err != nil {
		t.Fatal(err)
	}
	pc := srv.course(t, "cyber-hygiene")
	words := map[string]struct {
		accept, offline, waiting, saved string
		phone                           bool
	}{
		"en":      {"en-GB,en", "You are offline", "Your answers are waiting to be sent", "Saved for offline", false},
		"ar":      {"ar", "أنت غير متصل بالإنترنت", "إجاباتك في انتظار الإرسال", "محفوظة للاستخدام دون اتصال", false},
		"zh-Hans": {"zh-CN,zh", "您处于离线状态", "您的答案正在等待发送", "已保存以供离线阅读", true},
	}
	for _, lang := range []string{"en", "ar", "zh-Hans"} {
		w := words[lang]
		t.Run(lang, func(t *testing.T) {
			email, name := "reader-"+lang+"@example.org", "Offline Reader "+lang
			hash, err := argon2id.CreateHash("a test password", &argon2id.Params{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32})
			if err != nil {
				t.Fatal(err)
			}
			if err := srv.Store.CreateUser(context.Background(), &app.User{Email: email, DisplayName: name, PasswordHash: hash,
				Roles: []string{app.RoleLearner}, Locale: lang}); err != nil {
				t.Fatal(err)
			}
			u, err := srv.Store.FindUserByEmail(context.Background(), email)
			if err != nil {
				t.Fatal(err)
			}
			b := newBrowser(t, base, w.accept)
			b.lang = lang
			if w.phone {
				b.phone()
			}
			b.do(setScripts(false)) // JavaScript on
			course := "/" + lang + "/courses/" + pc.Slug

			b.do(chromedp.Navigate(base + "/" + lang + "/login"))
			b.do(chromedp.SendKeys(chromedp.CSS("#email"), email), chromedp.SendKeys(chromedp.CSS("#password"), "a test password"))
			b.click(`form[action="/` + lang + `/login"] button[type=submit]`)
			b.waitLocation("/" + lang + "/me")
			if !strings.Contains(evalIn[string](b, `document.body.innerText`), name) {
				t.Fatalf("the signed-in page does not name %q", name)
			}

			b.do(chromedp.Navigate(base + course))
			if !evalIn[bool](b, `navigator.serviceWorker.ready.then(() => new Promise(ok => {
  const wait = () => navigator.serviceWorker.controller ? ok(true) : setTimeout(wait, 50); wait(); }))`) {
				t.Fatal("no service worker controls the page")
			}
			b.do(chromedp.WaitVisible(chromedp.CSS(`[data-offline-action="save"]`)))
			b.do(chromedp.Click(chromedp.CSS(`[data-offline-action="save"]`)))
			b.do(chromedp.WaitVisible(chromedp.CSS(`[data-offline-state="saved"]`)))
			if got := b.text(`[data-offline-state="saved"] .tag`); got != w.saved {
				t.Errorf("after saving: %q", got)
			}
			b.check("course-saved")
			if w.phone {
				b.fitsWidth("course-saved")
			}
			b.do(setScripts(false))

			kept := evalIn[string](b, keptBodies)
			lessonURL := course + "/lessons/" + pc.Lessons[0].Slug
			for _, want := range []string{base + course + "\n", base + lessonURL + "\n", base + course + "/quiz\n", "/" + lang + "/offline\n"} {
				if !strings.Contains(kept, want) {
					t.Errorf("not kept on the device: %q", strings.TrimSpace(want))
				}
			}
			for _, personal := range []string{email, name} {
				if strings.Contains(kept, personal) {
					t.Errorf("a kept page names the account: %q", personal)
				}
			}

			// Offline: a saved lesson opens; a page not saved shows the offline page.
			b.do(setOffline(true))
			line.setDown(true)
			if evalIn[bool](b, `navigator.onLine`) {
				t.Fatal("navigator.onLine is still true")
			}
			b.do(chromedp.Navigate(base + lessonURL))
			title, _ := pc.Lessons[0].Title.Get(lang, pc.SourceLocale)
			if got := b.text("h1"); got != title {
				t.Errorf("saved lesson offline: h1 %q, want %q", got, title)
			}
			b.do(setScripts(false))
			if !evalIn[bool](b, `new Promise(ok => { const img = document.querySelector(".prose img[src='/media/offline-map.png']");
  if (!img) { ok(false); return; }
  const done = () => ok(img.naturalWidth > 0); img.complete ? done() : (img.onload = done, img.onerror = () => ok(false)); })`) {
				t.Error("the saved lesson's picture does not show offline")
			}
			b.check("lesson-offline")
			b.do(setScripts(false))
			b.do(chromedp.Navigate(base + "/" + lang + "/alerts"))
			if got := b.text("h1"); got != w.offline {
				t.Errorf("a page not saved, offline: h1 %q", got)
			}
			b.do(chromedp.WaitVisible(chromedp.CSS("[data-offline-saved] ul a")))
			courseTitle, _ := pc.Title.Get(lang, pc.SourceLocale)
			if got := b.text("[data-offline-saved] ul"); got != courseTitle {
				t.Errorf("offline page lists %q", got)
			}
			b.check("offline-page")
			if w.phone {
				b.fitsWidth("offline-page")
			}
			b.do(setScripts(false))

			// The quiz, answered offline, waits on the device.
			b.do(chromedp.Navigate(base + course + "/quiz"))
			b.do(chromedp.WaitReady(chromedp.CSS("html[data-offline-ready]")))
			b.answerRight(pc)
			b.do(chromedp.Click(chromedp.CSS(`form.quiz-form button[type=submit]`)))
			b.do(chromedp.WaitVisible(chromedp.CSS("[data-offline-queued]")))
			if got := b.text("[data-offline-waiting] h2"); got != w.waiting {
				t.Errorf("waiting heading %q", got)
			}
			if got := b.text("[data-offline-waiting] li"); !strings.Contains(got, courseTitle) {
				t.Errorf("waiting list %q", got)
			}
			b.check("quiz-waiting")
			if w.phone {
				b.fitsWidth("quiz-waiting")
			}
			b.do(setScripts(false))
			b.do(chromedp.Navigate(base + "/" + lang + "/offline"))
			b.do(chromedp.WaitVisible(chromedp.CSS("[data-offline-waiting] li")))
			if n, _ := srv.Store.Attempts(context.Background(), u.LearnerID, pc.ID); len(n) != 0 {
				t.Fatalf("an attempt was stored while offline")
			}

			// Online again: the answers go, and the result shows.
			line.setDown(false)
			b.do(setOffline(false))
			b.waitLocation(course + "/quiz/results/")
			if got := b.text(".result-score"); got == "" {
				t.Error("no score on the result page")
			}
			b.check("quiz-result")
			b.do(setScripts(false))
			attempts, err := srv.Store.Attempts(context.Background(), u.LearnerID, pc.ID)
			if err != nil || len(attempts) != 1 || !attempts[0].Passed {
				t.Fatalf("attempts after coming back: %d, %v", len(attempts), err)
			}
			if evalIn[string](b, `localStorage.getItem("beacon-offline-answers") || ""`) != "" {
				t.Error("the answers still wait after they were sent")
			}

			// Signing out forgets what this device kept.
			b.do(chromedp.Navigate(base + "/" + lang + "/me"))
			b.click(`form[action="/` + lang + `/logout"] button`)
			b.waitLocation("/" + lang + "/")
			deadline := time.Now().Add(5 * time.Second)
			for evalIn[int](b, `caches.keys().then(k => k.filter(n => n.startsWith("beacon-course-")).length)`) != 0 {
				if time.Now().After(deadline) {
					t.Fatal("the saved course outlived the sign-out")
				}
				time.Sleep(100 * time.Millisecond)
			}
		})
	}
}
