package web

import "beacon/app/authoring"

// words puts course field keys and values into lang's words for the
// reviewer's diff and the translation screens (no internal key on a page).
func (s *Server) words(lang string) authoring.Words {
	return authoring.Words{T: s.bundle.Localizer(lang).T, Lang: lang,
		Language: func(code string) string { return s.bundle.Localizer(code).T("language.native", nil) }}
}
