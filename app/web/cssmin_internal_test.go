package web

import "testing"

// TestMinifyCSS: comments go (also between rules and inside declarations),
// strings keep what looks like a comment, indentation and empty lines go.
func TestMinifyCSS(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"comments", "/* head */\na { color: red; /* why */ }\n\n  b {\n    margin: 0;\n  }\n", "a { color: red;  }\nb {\nmargin: 0;\n}\n"},
		{"strings", `a::after { content: "/* not a comment */"; } b { font-family: 'x/*y'; }`, `a::after { content: "/* not a comment */"; } b { font-family: 'x/*y'; }` + "\n"},
		{"escaped quote", `a::after { content: "\"/*"; } /* gone */`, `a::after { content: "\"/*"; }` + "\n"},
	} {
		if got := string(minifyCSS([]byte(tc.in))); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}
