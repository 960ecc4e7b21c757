package content

import (
	"fmt"
	"path"
	"unicode/utf8"

	"beacon/app"
)

// CourseDocument is one course in the pack format, as JSON carries it:
// every file beacon export writes for the course (course.yaml and one
// lesson body file per lesson and locale), by its slash-separated path in
// the pack folder, in sorted order. Writing the files under a folder gives
// a pack Parse reads back to the same course.
type CourseDocument struct {
	Slug  string     `json:"slug"`
	Files []TextFile `json:"files"`
}

// TextFile is one UTF-8 text file of a pack.
type TextFile struct {
	Path string `json:"path"`
	Text string `json:"text"`
}

// CourseDocumentOf renders c as CourseDocument, refusing what Write would
// refuse (see Write).
func CourseDocumentOf(c *app.Course) (CourseDocument, error) {
	files := map[string][]byte{}
	if err := courseFiles(files, c); err != nil {
		return CourseDocument{}, err
	}
	doc := CourseDocument{Slug: c.Slug, Files: make([]TextFile, 0, len(files))}
	for _, name := range sortedNames(files) {
		if !utf8.Valid(files[name]) {
			return CourseDocument{}, fmt.Errorf("export course %s: %s is not UTF-8", c.Slug, path.Base(name))
		}
		doc.Files = append(doc.Files, TextFile{Path: name, Text: string(files[name])})
	}
	return doc, nil
}
