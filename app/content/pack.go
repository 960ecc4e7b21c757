package content

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"
	"time"

	"beacon/app"

	"go.yaml.in/yaml/v3"
)

var slugRe = regexp.MustCompile(`^[a-z0-9-]+$`)

// CAP 1.2 categories a course may be tagged with.
var capCategories = map[string]bool{"Geo": true, "Met": true, "Safety": true, "Security": true, "Rescue": true,
	"Fire": true, "Health": true, "Env": true, "Transport": true, "Infra": true, "CBRNE": true, "Other": true}

// Options say what a pack is checked against.
type Options struct {
	// Locales are the enabled locales; every locale named must be one.
	Locales []string
	// KnownCourses reports whether a course outside the pack exists on the
	// site, for campaigns that feature it. May be nil.
	KnownCourses func(slug string) bool
	// KnownMedia reports whether a media file outside the pack exists on
	// the site. When set, every media/<name> a lesson shows must be in the
	// pack's media/ folder or on the site; when nil, references are not
	// checked.
	KnownMedia func(name string) bool
	// KnownRegions reports whether a region outside the pack's
	// regions.yaml exists on the site, for alerts that target it. When
	// nil, such regions are not checked.
	KnownRegions func(code string) bool
	// KnownLesson reports whether a published course outside the pack has
	// the lesson, for alerts that point at it ("learn what to do"). When
	// nil, such lessons are not checked.
	KnownLesson func(course, lesson string) bool
}

type parser struct {
	fsys     fs.FS
	opts     Options
	enabled  map[string]bool
	problems Problems
}

// Parse reads a pack folder and validates it. It returns the pack, or
// Problems listing every error by file and line; a pack with any problem is
// not returned at all.
func Parse(fsys fs.FS, opts Options) (*app.Pack, error) {
	p := &parser{fsys: fsys, opts: opts, enabled: map[string]bool{}}
	for _, l := range opts.Locales {
		p.enabled[l] = true
	}
	pack := &app.Pack{Media: p.media()}
	courseSlugs := map[string]bool{}
	// inPack holds every course folder, valid or not, so that a campaign
	// naming a course with its own problems is not also told it is missing
	// (a course's slug must equal its folder name).
	inPack := map[string]bool{}
	courseDirs, _ := fs.ReadDir(fsys, "courses")
	for _, d := range courseDirs {
		if !d.IsDir() {
			continue
		}
		inPack[d.Name()] = true
		if c, ok := p.course(path.Join("courses", d.Name())); ok {
			if courseSlugs[c.Slug] {
				p.problem(path.Join("courses", d.Name(), "course.yaml"), 1, "course_slug_twice", kv{"Slug": c.Slug}, "course slug %q is used twice", c.Slug)
				continue
			}
			courseSlugs[c.Slug] = true
			pack.Courses = append(pack.Courses, *c)
		}
	}
	regionCodes := map[string]bool{}
	if data, err := fs.ReadFile(fsys, "regions.yaml"); err == nil {
		pack.Regions = p.regions("regions.yaml", data)
		for _, r := range pack.Regions {
			regionCodes[r.Code] = true
		}
	}
	campaignFiles, _ := fs.ReadDir(fsys, "campaigns")
	seen := map[string]bool{}
	codes := map[string]bool{}
	for _, f := range campaignFiles {
		if f.IsDir() || !strings.HasSuffix(f.Name(), ".yaml") {
			continue
		}
		file := path.Join("campaigns", f.Name())
		if c, channels, ok := p.campaign(file, inPack); ok {
			if seen[c.Slug] {
				p.problem(file, 1, "campaign_slug_twice", kv{"Slug": c.Slug}, "campaign slug %q is used twice", c.Slug)
				continue
			}
			seen[c.Slug] = true
			pack.Campaigns = append(pack.Campaigns, *c)
			for _, ch := range channels {
				if codes[ch.Code] {
					p.problem(file, 1, "campaign_channel_twice", kv{"Value": ch.Code}, "channel %q is listed twice", ch.Code)
					continue
				}
				codes[ch.Code] = true
				pack.Channels = append(pack.Channels, ch)
			}
		}
	}
	// A campaign's file may be named anything, but export names it by its
	// slug: order by slug, so that a pack reads back the same after export.
	sort.SliceStable(pack.Campaigns, func(i, j int) bool { return pack.Campaigns[i].Slug < pack.Campaigns[j].Slug })
	sort.SliceStable(pack.Channels, func(i, j int) bool { return pack.Channels[i].Campaign < pack.Channels[j].Campaign })
	coursesBySlug := map[string]*app.Course{}
	for i := range pack.Courses {
		coursesBySlug[pack.Courses[i].Slug] = &pack.Courses[i]
	}
	pack.Alerts = p.alerts(alertRefs{regions: regionCodes, courses: coursesBySlug, inPack: inPack})
	if opts.KnownMedia != nil {
		inPackMedia := map[string]bool{}
		for _, m := range pack.Media {
			inPackMedia[m.Name] = true
		}
		p.checkMediaRefs(pack.Courses, inPackMedia)
	}
	if len(p.problems) > 0 {
		sort.SliceStable(p.problems, func(i, j int) bool {
			if p.problems[i].File != p.problems[j].File {
				return p.problems[i].File < p.problems[j].File
			}
			return p.problems[i].Line < p.problems[j].Line
		})
		return nil, p.problems
	}
	return pack, nil
}

// decode parses YAML into v, strictly (unknown fields are errors), and
// returns the document node for line lookups.
func (p *parser) decode(file string, data []byte, v any) (*yaml.Node, bool) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		p.problem(file, yamlLine(err), "yaml_syntax", kv{"Detail": yamlMessage(err)}, "not valid YAML: %s", yamlMessage(err))
		return nil, false
	}
	// An empty file (or one of comments only) decodes to io.EOF below.
	if len(doc.Content) == 0 {
		p.problem(file, 1, "file_empty", nil, "the file is empty")
		return nil, false
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		p.problem(file, yamlLine(err), "yaml_decode", kv{"Detail": yamlMessage(err)}, "%s", yamlMessage(err))
		return nil, false
	}
	return doc.Content[0], true
}

var lineRe = regexp.MustCompile(`line (\d+)`)

func yamlLine(err error) int {
	m := lineRe.FindStringSubmatch(err.Error())
	if m == nil {
		return 0
	}
	var n int
	fmt.Sscan(m[1], &n)
	return n
}

func yamlMessage(err error) string {
	return strings.TrimPrefix(strings.TrimPrefix(err.Error(), "yaml: "), "unmarshal errors:\n  ")
}

// line finds the line of a key path (map keys and sequence indexes as
// strings) in a node tree, falling back to the nearest parent found.
func line(n *yaml.Node, keys ...any) int {
	if n == nil {
		return 0
	}
	best := n.Line
	cur := n
	for _, k := range keys {
		var next *yaml.Node
		switch key := k.(type) {
		case string:
			if cur.Kind == yaml.MappingNode {
				for i := 0; i+1 < len(cur.Content); i += 2 {
					if cur.Content[i].Value == key {
						best = cur.Content[i].Line
						next = cur.Content[i+1]
						break
					}
				}
			}
		case int:
			if cur.Kind == yaml.SequenceNode && key < len(cur.Content) {
				next = cur.Content[key]
				best = next.Line
			}
		}
		if next == nil {
			return best
		}
		cur = next
	}
	return best
}

// text checks a translated field: the source locale present, every locale enabled.
func (p *parser) text(file string, root *yaml.Node, t app.Text, source string, keys ...any) {
	ln := line(root, keys...)
	name := keyName(keys)
	if strings.TrimSpace(t[source]) == "" {
		p.problem(file, ln, "text_no_source", kv{"Field": name, "Locale": source}, "%s has no text in the source locale %q", name, source)
	}
	for _, l := range t.Locales() {
		if !p.enabled[l] {
			enabled := strings.Join(p.opts.Locales, ", ")
			p.problem(file, line(root, append(keys, l)...), "text_locale_not_enabled", kv{"Field": name, "Locale": l, "Enabled": enabled},
				"%s names locale %q, which is not enabled (enabled: %s)", name, l, enabled)
		}
	}
}

func keyName(keys []any) string {
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		switch v := k.(type) {
		case string:
			parts = append(parts, v)
		case int:
			if len(parts) == 0 {
				parts = append(parts, fmt.Sprintf("[%d]", v))
			} else {
				parts[len(parts)-1] = fmt.Sprintf("%s[%d]", parts[len(parts)-1], v)
			}
		}
	}
	return strings.Join(parts, ".")
}

func parseZoned(s string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339, s)
	return t, err == nil
}
