package web

import "bytes"

// minifyCSS drops what a browser does not need from a stylesheet: comments
// (outside strings), the indentation at the start of lines and empty
// lines. The stylesheet stays readable in the repository while every
// public page stays under its 15 KB budget (#14). Rules are left as they
// are, so it cannot change what a selector or a declaration means.
func minifyCSS(src []byte) []byte {
	out := make([]byte, 0, len(src))
	var quote byte
	for i := 0; i < len(src); i++ {
		ch := src[i]
		switch {
		case quote != 0:
			out = append(out, ch)
			if ch == '\\' && i+1 < len(src) {
				i++
				out = append(out, src[i])
			} else if ch == quote || ch == '\n' {
				quote = 0
			}
		case ch == '"' || ch == '\'':
			quote = ch
			out = append(out, ch)
		case ch == '/' && i+1 < len(src) && src[i+1] == '*':
			end := bytes.Index(src[i+2:], []byte("*/"))
			if end < 0 {
				return out
			}
			i += end + 3
		default:
			out = append(out, ch)
		}
	}
	lines := bytes.Split(out, []byte("\n"))
	kept := lines[:0]
	for _, l := range lines {
		if l = bytes.TrimSpace(l); len(l) > 0 {
			kept = append(kept, l)
		}
	}
	return append(bytes.Join(kept, []byte("\n")), '\n')
}
