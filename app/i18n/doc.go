// Package i18n loads the UI message catalogs (content/locales/*.toml) into a
// go-i18n bundle, matches visitors to an enabled locale with
// golang.org/x/text/language, and formats numbers and dates per locale.
// It imports no Fiber and no GORM.
package i18n
