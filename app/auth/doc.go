// Package auth holds Beacon's password rules in one place: the policy a
// new password must meet (NIST SP 800-63B: a length floor and ceiling, no
// composition rules, refusal of the most common passwords, of one
// repeated character and of the account's own e-mail address) and
// argon2id hashing and verification; and DeviceOf, the browser summary a
// session keeps instead of the User-Agent header.
//
// It imports the standard library, package app (for localized errors),
// github.com/alexedwards/argon2id and the frequency lists of
// github.com/trustelem/zxcvbn; never the store or the web layer. Every
// place that sets a password (registration, change of password, the CLI,
// administrator creation, reset by e-mail) calls CheckPassword (or
// CheckPasswordFor) and HashPassword; every place that checks one calls
// VerifyPassword.
package auth
