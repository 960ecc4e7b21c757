package campaign

import (
	"crypto/rand"
	"fmt"
	"html"
	"strings"

	qrcode "github.com/skip2/go-qrcode"
)

// codeAlphabet leaves out letters and digits people confuse when they type
// a code from a poster (0/o, 1/l/i).
const codeAlphabet = CodeAlphabet

// CodeAlphabet are the characters of a channel code: lower-case letters
// and digits without the look-alikes i, l, o, 0 and 1.
const CodeAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"

// CodeLength is the length of a channel code: 31^8 ≈ 8.5e11 codes, so a
// code cannot be guessed from another.
const CodeLength = 8

// NewCode returns a random channel code.
func NewCode() string {
	out := make([]byte, 0, CodeLength)
	b := make([]byte, 1)
	limit := byte(256 / len(codeAlphabet) * len(codeAlphabet)) // reject the tail so every letter is equally likely
	for len(out) < CodeLength {
		if _, err := rand.Read(b); err != nil {
			panic(err) // crypto/rand never fails on supported systems
		}
		if b[0] < limit {
			out = append(out, codeAlphabet[int(b[0])%len(codeAlphabet)])
		}
	}
	return string(out)
}

// ValidCode reports whether s has the shape NewCode makes.
func ValidCode(s string) bool {
	if len(s) != CodeLength {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !strings.ContainsRune(codeAlphabet, rune(s[i])) {
			return false
		}
	}
	return true
}

// QRPNG encodes url as a QR code PNG of size×size pixels, with the
// medium (15%) error correction that survives a scuffed poster.
func QRPNG(url string, size int) ([]byte, error) {
	q, err := qrcode.New(url, qrcode.Medium)
	if err != nil {
		return nil, fmt.Errorf("qr code: %w", err)
	}
	return q.PNG(size)
}

// QRSVG encodes url as a QR code SVG drawn from the encoder's bitmap (quiet
// zone included): one square per dark module, merged per row, so it prints
// sharp at any size. title names it for screen readers.
func QRSVG(url, title string) ([]byte, error) {
	q, err := qrcode.New(url, qrcode.Medium)
	if err != nil {
		return nil, fmt.Errorf("qr code: %w", err)
	}
	bits := q.Bitmap()
	n := len(bits)
	var sb strings.Builder
	fmt.Fprintf(&sb, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+
		`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" shape-rendering="crispEdges" role="img">`,
		n, n, n*8, n*8)
	fmt.Fprintf(&sb, "<title>%s</title>", html.EscapeString(title))
	fmt.Fprintf(&sb, `<rect width="%d" height="%d" fill="#ffffff"/><path fill="#000000" d="`, n, n)
	for y, row := range bits {
		for x := 0; x < len(row); {
			if !row[x] {
				x++
				continue
			}
			start := x
			for x < len(row) && row[x] {
				x++
			}
			fmt.Fprintf(&sb, "M%d %dh%dv1h-%dz", start, y, x-start, x-start)
		}
	}
	sb.WriteString(`"/></svg>` + "\n")
	return []byte(sb.String()), nil
}
