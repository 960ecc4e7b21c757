package stats

import "testing"

// TestAnalyzeItems: shares, flags and discrimination from exact counts
// (K = 1, no noise), and a question under K without any figure.
func TestAnalyzeItems(t *testing.T) {
	qs := []ItemQuestion{
		{ID: "q1", Choices: []ItemChoice{{ID: "a", Right: true}, {ID: "b"}, {ID: "c"}}},
		{ID: "q2", Choices: []ItemChoice{{ID: "a", Right: true}, {ID: "b"}}},
	}
	counts := map[string]ItemCounts{
		"q1": {Attempts: 100, Right: 30, PassAttempts: 40, PassRight: 24, FailAttempts: 60, FailRight: 6,
			Picks: map[string]int64{"a": 30, "b": 60, "c": 10}},
		"q2": {Attempts: 100, Right: 97, PassAttempts: 50, PassRight: 50, FailAttempts: 50, FailRight: 47,
			Picks: map[string]int64{"a": 97, "b": 3}},
	}
	got := AnalyzeItems(NewRelease(1, 0, []byte("k")), "t", qs, counts)
	q1, q2 := got[0], got[1]
	if !q1.Shown() || q1.RightShare != 0.3 || !q1.WrongBeatsRight || q1.AlmostAll || !q1.DiscriminationOk || q1.Discrimination != 0.5 {
		t.Errorf("q1 = %+v", q1)
	}
	if q1.Choices[1].Share != 0.6 || q1.Choices[0].Right != true {
		t.Errorf("q1 choices = %+v", q1.Choices)
	}
	if q2.WrongBeatsRight || !q2.AlmostAll || q2.Discrimination != 0.06 {
		t.Errorf("q2 = %+v", q2)
	}
	small := AnalyzeItems(NewRelease(5, 2, []byte("k")), "t", qs[:1], map[string]ItemCounts{
		"q1": {Attempts: 3, Right: 1, PassAttempts: 1, PassRight: 1, FailAttempts: 2, Picks: map[string]int64{"a": 1, "b": 2}}})
	if s := small[0]; s.Shown() || s.RightOk || s.WrongBeatsRight || s.DiscriminationOk || !s.Choices[1].Picks.Suppressed {
		t.Errorf("a question under K shows figures: %+v", s)
	}
}
