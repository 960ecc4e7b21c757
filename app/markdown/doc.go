// Package markdown renders the Markdown that educators write (lessons and
// their previews) into HTML that is safe to put on a page: goldmark parses
// it, dropping raw HTML, and bluemonday's policy for user-generated content
// removes whatever could still run script. It imports app/media (for
// media/<name> references), goldmark and bluemonday; no Fiber, no storage.
package markdown
