// Package authoring holds the rules of writing courses: which drafts may go
// to review (Check), and what a reviewer sees changed against the published
// revision (Diff). Pure functions over app types; no storage.
package authoring
