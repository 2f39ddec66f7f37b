package carriers

import "strings"

// CleanText trims s and collapses every run of white space (see isSpace:
// ASCII, the full-width space U+3000, the no-break space and zero-width
// characters) to one space: the form in which adapters keep a carrier's
// words in Event.Raw.
func CleanText(s string) string {
	return strings.Join(strings.FieldsFunc(s, isSpace), " ")
}
