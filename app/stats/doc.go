// Package stats holds the rules that turn participation counts into
// figures fit to publish, and the charts that draw them.
//
// Disclosure control is one algorithm (Release): every figure published
// for one filter (a scope and a date range: the dashboard's tables for
// guests, registered learners and both, its CSV files, and for a
// campaign its close-out report and open results) goes into one Release
// with the linear relations between the figures; Protect then perturbs
// every count with a small keyed noise (cell-key perturbation), hides the
// counts under K (primary suppression) and hides more counts until no
// hidden one can be worked out, or narrowed to fewer than K values, from
// everything published (secondary suppression). Pages and files render
// that one protected release, so they all hide the same cells.
//
// It is pure: standard library only, no database and no web; the store
// supplies the counts and the web package names the figures. It also
// holds the CSV rule every export follows (NeutralizeCSV, CSVWriter).
package stats
