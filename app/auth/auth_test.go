package auth_test

import (
	"errors"
	"strings"
	"testing"

	"beacon/app"
	"beacon/app/auth"
)

func TestPasswordPolicy(t *testing.T) {
	tests := []struct {
		name  string
		pw    string
		email string
		want  string // message id, "" = accepted
	}{
		{name: "empty", pw: "", want: auth.MsgRequired},
		{name: "nine", pw: "correcth9", want: auth.MsgShort},
		{name: "ten unrelated", pw: "violet cup", want: ""},
		{name: "digits in order", pw: "1234567890", want: auth.MsgCommon},
		{name: "password12", pw: "password12", want: auth.MsgCommon},
		{name: "common case and spaces", pw: "  PassWord12 ", want: auth.MsgCommon},
		{name: "common padded with spaces", pw: "qwerty    ", want: auth.MsgCommon},
		{name: "one letter repeated", pw: "aaaaaaaaaa", want: auth.MsgRepeated},
		{name: "one symbol repeated", pw: "!!!!!!!!!!!!", want: auth.MsgRepeated},
		{name: "cyrillic repeated", pw: "жжжжжжжжжж", want: auth.MsgRepeated},
		{name: "no composition rules", pw: "lowercase words only", want: ""},
		{name: "own email", pw: "Anna.Lee@example.org", email: "anna.lee@example.org", want: auth.MsgEmail},
		{name: "own email local part", pw: "anna.lee.1987", email: "anna.lee.1987@example.org", want: auth.MsgEmail},
		{name: "other email", pw: "bob.smith@example.org", email: "anna.lee@example.org", want: ""},
		// Length counts characters, not bytes: 9 Chinese characters are 27
		// bytes yet too short, 10 are enough.
		{name: "unicode nine runes", pw: "安全密码安全密码安", want: auth.MsgShort},
		{name: "unicode ten runes", pw: "安全密码安全密码安全", want: ""},
		{name: "arabic ten runes", pw: "كلمةسرقوية", want: ""},
		{name: "max length", pw: strings.Repeat("ab", auth.MaxLength/2), want: ""},
		{name: "over max length", pw: strings.Repeat("ab", auth.MaxLength/2) + "c", want: auth.MsgLong},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := auth.CheckPasswordFor(tt.pw, tt.email)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("CheckPasswordFor(%q) = %v, want nil", tt.pw, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("CheckPasswordFor(%q) = nil, want %s", tt.pw, tt.want)
			}
			if got := app.ErrorMessageID(err); got != tt.want || app.ErrorCode(err) != app.EINVALID {
				t.Fatalf("CheckPasswordFor(%q) = %v, want %s", tt.pw, err, tt.want)
			}
			var ae *app.Error
			if !errors.As(err, &ae) || ae.Field != auth.Field {
				t.Fatalf("error %v not attached to field %q", err, auth.Field)
			}
			if tt.email == "" {
				if got := app.ErrorMessageID(auth.CheckPassword(tt.pw)); got != tt.want {
					t.Fatalf("CheckPassword(%q) = %s, want %s", tt.pw, got, tt.want)
				}
			}
		})
	}
}

func TestCommonListSize(t *testing.T) {
	// The shipped list must hold at least 10,000 passwords: probe entries
	// known to sit deep in zxcvbn's list, in order of frequency.
	for _, pw := range []string{"123456", "password", "password12"} {
		if !auth.IsCommon(pw) {
			t.Errorf("IsCommon(%q) = false", pw)
		}
	}
	if auth.CommonListSize < 10000 {
		t.Fatalf("CommonListSize = %d, want >= 10000", auth.CommonListSize)
	}
}

func TestHashAndVerify(t *testing.T) {
	h, err := auth.HashPassword("violet cup kettle")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$") {
		t.Fatalf("hash %q is not argon2id", h)
	}
	for _, tt := range []struct {
		pw, hash string
		want     bool
	}{
		{"violet cup kettle", h, true},
		{"violet cup kettlE", h, false},
		{"violet cup kettle", "", false},
		{strings.Repeat("x", auth.MaxLength+1), h, false},
	} {
		got, err := auth.VerifyPassword(tt.pw, tt.hash)
		if err != nil || got != tt.want {
			t.Errorf("VerifyPassword(%.20q, …) = %v, %v; want %v", tt.pw, got, err, tt.want)
		}
	}
	if _, err := auth.VerifyPassword("x", "not a hash"); err == nil {
		t.Error("VerifyPassword with a malformed hash: want an error")
	}
	if _, err := auth.HashPassword(strings.Repeat("x", auth.MaxLength+1)); err == nil {
		t.Error("HashPassword over MaxLength: want an error")
	}
}

func TestDeviceOf(t *testing.T) {
	tests := []struct {
		ua                string
		browser, platform string
	}{
		{"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "Chrome", "Linux"},
		{"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox", "Windows"},
		{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0", "Edge", "Windows"},
		{"Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1", "Safari", "iOS"},
		{"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36", "Chrome", "Android"},
		{"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15", "Safari", "macOS"},
		{"", "", ""},
		{"something else", "", ""},
	}
	for _, tt := range tests {
		d := auth.DeviceOf(tt.ua)
		if d.Browser != tt.browser || d.Platform != tt.platform {
			t.Errorf("DeviceOf(%.40q) = %+v, want %s/%s", tt.ua, d, tt.browser, tt.platform)
		}
	}
}

// BenchmarkCheckPassword measures the policy alone (the common list is
// built before the timer starts); argon2id dominates a real request.
func BenchmarkCheckPassword(b *testing.B) {
	auth.IsCommon("warm up")
	for b.Loop() {
		_ = auth.CheckPasswordFor("violet cup kettle", "ana@example.org")
	}
}

func BenchmarkHashPassword(b *testing.B) {
	for b.Loop() {
		if _, err := auth.HashPassword("violet cup kettle"); err != nil {
			b.Fatal(err)
		}
	}
}
