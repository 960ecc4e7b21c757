package app

import (
	"errors"
	"fmt"
)

// Error codes shared by every layer; the web error handler maps each to an HTTP status.
const (
	ENOTFOUND     = "not_found"
	EINVALID      = "invalid"
	ECONFLICT     = "conflict"
	EUNAUTHORIZED = "unauthorized"
	EFORBIDDEN    = "forbidden"
	ETOOMANY      = "too_many"
	EINTERNAL     = "internal"
	// EMALFORMED is a request that cannot be read at all (text that is
	// not UTF-8), as opposed to EINVALID, readable input that breaks a rule.
	EMALFORMED = "malformed"
)

// Error is an application error whose MessageID is a catalog key, so the same
// error reads correctly in every language. Args fill the message template.
type Error struct {
	Code      string
	MessageID string
	Args      map[string]any
	// Field names the form field the error belongs to, when there is one.
	Field string
}

// Error returns a developer-facing text; users see the localized MessageID instead.
func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s (%s)", e.Code, e.MessageID, e.Field)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.MessageID)
}

// Errorf builds an *Error with a code and a message id.
func Errorf(code, messageID string) *Error {
	return &Error{Code: code, MessageID: messageID}
}

// FieldError builds an EINVALID *Error attached to one form field.
func FieldError(field, messageID string) *Error {
	return &Error{Code: EINVALID, MessageID: messageID, Field: field}
}

// ErrorCode returns the code of err if it wraps an *Error, else EINTERNAL.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessageID returns the message id of err if it wraps an *Error, else the generic internal message.
func ErrorMessageID(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.MessageID
	}
	return "error.internal"
}

// FieldErrors collects per-field validation errors of one form, in field order.
type FieldErrors []*Error

// Error joins the field errors for logs.
func (fe FieldErrors) Error() string {
	s := "invalid form:"
	for _, e := range fe {
		s += " " + e.Field + "=" + e.MessageID
	}
	return s
}

// For returns the message id for a field, or "" when the field is fine.
func (fe FieldErrors) For(field string) string {
	for _, e := range fe {
		if e.Field == field {
			return e.MessageID
		}
	}
	return ""
}
