// Package mail sends Beacon's mail (password resets, sign-up
// confirmations) through the SMTP server of BEACON_SMTP_URL: STARTTLS or
// TLS from the start, AUTH PLAIN only over TLS, and plain-text UTF-8
// messages with the MIME headers mail readers need. What a message says,
// in which language, is the caller's business: this package is transport
// and envelope. It imports only the standard library and app/config.
package mail
