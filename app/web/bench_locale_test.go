package web_test

import (
	"testing"

	"beacon/app/web"

	"github.com/valyala/fasthttp"
)

// BenchmarkLessonPageLocales renders the same lesson in every locale for a
// returning guest, in full (page cache off): right-to-left Arabic and CLDR
// formatting cost no more than English.
func BenchmarkLessonPageLocales(b *testing.B) {
	srv := MustOpenServer(b, func(o *web.Options) { o.NoPageCache = true })
	c := srv.client(b)
	page := c.get("/en/courses/cyber-hygiene/lessons/passwords")
	c.mustStatus(c.postForm(page, "/en/courses/cyber-hygiene/lessons/passwords/complete", nil), 303)
	h := srv.Handler()
	for _, lang := range srv.Bundle.Locales() {
		b.Run(lang, func(b *testing.B) {
			var ctx fasthttp.RequestCtx
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if st := serveOnce(b, h, &ctx, "GET", "/"+lang+"/courses/cyber-hygiene/lessons/phishing", c.cookies, ""); st != 200 {
					b.Fatalf("status %d", st)
				}
			}
		})
	}
}
