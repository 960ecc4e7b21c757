package config_test

import (
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"beacon/app/config"
)

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestConfig_Load(t *testing.T) {
	defaults := config.Config{
		Addr:          ":8080",
		Database:      "data/beacon.db",
		DefaultLocale: "en",
		LogFormat:     "text",
	}
	tests := []struct {
		name     string
		args     []string
		env      map[string]string
		want     func(c *config.Config)
		wantArgs []string
		wantErr  bool
	}{
		{name: "defaults", want: func(*config.Config) {}},
		{
			name: "env vars used",
			env: map[string]string{
				"BEACON_ADDR": ":9090", "BEACON_DATABASE": "postgres://u@db/beacon", "BEACON_BASE_URL": "https://beacon.example",
				"BEACON_SECRET": "s3cr3t", "BEACON_DEFAULT_LOCALE": "zh-Hans", "BEACON_LOG_FORMAT": "json",
			},
			want: func(c *config.Config) {
				*c = config.Config{Addr: ":9090", Database: "postgres://u@db/beacon", BaseURL: "https://beacon.example",
					Secret: "s3cr3t", DefaultLocale: "zh-Hans", LogFormat: "json"}
			},
		},
		{
			name: "empty env var keeps the default",
			env:  map[string]string{"BEACON_ADDR": ""},
			want: func(*config.Config) {},
		},
		{
			name: "flag beats env",
			args: []string{"-addr", ":7070", "-log-format=json"},
			env:  map[string]string{"BEACON_ADDR": ":9090", "BEACON_LOG_FORMAT": "text", "BEACON_DATABASE": "env.db"},
			want: func(c *config.Config) { c.Addr, c.LogFormat, c.Database = ":7070", "json", "env.db" },
		},
		{
			name: "every flag",
			args: []string{"-addr", ":1", "-database", "x.db", "-base-url", "http://h", "-secret", "k", "-default-locale", "ar", "-log-format", "json"},
			want: func(c *config.Config) {
				*c = config.Config{Addr: ":1", Database: "x.db", BaseURL: "http://h", Secret: "k", DefaultLocale: "ar", LogFormat: "json"}
			},
		},
		{
			name:     "remaining arguments returned",
			args:     []string{"-addr", ":1", "import", "pack"},
			want:     func(c *config.Config) { c.Addr = ":1" },
			wantArgs: []string{"import", "pack"},
		},
		{
			name: "proxies and rate limits from env and flags",
			args: []string{"-rate-limits", "quiz_address=100/s"},
			env:  map[string]string{"BEACON_TRUSTED_PROXIES": "10.0.0.0/8", "BEACON_RATE_LIMITS": "login_account=1/m"},
			want: func(c *config.Config) { c.TrustedProxies, c.RateLimits = "10.0.0.0/8", "quiz_address=100/s" },
		},
		{name: "unknown flag", args: []string{"-colour", "blue"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, rest, err := config.Load("beacon", tt.args, env(tt.env), io.Discard)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("Load succeeded with %+v, want an error", c)
				}
				return
			}
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			want := defaults
			tt.want(&want)
			if *c != want {
				t.Errorf("Load = %+v, want %+v", *c, want)
			}
			if len(rest) != len(tt.wantArgs) || (len(rest) > 0 && !slices.Equal(rest, tt.wantArgs)) {
				t.Errorf("remaining args = %q, want %q", rest, tt.wantArgs)
			}
		})
	}
}

func TestConfig_Validate(t *testing.T) {
	valid := func() config.Config {
		return config.Config{Addr: ":8080", Database: "data/beacon.db", DefaultLocale: "en", LogFormat: "text"}
	}
	tests := []struct {
		name        string
		change      func(c *config.Config)
		wantErr     string // substring; "" means valid
		wantBaseURL string
	}{
		{name: "defaults are valid", change: func(*config.Config) {}},
		{name: "json log format", change: func(c *config.Config) { c.LogFormat = "json" }},
		{name: "bad log format", change: func(c *config.Config) { c.LogFormat = "xml" }, wantErr: "BEACON_LOG_FORMAT"},
		{name: "empty log format", change: func(c *config.Config) { c.LogFormat = "" }, wantErr: "BEACON_LOG_FORMAT"},
		{name: "base URL without scheme", change: func(c *config.Config) { c.BaseURL = "beacon.example" }, wantErr: "BEACON_BASE_URL"},
		{name: "base URL with another scheme", change: func(c *config.Config) { c.BaseURL = "ftp://beacon.example" }, wantErr: "BEACON_BASE_URL"},
		{name: "base URL without host", change: func(c *config.Config) { c.BaseURL = "https://" }, wantErr: "BEACON_BASE_URL"},
		{name: "base URL unparsable", change: func(c *config.Config) { c.BaseURL = "http://[::1" }, wantErr: "BEACON_BASE_URL"},
		{name: "base URL trailing slash trimmed", change: func(c *config.Config) { c.BaseURL = "https://beacon.example/" }, wantBaseURL: "https://beacon.example"},
		{name: "base URL path trailing slash trimmed", change: func(c *config.Config) { c.BaseURL = "http://localhost:8080/learn/" }, wantBaseURL: "http://localhost:8080/learn"},
		{name: "base URL kept", change: func(c *config.Config) { c.BaseURL = "https://beacon.example" }, wantBaseURL: "https://beacon.example"},
		{name: "short secret", change: func(c *config.Config) { c.Secret = strings.Repeat("x", 31) }, wantErr: "BEACON_SECRET"},
		{name: "32-character secret", change: func(c *config.Config) { c.Secret = strings.Repeat("x", 32) }},
		{name: "empty secret is generated later", change: func(c *config.Config) { c.Secret = "" }},
		{name: "empty address", change: func(c *config.Config) { c.Addr = "" }, wantErr: "BEACON_ADDR"},
		{name: "empty database", change: func(c *config.Config) { c.Database = "" }, wantErr: "BEACON_DATABASE"},
		{name: "trusted proxies", change: func(c *config.Config) { c.TrustedProxies = "10.0.0.1, 172.16.0.0/12,fd00::/8" }},
		{name: "bad trusted proxy", change: func(c *config.Config) { c.TrustedProxies = "10.0.0.1,proxy.internal" }, wantErr: `BEACON_TRUSTED_PROXIES: "proxy.internal" is not an IP address or CIDR`},
		{name: "metrics networks", change: func(c *config.Config) { c.MetricsAllow = "10.1.0.0/16, ::1" }},
		{name: "metrics for nobody but the token", change: func(c *config.Config) { c.MetricsAllow, c.MetricsToken = "none", strings.Repeat("t", 32) }},
		{name: "bad metrics network", change: func(c *config.Config) { c.MetricsAllow = "10.1.0.1/16" }, wantErr: `BEACON_METRICS_ALLOW: "10.1.0.1/16" has host bits set`},
		{name: "short metrics token", change: func(c *config.Config) { c.MetricsToken = "secret" }, wantErr: "BEACON_METRICS_TOKEN must be at least 32 characters"},
		{name: "rate limits", change: func(c *config.Config) { c.RateLimits = "login_account=5/m,quiz_address=0" }},
		{name: "bad rate limit", change: func(c *config.Config) { c.RateLimits = "login_acount=5/m" }, wantErr: `BEACON_RATE_LIMITS: "login_acount=5/m": unknown limit`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := valid()
			tt.change(&c)
			err := c.Validate()
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
			} else if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Validate = %v, want an error naming %s", err, tt.wantErr)
			}
			if tt.wantBaseURL != "" && c.BaseURL != tt.wantBaseURL {
				t.Errorf("BaseURL = %q, want %q", c.BaseURL, tt.wantBaseURL)
			}
		})
	}

	t.Run("every problem reported", func(t *testing.T) {
		c := valid()
		c.LogFormat, c.Secret, c.BaseURL = "xml", "short", "nope"
		err := c.Validate()
		for _, name := range []string{"BEACON_LOG_FORMAT", "BEACON_SECRET", "BEACON_BASE_URL"} {
			if err == nil || !strings.Contains(err.Error(), name) {
				t.Errorf("Validate = %v, want it to name %s", err, name)
			}
		}
	})
}

func TestConfig_EnsureSecret(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	db := filepath.Join(dir, "beacon.db")

	first := &config.Config{Addr: ":8080", Database: db, LogFormat: "text"}
	if err := first.EnsureSecret(); err != nil {
		t.Fatalf("EnsureSecret: %v", err)
	}
	if len(first.Secret) != 64 {
		t.Errorf("secret has %d characters, want 64", len(first.Secret))
	}
	if _, err := hex.DecodeString(first.Secret); err != nil {
		t.Errorf("secret %q is not hex: %v", first.Secret, err)
	}
	path := filepath.Join(dir, "secret")
	info, err := os.Stat(path)
	if err != nil {
		t.Fatalf("secret file: %v", err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("secret file mode = %v, want 0600", perm)
	}
	data, _ := os.ReadFile(path)
	if strings.TrimSpace(string(data)) != first.Secret {
		t.Errorf("secret file holds %q, want %q", data, first.Secret)
	}
	if err := first.Validate(); err != nil {
		t.Errorf("Validate with the generated secret: %v", err)
	}

	second := &config.Config{Database: db}
	if err := second.EnsureSecret(); err != nil {
		t.Fatalf("second EnsureSecret: %v", err)
	}
	if second.Secret != first.Secret {
		t.Errorf("second start read %q, want the same secret %q", second.Secret, first.Secret)
	}

	t.Run("GivenSecretKept", func(t *testing.T) {
		dir := t.TempDir()
		given := strings.Repeat("k", 40)
		c := &config.Config{Database: filepath.Join(dir, "beacon.db"), Secret: given}
		if err := c.EnsureSecret(); err != nil {
			t.Fatalf("EnsureSecret: %v", err)
		}
		if c.Secret != given {
			t.Errorf("Secret = %q, want the configured %q", c.Secret, given)
		}
		if _, err := os.Stat(filepath.Join(dir, "secret")); !os.IsNotExist(err) {
			t.Errorf("a secret file was written although a secret was configured (stat: %v)", err)
		}
	})

	t.Run("ShortFileReplaced", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "secret"), []byte("short\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		c := &config.Config{Database: filepath.Join(dir, "beacon.db")}
		if err := c.EnsureSecret(); err != nil {
			t.Fatalf("EnsureSecret: %v", err)
		}
		if len(c.Secret) != 64 {
			t.Errorf("Secret = %q, want a new 64-character secret", c.Secret)
		}
	})
}

func TestConfig_Postgres(t *testing.T) {
	tests := []struct {
		name     string
		database string
		want     bool
		wantDir  string
	}{
		{name: "postgres URL", database: "postgres://beacon:pw@localhost:5432/beacon?sslmode=disable", want: true, wantDir: "data"},
		{name: "postgresql URL", database: "postgresql://localhost/beacon", want: true, wantDir: "data"},
		{name: "SQLite file", database: "data/beacon.db", wantDir: "data"},
		{name: "SQLite file elsewhere", database: "/var/lib/beacon/site.db", wantDir: "/var/lib/beacon"},
		{name: "SQLite file named postgres", database: "postgres.db", wantDir: "."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &config.Config{Database: tt.database}
			if got := c.Postgres(); got != tt.want {
				t.Errorf("Postgres() = %v, want %v", got, tt.want)
			}
			if got := c.DataDir(); got != tt.wantDir {
				t.Errorf("DataDir() = %q, want %q", got, tt.wantDir)
			}
		})
	}
}

func TestConfig_ParseTrustedProxies(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []string // prefixes
		wantErr string   // substring
	}{
		{name: "empty", in: ""},
		{name: "blank items skipped", in: " , ", want: nil},
		{name: "IPv4 address", in: "10.0.0.1", want: []string{"10.0.0.1/32"}},
		{name: "IPv6 address", in: "fd00::1", want: []string{"fd00::1/128"}},
		{name: "CIDRs with spaces", in: " 10.0.0.0/8 , 2001:db8::/32", want: []string{"10.0.0.0/8", "2001:db8::/32"}},
		{name: "IPv4-mapped address unmapped", in: "::ffff:192.0.2.7", want: []string{"192.0.2.7/32"}},
		{name: "host name", in: "proxy.internal", wantErr: `"proxy.internal" is not an IP address or CIDR`},
		{name: "bad octet", in: "10.0.0.300", wantErr: `"10.0.0.300" is not an IP address or CIDR`},
		{name: "bad prefix length", in: "10.0.0.0/33", wantErr: `"10.0.0.0/33" is not an IP address or CIDR`},
		{name: "host bits set", in: "10.0.0.1/8", wantErr: `"10.0.0.1/8" has host bits set: write 10.0.0.0/8 for the range or 10.0.0.1/32`},
		{name: "zone", in: "fe80::1%eth0", wantErr: "has a zone"},
		{name: "mapped range", in: "::ffff:10.0.0.0/104", wantErr: "IPv4 range in IPv6 notation"},
		{name: "every bad item named", in: "x,10.0.0.1,y", wantErr: `"x" is not`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := config.ParseTrustedProxies(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var strs []string
			for _, p := range got {
				strs = append(strs, p.String())
			}
			if !slices.Equal(strs, tt.want) {
				t.Fatalf("got %v, want %v", strs, tt.want)
			}
		})
	}
	if _, err := config.ParseTrustedProxies("x,10.0.0.1,y"); err == nil || !strings.Contains(err.Error(), `"y"`) {
		t.Errorf("second bad item not reported: %v", err)
	}
}

func TestConfig_ParseRateLimits(t *testing.T) {
	def := config.DefaultRateLimits()
	tests := []struct {
		name    string
		in      string
		want    func(l *config.RateLimits)
		wantErr string // substring
	}{
		{name: "empty keeps the defaults", in: "", want: func(*config.RateLimits) {}},
		{name: "one per unit", in: "login_account=5/s,login_address=100/m,register_address=50/h", want: func(l *config.RateLimits) {
			l.LoginAccount = config.Rate{Max: 5, Window: time.Second}
			l.LoginAddress = config.Rate{Max: 100, Window: time.Minute}
			l.RegisterAddress = config.Rate{Max: 50, Window: time.Hour}
		}},
		{name: "spaces and a trailing comma", in: " quiz_learner = 20/m , ", want: func(l *config.RateLimits) {
			l.QuizLearner = config.Rate{Max: 20, Window: time.Minute}
		}},
		{name: "zero disables and keeps the window", in: "quiz_address=0", want: func(l *config.RateLimits) {
			l.QuizAddress = config.Rate{Max: 0, Window: time.Minute}
		}},
		{name: "zero with a unit", in: "quiz_address=0/h", want: func(l *config.RateLimits) {
			l.QuizAddress = config.Rate{Max: 0, Window: time.Hour}
		}},
		{name: "unknown name", in: "login=10/m", wantErr: `"login=10/m": unknown limit "login" (known: login_account, login_address, register_address, quiz_learner, quiz_address, reset_account, reset_address, register_account, token_address)`},
		{name: "no equals", in: "login_account", wantErr: `"login_account": want name=N/unit`},
		{name: "no unit", in: "login_account=10", wantErr: `"login_account=10": want N/unit`},
		{name: "bad unit", in: "login_account=10/d", wantErr: `"login_account=10/d": unit "d"`},
		{name: "bad count", in: "login_account=ten/m", wantErr: `"login_account=ten/m": count "ten"`},
		{name: "negative count", in: "login_account=-1/m", wantErr: `count "-1"`},
		{name: "given twice", in: "quiz_learner=1/m,quiz_learner=2/m", wantErr: "quiz_learner is given twice"},
		{name: "bad part named among good ones", in: "login_account=5/m,quiz_address=3000/x", wantErr: `"quiz_address=3000/x": unit "x"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := config.ParseRateLimits(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := def
			tt.want(&want)
			if got != want {
				t.Fatalf("got %+v, want %+v", got, want)
			}
		})
	}
	if s := def.LoginAccount.String() + " " + def.RegisterAddress.String() + " " + (config.Rate{}).String(); s != "10/m 300/h 0" {
		t.Errorf("Rate.String: %q", s)
	}
}
