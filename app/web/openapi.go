package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
)

// openapiFragments are the pieces of the OpenAPI document: base.json (the
// document's frame and shared components) and one fragment per family of
// endpoints (public.json, private.json, ...), each with its paths and
// components.
//
//go:embed openapi/*.json
var openapiFragments embed.FS

// OpenAPIDocument assembles the OpenAPI 3.1 document served at
// /api/v1/openapi.json from the embedded fragments; an error means two
// fragments define the same path or component (a bug caught at start-up).
func OpenAPIDocument() ([]byte, error) {
	sub, err := fs.Sub(openapiFragments, "openapi")
	if err != nil {
		return nil, fmt.Errorf("openapi: %w", err)
	}
	return MergeOpenAPI(sub)
}

// MergeOpenAPI merges the fragments of fsys: base.json is the frame, and
// every other *.json file, in name order, adds its "paths", its
// "components" (by section: schemas, parameters, responses, ...) and its
// "tags" (appended after the base's). A key or tag name defined twice, a
// fragment holding anything else, or unreadable JSON is an error naming
// the file and the key.
func MergeOpenAPI(fsys fs.FS) ([]byte, error) {
	names, err := fs.Glob(fsys, "*.json")
	if err != nil {
		return nil, fmt.Errorf("openapi: list fragments: %w", err)
	}
	sort.Strings(names)
	doc, err := readFragment(fsys, "base.json")
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		if name == "base.json" {
			continue
		}
		frag, err := readFragment(fsys, name)
		if err != nil {
			return nil, err
		}
		if err := mergeFragment(doc, frag, name); err != nil {
			return nil, err
		}
	}
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("openapi: encode: %w", err)
	}
	return out, nil
}

// readFragment reads one fragment as a JSON object.
func readFragment(fsys fs.FS, name string) (map[string]any, error) {
	raw, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("openapi: %w", err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("openapi: %s: %w", name, err)
	}
	return m, nil
}

// mergeFragment adds frag's paths and components to doc.
func mergeFragment(doc, frag map[string]any, name string) error {
	for key, v := range frag {
		switch key {
		case "paths":
			if err := mergeKeys(doc, "paths", v, name); err != nil {
				return err
			}
		case "components":
			sections, ok := v.(map[string]any)
			if !ok {
				return fmt.Errorf("openapi: %s: components is not an object", name)
			}
			comps, _ := doc["components"].(map[string]any)
			if comps == nil {
				comps = map[string]any{}
				doc["components"] = comps
			}
			for section, entries := range sections {
				if err := mergeKeys(comps, section, entries, name+": components"); err != nil {
					return err
				}
			}
		case "tags":
			if err := mergeTags(doc, v, name); err != nil {
				return err
			}
		default:
			return fmt.Errorf("openapi: %s: a fragment holds only paths, components and tags, not %q", name, key)
		}
	}
	return nil
}

// mergeKeys adds the entries of the object v to dst[field], refusing a
// key dst already has.
func mergeKeys(dst map[string]any, field string, v any, where string) error {
	entries, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("openapi: %s: %s is not an object", where, field)
	}
	have, _ := dst[field].(map[string]any)
	if have == nil {
		have = map[string]any{}
		dst[field] = have
	}
	keys := make([]string, 0, len(entries))
	for k := range entries {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if _, dup := have[k]; dup {
			return fmt.Errorf("openapi: %s: duplicate %s %q", where, field, k)
		}
		have[k] = entries[k]
	}
	return nil
}

// mergeTags appends a fragment's tags to the document's, refusing a name
// the document already has.
func mergeTags(doc map[string]any, v any, where string) error {
	tags, ok := v.([]any)
	if !ok {
		return fmt.Errorf("openapi: %s: tags is not an array", where)
	}
	have, _ := doc["tags"].([]any)
	names := map[string]bool{}
	for _, t := range have {
		if m, ok := t.(map[string]any); ok {
			names[fmt.Sprint(m["name"])] = true
		}
	}
	for _, t := range tags {
		m, ok := t.(map[string]any)
		if !ok {
			return fmt.Errorf("openapi: %s: a tag is not an object", where)
		}
		name := fmt.Sprint(m["name"])
		if names[name] {
			return fmt.Errorf("openapi: %s: duplicate tag %q", where, name)
		}
		names[name] = true
		have = append(have, m)
	}
	doc["tags"] = have
	return nil
}
