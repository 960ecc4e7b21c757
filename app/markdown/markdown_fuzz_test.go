package markdown_test

import (
	"io/fs"
	"os"
	"strings"
	"testing"

	"beacon/app/markdown"

	"golang.org/x/net/html"
)

// hostile are Markdown inputs that try to get script past the renderer:
// raw HTML, dangerous URL schemes spelled in every way a browser still
// reads, reference links, autolinks, and the media/ rewriting.
var hostile = []string{
	`<script>alert(1)</script>`,
	`"><img src=x onerror=alert(2)>`,
	`<svg onload=alert(3)>`,
	`[click](javascript:alert(4))`,
	`<a href="javascript:alert(5)">x</a>`,
	`{{.CSRF}}<iframe src="//evil.example"></iframe>`,
	`' onmouseover='alert(6)`,
	`[x](JaVaScRiPt:alert(1))`,
	`[x](java%09script:alert(1))`,
	"[x](java\tscript:alert(1))",
	`[x](&#106;avascript:alert(1))`,
	`[x](&#x6A;avascript&colon;alert(1))`,
	`[x]( javascript:alert(1))`,
	`[x](<javascript:alert(1)>)`,
	`<javascript:alert(1)>`,
	`[x][r]` + "\n\n" + `[r]: javascript:alert(1)`,
	`![x](javascript:alert(1) "t")`,
	`![x](media/../../etc/passwd)`,
	`![x](media/a.png" onerror="alert(1))`,
	`[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`,
	`[x](vbscript:msgbox(1))`,
	"```\n<script>alert(1)</script>\n```",
	"`<script>`",
	"| a | b |\n|---|---|\n| <script>x</script> | [y](javascript:z) |",
	"~~<b onclick=alert(1)>x</b>~~",
	"<!-- <script> -->",
	"<style>body{background:url(javascript:alert(1))}</style>",
	"<form action=javascript:alert(1)><button>x</button></form>",
	"[x](https://example.org/\"onmouseover=\"alert(1))",
	"\x00<scr\x00ipt>alert(1)</script>",
	"\xff\xfe<script>",
}

// lessonBodies are the Markdown files of the seed pack.
func lessonBodies(tb testing.TB) []string {
	tb.Helper()
	fsys := os.DirFS("../../content")
	var out []string
	err := fs.WalkDir(fsys, "courses", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		out = append(out, string(b))
		return err
	})
	if err != nil || len(out) == 0 {
		tb.Fatalf("seed lessons: %d read, %v", len(out), err)
	}
	return out
}

// FuzzMarkdown renders arbitrary Markdown and checks the HTML as a browser
// would read it: no <script (or other element that runs or embeds code),
// no on* event-handler attribute, no style attribute, and no URL attribute
// whose scheme, once the browser has decoded entities and dropped tabs,
// newlines and leading spaces, is javascript:, vbscript: or data:.
func FuzzMarkdown(f *testing.F) {
	for _, s := range hostile {
		f.Add(s)
	}
	for _, s := range lessonBodies(f) {
		f.Add(s)
	}
	r := markdown.New()
	f.Fuzz(func(t *testing.T, src string) {
		out := string(r.HTML(src))
		if strings.Contains(strings.ToLower(out), "<script") {
			t.Fatalf("output holds <script:\n%s", out)
		}
		if problem := unsafeHTML(out); problem != "" {
			t.Fatalf("%s in:\n%s", problem, out)
		}
	})
}

// forbiddenElements run code or pull in another document.
var forbiddenElements = map[string]bool{"script": true, "iframe": true, "frame": true, "object": true, "embed": true,
	"style": true, "svg": true, "math": true, "base": true, "meta": true, "link": true, "form": true, "applet": true}

// urlAttributes hold URLs a browser follows or loads.
var urlAttributes = map[string]bool{"href": true, "src": true, "action": true, "formaction": true, "cite": true,
	"background": true, "poster": true, "srcset": true, "xlink:href": true}

// unsafeHTML describes the first thing in s that could run script, "" when
// there is none. The tokenizer decodes entities in attribute values, as a
// browser does.
func unsafeHTML(s string) string {
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			if forbiddenElements[tok.Data] {
				return "element <" + tok.Data + ">"
			}
			for _, a := range tok.Attr {
				key := strings.ToLower(a.Key)
				switch {
				case strings.HasPrefix(key, "on"):
					return "event handler " + a.Key + "=" + a.Val
				case key == "style" || key == "srcdoc":
					return "attribute " + a.Key
				case urlAttributes[key] && dangerousURL(a.Val):
					return "URL " + a.Key + "=" + a.Val
				}
			}
		}
	}
}

// dangerousURL reports whether a browser would treat u as a script or
// inline-document URL: it strips leading and trailing C0 controls and
// spaces and drops tabs and newlines anywhere before reading the scheme.
func dangerousURL(u string) bool {
	u = strings.TrimFunc(u, func(r rune) bool { return r <= ' ' })
	u = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(u)
	u = strings.ToLower(u)
	for _, scheme := range []string{"javascript:", "vbscript:", "data:"} {
		if strings.HasPrefix(u, scheme) {
			return true
		}
	}
	return false
}
