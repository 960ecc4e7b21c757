package content

import (
	"encoding/json"
	"strings"

	"beacon/app"

	"go.yaml.in/yaml/v3"
)

type regionsFile struct {
	Regions []regionNode `yaml:"regions"`
}

type regionNode struct {
	Code string   `yaml:"code"`
	Name app.Text `yaml:"name"`
	// Boundary and Geocodes are an extension (docs/PACK-EXTENSIONS.md): the
	// GeoJSON geometry inline, and {name, value} pairs.
	Boundary any             `yaml:"boundary"`
	Geocodes []regionGeocode `yaml:"geocodes"`
	Children []regionNode    `yaml:"children"`
}

// regionGeocode is one entry of a region's geocodes list.
type regionGeocode struct {
	Name  string `yaml:"name"`
	Value string `yaml:"value"`
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
			reg := app.Region{Code: r.Code, ParentCode: parent, Name: r.Name}
			p.regionShape(file, n, i, r, &reg)
			out = append(out, reg)
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

// regionShape reads a region's boundary and geocodes into reg and checks
// them with app.Region.Validate, reporting each problem with the region's
// code at its line.
func (p *parser) regionShape(file string, n *yaml.Node, i int, r regionNode, reg *app.Region) {
	for _, g := range r.Geocodes {
		reg.Geocodes = append(reg.Geocodes, app.Geocode{Name: g.Name, Value: g.Value})
	}
	if len(reg.Geocodes) > 0 && len(app.CleanGeocodes(reg.Geocodes)) < len(reg.Geocodes) {
		p.problem(file, line(n, i, "geocodes"), "region_geocode_blank", kv{"Code": r.Code}, "region %q: a geocode needs a name and a value", r.Code)
		return
	}
	reg.Geocodes = app.CleanGeocodes(reg.Geocodes)
	if r.Boundary != nil {
		data, err := json.Marshal(r.Boundary)
		if err != nil {
			p.problem(file, line(n, i, "boundary"), "region_boundary_json", kv{"Code": r.Code},
				"region %q: boundary must be a GeoJSON Polygon or MultiPolygon", r.Code)
			return
		}
		g, fe := app.ParseBoundary(data)
		if fe != nil {
			id := "region_" + strings.TrimPrefix(fe.MessageID, "admin.regions.error.")
			p.problem(file, line(n, i, "boundary"), id, kv{"Code": r.Code}, "region %q: %s", r.Code, regionProblemText[id])
			return
		}
		reg.Boundary = g
	}
	for _, fe := range reg.Validate() {
		if fe.Field != "geocodes" {
			continue // code and names are reported above, with more detail
		}
		id := "region_" + strings.TrimPrefix(fe.MessageID, "admin.regions.error.")
		p.problem(file, line(n, i, "geocodes"), id, kv{"Code": r.Code}, "region %q: %s", r.Code, regionProblemText[id])
	}
}

// regionProblemText is the English text of each boundary and geocode
// problem, for the command line.
var regionProblemText = map[string]string{
	"region_boundary_json":       "boundary must be a GeoJSON Polygon or MultiPolygon",
	"region_boundary_type":       "boundary must be a GeoJSON Polygon or MultiPolygon",
	"region_boundary_features":   "a FeatureCollection boundary must hold exactly one feature",
	"region_boundary_empty":      "boundary has no polygon",
	"region_boundary_ring_short": "every ring of the boundary needs at least 4 positions",
	"region_boundary_ring_open":  "every ring of the boundary must end where it starts",
	"region_boundary_position":   "boundary positions must be [longitude, latitude] with longitude in -180..180 and latitude in -90..90",
	"region_boundary_large":      "boundary is too large (at most 10,000 positions and 1 MB)",
	"region_geocode_blank":       "a geocode needs a name and a value",
	"region_geocode_invalid":     "a geocode holds control characters",
	"region_geocode_long":        "a geocode name or value is too long",
	"region_geocode_reserved":    "the geocode name beacon-region is Beacon's own",
	"region_geocode_twice":       "a geocode name is used twice",
	"region_geocode_many":        "too many geocodes (at most 50)",
}
