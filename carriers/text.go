package carriers

import (
	"strings"
	"unicode"
)

// CleanText trims s, removes control characters and bidirectional
// overrides (see Printable), and collapses every run of white space (see
// isSpace: ASCII, the full-width space U+3000, the no-break space and
// zero-width characters) to one space: the form in which adapters keep a
// carrier's words in Event.Raw. Every string an adapter takes from a page
// passes through it, so an ESC sequence or a U+202E on a carrier page
// never reaches a terminal, a log or a push.
func CleanText(s string) string {
	s = strings.Join(strings.FieldsFunc(s, isSpace), " ")
	if p := Printable(s); p != s {
		return strings.Join(strings.FieldsFunc(p, isSpace), " ")
	}
	return s
}

// Printable returns s without control characters (C0 other than tab and
// newline, DEL, C1) and without the Unicode bidirectional controls
// (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069) that can reorder
// what a terminal or a phone shows. Invalid UTF-8 becomes U+FFFD.
func Printable(s string) string {
	clean := true
	for _, r := range s {
		if dropRune(r) || r == unicode.ReplacementChar {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	return strings.Map(func(r rune) rune {
		if dropRune(r) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
}

// dropRune reports whether Printable removes r.
func dropRune(r rune) bool {
	switch {
	case r == '\t' || r == '\n':
		return false
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f):
		return true
	case r == '\u061C' || r == '\u200E' || r == '\u200F':
		return true
	case r >= '\u202A' && r <= '\u202E':
		return true
	case r >= '\u2066' && r <= '\u2069':
		return true
	}
	return false
}
