package media

import (
	"path"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
	"golang.org/x/text/unicode/norm"
)

// maxStem bounds the part of a name before the extension.
const maxStem = 60

// nameRe is a media file name: lower-case letters, digits and hyphens, then
// an image extension (jpeg is accepted beside jpg for packs).
var nameRe = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?\.(?:png|jpg|jpeg|gif|webp)$`)

// ValidName reports whether name is a media file name: [a-z0-9-]+ (not
// starting or ending with a hyphen, at most 80 characters) and the
// extension png, jpg, jpeg, gif or webp. Only valid names are stored,
// served or rewritten in lessons, so a name never needs escaping.
func ValidName(name string) bool { return nameRe.MatchString(name) }

// FitsType reports whether the extension of name is the one for
// contentType (jpg or jpeg for JPEG).
func FitsType(name, contentType string) bool {
	ext := strings.TrimPrefix(path.Ext(name), ".")
	if ext == "jpeg" {
		ext = "jpg"
	}
	return ext != "" && ext == Ext(contentType)
}

// CleanName derives a media file name from an upload's original name and
// the extension decided from its bytes: the base name without its
// extension, accents removed, lower-cased, every run of other characters
// made one hyphen, at most 60 characters, then "." and ext ("image" when
// nothing is left). The store makes the name unique (Numbered).
func CleanName(original, ext string) string {
	ext = strings.ToLower(strings.TrimPrefix(ext, "."))
	base := original
	if i := strings.LastIndexAny(base, `/\`); i >= 0 {
		base = base[i+1:]
	}
	if i := strings.LastIndexByte(base, '.'); i > 0 {
		base = base[:i]
	}
	var b strings.Builder
	hyphen := false
	for _, r := range norm.NFKD.String(base) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(unicode.ToLower(r))
		default:
			hyphen = true
		}
		if b.Len() >= maxStem {
			break
		}
	}
	stem := strings.Trim(b.String(), "-")
	if len(stem) > maxStem {
		stem = strings.TrimRight(stem[:maxStem], "-")
	}
	if stem == "" {
		stem = "image"
	}
	return stem + "." + ext
}

// Numbered returns name with "-n" before its extension (photo.png,
// 2 → photo-2.png), for making a taken name unique; n < 2 returns name.
func Numbered(name string, n int) string {
	if n < 2 {
		return name
	}
	ext := path.Ext(name)
	stem := strings.TrimSuffix(name, ext)
	suffix := "-" + strconv.Itoa(n)
	if len(stem)+len(suffix) > maxStem+10 {
		stem = strings.TrimRight(stem[:maxStem], "-")
	}
	return stem + suffix + ext
}

// Prefix is how lesson Markdown refers to the media library: an image or
// link destination media/<name>.
const Prefix = "media/"

// URLPath is where the site serves a media file: /media/<name>.
func URLPath(name string) string { return "/" + Prefix + name }

// RefName returns the media name a Markdown destination refers to, when it
// is media/<name> with a valid name.
func RefName(dest string) (string, bool) {
	name, ok := strings.CutPrefix(dest, Prefix)
	if !ok || !ValidName(name) {
		return "", false
	}
	return name, true
}

// Refs returns, in order of first use, what follows "media/" in every
// image and link destination of a Markdown text that starts with it
// (valid names or not: an invalid one refers to no file either).
func Refs(markdown string) []string {
	var out []string
	seen := map[string]bool{}
	walkDestinations(markdown, func(dest string) {
		if name, ok := strings.CutPrefix(dest, Prefix); ok && name != "" && !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
	})
	return out
}

// BadRefs returns, in order of first use, every image and link
// destination of a Markdown text that points into the media library but
// cannot name one of its files: one that climbs out (media/../../x), is
// absolute (/media/x.png, media//etc/x), holds a backslash (media\x.png),
// starts with ./, or whose name after media/ is otherwise not a media name
// (ValidName). The lesson editor and the pack check both refuse them, so a
// lesson saved on the site always goes through its own site.zip.
func BadRefs(markdown string) []string {
	var out []string
	seen := map[string]bool{}
	walkDestinations(markdown, func(dest string) {
		norm := strings.ReplaceAll(dest, `\`, "/")
		rest := strings.TrimLeft(strings.TrimPrefix(norm, "./"), "/")
		name, ok := strings.CutPrefix(rest, Prefix)
		if !ok || (dest == Prefix+name && ValidName(name)) || seen[dest] {
			return
		}
		seen[dest] = true
		out = append(out, dest)
	})
	return out
}

// walkDestinations calls f with every image and link destination of markdown.
func walkDestinations(markdown string, f func(dest string)) {
	src := []byte(markdown)
	doc := goldmark.DefaultParser().Parse(text.NewReader(src))
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Image:
			f(string(n.Destination))
		case *ast.Link:
			f(string(n.Destination))
		}
		return ast.WalkContinue, nil
	})
}
