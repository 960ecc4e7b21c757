package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"go.yaml.in/yaml/v3"
)

// course is what the load test needs to know of a seed course: its
// lessons, the languages its lessons are written in, and the right
// answers of its quiz (from content/courses/<slug>/course.yaml, the format
// of CONTENT-FORMAT.md).
type course struct {
	Slug    string `yaml:"slug"`
	Lessons []struct {
		Slug string `yaml:"slug"`
		File string `yaml:"file"`
	} `yaml:"lessons"`
	Quiz *struct {
		Questions []struct {
			ID      string `yaml:"id"`
			Choices []struct {
				ID      string `yaml:"id"`
				Correct bool   `yaml:"correct"`
			} `yaml:"choices"`
		} `yaml:"questions"`
	} `yaml:"quiz"`

	langs []string            // languages every lesson is written in
	right map[string][]string // question id → right choice ids
}

// campaign is a seed campaign: its slug and featured courses.
type campaign struct {
	Slug    string   `yaml:"slug"`
	Courses []string `yaml:"courses"`
}

// seedContent is the seed pack as far as the load test reads it.
type seedContent struct {
	courses   map[string]*course
	slugs     []string // course slugs, sorted
	campaigns []*campaign
}

var allLangs = []string{"en", "zh-Hans", "es", "fr", "ru", "ar"}

// readSeed reads repo/content: courses (lessons, languages, answers) and
// campaigns.
func readSeed(repo string) (*seedContent, error) {
	sc := &seedContent{courses: map[string]*course{}}
	files, _ := filepath.Glob(filepath.Join(repo, "content", "courses", "*", "course.yaml"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		c := &course{right: map[string][]string{}}
		if err := yaml.Unmarshal(b, c); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		if c.Slug == "" || len(c.Lessons) == 0 {
			continue
		}
		for _, lang := range allLangs {
			whole := true
			for _, l := range c.Lessons {
				if _, err := os.Stat(filepath.Join(filepath.Dir(f), l.File+"."+lang+".md")); err != nil {
					whole = false
				}
			}
			if whole {
				c.langs = append(c.langs, lang)
			}
		}
		if len(c.langs) == 0 {
			c.langs = []string{"en"}
		}
		if c.Quiz != nil {
			for _, q := range c.Quiz.Questions {
				for _, ch := range q.Choices {
					if ch.Correct {
						c.right[q.ID] = append(c.right[q.ID], ch.ID)
					}
				}
			}
		}
		sc.courses[c.Slug] = c
		sc.slugs = append(sc.slugs, c.Slug)
	}
	sort.Strings(sc.slugs)
	if len(sc.slugs) == 0 {
		return nil, fmt.Errorf("no courses under %s/content/courses", repo)
	}
	files, _ = filepath.Glob(filepath.Join(repo, "content", "campaigns", "*.yaml"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		cp := &campaign{}
		if err := yaml.Unmarshal(b, cp); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		if cp.Slug != "" {
			sc.campaigns = append(sc.campaigns, cp)
		}
	}
	if len(sc.campaigns) == 0 {
		return nil, fmt.Errorf("no campaign under %s/content/campaigns", repo)
	}
	return sc, nil
}
