package web

import (
	"bytes"
	"time"

	"github.com/valyala/fasthttp"
)

// maxBody bounds a request body: media uploads are up to 2 MiB
// (media.MaxSize) with their form around them.
const maxBody = 3 << 20

// bodyLimit sets the body bound of one request from its headers, before
// fasthttp reads the body: a content pack upload (POST /{lang}/admin/packs)
// may send maxPackUpload, so that a site can upload its own site.zip, and
// gets more time to do it; every other request keeps maxBody, so that no
// other route reads 50 MiB into memory. Only a request with a session
// cookie gets the larger bound; the route then still requires an
// administrator (a forged cookie is read, then refused).
func bodyLimit(h *fasthttp.RequestHeader) fasthttp.RequestConfig {
	if bytes.Equal(h.Method(), []byte(fasthttp.MethodPost)) && len(h.Cookie(cookieSession)) > 0 && packUploadPath(h.RequestURI()) {
		return fasthttp.RequestConfig{MaxRequestBodySize: maxPackUpload, ReadTimeout: 10 * time.Minute}
	}
	return fasthttp.RequestConfig{}
}

// packUploadPath reports /{lang}/admin/packs (a query aside).
func packUploadPath(uri []byte) bool {
	if i := bytes.IndexByte(uri, '?'); i >= 0 {
		uri = uri[:i]
	}
	lang, rest, ok := bytes.Cut(bytes.TrimPrefix(uri, []byte("/")), []byte("/"))
	return ok && len(lang) > 0 && len(lang) <= 16 && string(rest) == "admin/packs"
}
