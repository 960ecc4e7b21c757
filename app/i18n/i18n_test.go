package i18n_test

import (
	"html"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"testing/fstest"
	"text/template/parse"
	"time"
	"unicode"

	"beacon/app/content"
	"beacon/app/i18n"
	"beacon/app/testenv"
)

func mustLoad(t *testing.T) *i18n.Bundle {
	t.Helper()
	b, err := i18n.Load(testenv.Sub(t, "content/locales"), "en")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return b
}

// requireInEveryCatalog fails for each id (with where it was used) that a
// catalog lacks.
func requireInEveryCatalog(t *testing.T, b *i18n.Bundle, ids map[string]string) {
	t.Helper()
	keys := make([]string, 0, len(ids))
	for id := range ids {
		keys = append(keys, id)
	}
	sort.Strings(keys)
	for _, loc := range b.Locales() {
		have := b.MessageIDs(loc)
		for _, id := range keys {
			if !have[id] {
				t.Errorf("%s.toml has no %q (used in %s)", loc, id, ids[id])
			}
		}
	}
}

func TestCatalogs_SameIDs(t *testing.T) {
	b := mustLoad(t)
	if len(b.Locales()) < 2 {
		t.Fatalf("locales = %v, want en and at least one more", b.Locales())
	}
	en := b.MessageIDs("en")
	if len(en) == 0 {
		t.Fatal("en catalog is empty")
	}
	for _, loc := range b.Locales() {
		if loc == "en" {
			continue
		}
		t.Run(loc, func(t *testing.T) {
			have := b.MessageIDs(loc)
			var missing, extra []string
			for id := range en {
				if !have[id] {
					missing = append(missing, id)
				}
			}
			for id := range have {
				if !en[id] {
					extra = append(extra, id)
				}
			}
			sort.Strings(missing)
			sort.Strings(extra)
			if len(missing) > 0 {
				t.Errorf("%s.toml lacks %d id(s) that en.toml has: %s", loc, len(missing), strings.Join(missing, ", "))
			}
			if len(extra) > 0 {
				t.Errorf("%s.toml has %d id(s) that en.toml lacks: %s", loc, len(extra), strings.Join(extra, ", "))
			}
		})
	}
}

// templateFiles returns every templates/**/*.html, by path relative to the
// repository.
func templateFiles(t *testing.T) map[string]string {
	t.Helper()
	root := testenv.Root(t)
	out := map[string]string{}
	err := filepath.WalkDir(filepath.Join(root, "templates"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		out[filepath.ToSlash(rel)] = string(data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) == 0 {
		t.Fatal("no templates found")
	}
	return out
}

var templateIDRe = regexp.MustCompile(`\btn?\s+\$?\.L\s+"([^"]+)"`)

func TestCatalogs_TemplateIDs(t *testing.T) {
	b := mustLoad(t)
	ids := map[string]string{}
	for file, text := range templateFiles(t) {
		for _, m := range templateIDRe.FindAllStringSubmatch(text, -1) {
			ids[m[1]] = file
		}
	}
	if len(ids) < 20 {
		t.Fatalf("found only %d message ids in templates; is the pattern still right?", len(ids))
	}
	pack, err := content.Parse(testenv.Sub(t, "content"), content.Options{Locales: b.Locales()})
	if err != nil {
		t.Fatalf("parse seed content: %v", err)
	}
	for _, c := range pack.Courses {
		if c.Topic != "" {
			ids["topic."+c.Topic] = "course " + c.Slug
		}
	}
	for _, status := range []string{"400", "401", "403", "404", "405", "408", "409", "413", "422", "429", "500", "503"} {
		ids["error.title."+status] = "the error page"
	}
	requireInEveryCatalog(t, b, ids)
}

var goIDRe = regexp.MustCompile(`"((?:error|account|quiz|flash|course|lesson|certificate|me|form|nav|catalog|home|campaign|content)\.[a-z0-9_.]+)"`)

func TestCatalogs_GoIDs(t *testing.T) {
	b := mustLoad(t)
	root := testenv.Root(t)
	ids := map[string]string{}
	err := filepath.WalkDir(filepath.Join(root, "app"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		for _, m := range goIDRe.FindAllStringSubmatch(string(data), -1) {
			if m[1] == "course.yaml" {
				continue
			}
			ids[m[1]] = filepath.ToSlash(rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) < 10 {
		t.Fatalf("found only %d message ids in Go code; is the pattern still right?", len(ids))
	}
	requireInEveryCatalog(t, b, ids)
}

// hole marks where a template action stood in the flattened text.
const hole = "\x00"

// flatten returns a template's literal text in source order with every
// action replaced by hole (all branches of if/range/with included).
func flatten(t *testing.T, name, text string) string {
	t.Helper()
	tree := parse.New(name)
	tree.Mode = parse.SkipFuncCheck | parse.ParseComments
	trees := map[string]*parse.Tree{}
	if _, err := tree.Parse(text, "{{", "}}", trees); err != nil {
		t.Fatalf("%s does not parse: %v", name, err)
	}
	var sb strings.Builder
	var walk func(n parse.Node)
	walk = func(n parse.Node) {
		switch n := n.(type) {
		case nil:
		case *parse.ListNode:
			if n == nil {
				return
			}
			for _, c := range n.Nodes {
				walk(c)
			}
		case *parse.TextNode:
			sb.Write(n.Text)
		case *parse.IfNode:
			sb.WriteString(hole)
			walk(n.List)
			walk(n.ElseList)
			sb.WriteString(hole)
		case *parse.RangeNode:
			sb.WriteString(hole)
			walk(n.List)
			walk(n.ElseList)
			sb.WriteString(hole)
		case *parse.WithNode:
			sb.WriteString(hole)
			walk(n.List)
			walk(n.ElseList)
			sb.WriteString(hole)
		default: // actions, template calls, comments, break/continue
			sb.WriteString(hole)
		}
	}
	names := make([]string, 0, len(trees))
	for n := range trees {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		walk(trees[n].Root)
	}
	return sb.String()
}

var (
	commentRe     = regexp.MustCompile(`(?s)<!--.*?-->`)
	rawElementRe  = regexp.MustCompile(`(?is)<(script|style)\b[^>]*>.*?</(script|style)>`)
	tagRe         = regexp.MustCompile(`(?s)<[^>]*>`)
	visibleAttrRe = regexp.MustCompile(`(?i)\s(aria-label|placeholder|title|alt)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)`)
)

func TestTemplates_NoLiteralText(t *testing.T) {
	for file, text := range templateFiles(t) {
		t.Run(file, func(t *testing.T) {
			flat := flatten(t, file, text)
			for _, m := range visibleAttrRe.FindAllStringSubmatch(flat, -1) {
				value := strings.Trim(m[2], `"'`)
				if strings.Trim(value, hole+" ") != "" {
					t.Errorf("attribute %s=%q holds literal text; use the catalog", m[1], strings.ReplaceAll(value, hole, "{{…}}"))
				}
			}
			rest := commentRe.ReplaceAllString(flat, "")
			rest = rawElementRe.ReplaceAllString(rest, "")
			rest = tagRe.ReplaceAllString(rest, "")
			rest = html.UnescapeString(rest)
			for _, chunk := range strings.Split(rest, hole) {
				if strings.IndexFunc(chunk, unicode.IsLetter) >= 0 {
					t.Errorf("literal text %q; use the catalog", strings.TrimSpace(chunk))
				}
			}
		})
	}
}

func TestBundle_Match(t *testing.T) {
	b := mustLoad(t)
	tests := []struct {
		name   string
		cookie string
		accept string
		want   string
	}{
		{name: "cookie wins over header", cookie: "zh-Hans", accept: "en-GB,en;q=0.9", want: "zh-Hans"},
		{name: "cookie en wins over a Chinese header", cookie: "en", accept: "zh-CN", want: "en"},
		{name: "zh-CN with q values", accept: "zh-CN,zh;q=0.9", want: "zh-Hans"},
		{name: "zh", accept: "zh", want: "zh-Hans"},
		{name: "zh-SG", accept: "zh-SG", want: "zh-Hans"},
		{name: "zh-Hans-CN", accept: "zh-Hans-CN", want: "zh-Hans"},
		{name: "en-GB", accept: "en-GB", want: "en"},
		{name: "es-MX", accept: "es-MX", want: "es"},
		{name: "es-419", accept: "es-419", want: "es"},
		{name: "fr-CA", accept: "fr-CA,fr;q=0.9", want: "fr"},
		{name: "ru-RU", accept: "ru-RU", want: "ru"},
		{name: "ar-SA", accept: "ar-SA", want: "ar"},
		{name: "ar-MA", accept: "ar-MA", want: "ar"},
		{name: "preference order respected", accept: "de-DE,zh;q=0.8,en;q=0.5", want: "zh-Hans"},
		{name: "not enabled falls back to default", accept: "de-DE", want: "en"},
		{name: "empty", accept: "", want: "en"},
		{name: "garbage", accept: "!!!;;q=zz,,", want: "en"},
		{name: "oversized header", accept: strings.Repeat("zh,", 300), want: "en"},
		{name: "disabled cookie is ignored", cookie: "de", accept: "zh-CN", want: "zh-Hans"},
		{name: "disabled cookie and no header", cookie: "de", want: "en"},
		{name: "cookie is matched exactly", cookie: "zh", accept: "", want: "en"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := b.Match(tt.cookie, tt.accept); got != tt.want {
				t.Errorf("Match(%q, %q) = %q, want %q", tt.cookie, tt.accept, got, tt.want)
			}
		})
	}
}

func TestBundle_Match_OtherDefault(t *testing.T) {
	b, err := i18n.Load(testenv.Sub(t, "content/locales"), "zh-Hans")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if b.Default() != "zh-Hans" || b.Locales()[0] != "zh-Hans" {
		t.Errorf("Default = %q, Locales = %v; want zh-Hans first", b.Default(), b.Locales())
	}
	if got := b.Match("", "de-DE"); got != "zh-Hans" {
		t.Errorf("Match(de-DE) = %q, want the default zh-Hans", got)
	}
	if got := b.Match("", "en-US"); got != "en" {
		t.Errorf("Match(en-US) = %q, want en", got)
	}
}

func TestLocalizer(t *testing.T) {
	b := mustLoad(t)
	en, zh := b.Localizer("en"), b.Localizer("zh-Hans")

	t.Run("T", func(t *testing.T) {
		if got := en.T("quiz.title", map[string]any{"Course": "Cyber hygiene"}); got != "Quiz: Cyber hygiene" {
			t.Errorf("T(quiz.title) = %q", got)
		}
		if got := en.T("course.progress", map[string]any{"Done": 2, "Total": 3}); got != "2 of 3 lessons complete" {
			t.Errorf("T(course.progress) = %q", got)
		}
		if got := zh.T("quiz.title", map[string]any{"Course": "网络安全"}); !strings.Contains(got, "网络安全") || got == en.T("quiz.title", map[string]any{"Course": "网络安全"}) {
			t.Errorf("zh-Hans T(quiz.title) = %q, want a Chinese text with the course", got)
		}
		if got := en.T("no.such.id", nil); got != "no.such.id" {
			t.Errorf("T(missing) = %q, want the id back", got)
		}
	})

	t.Run("N", func(t *testing.T) {
		tests := []struct {
			name  string
			loc   *i18n.Localizer
			count int
			want  string
		}{
			{name: "en one", loc: en, count: 1, want: "1 course"},
			{name: "en other", loc: en, count: 2, want: "2 courses"},
			{name: "en zero", loc: en, count: 0, want: "0 courses"},
			{name: "en grouped", loc: en, count: 1200, want: "1,200 courses"},
			{name: "zh-Hans 1", loc: zh, count: 1, want: "共1门课程"},
			{name: "zh-Hans 2", loc: zh, count: 2, want: "共2门课程"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if got := tt.loc.N("catalog.result_count", tt.count, nil); got != tt.want {
					t.Errorf("N(catalog.result_count, %d) = %q, want %q", tt.count, got, tt.want)
				}
			})
		}
	})

	t.Run("Number", func(t *testing.T) {
		if got := en.Number(12345); got != "12,345" {
			t.Errorf("en Number(12345) = %q, want 12,345", got)
		}
		if got := en.Number(7); got != "7" {
			t.Errorf("en Number(7) = %q", got)
		}
	})

	t.Run("Percent", func(t *testing.T) {
		if got := en.Percent(80); got != "80%" {
			t.Errorf("en Percent(80) = %q, want 80%%", got)
		}
	})

	t.Run("Date", func(t *testing.T) {
		day := time.Date(2027, 4, 15, 9, 30, 0, 0, time.FixedZone("CST", 8*3600))
		if got := zh.Date(day); got != "2027年4月15日" {
			t.Errorf("zh-Hans Date = %q, want 2027年4月15日", got)
		}
		if got := en.Date(day); got != "15 April 2027" {
			t.Errorf("en Date = %q, want 15 April 2027", got)
		}
		if got := en.Date(time.Time{}); got != "" {
			t.Errorf("Date(zero) = %q, want empty", got)
		}
		if got := en.DateTime(day); !strings.Contains(got, "09:30") || !strings.Contains(got, "+08:00") {
			t.Errorf("en DateTime = %q, want the clock time and the offset", got)
		}
	})

	t.Run("Dir", func(t *testing.T) {
		if en.Dir() != "ltr" || zh.Dir() != "ltr" {
			t.Errorf("Dir = %q/%q, want ltr", en.Dir(), zh.Dir())
		}
		if en.Locale() != "en" || zh.Locale() != "zh-Hans" {
			t.Errorf("Locale = %q/%q", en.Locale(), zh.Locale())
		}
	})

	t.Run("UnknownLocaleGetsDefault", func(t *testing.T) {
		if got := b.Localizer("de").Locale(); got != "en" {
			t.Errorf("Localizer(de).Locale() = %q, want the default en", got)
		}
	})
}

func TestBundle_Load(t *testing.T) {
	t.Run("ErrDefaultWithoutCatalog", func(t *testing.T) {
		_, err := i18n.Load(testenv.Sub(t, "content/locales"), "de")
		if err == nil {
			t.Fatal("Load with default de succeeded, want an error")
		}
		if msg := err.Error(); !strings.Contains(msg, `default locale "de" has no catalog`) || !strings.Contains(msg, "en") {
			t.Errorf("error = %q, want it to name the default and the catalogs found", msg)
		}
	})

	t.Run("ErrNoCatalogs", func(t *testing.T) {
		_, err := i18n.Load(fstest.MapFS{"README.md": {Data: []byte("x")}}, "en")
		if err == nil || !strings.Contains(err.Error(), "no <locale>.toml") {
			t.Errorf("Load of an empty folder: %v, want no <locale>.toml found", err)
		}
	})

	t.Run("ErrBadTOML", func(t *testing.T) {
		_, err := i18n.Load(fstest.MapFS{"en.toml": {Data: []byte("\"a\" = \n")}}, "en")
		if err == nil || !strings.Contains(err.Error(), "en.toml") {
			t.Errorf("Load of bad TOML: %v, want an error naming en.toml", err)
		}
	})

	t.Run("DefaultFirst", func(t *testing.T) {
		fsys := fstest.MapFS{
			"ar.toml":      {Data: []byte(`"x" = "س"`)},
			"en.toml":      {Data: []byte(`"x" = "x"`)},
			"zh-Hans.toml": {Data: []byte(`"x" = "叉"`)},
			"notes.txt":    {Data: []byte("ignored")},
		}
		b, err := i18n.Load(fsys, "zh-Hans")
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		if want := []string{"zh-Hans", "ar", "en"}; !slices.Equal(b.Locales(), want) {
			t.Errorf("Locales = %v, want %v", b.Locales(), want)
		}
		if !b.Enabled("ar") || b.Enabled("notes") {
			t.Errorf("Enabled(ar) = %v, Enabled(notes) = %v", b.Enabled("ar"), b.Enabled("notes"))
		}
		if got := b.Localizer("ar").Dir(); got != "rtl" {
			t.Errorf("ar Dir = %q, want rtl", got)
		}
	})
}
