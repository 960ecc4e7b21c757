package web_test

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"

	"beacon/app/web"
)

// TestMetricsAccess: /metrics answers this machine (by default) or the
// configured networks, judged on the real peer or, behind a trusted proxy,
// on the client it names, or a request with the bearer token; everyone
// else gets 404.
func TestMetricsAccess(t *testing.T) {
	const token = "metrics-token-metrics-token-metrics-token"
	open := func(t *testing.T, tune func(*web.Options)) (*testServer, string) {
		srv := MustOpenServer(t, func(o *web.Options) { o.MetricsAllow = nil; o.MetricsToken = token }, tune)
		return srv, srv.listen(t)
	}
	get := func(t *testing.T, url string, header ...string) int {
		t.Helper()
		req, err := http.NewRequest("GET", url+"/metrics", nil)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	nothing := func(*web.Options) {}
	allow := func(cidrs ...string) func(*web.Options) {
		return func(o *web.Options) {
			o.MetricsAllow = []netip.Prefix{}
			for _, c := range cidrs {
				o.MetricsAllow = append(o.MetricsAllow, netip.MustParsePrefix(c))
			}
		}
	}
	t.Run("LoopbackByDefault", func(t *testing.T) {
		_, base := open(t, nothing)
		if got := get(t, base); got != 200 {
			t.Errorf("from 127.0.0.1 with the default networks: %d, want 200", got)
		}
	})
	t.Run("OtherAddressRefused", func(t *testing.T) {
		srv, _ := open(t, nothing)
		// app.Test's connection comes from 0.0.0.0, outside the default networks.
		resp, err := srv.App().Test(httptest.NewRequest("GET", "/metrics", nil), -1)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 404 {
			t.Errorf("from outside: %d, want 404", resp.StatusCode)
		}
	})
	t.Run("Token", func(t *testing.T) {
		_, base := open(t, allow())
		for _, tc := range []struct {
			header string
			want   int
		}{
			{"", 404},
			{"Bearer " + token, 200},
			{"Bearer " + token[:len(token)-1], 404},
			{"Bearer " + token + "x", 404},
			{"Basic " + token, 404},
			{token, 404},
		} {
			if got := get(t, base, "Authorization", tc.header); got != tc.want {
				t.Errorf("Authorization %q: %d, want %d", tc.header, got, tc.want)
			}
		}
	})
	t.Run("ConfiguredNetworks", func(t *testing.T) {
		_, base := open(t, allow("10.0.0.0/8"))
		if got := get(t, base); got != 404 {
			t.Errorf("from 127.0.0.1, networks 10.0.0.0/8: %d, want 404", got)
		}
		if got := get(t, base, "X-Forwarded-For", "10.1.2.3"); got != 404 {
			t.Errorf("X-Forwarded-For from an untrusted peer believed: %d, want 404", got)
		}
	})
	t.Run("BehindTrustedProxy", func(t *testing.T) {
		_, base := open(t, func(o *web.Options) {
			allow("10.0.0.0/8")(o)
			o.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
		})
		if got := get(t, base, "X-Forwarded-For", "10.1.2.3"); got != 200 {
			t.Errorf("client 10.1.2.3 behind the trusted proxy: %d, want 200", got)
		}
		if got := get(t, base, "X-Forwarded-For", "10.1.2.3, 203.0.113.9"); got != 404 {
			t.Errorf("client 203.0.113.9 (10.1.2.3 written by it) behind the trusted proxy: %d, want 404", got)
		}
		if got := get(t, base); got != 404 {
			t.Errorf("the proxy itself, outside the networks: %d, want 404", got)
		}
	})
	t.Run("NotCached", func(t *testing.T) {
		srv, _ := open(t, func(o *web.Options) { allow("0.0.0.0/32")(o) })
		c := srv.client(t)
		r := c.get("/metrics")
		c.mustStatus(r, 200)
		if !strings.Contains(r.Header.Get("Cache-Control"), "no-store") {
			t.Errorf("Cache-Control %q", r.Header.Get("Cache-Control"))
		}
	})
}

// TestMetricsFigures: /metrics counts requests by route pattern, method and
// status, puts every path that matched no route under one label, and
// carries the figures an operator watches: quiz submissions by outcome,
// certificates issued and the database pool.
func TestMetricsFigures(t *testing.T) {
	srv := MustOpenServer(t)
	pc := srv.course(t, "cyber-hygiene")
	learner := srv.signedIn(t, "metrics-learner@example.org")
	for _, l := range pc.Lessons {
		path := "/en/courses/" + pc.Slug + "/lessons/" + l.Slug
		learner.mustStatus(learner.postForm(learner.get(path), path+"/complete", nil), 303)
	}
	quiz := learner.get("/en/courses/" + pc.Slug + "/quiz")
	learner.mustStatus(learner.postForm(quiz, "/en/courses/"+pc.Slug+"/quiz", rightAnswers(t, quiz, pc, false)), 303)
	guest := srv.client(t)
	quiz = guest.get("/en/courses/" + pc.Slug + "/quiz")
	guest.mustStatus(guest.postForm(quiz, "/en/courses/"+pc.Slug+"/quiz", rightAnswers(t, quiz, pc, true)), 303)
	for _, p := range []string{"/no-such-page", "/wp-login.php", "/en/no/such/page"} {
		guest.mustStatus(guest.get(p), 404)
	}

	m := guest.get("/metrics")
	guest.mustStatus(m, 200)
	for _, want := range []string{
		`beacon_http_requests_total{method="POST",route="/:lang/courses/:course/quiz",status="303"} 2`,
		`beacon_http_requests_total{method="GET",route="unmatched",status="404"} 3`,
		`beacon_quiz_submissions_total{outcome="passed"} 1`,
		`beacon_quiz_submissions_total{outcome="failed"} 1`,
		`beacon_certificates_issued_total 1`,
		`beacon_alerts_published_total 0`,
		`go_sql_open_connections{db_name="beacon"}`,
		`beacon_group_commit_items_total{kind="quiz"} 2`,
	} {
		if !strings.Contains(m.Body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if !strings.Contains(m.Body, `beacon_group_commits_total{kind="quiz"} `) || strings.Contains(m.Body, `beacon_group_commits_total{kind="quiz"} 0`) {
		t.Error("the quiz submissions' group commits are not counted")
	}
	if strings.Contains(m.Body, "wp-login") {
		t.Error("an unmatched path became a label")
	}
}
