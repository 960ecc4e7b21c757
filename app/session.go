package app

import "time"

// Session is one signed-in browser of an account, as its owner sees it on
// the account page. ID is the stored digest of the session's token (never
// the token itself): enough to name the session in a form, useless to
// sign in with.
type Session struct {
	ID         string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	Device     Device
}

// Device summarizes the browser that started a session: names such as
// "Firefox" and "Windows", "" when not recognized. It is what the account
// page shows, and all that is kept of the User-Agent header.
type Device struct {
	Browser  string
	Platform string
}
