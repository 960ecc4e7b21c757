package web

import (
	"bytes"
	"context"
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
// other route reads 50 MiB into memory. Only a live administrator's
// session gets the larger bound (looked up as the session middleware does,
// through the short session cache), so a forged or a learner's cookie
// cannot make the server read 50 MiB before the role check refuses it.
func (s *Server) bodyLimit(h *fasthttp.RequestHeader) fasthttp.RequestConfig {
	if !bytes.Equal(h.Method(), []byte(fasthttp.MethodPost)) || !packUploadPath(h.RequestURI()) {
		return fasthttp.RequestConfig{}
	}
	token := h.Cookie(cookieSession)
	if len(token) == 0 {
		return fasthttp.RequestConfig{}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	u, err := s.sessionUserOf(ctx, string(token))
	if err != nil || !u.HasRole(accessAdmin) {
		return fasthttp.RequestConfig{}
	}
	return fasthttp.RequestConfig{MaxRequestBodySize: maxPackUpload, ReadTimeout: 10 * time.Minute}
}

// packUploadPath reports /{lang}/admin/packs (a query aside).
func packUploadPath(uri []byte) bool {
	if i := bytes.IndexByte(uri, '?'); i >= 0 {
		uri = uri[:i]
	}
	lang, rest, ok := bytes.Cut(bytes.TrimPrefix(uri, []byte("/")), []byte("/"))
	return ok && len(lang) > 0 && len(lang) <= 16 && string(rest) == "admin/packs"
}
