package quiz

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strings"

	"beacon/app"
)

// Ticket is what an attempt token carries from the quiz page to its
// submission: who drew which questions of which course revision. The nonce
// makes a double submit of the same form count once.
type Ticket struct {
	Course     string  `json:"c"`
	RevisionID int64   `json:"r"`
	LearnerID  string  `json:"l"`
	Nonce      string  `json:"n"`
	Questions  []Drawn `json:"q"`
	IssuedAt   int64   `json:"t"`
}

// drawnJSON keeps tokens small.
func (d Drawn) MarshalJSON() ([]byte, error) {
	return json.Marshal([]any{d.QuestionID, strings.Join(d.ChoiceIDs, ",")})
}

// UnmarshalJSON reads the compact form written by MarshalJSON.
func (d *Drawn) UnmarshalJSON(b []byte) error {
	var pair []string
	if err := json.Unmarshal(b, &pair); err != nil || len(pair) != 2 {
		return app.Errorf(app.EINVALID, "quiz.error.bad_token")
	}
	d.QuestionID = pair[0]
	d.ChoiceIDs = strings.Split(pair[1], ",")
	return nil
}

// Seal signs a ticket with key and returns the form token. The token holds
// question and choice ids only, never which choices are right.
func Seal(t Ticket, key []byte) string {
	body, _ := json.Marshal(t)
	payload := base64.RawURLEncoding.EncodeToString(body)
	return payload + "." + sign(payload, key)
}

// Open verifies a form token and returns its ticket; a token that was
// altered or signed with another key fails with EINVALID.
func Open(token string, key []byte) (Ticket, error) {
	var t Ticket
	payload, sig, ok := strings.Cut(token, ".")
	if !ok || len(token) > 16384 || !hmac.Equal([]byte(sig), []byte(sign(payload, key))) {
		return t, app.Errorf(app.EINVALID, "quiz.error.bad_token")
	}
	body, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return t, app.Errorf(app.EINVALID, "quiz.error.bad_token")
	}
	if err := json.Unmarshal(body, &t); err != nil {
		return t, app.Errorf(app.EINVALID, "quiz.error.bad_token")
	}
	return t, nil
}

func sign(payload string, key []byte) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("quiz-ticket:"))
	m.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}
