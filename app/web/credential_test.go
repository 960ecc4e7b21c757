package web_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"beacon/app"
	"beacon/app/credential"
	"beacon/app/store"
	"beacon/app/testenv"
	"beacon/app/web"
)

// liveServer serves a seeded server on st at a loopback address that is
// also its base URL, as a deployment with BEACON_BASE_URL would, so that
// the URLs inside credentials can be fetched by an outside verifier.
func liveServer(t *testing.T, st *store.Store, tune ...func(*web.Options)) (*testServer, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	srv := mustOpenServerOn(t, st, append([]func(*web.Options){func(o *web.Options) { o.BaseURL = base }}, tune...)...)
	go func() { _ = srv.App().Listener(ln) }()
	t.Cleanup(func() { _ = srv.App().Shutdown() })
	return srv, base
}

// certifiedLearner signs a new learner in, completes cyber-hygiene and
// returns the client and the certificate.
func certifiedLearner(t *testing.T, srv *testServer, email string) (*client, *app.Certificate) {
	t.Helper()
	c := srv.signedIn(t, email)
	c.completeCourse("en", srv.course(t, "cyber-hygiene"))
	u, err := srv.Store.FindUserByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	certs, err := srv.Store.Certificates(context.Background(), u.ID)
	if err != nil || len(certs) != 1 {
		t.Fatalf("certificates: %v, %v", certs, err)
	}
	return c, certs[0]
}

// download fetches a URL from the live server and returns its answer.
func download(t *testing.T, target string) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.Get(target)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

// verifyResult is what testdata/verify_credential.mjs prints.
type verifyResult struct {
	Status      string `json:"status"`
	Error       string `json:"error"`
	Kid         string `json:"kid"`
	Issuer      string `json:"issuer"`
	Achievement string `json:"achievement"`
	Holder      string `json:"holder"`
	ListBits    int    `json:"listBits"`
}

// verifyWithJose runs the jose-based verifier on a credential.
func verifyWithJose(t *testing.T, modules, base, token string) verifyResult {
	t.Helper()
	file := filepath.Join(t.TempDir(), "credential.jwt")
	if err := os.WriteFile(file, []byte(token), 0o600); err != nil {
		t.Fatal(err)
	}
	script, err := filepath.Abs("testdata/verify_credential.mjs")
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("node", script, modules, base, file).CombinedOutput()
	if err != nil {
		t.Fatalf("node verifier: %v\n%s", err, out)
	}
	var res verifyResult
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("verifier said %s", out)
	}
	return res
}

// TestCredentialVerifiedByJose has an independent verifier (the jose npm
// package) check a downloaded credential against the published keys and
// status list: valid, then revoked once the account is deleted; a
// tampered token fails. SQLite and PostgreSQL.
func TestCredentialVerifiedByJose(t *testing.T) {
	modules := testenv.NodeModules(t, "jose")
	for name, open := range testenv.Stores(t) {
		t.Run(name, func(t *testing.T) {
			srv, base := liveServer(t, open(t))
			c, cert := certifiedLearner(t, srv, "ada@example.org")

			resp, body := download(t, base+"/certificates/"+cert.Code+"/credential.jwt")
			if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/vc+jwt" ||
				!strings.Contains(resp.Header.Get("Content-Disposition"), `attachment; filename="certificate-`+cert.Code+`.jwt"`) {
				t.Fatalf("download: %d %v", resp.StatusCode, resp.Header)
			}
			token := string(body)
			got := verifyWithJose(t, modules, base, token)
			if got.Status != "valid" || got.Holder != "ada" || got.Achievement == "" || got.ListBits < credential.MinStatusListBits {
				t.Fatalf("verifier: %+v", got)
			}

			// A changed payload (another holder) no longer verifies.
			parts := strings.Split(token, ".")
			payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
			forged := strings.Replace(string(payload), `"identityHash":"ada"`, `"identityHash":"eve"`, 1)
			if forged == string(payload) {
				t.Fatal("holder name not found in the payload")
			}
			parts[1] = base64.RawURLEncoding.EncodeToString([]byte(forged))
			if got := verifyWithJose(t, modules, base, strings.Join(parts, ".")); got.Status != "invalid" {
				t.Fatalf("tampered token: %+v", got)
			}

			// Deleting the account revokes the certificate.
			form := c.get("/en/me/delete")
			c.mustStatus(c.postForm(form, "/en/me/delete", url.Values{"password": {"a test password"}}), 303)
			if got := verifyWithJose(t, modules, base, token); got.Status != "revoked" {
				t.Fatalf("after deletion: %+v", got)
			}
		})
	}
}

// TestCredentialStable checks that a credential signs to the same bytes
// every time, and that another secret gives another key and kid.
func TestCredentialStable(t *testing.T) {
	st := testenv.MustOpenStore(t)
	srv, base := liveServer(t, st)
	_, cert := certifiedLearner(t, srv, "stable@example.org")
	target := base + "/certificates/" + cert.Code + "/credential.jwt"
	_, first := download(t, target)
	_, second := download(t, target)
	if string(first) != string(second) || len(first) == 0 {
		t.Fatal("two downloads differ")
	}
	_, jwks := download(t, base+"/.well-known/jwks.json")

	other, _ := liveServer(t, st, func(o *web.Options) {
		o.Secret = []byte("another-secret-another-secret-another!")
		o.BaseURL = base // named as the first one, so only the key differs
	})
	r := other.client(t).get("/certificates/" + cert.Code + "/credential.jwt")
	if r.Status != 200 || r.Body == string(first) {
		t.Fatalf("another secret: %d, same bytes %v", r.Status, r.Body == string(first))
	}
	twin, _ := liveServer(t, st, func(o *web.Options) { o.BaseURL = base })
	if r := twin.client(t).get("/certificates/" + cert.Code + "/credential.jwt"); r.Body != string(first) {
		t.Fatal("an instance with the same secret and base URL signs other bytes")
	}
	otherJWKS := other.client(t).get("/.well-known/jwks.json").Body
	var a, b credential.JWKSet
	if err := json.Unmarshal(jwks, &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(otherJWKS), &b); err != nil {
		t.Fatal(err)
	}
	if len(a.Keys) != 1 || len(b.Keys) != 1 || a.Keys[0].Kid == b.Keys[0].Kid || a.Keys[0].X == b.Keys[0].X ||
		!strings.HasPrefix(a.Keys[0].Kid, "v1-") || a.Keys[0].Alg != "EdDSA" || a.Keys[0].Crv != "Ed25519" || a.Keys[0].Use != "sig" {
		t.Fatalf("keys: %+v / %+v", a, b)
	}
	header, _ := base64.RawURLEncoding.DecodeString(strings.Split(string(first), ".")[0])
	if string(header) != `{"alg":"EdDSA","kid":"`+a.Keys[0].Kid+`","typ":"vc+jwt","cty":"vc"}` {
		t.Fatalf("header %s", header)
	}
}

// TestCertificateLookup checks the lookup form in French: codes typed in
// lower case, with spaces or dashes, find the certificate; an empty or
// malformed code shows a localized error summary; an unknown one is a
// localized 404. SQLite and PostgreSQL.
func TestCertificateLookup(t *testing.T) {
	for name, open := range testenv.Stores(t) {
		t.Run(name, func(t *testing.T) {
			srv := mustOpenServerOn(t, open(t))
			_, cert := certifiedLearner(t, srv, "lookup@example.org")
			c := srv.client(t)
			c.lang = "fr-FR,fr"

			form := c.get("/certificates")
			c.mustStatus(form, 200)
			if form.Doc.Find(`form[action="/certificates"][method="get"] input#code[name=code]`).Length() != 1 ||
				text(form, `label[for=code]`) != "Code de vérification" || text(form, "#code-hint") == "" {
				t.Fatalf("form: %s", text(form, "main"))
			}

			typed := strings.ToLower(" " + cert.Code[:4] + "-" + cert.Code[4:8] + " " + cert.Code[8:] + " ")
			r := c.get("/certificates?code=" + url.QueryEscape(typed))
			c.mustStatus(r, 303)
			if r.Location != "/certificates/"+cert.Code {
				t.Fatalf("lookup went to %q", r.Location)
			}
			page := c.get(r.Location)
			c.mustStatus(page, 200)
			if text(page, ".certificate-name") != "lookup" || page.Doc.Find(`a#credential-download[href="/certificates/`+cert.Code+`/credential.jwt"]`).Length() != 1 {
				t.Fatalf("certificate page: %s", text(page, "main"))
			}
			// The page's language follows each visitor (it has no locale in
			// its path), so no visitor gets another's kept copy.
			for _, v := range []struct{ accept, want string }{{"en", "Certificate"}, {"fr", "Certificat"}, {"zh-CN", "证书"}} {
				other := srv.client(t)
				other.lang = v.accept
				p := other.get("/certificates/" + cert.Code)
				other.mustStatus(p, 200)
				if got := text(p, "#cert-title"); !strings.Contains(got, v.want) {
					t.Fatalf("Accept-Language %s: title %q, want %q", v.accept, got, v.want)
				}
			}
			r = c.get("/certificates/" + strings.ToLower(cert.Code))
			c.mustStatus(r, 301)
			if r.Location != "/certificates/"+cert.Code {
				t.Fatalf("lower-case URL went to %q", r.Location)
			}

			for typed, want := range map[string]string{"": "Saisissez le code de vérification.", "ABC": "Un code de vérification compte 12 lettres",
				"ABCD EFGH JKM0": "Un code de vérification compte 12 lettres"} {
				r := c.get("/certificates?code=" + url.QueryEscape(typed))
				c.mustStatus(r, 422)
				if got := text(r, ".error-summary li a[href='#code']"); !strings.HasPrefix(got, want) || text(r, "#code-error") == "" {
					t.Fatalf("code %q: summary %q", typed, got)
				}
			}

			r = c.get("/certificates?code=aaaa-aaaa-aaaa")
			c.mustStatus(r, 303)
			missing := c.get(r.Location)
			c.mustStatus(missing, 404)
			if !strings.Contains(text(missing, "main"), "Aucun certificat ne correspond à ce code") {
				t.Fatalf("unknown code: %s", text(missing, "main"))
			}
		})
	}
}

// TestCertificateRevokedOnDeletion checks what deleting an account leaves
// of its certificate: a 410 page without a name, a set status bit, and a
// row without name or account. SQLite and PostgreSQL.
func TestCertificateRevokedOnDeletion(t *testing.T) {
	for name, open := range testenv.Stores(t) {
		t.Run(name, func(t *testing.T) {
			srv := mustOpenServerOn(t, open(t))
			c, cert := certifiedLearner(t, srv, "gone@example.org")
			anyone := srv.client(t)
			anyone.mustStatus(anyone.get("/certificates/"+cert.Code), 200) // kept by the page cache
			var before, after struct {
				Code, Status, Credential string
				HolderName               *string `json:"holder_name"`
			}
			mustJSON(t, anyone.get("/api/v1/certificates/"+strings.ToLower(cert.Code)+"?lang=fr"), &before)
			if before.Code != cert.Code || before.Status != "valid" || before.HolderName == nil || *before.HolderName != "gone" || before.Credential == "" {
				t.Fatalf("API before deletion: %+v", before)
			}
			mustProblem(t, anyone.get("/api/v1/certificates/AAAAAAAAAAAA"), 404)

			form := c.get("/en/me/delete")
			c.mustStatus(c.postForm(form, "/en/me/delete", url.Values{"password": {"a test password"}}), 303)

			page := anyone.get("/certificates/" + cert.Code)
			anyone.mustStatus(page, 410)
			if text(page, "h1") != "Certificate revoked" || !strings.Contains(text(page, "main"), "This certificate has been revoked.") ||
				strings.Contains(page.Body, "gone") {
				t.Fatalf("revoked page: %s", text(page, "main"))
			}
			anyone.mustStatus(anyone.get("/certificates/"+cert.Code+"/credential.jwt"), 410)
			mustJSON(t, anyone.get("/api/v1/certificates/"+cert.Code), &after)
			if after.Status != "revoked" || after.HolderName != nil || after.Credential != "" {
				t.Fatalf("API after deletion: %+v", after)
			}

			row, err := srv.Store.FindCertificateByCode(context.Background(), cert.Code)
			if err != nil || !row.Revoked() || row.HolderName != "" || row.UserID != 0 || row.StatusIndex != cert.StatusIndex {
				t.Fatalf("row: %+v, %v", row, err)
			}
			list := anyone.get("/credentials/status/1")
			anyone.mustStatus(list, 200)
			payload, _ := base64.RawURLEncoding.DecodeString(strings.Split(list.Body, ".")[1])
			var lc credential.BitstringStatusListCredential
			if err := json.Unmarshal(payload, &lc); err != nil {
				t.Fatal(err)
			}
			if set, err := credential.DecodeStatusList(lc.CredentialSubject.EncodedList, cert.StatusIndex); err != nil || !set {
				t.Fatalf("status bit: %v, %v", set, err)
			}
		})
	}
}
