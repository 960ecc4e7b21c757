// Package campaign holds the campaign rules that are more than storage: the
// window's time zone and phase, reading a window typed in a zone, and channel
// codes. It imports app and the standard library only (the QR codes printed
// on posters are drawn by app/qr); no Fiber, no GORM.
package campaign
