package content

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"beacon/app"

	"go.yaml.in/yaml/v3"
)

// Write writes pack into the folder dir, creating it and its subfolders as
// needed, in the format Parse reads (CONTENT-FORMAT.md). dir should be new
// or empty: files already there are left alone unless a pack file has the
// same name, and a stray lesson file would be an orphan on the next import.
// The output is deterministic, so exporting what an export imported gives
// byte-identical files. A pack that cannot be written as files (a slug,
// alert identifier or lesson file stem that is not a safe name, a region
// whose parent is missing, a media file that is not an image its name
// fits) is refused before anything is written. Media files go to media/<name> as stored.
func Write(dir string, pack *app.Pack) error {
	files, err := packFiles(pack)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write pack: %w", err)
	}
	for _, name := range sortedNames(files) {
		full := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return fmt.Errorf("write pack: %w", err)
		}
		if err := os.WriteFile(full, files[name], 0o644); err != nil {
			return fmt.Errorf("write pack: %w", err)
		}
	}
	return nil
}

// Export renders pack as pack files and hands each to put by its
// slash-separated path inside the pack folder, in sorted path order; Write
// and WriteZip are Export into a folder and into a zip archive. The pack is
// checked whole before put is first called (see Write). Export stops at the
// first error put returns and returns it, wrapped with the file's name.
func Export(pack *app.Pack, put func(name string, data []byte) error) error {
	files, err := packFiles(pack)
	if err != nil {
		return err
	}
	for _, name := range sortedNames(files) {
		if err := put(name, files[name]); err != nil {
			return fmt.Errorf("export %s: %w", name, err)
		}
	}
	return nil
}

// lessonStem returns the file stem of the lesson at index i of its course:
// its File, or NN-<slug> (01-intro) for a lesson that has none.
func lessonStem(i int, l app.Lesson) string {
	if l.File != "" {
		return l.File
	}
	return fmt.Sprintf("%02d-%s", i+1, l.Slug)
}

// packFiles renders every file of the pack, keyed by path.
func packFiles(pack *app.Pack) (map[string][]byte, error) {
	files := map[string][]byte{}
	for i := range pack.Courses {
		if err := courseFiles(files, &pack.Courses[i]); err != nil {
			return nil, err
		}
	}
	for i := range pack.Campaigns {
		c := &pack.Campaigns[i]
		if !slugRe.MatchString(c.Slug) {
			return nil, fmt.Errorf("export campaign %q: slug must match [a-z0-9-]+", c.Slug)
		}
		name := path.Join("campaigns", c.Slug+".yaml")
		if _, ok := files[name]; ok {
			return nil, fmt.Errorf("export campaign %s: the slug is used twice", c.Slug)
		}
		data, err := encodeYAML(campaignNode(c, pack.Channels))
		if err != nil {
			return nil, fmt.Errorf("export campaign %s: %w", c.Slug, err)
		}
		files[name] = data
	}
	for i := range pack.Alerts {
		a := &pack.Alerts[i]
		if !app.ValidAlertIdentifier(a.Identifier) {
			return nil, fmt.Errorf("export alert %q: the identifier must be letters, digits, hyphens and underscores", a.Identifier)
		}
		name := path.Join("alerts", a.Identifier+".yaml")
		if _, ok := files[name]; ok {
			return nil, fmt.Errorf("export alert %s: the identifier is used twice", a.Identifier)
		}
		data, err := encodeYAML(alertNode(a))
		if err != nil {
			return nil, fmt.Errorf("export alert %s: %w", a.Identifier, err)
		}
		files[name] = data
	}
	if len(pack.Regions) > 0 {
		node, err := regionsNode(pack.Regions)
		if err != nil {
			return nil, fmt.Errorf("export regions: %w", err)
		}
		data, err := encodeYAML(node)
		if err != nil {
			return nil, fmt.Errorf("export regions: %w", err)
		}
		files["regions.yaml"] = data
	}
	if err := mediaFiles(files, pack.Media); err != nil {
		return nil, err
	}
	return files, nil
}

func sortedNames(files map[string][]byte) []string {
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// courseFiles renders course.yaml and one body file per lesson and locale.
func courseFiles(files map[string][]byte, c *app.Course) error {
	if !slugRe.MatchString(c.Slug) {
		return fmt.Errorf("export course %q: slug must match [a-z0-9-]+", c.Slug)
	}
	dir := path.Join("courses", c.Slug)
	yamlFile := path.Join(dir, "course.yaml")
	if _, ok := files[yamlFile]; ok {
		return fmt.Errorf("export course %s: the slug is used twice", c.Slug)
	}
	stems := make([]string, len(c.Lessons))
	for i, l := range c.Lessons {
		stem := lessonStem(i, l)
		// Parse splits a body file name at its first dot, so a stem or a
		// locale holding one could not be read back.
		if strings.ContainsAny(stem, `/\.`) {
			return fmt.Errorf("export course %s: lesson %q: file stem %q must not hold a slash, backslash or dot", c.Slug, l.Slug, stem)
		}
		stems[i] = stem
		for _, loc := range l.Body.Locales() {
			if loc == "" || strings.ContainsAny(loc, `/\.`) {
				return fmt.Errorf("export course %s: lesson %q: locale %q cannot be part of a file name", c.Slug, l.Slug, loc)
			}
			name := path.Join(dir, stem+"."+loc+".md")
			data, err := lessonFileData(l.Title[loc], l.Body[loc])
			if err != nil {
				return fmt.Errorf("export course %s: lesson %q (%s): %w", c.Slug, l.Slug, loc, err)
			}
			// Two lessons may share a file stem only when they share its text.
			if old, ok := files[name]; ok && !bytes.Equal(old, data) {
				return fmt.Errorf("export course %s: two lessons write %s with different text", c.Slug, name)
			}
			files[name] = data
		}
	}
	data, err := encodeYAML(courseNode(c, stems))
	if err != nil {
		return fmt.Errorf("export course %s: %w", c.Slug, err)
	}
	files[yamlFile] = data
	return nil
}

// lessonFileData renders a lesson body file: front matter with the title,
// then the body exactly as stored. Parse takes the body to start right after
// the closing "---" line, so leading blank lines and "---" lines in the body
// survive; the encoder indents any line of a multi-line title, so the title
// cannot close the front matter early.
func lessonFileData(title, body string) ([]byte, error) {
	fm, err := encodeYAML(yamlMap("title", yamlStr(title)))
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString("---\n")
	b.Write(fm)
	b.WriteString("---\n")
	b.WriteString(body)
	return b.Bytes(), nil
}

// courseNode builds course.yaml in the documented key order.
func courseNode(c *app.Course, stems []string) *yaml.Node {
	n := yamlMap("slug", yamlStr(c.Slug), "source_locale", yamlStr(c.SourceLocale))
	if c.Topic != "" {
		yamlAdd(n, "topic", yamlStr(c.Topic))
	}
	if len(c.Categories) > 0 {
		yamlAdd(n, "categories", yamlList(c.Categories))
	}
	if c.ReviewBy != "" {
		yamlAdd(n, "review_by", yamlScalarAs(c.ReviewBy, "!!timestamp"))
	}
	yamlAdd(n, "title", yamlText(c.Title, c.SourceLocale, 0))
	yamlAdd(n, "summary", yamlText(c.Summary, c.SourceLocale, 0))
	lessons := &yaml.Node{Kind: yaml.SequenceNode}
	for i, l := range c.Lessons {
		lessons.Content = append(lessons.Content, yamlMap("slug", yamlStr(l.Slug), "file", yamlStr(stems[i])))
	}
	yamlAdd(n, "lessons", lessons)
	// A quiz without questions cannot be imported and counts as no quiz
	// (app.Course.Completed), so it is left out.
	if q := c.Quiz; q != nil && len(q.Questions) > 0 {
		quiz := yamlMap(
			"pass_percent", yamlInt(q.PassPercent),
			"max_attempts", yamlInt(q.MaxAttempts),
			"draw", yamlInt(q.Draw),
			"shuffle_choices", yamlBool(q.ShuffleChoices),
		)
		questions := &yaml.Node{Kind: yaml.SequenceNode}
		for _, qq := range q.Questions {
			qn := yamlMap("id", yamlStr(qq.ID), "type", yamlStr(qq.Type), "prompt", yamlText(qq.Prompt, c.SourceLocale, 0))
			if len(qq.Explanation) > 0 {
				yamlAdd(qn, "explanation", yamlText(qq.Explanation, c.SourceLocale, 0))
			}
			choices := &yaml.Node{Kind: yaml.SequenceNode}
			for _, ch := range qq.Choices {
				cn := yamlMap("id", yamlStr(ch.ID))
				if ch.Correct {
					yamlAdd(cn, "correct", yamlBool(true))
				}
				yamlAdd(cn, "text", yamlText(ch.Text, c.SourceLocale, 0))
				choices.Content = append(choices.Content, cn)
			}
			yamlAdd(qn, "choices", choices)
			questions.Content = append(questions.Content, qn)
		}
		yamlAdd(quiz, "questions", questions)
		yamlAdd(n, "quiz", quiz)
	}
	return n
}

// campaignNode builds campaigns/<slug>.yaml in the documented key order,
// with source_locale after the slug as in course.yaml.
func campaignNode(c *app.Campaign, channels []app.CampaignChannel) *yaml.Node {
	n := yamlMap("slug", yamlStr(c.Slug))
	if c.SourceLocale != "" {
		yamlAdd(n, "source_locale", yamlStr(c.SourceLocale))
	}
	yamlAdd(n, "starts", yamlScalarAs(c.Starts.Format(time.RFC3339Nano), "!!timestamp"))
	yamlAdd(n, "ends", yamlScalarAs(c.Ends.Format(time.RFC3339Nano), "!!timestamp"))
	yamlAdd(n, "goal_completions", yamlInt(c.GoalCompletions))
	yamlAdd(n, "courses", yamlList(c.Courses))
	yamlAdd(n, "regions", yamlList(c.Regions))
	yamlAdd(n, "title", yamlText(c.Title, c.SourceLocale, 0))
	yamlAdd(n, "description", yamlText(c.Description, c.SourceLocale, 0))
	var list []*yaml.Node
	for _, ch := range channels {
		if ch.Campaign == c.Slug {
			item := yamlMap("code", yamlStr(ch.Code), "name", yamlStr(ch.Name))
			item.Style = yaml.FlowStyle
			list = append(list, item)
		}
	}
	if len(list) > 0 {
		yamlAdd(n, "channels", &yaml.Node{Kind: yaml.SequenceNode, Content: list})
	}
	return n
}

// alertTimeLayout writes alert times as CAP does: seconds, a numeric zone
// offset ("+00:00", never "Z"), and fractions only when present.
const alertTimeLayout = "2006-01-02T15:04:05.999999999-07:00"

// alertNode builds alerts/<identifier>.yaml in the documented key order,
// with source_locale after the identifier as in course.yaml. Optional
// fields (description, instruction, lesson, references, and the sent time
// of a published alert, an extension) are written only when set.
func alertNode(a *app.Alert) *yaml.Node {
	n := yamlMap("identifier", yamlStr(a.Identifier))
	if a.SourceLocale != "" {
		yamlAdd(n, "source_locale", yamlStr(a.SourceLocale))
	}
	yamlAdd(n, "status", yamlStr(a.Status))
	yamlAdd(n, "msg_type", yamlStr(a.MsgType))
	yamlAdd(n, "scope", yamlStr(a.Scope))
	yamlAdd(n, "category", yamlList(a.Categories))
	yamlAdd(n, "urgency", yamlStr(a.Urgency))
	yamlAdd(n, "severity", yamlStr(a.Severity))
	yamlAdd(n, "certainty", yamlStr(a.Certainty))
	yamlAdd(n, "event", yamlText(a.Event, a.SourceLocale, 0))
	yamlAdd(n, "headline", yamlText(a.Headline, a.SourceLocale, 0))
	if len(a.Description) > 0 {
		yamlAdd(n, "description", yamlText(a.Description, a.SourceLocale, 0))
	}
	if len(a.Instruction) > 0 {
		yamlAdd(n, "instruction", yamlText(a.Instruction, a.SourceLocale, 0))
	}
	yamlAdd(n, "effective", yamlScalarAs(a.Effective.Format(alertTimeLayout), "!!timestamp"))
	yamlAdd(n, "expires", yamlScalarAs(a.Expires.Format(alertTimeLayout), "!!timestamp"))
	yamlAdd(n, "regions", yamlList(a.Regions))
	if l := a.Lesson; l != nil {
		lesson := yamlMap("course", yamlStr(l.Course), "lesson", yamlStr(l.Lesson))
		lesson.Style = yaml.FlowStyle
		yamlAdd(n, "lesson", lesson)
	}
	if len(a.References) > 0 {
		yamlAdd(n, "references", yamlList(a.References))
	}
	if a.AllClear {
		yamlAdd(n, "all_clear", yamlBool(true))
	}
	if !a.Sent.IsZero() {
		yamlAdd(n, "sent", yamlScalarAs(a.Sent.UTC().Format(alertTimeLayout), "!!timestamp"))
	}
	if len(a.Circles) > 0 {
		seq := &yaml.Node{Kind: yaml.SequenceNode}
		for _, c := range a.Circles {
			cn := yamlMap("lat", yamlFloat(c.Lat), "lon", yamlFloat(c.Lon), "radius_km", yamlFloat(c.RadiusKm))
			cn.Style = yaml.FlowStyle
			seq.Content = append(seq.Content, cn)
		}
		yamlAdd(n, "circles", seq)
	}
	if a.Sender != "" {
		yamlAdd(n, "sender", yamlStr(a.Sender))
	}
	return n
}

// yamlFloat is a number as the shortest decimal that reads back the same.
func yamlFloat(f float64) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!float", Value: strconv.FormatFloat(f, 'f', -1, 64)}
}

// regionSource is the locale Parse checks region names against when it is
// enabled; it is written first.
const regionSource = "en"

// regionsNode rebuilds the region tree from flat regions, keeping their
// order among siblings. Every region must be reachable from a top-level one.
func regionsNode(regions []app.Region) (*yaml.Node, error) {
	children := map[string][]int{}
	codes := map[string]bool{}
	for i, r := range regions {
		if codes[r.Code] {
			return nil, fmt.Errorf("region code %q is used twice", r.Code)
		}
		codes[r.Code] = true
		children[r.ParentCode] = append(children[r.ParentCode], i)
	}
	written := 0
	var shapeErr error
	var build func(parent string) *yaml.Node
	build = func(parent string) *yaml.Node {
		seq := &yaml.Node{Kind: yaml.SequenceNode}
		for _, i := range children[parent] {
			r := regions[i]
			written++
			rn := yamlMap("code", yamlStr(r.Code), "name", yamlText(r.Name, regionSource, yaml.FlowStyle))
			if err := addRegionShape(rn, r); err != nil {
				shapeErr = err
			}
			if len(children[r.Code]) > 0 {
				yamlAdd(rn, "children", build(r.Code))
			}
			seq.Content = append(seq.Content, rn)
		}
		return seq
	}
	root := yamlMap("regions", build(""))
	if shapeErr != nil {
		return nil, shapeErr
	}
	if written != len(regions) {
		for _, r := range regions {
			if r.ParentCode != "" && !codes[r.ParentCode] {
				return nil, fmt.Errorf("region %q names parent %q, which is not in the pack", r.Code, r.ParentCode)
			}
		}
		return nil, fmt.Errorf("regions form a cycle: %d of %d regions cannot be reached from a top-level region", len(regions)-written, len(regions))
	}
	return root, nil
}

// encodeYAML renders a node with the project's two-space indent; long lines
// are not folded, so text comes back exactly as written.
func encodeYAML(n *yaml.Node) ([]byte, error) {
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(n); err != nil {
		return nil, fmt.Errorf("encode yaml: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("encode yaml: %w", err)
	}
	return b.Bytes(), nil
}

// yamlMap builds a block mapping from key, value pairs, in order.
func yamlMap(kv ...any) *yaml.Node {
	n := &yaml.Node{Kind: yaml.MappingNode}
	for i := 0; i+1 < len(kv); i += 2 {
		yamlAdd(n, kv[i].(string), kv[i+1].(*yaml.Node))
	}
	return n
}

func yamlAdd(m *yaml.Node, key string, value *yaml.Node) {
	m.Content = append(m.Content, yamlStr(key), value)
}

// yamlStr is a string scalar; the encoder quotes it when it would otherwise
// read back as something else ("true", "80", "a: b").
func yamlStr(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
}

func yamlInt(i int) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(i)}
}

func yamlBool(b bool) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(b)}
}

// yamlScalarAs writes s unquoted when YAML reads it back, unquoted, as the same
// text with tag (dates as in the documented examples); otherwise it is a
// quoted string. Parse reads these fields as strings either way.
func yamlScalarAs(s, tag string) *yaml.Node {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(s), &doc); err == nil && len(doc.Content) == 1 {
		if v := doc.Content[0]; v.Kind == yaml.ScalarNode && v.Tag == tag && v.Value == s && v.Style == 0 {
			return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: s}
		}
	}
	return yamlStr(s)
}

// yamlList is a flow sequence of strings, as in "categories: [Security]".
func yamlList(items []string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
	for _, s := range items {
		n.Content = append(n.Content, yamlStr(s))
	}
	return n
}

// yamlText renders a translated field: the source locale first, then the
// others sorted, so the output does not depend on map order.
func yamlText(t app.Text, source string, style yaml.Style) *yaml.Node {
	n := &yaml.Node{Kind: yaml.MappingNode, Style: style}
	if s, ok := t[source]; ok {
		yamlAdd(n, source, yamlStr(s))
	}
	for _, loc := range t.Locales() {
		if loc != source {
			yamlAdd(n, loc, yamlStr(t[loc]))
		}
	}
	return n
}

// addRegionShape writes a region's geocodes and boundary (an extension):
// geocodes as flow mappings, the boundary as its GeoJSON geometry in flow
// style, so that a polygon's positions stay one per pair of brackets.
func addRegionShape(rn *yaml.Node, r app.Region) error {
	if len(r.Geocodes) > 0 {
		seq := &yaml.Node{Kind: yaml.SequenceNode}
		for _, g := range r.Geocodes {
			gn := yamlMap("name", yamlStr(g.Name), "value", yamlStr(g.Value))
			gn.Style = yaml.FlowStyle
			seq.Content = append(seq.Content, gn)
		}
		yamlAdd(rn, "geocodes", seq)
	}
	if r.Boundary == nil {
		return nil
	}
	data, err := json.Marshal(r.Boundary)
	if err != nil {
		return fmt.Errorf("region %q boundary: %w", r.Code, err)
	}
	var bn yaml.Node
	// JSON is YAML: the geometry reads back as the same mapping.
	if err := yaml.Unmarshal(data, &bn); err != nil {
		return fmt.Errorf("region %q boundary: %w", r.Code, err)
	}
	if bn.Kind == yaml.DocumentNode && len(bn.Content) == 1 {
		b := bn.Content[0]
		yamlAdd(rn, "boundary", b)
	}
	return nil
}
