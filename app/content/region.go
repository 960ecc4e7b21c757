package content

import (
	"beacon/app"

	"go.yaml.in/yaml/v3"
)

type regionsFile struct {
	Regions []regionNode `yaml:"regions"`
}

type regionNode struct {
	Code     string       `yaml:"code"`
	Name     app.Text     `yaml:"name"`
	Children []regionNode `yaml:"children"`
}

func (p *parser) regions(file string, data []byte) []app.Region {
	var rf regionsFile
	root, ok := p.decode(file, data, &rf)
	if !ok {
		return nil
	}
	var out []app.Region
	seen := map[string]bool{}
	src := p.opts.Locales[0]
	if p.enabled["en"] {
		src = "en"
	}
	var walk func(nodes []regionNode, parent string, n *yaml.Node)
	walk = func(nodes []regionNode, parent string, n *yaml.Node) {
		for i, r := range nodes {
			ln := line(n, i)
			if !slugRe.MatchString(r.Code) {
				p.problem(file, ln, "region_code_format", kv{"Code": r.Code}, "region code %q must match [a-z0-9-]+", r.Code)
			} else if seen[r.Code] {
				p.problem(file, ln, "region_code_twice", kv{"Code": r.Code}, "region code %q is used twice", r.Code)
			}
			seen[r.Code] = true
			p.text(file, n, r.Name, src, i, "name")
			out = append(out, app.Region{Code: r.Code, ParentCode: parent, Name: r.Name})
			var childNode *yaml.Node
			if n != nil && n.Kind == yaml.SequenceNode && i < len(n.Content) {
				m := n.Content[i]
				for k := 0; k+1 < len(m.Content); k += 2 {
					if m.Content[k].Value == "children" {
						childNode = m.Content[k+1]
					}
				}
			}
			walk(r.Children, r.Code, childNode)
		}
	}
	var seq *yaml.Node
	for k := 0; root != nil && k+1 < len(root.Content); k += 2 {
		if root.Content[k].Value == "regions" {
			seq = root.Content[k+1]
		}
	}
	walk(rf.Regions, "", seq)
	return out
}
