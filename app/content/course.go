package content

import (
	"bytes"
	"io/fs"
	"path"
	"strings"
	"time"

	"beacon/app"

	"go.yaml.in/yaml/v3"
)

type courseFile struct {
	Slug         string       `yaml:"slug"`
	SourceLocale string       `yaml:"source_locale"`
	Topic        string       `yaml:"topic"`
	Categories   []string     `yaml:"categories"`
	ReviewBy     string       `yaml:"review_by"`
	Title        app.Text     `yaml:"title"`
	Summary      app.Text     `yaml:"summary"`
	Lessons      []lessonFile `yaml:"lessons"`
	Quiz         *quizFile    `yaml:"quiz"`
}

type lessonFile struct {
	Slug string `yaml:"slug"`
	File string `yaml:"file"`
}

type quizFile struct {
	PassPercent    *int           `yaml:"pass_percent"`
	MaxAttempts    int            `yaml:"max_attempts"`
	Draw           int            `yaml:"draw"`
	ShuffleChoices bool           `yaml:"shuffle_choices"`
	Questions      []questionFile `yaml:"questions"`
}

type questionFile struct {
	ID          string       `yaml:"id"`
	Type        string       `yaml:"type"`
	Prompt      app.Text     `yaml:"prompt"`
	Explanation app.Text     `yaml:"explanation"`
	Choices     []choiceFile `yaml:"choices"`
}

type choiceFile struct {
	ID      string   `yaml:"id"`
	Correct bool     `yaml:"correct"`
	Text    app.Text `yaml:"text"`
}

type frontMatter struct {
	Title string `yaml:"title"`
}

func (p *parser) course(dir string) (*app.Course, bool) {
	file := path.Join(dir, "course.yaml")
	data, err := fs.ReadFile(p.fsys, file)
	if err != nil {
		p.problem(file, 0, "course_yaml_missing", nil, "missing course.yaml")
		return nil, false
	}
	before := len(p.problems)
	var cf courseFile
	root, ok := p.decode(file, data, &cf)
	if !ok {
		return nil, false
	}
	if !slugRe.MatchString(cf.Slug) {
		p.problem(file, line(root, "slug"), "slug_format", kv{"Slug": cf.Slug}, "slug %q must match [a-z0-9-]+", cf.Slug)
	} else if cf.Slug != path.Base(dir) {
		p.problem(file, line(root, "slug"), "slug_not_folder", kv{"Slug": cf.Slug, "Folder": path.Base(dir)},
			"slug %q must equal the folder name %q", cf.Slug, path.Base(dir))
	}
	src := cf.SourceLocale
	if !p.enabled[src] {
		enabled := strings.Join(p.opts.Locales, ", ")
		p.problem(file, line(root, "source_locale"), "source_locale_not_enabled", kv{"Locale": src, "Enabled": enabled},
			"source_locale %q is not an enabled locale (enabled: %s)", src, enabled)
	}
	if cf.ReviewBy != "" {
		if _, err := time.Parse("2006-01-02", cf.ReviewBy); err != nil {
			p.problem(file, line(root, "review_by"), "review_by_format", kv{"Value": cf.ReviewBy}, "review_by %q must be a date YYYY-MM-DD", cf.ReviewBy)
		}
	}
	if strings.TrimSpace(cf.Topic) != "" && !slugRe.MatchString(cf.Topic) {
		p.problem(file, line(root, "topic"), "topic_format", kv{"Topic": cf.Topic}, "topic %q must match [a-z0-9-]+", cf.Topic)
	}
	for i, cat := range cf.Categories {
		if !capCategories[cat] {
			p.problem(file, line(root, "categories", i), "category_unknown", kv{"Category": cat}, "category %q is not a CAP category", cat)
		}
	}
	p.text(file, root, cf.Title, src, "title")
	p.text(file, root, cf.Summary, src, "summary")

	c := &app.Course{Slug: cf.Slug, SourceLocale: src, Topic: cf.Topic, Categories: cf.Categories, ReviewBy: cf.ReviewBy,
		Title: cf.Title, Summary: cf.Summary}
	if c.Categories == nil {
		c.Categories = []string{}
	}
	p.courseFieldProblems(file, root, c)
	if len(cf.Lessons) == 0 {
		p.problem(file, line(root, "lessons"), "lessons_none", nil, "a course needs at least one lesson")
	}
	lessonSlugs := map[string]bool{}
	usedFiles := map[string]bool{}
	for i, lf := range cf.Lessons {
		ln := line(root, "lessons", i)
		if !slugRe.MatchString(lf.Slug) {
			p.problem(file, ln, "lesson_slug_format", kv{"Slug": lf.Slug}, "lesson slug %q must match [a-z0-9-]+", lf.Slug)
			continue
		}
		if lessonSlugs[lf.Slug] {
			p.problem(file, ln, "lesson_slug_twice", kv{"Slug": lf.Slug}, "lesson slug %q is used twice", lf.Slug)
			continue
		}
		lessonSlugs[lf.Slug] = true
		if lf.File == "" || strings.ContainsAny(lf.File, "/\\") {
			p.problem(file, ln, "lesson_file_stem", kv{"Slug": lf.Slug}, "lesson %q needs a file stem without slashes", lf.Slug)
			continue
		}
		usedFiles[lf.File] = true
		l := app.Lesson{Slug: lf.Slug, File: lf.File, Title: app.Text{}, Body: app.Text{}}
		for _, loc := range p.opts.Locales {
			bodyFile := path.Join(dir, lf.File+"."+loc+".md")
			raw, err := fs.ReadFile(p.fsys, bodyFile)
			if err != nil {
				continue
			}
			title, body, ok := p.lessonBody(bodyFile, raw)
			if ok {
				l.Title[loc], l.Body[loc] = title, body
			}
		}
		if _, ok := l.Body[src]; !ok {
			p.problem(file, ln, "no_source_body", kv{"Slug": lf.Slug, "File": lf.File + "." + src + ".md", "Locale": src},
				"lesson %q has no body file %s.%s.md in the source locale", lf.Slug, lf.File, src)
		}
		c.Lessons = append(c.Lessons, l)
	}
	// Orphans: every .md in the folder must belong to a listed lesson in an enabled locale.
	entries, _ := fs.ReadDir(p.fsys, dir)
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".md") {
			continue
		}
		stem := strings.TrimSuffix(name, ".md")
		i := strings.Index(stem, ".")
		if i < 0 {
			p.problem(path.Join(dir, name), 0, "lesson_file_name", nil, "lesson file name must be <file>.<locale>.md")
			continue
		}
		if !usedFiles[stem[:i]] {
			p.problem(path.Join(dir, name), 0, "lesson_file_orphaned", kv{"Stem": stem[:i]}, "orphaned lesson file: no lesson in course.yaml uses %q", stem[:i])
		} else if !p.enabled[stem[i+1:]] {
			p.problem(path.Join(dir, name), 0, "lesson_locale_not_enabled", kv{"Locale": stem[i+1:]}, "locale %q is not enabled", stem[i+1:])
		}
	}
	if cf.Quiz != nil {
		c.Quiz = p.quiz(file, root, cf.Quiz, src)
	}
	c.StampAll()
	return c, len(p.problems) == before
}

func (p *parser) lessonBody(file string, raw []byte) (title, body string, ok bool) {
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
	s := strings.ReplaceAll(string(raw), "\r\n", "\n")
	if !strings.HasPrefix(s, "---\n") {
		p.problem(file, 1, "front_matter_missing", nil, "a lesson file starts with front matter (---, title: ..., ---)")
		return "", "", false
	}
	end := strings.Index(s[4:], "\n---")
	if end < 0 {
		p.problem(file, 1, "front_matter_unclosed", nil, "front matter is not closed with ---")
		return "", "", false
	}
	var fm frontMatter
	dec := yaml.NewDecoder(strings.NewReader(s[4 : 4+end]))
	dec.KnownFields(true)
	if err := dec.Decode(&fm); err != nil {
		p.problem(file, 1+yamlLine(err), "front_matter_yaml", kv{"Detail": yamlMessage(err)}, "front matter: %s", yamlMessage(err))
		return "", "", false
	}
	if strings.TrimSpace(fm.Title) == "" {
		p.problem(file, 2, "front_matter_no_title", nil, "front matter needs a title")
		return "", "", false
	}
	rest := s[4+end+4:]
	rest = strings.TrimPrefix(rest, "\n")
	if strings.TrimSpace(rest) == "" {
		p.problem(file, 1, "lesson_body_empty", nil, "the lesson body is empty")
		return "", "", false
	}
	return strings.TrimSpace(fm.Title), rest, true
}

func (p *parser) quiz(file string, root *yaml.Node, qf *quizFile, src string) *app.Quiz {
	q := &app.Quiz{MaxAttempts: qf.MaxAttempts, Draw: qf.Draw, ShuffleChoices: qf.ShuffleChoices}
	if qf.PassPercent == nil || *qf.PassPercent < 1 || *qf.PassPercent > 100 {
		p.problem(file, line(root, "quiz", "pass_percent"), "quiz_pass_percent", nil, "quiz.pass_percent must be 1–100")
	} else {
		q.PassPercent = *qf.PassPercent
	}
	if qf.MaxAttempts < 0 {
		p.problem(file, line(root, "quiz", "max_attempts"), "quiz_max_attempts", nil, "quiz.max_attempts must be 0 (unlimited) or more")
	}
	if qf.Draw < 0 || qf.Draw > len(qf.Questions) {
		p.problem(file, line(root, "quiz", "draw"), "quiz_draw", kv{"Count": len(qf.Questions)},
			"quiz.draw must be 0 (all) or at most the %d questions", len(qf.Questions))
	}
	if len(qf.Questions) == 0 {
		p.problem(file, line(root, "quiz"), "quiz_no_questions", nil, "a quiz needs at least one question")
	}
	ids := map[string]bool{}
	for i, qq := range qf.Questions {
		keys := []any{"quiz", "questions", i}
		ln := line(root, keys...)
		if !slugRe.MatchString(qq.ID) {
			p.problem(file, ln, "question_id_format", kv{"Question": qq.ID}, "question id %q must match [a-z0-9-]+", qq.ID)
		} else if ids[qq.ID] {
			p.problem(file, ln, "question_id_twice", kv{"Question": qq.ID}, "question id %q is used twice", qq.ID)
		}
		ids[qq.ID] = true
		switch qq.Type {
		case app.QuestionSingle, app.QuestionMultiple, app.QuestionTrueFalse:
		default:
			p.problem(file, line(root, append(keys, "type")...), "question_type", kv{"Question": qq.ID},
				"question %q: type must be single, multiple or true_false", qq.ID)
		}
		p.text(file, root, qq.Prompt, src, append(keys, "prompt")...)
		if len(qq.Explanation) > 0 {
			p.text(file, root, qq.Explanation, src, append(keys, "explanation")...)
		}
		if len(qq.Choices) < 2 {
			p.problem(file, ln, "question_few_choices", kv{"Question": qq.ID}, "question %q needs 2 or more choices", qq.ID)
		}
		question := app.Question{ID: qq.ID, Type: qq.Type, Prompt: qq.Prompt, Explanation: qq.Explanation}
		if question.Explanation == nil {
			question.Explanation = app.Text{}
		}
		choiceIDs := map[string]bool{}
		right := 0
		for j, cf := range qq.Choices {
			ck := append(append([]any{}, keys...), "choices", j)
			if !slugRe.MatchString(cf.ID) {
				p.problem(file, line(root, ck...), "choice_id_format", kv{"Question": qq.ID, "Choice": cf.ID},
					"question %q: choice id %q must match [a-z0-9-]+", qq.ID, cf.ID)
			} else if choiceIDs[cf.ID] {
				p.problem(file, line(root, ck...), "choice_id_twice", kv{"Question": qq.ID, "Choice": cf.ID},
					"question %q: choice id %q is used twice", qq.ID, cf.ID)
			}
			choiceIDs[cf.ID] = true
			if cf.Correct {
				right++
			}
			p.text(file, root, cf.Text, src, append(ck, "text")...)
			question.Choices = append(question.Choices, app.Choice{ID: cf.ID, Correct: cf.Correct, Text: cf.Text})
		}
		switch qq.Type {
		case app.QuestionSingle:
			if right != 1 {
				p.problem(file, ln, "single_right_count", kv{"Question": qq.ID, "Count": right},
					"question %q: a single question has exactly one right choice (has %d)", qq.ID, right)
			}
		case app.QuestionTrueFalse:
			if right != 1 {
				p.problem(file, ln, "true_false_right_count", kv{"Question": qq.ID, "Count": right},
					"question %q: a true_false question has exactly one right choice (has %d)", qq.ID, right)
			}
			if len(qq.Choices) != 2 || !choiceIDs["true"] || !choiceIDs["false"] {
				p.problem(file, ln, "true_false_choices", kv{"Question": qq.ID},
					"question %q: a true_false question has exactly the choices \"true\" and \"false\"", qq.ID)
			}
		case app.QuestionMultiple:
			if right < 1 {
				p.problem(file, ln, "multiple_no_right", kv{"Question": qq.ID}, "question %q: a multiple question has at least one right choice", qq.ID)
			}
		}
		q.Questions = append(q.Questions, question)
	}
	return q
}

// courseFieldProblems reports the errors of app.Course.Validate, the check
// the course forms share, that the checks above do not already report
// with the pack's own words: a title or summary too long, a title on
// several lines, a topic too long.
func (p *parser) courseFieldProblems(file string, root *yaml.Node, c *app.Course) {
	for _, fe := range c.Validate(p.opts.Locales) {
		switch {
		case (fe.Field == "title" || fe.Field == "summary") && fe.MessageID == "admin.error.too_long":
			max := app.MaxCourseLine
			if fe.Field == "summary" {
				max = app.MaxCourseText
			}
			p.problem(file, line(root, fe.Field), "course_text_long", kv{"Field": fe.Field, "Locale": c.SourceLocale, "Max": max},
				"%s in %q is too long (limit %d)", fe.Field, c.SourceLocale, max)
		case fe.Field == "title" && fe.MessageID == "admin.error.one_line":
			p.problem(file, line(root, "title"), "course_title_lines", kv{"Locale": c.SourceLocale},
				"title in %q must be one line", c.SourceLocale)
		case fe.Field == "topic" && slugRe.MatchString(c.Topic):
			p.problem(file, line(root, "topic"), "course_topic_long", kv{"Topic": c.Topic, "Max": app.MaxCourseSlug},
				"topic %q must be at most %d characters", c.Topic, app.MaxCourseSlug)
		}
	}
}
