package main

import (
	"bytes"
	"fmt"
	"net/url"

	"github.com/PuerkitoBio/goquery"
)

// htmlForm is a form as a browser without JavaScript sees it: where it
// posts, its hidden fields, and the choices of its radio and checkbox
// inputs by name (in page order).
type htmlForm struct {
	action  string
	hidden  url.Values
	choices map[string][]string
	order   []string // choice names in page order
	multi   map[string]bool
}

// findForm parses the first form matching selector in an HTML page.
func findForm(page []byte, selector string) (*htmlForm, error) {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(page))
	if err != nil {
		return nil, err
	}
	sel := doc.Find(selector).First()
	if sel.Length() == 0 {
		return nil, fmt.Errorf("no %s on the page", selector)
	}
	f := &htmlForm{action: sel.AttrOr("action", ""), hidden: url.Values{}, choices: map[string][]string{}, multi: map[string]bool{}}
	sel.Find("input").Each(func(_ int, in *goquery.Selection) {
		name := in.AttrOr("name", "")
		if name == "" {
			return
		}
		switch in.AttrOr("type", "text") {
		case "hidden":
			f.hidden.Set(name, in.AttrOr("value", ""))
		case "radio", "checkbox":
			if _, ok := f.choices[name]; !ok {
				f.order = append(f.order, name)
			}
			f.choices[name] = append(f.choices[name], in.AttrOr("value", ""))
			f.multi[name] = in.AttrOr("type", "") == "checkbox"
		}
	})
	return f, nil
}

// values starts a submission with the form's hidden fields.
func (f *htmlForm) values() url.Values {
	v := url.Values{}
	for k, vs := range f.hidden {
		v[k] = append([]string(nil), vs...)
	}
	return v
}
