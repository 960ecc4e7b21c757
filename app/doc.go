// Package app holds Beacon's domain: courses, lessons, quizzes, attempts,
// campaigns, regions, users, roles and the error codes every layer shares.
//
// It imports only the standard library so that every other package
// (store, i18n, content, web, cli and the feature packages) can depend on
// it without pulling adapters along.
package app
