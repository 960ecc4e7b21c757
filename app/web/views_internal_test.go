package web

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
)

// TestViews_ConcurrentRenders renders full pages (in the layout, as
// Server.render does) and bare fragments (as page filling does) from many
// goroutines at once, each template for the first time. Every page must
// come out whole: before renderBare, a fragment rendered through the
// engine set the layout's {{embed}} to nil under a page being rendered,
// and that page failed (a few times in 20,000 here). Under -race this also
// shows that first renders no longer race over html/template's lazy
// escaping (newViews executes every template first).
func TestViews_ConcurrentRenders(t *testing.T) {
	fsys := fstest.MapFS{
		layoutName + ".html": {Data: []byte(`<main class="{{.Class}}">{{range .Items}}<i>{{.}}</i>{{end}}{{embed}}</main>`)},
	}
	const pages = 8
	for i := range pages {
		fsys[fmt.Sprintf("page%d.html", i)] = &fstest.MapFile{Data: []byte(fmt.Sprintf(`<p title="{{.Title}}">page %d {{.Body}}</p>`, i))}
		fsys[fmt.Sprintf("frag%d.html", i)] = &fstest.MapFile{Data: []byte(fmt.Sprintf(`<a href="/x?q={{.Q}}">frag %d</a>`, i))}
	}
	engine, err := newViews(fsys)
	if err != nil {
		t.Fatal(err)
	}
	items := make([]int, 20)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failures []string
	for g := range 4 {
		wg.Go(func() {
			for i := range 5000 {
				n := (i + g) % pages
				var b bytes.Buffer
				var err error
				var want string
				if g%2 == 0 {
					err = engine.Render(&b, fmt.Sprintf("page%d", n), map[string]any{"Title": "t", "Class": "c", "Body": "<b>", "Items": items}, layoutName)
					want = fmt.Sprintf("page %d &lt;b&gt;", n)
				} else {
					err = renderBare(engine, &b, fmt.Sprintf("frag%d", n), map[string]any{"Q": "a b"})
					want = fmt.Sprintf(`<a href="/x?q=a%%20b">frag %d</a>`, n)
				}
				if err != nil || !strings.Contains(b.String(), want) {
					mu.Lock()
					failures = append(failures, fmt.Sprintf("goroutine %d, render %d: %v: %q", g, i, err, b.String()))
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	if len(failures) > 0 {
		t.Fatalf("%d of 20000 renders failed, the first: %s", len(failures), failures[0])
	}
}
