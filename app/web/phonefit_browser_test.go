package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// phoneFit is what TestPublicPagesFitPhone measures on a page: form
// controls under 16 px (phones zoom into those), main actions under 44 px
// tall, radios and checkboxes under 24 px or with a label that does not
// take clicks.
type phoneFit struct {
	SmallText    []string `json:"smallText"`
	ShortActions []string `json:"shortActions"`
	SmallChoices []string `json:"smallChoices"`
}

const phoneFitJS = `(() => {
  const name = el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : "");
  const shown = el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== "hidden"; };
  const out = {smallText: [], shortActions: [], smallChoices: []};
  for (const el of document.querySelectorAll('input:not([type=hidden]):not([type=radio]):not([type=checkbox]):not([type=submit]):not([type=button]), select, textarea')) {
    const fs = parseFloat(getComputedStyle(el).fontSize);
    if (shown(el) && fs < 16) out.smallText.push(name(el) + " " + fs + "px");
  }
  for (const el of document.querySelectorAll('main .button, main form button[type=submit]:not(.link-button):not(.alert-banners *):not(.alert-banner *)')) {
    const h = el.getBoundingClientRect().height;
    if (shown(el) && h < 44) out.shortActions.push(name(el) + " " + Math.round(h) + "px");
  }
  for (const el of document.querySelectorAll('main input[type=radio], main input[type=checkbox]')) {
    if (!shown(el)) continue;
    const r = el.getBoundingClientRect();
    const label = el.closest("label") || (el.id && document.querySelector('label[for="' + CSS.escape(el.id) + '"]'));
    if (r.width < 24 || r.height < 24) out.smallChoices.push(name(el) + " " + Math.round(r.width) + "x" + Math.round(r.height));
    else if (!label) out.smallChoices.push(name(el) + " without a label");
    else if (label.getBoundingClientRect().height < 24) out.smallChoices.push(name(el) + " label " + Math.round(label.getBoundingClientRect().height) + "px tall");
  }
  return out;
})()`

// TestPublicPagesFitPhone walks every public page (home, catalog, course,
// lesson, quiz, quiz result, campaigns, campaign page and results, alerts
// and an alert, certificate and its lookup, register, sign in, forgot,
// /me, /me/account, /me/tokens, delete account, the 404 page) in every
// locale in Chromium emulating a 320×568 touch phone, then a 390×844 one,
// with a live alert on the site and a learner with a passed attempt and a
// certificate: no page scrolls sideways (tables scroll in their own box),
// axe (WCAG 2.1 A/AA, 2.2 AA target size) finds nothing, every form
// control is set at 16 px or more, every main action (.button, submit
// buttons but the alert banner's Hide) is at least 44 px tall, and radios and checkboxes are at least
// 24 px with a label that takes the click.
func TestPublicPagesFitPhone(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	start := time.Now()
	site := newPublicSite(t)
	base := site.srv.listen(t)
	// Every locale at both widths with JavaScript off (how the journeys
	// are tested), and English, Arabic and Chinese at 320 px with it on:
	// the script shows controls of its own (save for offline, print).
	type run struct {
		w, h  int64
		langs []string
		js    bool
	}
	runs := []run{{320, 568, site.srv.Bundle.Locales(), false}, {390, 844, site.srv.Bundle.Locales(), false}, {320, 568, []string{"en", "ar", "zh-Hans"}, true}}
	for _, rn := range runs {
		size := struct{ w, h int64 }{rn.w, rn.h}
		for _, lang := range rn.langs {
			name := itoa(size.w) + "/" + lang
			if rn.js {
				name += "/js"
			}
			t.Run(name, func(t *testing.T) {
				b := newBrowser(t, base, lang)
				b.lang = "fit" + itoa(size.w) + "-" + lang
				if rn.js {
					b.lang += "-js"
				}
				b.phoneAt(size.w, size.h)
				scripts := func() { b.do(setScripts(!rn.js)) }
				scripts()
				visit := func(p string) {
					path := strings.ReplaceAll(p, "{lang}", lang)
					b.do(chromedp.Navigate(base + path))
					b.fitsWidth(path)
					b.check(strings.Trim(strings.NewReplacer("/", "_", "{lang}", "").Replace(p), "_"))
					b.do(setScripts(false))
					f, err := chromedp.Run(b.ctx, chromedp.Evaluate[phoneFit](phoneFitJS))
					scripts()
					if err != nil {
						t.Fatalf("measure %s: %v", path, err)
					}
					if len(f.SmallText) > 0 {
						t.Errorf("%s: form controls under 16 px: %v", path, f.SmallText)
					}
					if len(f.ShortActions) > 0 {
						t.Errorf("%s: main actions under 44 px tall: %v", path, f.ShortActions)
					}
					if len(f.SmallChoices) > 0 {
						t.Errorf("%s: small radios or checkboxes: %v", path, f.SmallChoices)
					}
				}
				b.do(chromedp.Navigate(base + "/" + lang + "/")) // the locale cookie, for /certificates
				for _, p := range site.guest {
					visit(p)
				}
				b.signIn(publicLearnerEmail, "a test password")
				scripts()
				for _, p := range site.signedIn {
					visit(p)
				}
			})
		}
	}
	t.Logf("%d pages in %d locales at 2 widths, and in 3 with JavaScript, in %s", len(site.guest)+len(site.signedIn), len(site.srv.Bundle.Locales()), time.Since(start).Round(time.Second))
}
