// Package shareimage draws the pictures that social apps and messengers show
// when a page is shared (Open Graph and Twitter cards, 1200×630 PNG) and the
// site's icons (favicon and web app manifest icons).
//
// Text is shaped with go-text/typesetting (a HarfBuzz port: Arabic joins
// and runs right to left, Chinese wraps between characters) in fonts found
// on the system by script, and drawn as outlines with golang.org/x/image/vector.
// A text no installed font covers is left out, never drawn as boxes.
//
// It imports only the standard library and those two modules; it knows
// nothing of HTTP, the store or the catalogs.
package shareimage
