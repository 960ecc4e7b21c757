// Package quiz holds the quiz rules: drawing and shuffling questions per
// attempt, the signed attempt token that carries the draw through the form,
// and scoring on the server. Pure functions over app types; no storage.
package quiz
