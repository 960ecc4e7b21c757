package auth

import (
	"strings"

	"beacon/app"
)

// DeviceOf summarizes a User-Agent header as a browser and a platform name
// for the list of sessions ("" for what it does not recognize). Only the
// summary is stored, not the header. The order of the checks matters:
// Edge and Opera also say "Chrome", Chrome also says "Safari", Android
// also says "Linux", iOS also says "Mac OS X".
func DeviceOf(userAgent string) app.Device {
	ua := userAgent
	if len(ua) > 512 {
		ua = ua[:512]
	}
	var d app.Device
	for _, b := range []struct{ token, name string }{
		{"Edg/", "Edge"}, {"EdgA/", "Edge"}, {"EdgiOS/", "Edge"},
		{"OPR/", "Opera"}, {"SamsungBrowser/", "Samsung Internet"}, {"YaBrowser/", "Yandex Browser"},
		{"Firefox/", "Firefox"}, {"FxiOS/", "Firefox"}, {"CriOS/", "Chrome"},
		{"Chromium/", "Chromium"}, {"Chrome/", "Chrome"}, {"Safari/", "Safari"},
		{"curl/", "curl"},
	} {
		if strings.Contains(ua, b.token) {
			d.Browser = b.name
			break
		}
	}
	for _, p := range []struct{ token, name string }{
		{"Android", "Android"}, {"iPhone", "iOS"}, {"iPad", "iPadOS"},
		{"CrOS", "ChromeOS"}, {"Windows", "Windows"}, {"Mac OS X", "macOS"}, {"Macintosh", "macOS"},
		{"Linux", "Linux"},
	} {
		if strings.Contains(ua, p.token) {
			d.Platform = p.name
			break
		}
	}
	return d
}
