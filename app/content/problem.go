package content

import (
	"fmt"
	"slices"
	"strings"
)

// ProblemKeyPrefix starts the catalog key of every problem's localized
// message: the key is ProblemKeyPrefix + Problem.ID.
const ProblemKeyPrefix = "pack.problem."

// Problem is one thing wrong with a pack, located by file and line.
type Problem struct {
	File string
	Line int
	// ID names the kind of problem (lower_snake); the catalog message
	// ProblemKeyPrefix+ID explains it in the reader's language.
	ID string
	// Args are the named values the message shows ({{.Slug}}, {{.Locale}}, ...).
	Args map[string]any
	// Message is the English text, for the command line and logs.
	Message string
}

// Key is the catalog key of the problem's localized message.
func (p Problem) Key() string { return ProblemKeyPrefix + p.ID }

// String renders "file:line: message".
func (p Problem) String() string {
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Message)
	}
	return fmt.Sprintf("%s: %s", p.File, p.Message)
}

// Problems is every problem found in a pack; a pack with any is refused whole.
type Problems []Problem

// Error lists every problem, one a line.
func (ps Problems) Error() string {
	lines := make([]string, 0, len(ps)+1)
	lines = append(lines, fmt.Sprintf("content pack has %d problem(s):", len(ps)))
	for _, p := range ps {
		lines = append(lines, "  "+p.String())
	}
	return strings.Join(lines, "\n")
}

// kv holds the named values of a problem's message.
type kv = map[string]any

// problem records a problem: its kind (id), the named values of its
// localized message, and its English text.
func (p *parser) problem(file string, line int, id string, args kv, format string, a ...any) {
	p.problems = append(p.problems, Problem{File: file, Line: line, ID: id, Args: args, Message: fmt.Sprintf(format, a...)})
}

// ZipError is why ReadZip refused an archive. Error is the English text;
// ID and Args localize it like a Problem's.
type ZipError struct {
	ID   string
	Args map[string]any
	err  error
}

func (e *ZipError) Error() string { return e.err.Error() }
func (e *ZipError) Unwrap() error { return e.err }

// Problem reports the refusal as a problem of file (the uploaded archive).
func (e *ZipError) Problem(file string) Problem {
	return Problem{File: file, ID: e.ID, Args: e.Args, Message: e.Error()}
}

// zipError returns a ZipError of kind id whose English text is
// fmt.Errorf(format, a...) (so %w wraps).
func zipError(id string, args kv, format string, a ...any) *ZipError {
	return &ZipError{ID: id, Args: args, err: fmt.Errorf(format, a...)}
}

// problemIDs is every Problem.ID and ZipError.ID the package produces; each
// has ProblemKeyPrefix+id in every catalog (tested).
var problemIDs = []string{
	// YAML files
	"yaml_syntax", "yaml_decode", "file_empty",
	// translated fields
	"text_no_source", "text_locale_not_enabled",
	// courses
	"course_yaml_missing", "course_slug_twice", "slug_format", "slug_not_folder",
	"source_locale_not_enabled", "review_by_format", "topic_format", "category_unknown",
	"course_text_long", "course_title_lines", "course_topic_long",
	// lessons
	"lessons_none", "lesson_slug_format", "lesson_slug_twice", "lesson_file_stem", "no_source_body",
	"lesson_file_name", "lesson_file_orphaned", "lesson_locale_not_enabled",
	"front_matter_missing", "front_matter_unclosed", "front_matter_yaml", "front_matter_no_title",
	"lesson_body_empty",
	// quizzes
	"quiz_pass_percent", "quiz_max_attempts", "quiz_draw", "quiz_no_questions",
	"question_id_format", "question_id_twice", "question_type", "question_few_choices",
	"choice_id_format", "choice_id_twice",
	"single_right_count", "true_false_right_count", "true_false_choices", "multiple_no_right",
	// campaigns
	"campaign_unreadable", "campaign_slug_twice", "campaign_starts_format", "campaign_ends_format",
	"campaign_starts_after_ends", "campaign_goal_negative", "campaign_course_unknown",
	"campaign_channel_code", "campaign_channel_name", "campaign_channel_twice",
	"campaign_slug_long", "campaign_text_long", "campaign_text_invalid", "campaign_goal_large", "campaign_courses_none",
	// regions
	"region_code_format", "region_code_twice",
	"region_boundary_json", "region_boundary_type", "region_boundary_features", "region_boundary_empty",
	"region_boundary_ring_short", "region_boundary_ring_open", "region_boundary_position", "region_boundary_large",
	"region_geocode_blank", "region_geocode_invalid", "region_geocode_long", "region_geocode_reserved",
	"region_geocode_twice", "region_geocode_many",
	// alerts
	"alert_unreadable", "alert_identifier_format", "alert_identifier_not_file", "alert_identifier_twice",
	"alert_value_unknown", "alert_field_invalid", "alert_category_none", "alert_effective_format",
	"alert_expires_format", "alert_effective_after_expires", "alert_region_unknown", "alert_lesson_incomplete",
	"alert_lesson_unknown", "alert_references_missing", "alert_references_format", "alert_references_self",
	"alert_sent_format", "alert_circle_invalid", "alert_sender_invalid",
	// media
	"media_folder", "media_name", "media_unreadable", "media_empty", "media_too_large",
	"media_not_image", "media_broken", "media_dimensions", "media_invalid", "media_ext_mismatch",
	"media_ref_missing",
	"media_ref_invalid",
	// zip archives (ReadZip)
	"zip_not_zip", "zip_too_many", "zip_path_empty", "zip_path_absolute", "zip_path_backslash",
	"zip_path_dotdot", "zip_path_unclean", "zip_symlink", "zip_special_file", "zip_entry_too_large",
	"zip_total_too_large", "zip_entry_twice", "zip_entry_unreadable", "zip_entry_inflates_too_large",
	"zip_broken", "zip_file_and_folder",
}

// ProblemIDs returns every problem ID the package produces, sorted.
func ProblemIDs() []string {
	ids := slices.Clone(problemIDs)
	slices.Sort(ids)
	return ids
}
