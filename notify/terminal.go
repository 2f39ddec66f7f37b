package notify

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// TerminalSafe returns s with everything that could act on a terminal
// instead of being shown made visible as an escape: C0 and C1 control
// characters (ESC starts colour, cursor and OSC title sequences), DEL,
// the bidirectional overrides, embeddings and isolates (U+202A–U+202E,
// U+2066–U+2069, U+200E, U+200F, U+061C: "Trojan source" reordering), the
// line and paragraph separators, and invalid UTF-8. ESC becomes \x1b,
// U+202E becomes \u202e, an invalid byte \xff. Tabs and line breaks are
// kept only when keepNewlines (a multi-line block); otherwise they are
// escaped too. Text from carrier pages goes through it before `todoku
// list`, `todoku show` or the console notifier print it.
func TerminalSafe(s string, keepNewlines bool) string {
	if safeAlready(s, keepNewlines) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case (r == '\n' || r == '\t') && keepNewlines:
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafeRune(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// unsafeRune reports the non-ASCII runes TerminalSafe escapes.
func unsafeRune(r rune) bool {
	switch {
	case r >= 0x80 && r <= 0x9f: // C1 controls (0x9b is CSI, 0x9d OSC)
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	case r == 0x200e, r == 0x200f, r == 0x061c, r == 0x2028, r == 0x2029:
		return true
	}
	return false
}

func safeAlready(s string, keepNewlines bool) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 {
			return safeSlow(s[i:], keepNewlines)
		}
		if (c < 0x20 || c == 0x7f) && !(keepNewlines && (c == '\n' || c == '\t')) {
			return false
		}
	}
	return true
}

func safeSlow(s string, keepNewlines bool) bool {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || unsafeRune(r) ||
			((r < 0x20 || r == 0x7f) && !(keepNewlines && (r == '\n' || r == '\t'))) {
			return false
		}
		i += size
	}
	return true
}

// jsonSafe escapes, in marshalled JSON, the runes TerminalSafe escapes
// that encoding/json leaves as they are (C1 controls, bidi controls), as
// \uXXXX: the same JSON value, harmless on a terminal.
func jsonSafe(b []byte) []byte {
	s := string(b)
	if safeAlready(s, true) {
		return b
	}
	var out strings.Builder
	for _, r := range s {
		if unsafeRune(r) {
			fmt.Fprintf(&out, `\u%04x`, r)
			continue
		}
		out.WriteRune(r)
	}
	return []byte(out.String())
}
