package web_test

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestStylesheetsBalanced: every stylesheet closes each block it opens.
// One missing brace after an @media block makes browsers drop the rest of
// the file (the print rules went unread once, after a merge), and nothing
// else would say so.
func TestStylesheetsBalanced(t *testing.T) {
	files, err := os.ReadDir("../../static/css")
	if err != nil {
		t.Fatal(err)
	}
	comments := regexp.MustCompile(`(?s)/\*.*?\*/`)
	quoted := regexp.MustCompile(`"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'`)
	for _, f := range files {
		if !strings.HasSuffix(f.Name(), ".css") {
			continue
		}
		b, err := os.ReadFile("../../static/css/" + f.Name())
		if err != nil {
			t.Fatal(err)
		}
		css := quoted.ReplaceAllString(comments.ReplaceAllString(string(b), ""), `""`)
		depth, line := 0, 1
		for _, r := range css {
			switch r {
			case '\n':
				line++
			case '{':
				depth++
			case '}':
				if depth--; depth < 0 {
					t.Fatalf("%s:%d closes a block nobody opened", f.Name(), line)
				}
			}
		}
		if depth != 0 {
			t.Errorf("%s leaves %d block(s) open at its end", f.Name(), depth)
		}
	}
}
