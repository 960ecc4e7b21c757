// Package media holds the rules of the media library: which uploads are
// images (decided from the bytes, never from the file name), how large
// they may be, what they may be called, and how lesson Markdown refers to
// them (media/<name>). Pure functions over bytes and strings; it imports
// only the standard library, golang.org/x/text, golang.org/x/image/draw
// (resized copies) and goldmark's parser.
package media
