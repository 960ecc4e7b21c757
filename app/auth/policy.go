package auth

import (
	"strings"
	"sync"
	"unicode/utf8"

	"beacon/app"

	"github.com/trustelem/zxcvbn/frequency"
)

// Length bounds of a password. MinLength counts characters (runes), so
// that a password in any script is judged alike; MaxLength counts bytes
// and bounds the work one request can make argon2id and the policy do.
const (
	MinLength = 10
	MaxLength = 1024
)

// CommonListSize is how many entries of zxcvbn's "passwords" frequency
// list (most frequent first, from leaked password corpora) are refused.
const CommonListSize = 30000

// Field is the form field name policy errors are attached to.
const Field = "password"

// Message ids of the policy's answers (keys of content/locales).
const (
	MsgRequired = "account.error.password_required"
	MsgShort    = "account.error.password_short"
	MsgLong     = "account.error.password_long"
	MsgCommon   = "account.error.password_common"
	MsgRepeated = "account.error.password_repeated"
	MsgEmail    = "account.error.password_email"
)

// CheckPassword reports whether pw may become a password. It returns nil,
// or an *app.Error with code app.EINVALID, Field "password" and one of the
// Msg* message ids: empty, shorter than MinLength characters, longer than
// MaxLength bytes, one character repeated, or among the most common
// passwords (compared case-insensitively after trimming spaces). There
// are no composition rules. When the account's e-mail address is known,
// call CheckPasswordFor instead.
func CheckPassword(pw string) error {
	return CheckPasswordFor(pw, "")
}

// CheckPasswordFor is CheckPassword that also refuses the account's own
// e-mail address, or its part before the "@", as the password (compared
// case-insensitively after trimming). email may be "".
func CheckPasswordFor(pw, email string) error {
	switch {
	case pw == "":
		return app.FieldError(Field, MsgRequired)
	case len(pw) > MaxLength:
		return app.FieldError(Field, MsgLong)
	case utf8.RuneCountInString(pw) < MinLength:
		return app.FieldError(Field, MsgShort)
	}
	norm := normalize(pw)
	if repeated(norm) {
		return app.FieldError(Field, MsgRepeated)
	}
	if IsCommon(norm) {
		return app.FieldError(Field, MsgCommon)
	}
	if e := normalize(email); e != "" {
		local := e
		if i := strings.LastIndex(e, "@"); i > 0 {
			local = e[:i]
		}
		if norm == e || norm == local {
			return app.FieldError(Field, MsgEmail)
		}
	}
	return nil
}

// IsCommon reports whether pw, trimmed and lower-cased, is one of the
// CommonListSize most common passwords.
func IsCommon(pw string) bool {
	_, ok := commonSet()[normalize(pw)]
	return ok
}

// normalize trims surrounding white space and lower-cases, so that
// "  Password12 " meets "password12" in the list.
func normalize(s string) string {
	return strings.ToLower(strings.TrimSpace(s))
}

// repeated reports whether s is one character over and over (or empty).
func repeated(s string) bool {
	first, size := utf8.DecodeRuneInString(s)
	for _, r := range s[size:] {
		if r != first {
			return false
		}
	}
	return true
}

// commonSet builds the lookup set once, on first use, so that programs
// that never check a password (migrate, export) pay nothing for it.
var commonSet = sync.OnceValue(func() map[string]struct{} {
	list := frequency.FrequencyLists["passwords"]
	if len(list) > CommonListSize {
		list = list[:CommonListSize]
	}
	set := make(map[string]struct{}, len(list))
	for _, w := range list {
		set[normalize(w)] = struct{}{}
	}
	return set
})
