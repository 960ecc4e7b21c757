// Package campaign holds the campaign rules that are more than storage: the
// window's time zone and phase, reading a window typed in a zone, channel
// codes, and the QR codes printed on posters. It imports app, the standard
// library and the QR encoder only; no Fiber, no GORM.
package campaign
