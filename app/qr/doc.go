// Package qr draws QR codes of links, for campaign posters and printed
// certificates: PNG for print shops and messaging apps, SVG that prints
// sharp at any size. It imports the standard library and the QR encoder only.
package qr
