package stats

import "math"

// Item analysis (#13 part 1): per quiz question, how many answered, the
// share right, the share that picked each choice, two flags and a
// discrimination figure, all from counts published through a Release, so
// a small group is hidden exactly as on every other statistics page.

// ItemFlagThreshold is the share right from which a question is flagged
// as one that almost everyone gets right.
const ItemFlagThreshold = 0.95

// ItemCounts is the true count of one question's answers: how many
// answered it and were right, the same among attempts that passed the
// quiz and among those that failed it, and the picks of each choice by id.
type ItemCounts struct {
	Attempts, Right         int64
	PassAttempts, PassRight int64
	FailAttempts, FailRight int64
	Picks                   map[string]int64
}

// ItemQuestion is a question as analysed: its id and its choices' ids in
// the order written, with the right ones marked.
type ItemQuestion struct {
	ID      string
	Choices []ItemChoice
}

// ItemChoice is one choice of an ItemQuestion.
type ItemChoice struct {
	ID    string
	Right bool
}

// ItemResult is one question's published analysis. Shares are 0..1 and
// meaningful only where their Ok is true; a question whose attempts are
// hidden has no figure at all.
type ItemResult struct {
	QuestionID string
	Attempts   Cell
	Right      Cell
	RightShare float64
	RightOk    bool
	Choices    []ItemChoiceResult
	// Discrimination is the share right among attempts that passed the
	// quiz minus the share right among those that failed, from -1 to 1:
	// high when the question separates those who learnt from those who
	// did not, near zero or negative when it does not.
	Discrimination   float64
	DiscriminationOk bool
	// WrongBeatsRight: a wrong choice was picked more often than every
	// right choice.
	WrongBeatsRight bool
	// AlmostAll: the share right is ItemFlagThreshold or more.
	AlmostAll bool
}

// ItemChoiceResult is one choice's published picks.
type ItemChoiceResult struct {
	ID    string
	Right bool
	Picks Cell
	Share float64
	Ok    bool
}

// Shown reports whether the question shows figures (its attempts are not hidden).
func (r ItemResult) Shown() bool { return !r.Attempts.Suppressed }

// AnalyzeItems adds every question's counts to r under prefix (attempts =
// passers + failers, right = right among passers + among failers),
// protects r, and returns the analysis of each question in order. A
// question with no counts shows as nobody answered. Flags and shares are
// computed from the published counts only, so they tell nothing the
// counts do not.
func AnalyzeItems(r *Release, prefix string, questions []ItemQuestion, counts map[string]ItemCounts) []ItemResult {
	type refs struct {
		attempts, right, pa, pr, fa, fr int
		choices                         []int
	}
	all := make([]refs, len(questions))
	for i, q := range questions {
		c := counts[q.ID]
		id := prefix + "|" + q.ID + "|"
		f := refs{
			attempts: r.Figure(id+"attempts", c.Attempts), right: r.Figure(id+"right", c.Right),
			pa: r.Figure(id+"pass_attempts", c.PassAttempts), pr: r.Figure(id+"pass_right", c.PassRight),
			fa: r.Figure(id+"fail_attempts", c.FailAttempts), fr: r.Figure(id+"fail_right", c.FailRight),
		}
		r.Sum(f.attempts, f.pa, f.fa)
		r.Sum(f.right, f.pr, f.fr)
		for _, ch := range q.Choices {
			f.choices = append(f.choices, r.Figure(id+"choice="+ch.ID, c.Picks[ch.ID]))
		}
		all[i] = f
	}
	r.Protect()
	out := make([]ItemResult, len(questions))
	for i, q := range questions {
		f := all[i]
		res := ItemResult{QuestionID: q.ID, Attempts: r.Cell(f.attempts)}
		if !res.Shown() {
			res.Right = Cell{Suppressed: true}
			for _, ch := range q.Choices {
				res.Choices = append(res.Choices, ItemChoiceResult{ID: ch.ID, Right: ch.Right, Picks: Cell{Suppressed: true}})
			}
			out[i] = res
			continue
		}
		res.Right = r.Cell(f.right)
		res.RightShare, res.RightOk = share(res.Right, res.Attempts)
		var bestRight, bestWrong int64 = -1, -1
		for j, ch := range q.Choices {
			cr := ItemChoiceResult{ID: ch.ID, Right: ch.Right, Picks: r.Cell(f.choices[j])}
			cr.Share, cr.Ok = share(cr.Picks, res.Attempts)
			if !cr.Picks.Suppressed {
				if ch.Right {
					bestRight = max(bestRight, cr.Picks.N)
				} else {
					bestWrong = max(bestWrong, cr.Picks.N)
				}
			}
			res.Choices = append(res.Choices, cr)
		}
		res.WrongBeatsRight = bestRight >= 0 && bestWrong > bestRight
		res.AlmostAll = res.RightOk && res.RightShare >= ItemFlagThreshold
		pShare, pOk := share(r.Cell(f.pr), r.Cell(f.pa))
		fShare, fOk := share(r.Cell(f.fr), r.Cell(f.fa))
		if pOk && fOk {
			res.Discrimination, res.DiscriminationOk = math.Round((pShare-fShare)*100)/100, true
		}
		out[i] = res
	}
	return out
}

// share is num/den as published, capped at 1 (noise may lift a part
// above its whole).
func share(num, den Cell) (float64, bool) {
	v, ok := Rate(num, den)
	return min(v, 1), ok
}
