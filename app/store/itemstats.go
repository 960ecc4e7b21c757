package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"beacon/app"

	"gorm.io/gorm"
)

// Item analysis rollups (#13 part 1): item_stats and item_choice_stats,
// written with each submission through rollupDeltas and read by
// ItemAnalysis without ever scanning quiz_attempts. Counts only.

// itemKey names one item_stats row.
type itemKey struct {
	CourseID   int64
	RevisionID int64
	QuestionID string
	Guest      bool
}

// itemDelta is the increment of one item_stats row.
type itemDelta struct {
	Attempts, Right, PassAttempts, PassRight, FailAttempts, FailRight int64
}

// choiceKey names one item_choice_stats row.
type choiceKey struct {
	itemKey
	ChoiceID string
}

// addItemDeltas adds one submission's answers to the item rollups: the
// same mapping for live submissions and demo data.
func addItemDeltas(items map[itemKey]itemDelta, choices map[choiceKey]int64, courseID, revisionID int64, guest, passed bool, answers []app.AnsweredQuestion) {
	for _, a := range answers {
		k := itemKey{CourseID: courseID, RevisionID: revisionID, QuestionID: a.QuestionID, Guest: guest}
		d := items[k]
		right := int64(0)
		if a.Correct {
			right = 1
		}
		d.Attempts++
		d.Right += right
		if passed {
			d.PassAttempts++
			d.PassRight += right
		} else {
			d.FailAttempts++
			d.FailRight += right
		}
		items[k] = d
		for _, c := range a.Chosen {
			choices[choiceKey{itemKey: k, ChoiceID: c}]++
		}
	}
}

func itemKeyCompare(a, b itemKey) int {
	return cmp.Or(cmp.Compare(a.CourseID, b.CourseID), cmp.Compare(a.RevisionID, b.RevisionID),
		cmp.Compare(a.QuestionID, b.QuestionID), boolCompare(a.Guest, b.Guest))
}

// applyItemDeltas upserts the item rollups inside tx in key order (a lock
// order concurrent PostgreSQL writers share), in multi-row statements.
func applyItemDeltas(tx *gorm.DB, items map[itemKey]itemDelta, choices map[choiceKey]int64) error {
	keys := make([]itemKey, 0, len(items))
	for k := range items {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, itemKeyCompare)
	const chunk = 300
	for start := 0; start < len(keys); start += chunk {
		end := min(start+chunk, len(keys))
		var sb strings.Builder
		sb.WriteString(`INSERT INTO item_stats (course_id, revision_id, question_id, guest, attempts, right_n, pass_attempts, pass_right, fail_attempts, fail_right) VALUES `)
		args := make([]any, 0, 10*(end-start))
		for i, k := range keys[start:end] {
			if i > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
			d := items[k]
			args = append(args, k.CourseID, k.RevisionID, k.QuestionID, k.Guest, d.Attempts, d.Right, d.PassAttempts, d.PassRight, d.FailAttempts, d.FailRight)
		}
		sb.WriteString(` ON CONFLICT (course_id, revision_id, question_id, guest) DO UPDATE SET
attempts = item_stats.attempts + excluded.attempts, right_n = item_stats.right_n + excluded.right_n,
pass_attempts = item_stats.pass_attempts + excluded.pass_attempts, pass_right = item_stats.pass_right + excluded.pass_right,
fail_attempts = item_stats.fail_attempts + excluded.fail_attempts, fail_right = item_stats.fail_right + excluded.fail_right`)
		if err := tx.Exec(sb.String(), args...).Error; err != nil {
			return fmt.Errorf("item stats: %w", err)
		}
	}
	ckeys := make([]choiceKey, 0, len(choices))
	for k := range choices {
		ckeys = append(ckeys, k)
	}
	slices.SortFunc(ckeys, func(a, b choiceKey) int {
		return cmp.Or(itemKeyCompare(a.itemKey, b.itemKey), cmp.Compare(a.ChoiceID, b.ChoiceID))
	})
	const cchunk = 500
	for start := 0; start < len(ckeys); start += cchunk {
		end := min(start+cchunk, len(ckeys))
		var sb strings.Builder
		sb.WriteString(`INSERT INTO item_choice_stats (course_id, revision_id, question_id, guest, choice_id, picks) VALUES `)
		args := make([]any, 0, 6*(end-start))
		for i, k := range ckeys[start:end] {
			if i > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString("(?, ?, ?, ?, ?, ?)")
			args = append(args, k.CourseID, k.RevisionID, k.QuestionID, k.Guest, k.ChoiceID, choices[k])
		}
		sb.WriteString(` ON CONFLICT (course_id, revision_id, question_id, guest, choice_id) DO UPDATE SET picks = item_choice_stats.picks + excluded.picks`)
		if err := tx.Exec(sb.String(), args...).Error; err != nil {
			return fmt.Errorf("item choice stats: %w", err)
		}
	}
	return nil
}

// ItemCounts is the rollup of one question for one "who" (guests or
// registered learners): true counts, to be released through app/stats.
type ItemCounts struct {
	QuestionID   string
	Guest        bool
	Attempts     int64
	Right        int64
	PassAttempts int64
	PassRight    int64
	FailAttempts int64
	FailRight    int64
	Picks        map[string]int64 // by choice id
}

// ItemAnalysis returns the item rollups of a course's revision, one entry
// per question and who, ordered by question id then registered before
// guests. It reads item_stats and item_choice_stats only.
func (s *Store) ItemAnalysis(ctx context.Context, courseID, revisionID int64) ([]ItemCounts, error) {
	type row struct {
		QuestionID                                                         string
		Guest                                                              bool
		Attempts, RightN, PassAttempts, PassRight, FailAttempts, FailRight int64
	}
	var rows []row
	db := s.db.WithContext(ctx)
	if err := db.Raw(`SELECT question_id, guest, attempts, right_n, pass_attempts, pass_right, fail_attempts, fail_right
FROM item_stats WHERE course_id = ? AND revision_id = ? ORDER BY question_id, guest`, courseID, revisionID).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("item analysis: %w", err)
	}
	type crow struct {
		QuestionID, ChoiceID string
		Guest                bool
		Picks                int64
	}
	var crows []crow
	if err := db.Raw(`SELECT question_id, guest, choice_id, picks FROM item_choice_stats WHERE course_id = ? AND revision_id = ?`,
		courseID, revisionID).Scan(&crows).Error; err != nil {
		return nil, fmt.Errorf("item analysis choices: %w", err)
	}
	out := make([]ItemCounts, len(rows))
	idx := make(map[itemKey]int, len(rows))
	for i, r := range rows {
		out[i] = ItemCounts{QuestionID: r.QuestionID, Guest: r.Guest, Attempts: r.Attempts, Right: r.RightN,
			PassAttempts: r.PassAttempts, PassRight: r.PassRight, FailAttempts: r.FailAttempts, FailRight: r.FailRight,
			Picks: map[string]int64{}}
		idx[itemKey{QuestionID: r.QuestionID, Guest: r.Guest}] = i
	}
	for _, c := range crows {
		if i, ok := idx[itemKey{QuestionID: c.QuestionID, Guest: c.Guest}]; ok {
			out[i].Picks[c.ChoiceID] += c.Picks
		}
	}
	return out, nil
}
