package carriers

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Normalize turns a tracking number as a person pasted it into the form
// the carriers and [Identify] expect, and reports every correction that
// changed what the number means (not mere formatting).
//
// It folds full-width and other compatibility characters with Unicode
// NFKC; drops every dash variant (‐ ‑ ‒ – — ― − ー ｰ － -), every space
// (including U+3000 and zero-width spaces) and dots (. ・ ·); removes a
// label in front of the number ("お問い合わせ番号：", "Tracking No.:",
// "伝票番号") and punctuation around it; and upper-cases ASCII letters.
//
// When the result has the shape of an all-digit number (10, 11, 12, 15,
// 17, 22 or 34 characters, at most three of them letters), the letters that people
// mistake for digits are replaced — O and o by 0; I, i, l and L by 1 —
// and each replacement is reported, e.g. "O→0 at position 5" (1-based,
// in the normalised number). Nothing is ever changed silently.
//
// Normalize is idempotent: normalising its result again returns it
// unchanged with no corrections. A number that is already normal (ASCII
// digits and upper-case letters only, nothing to correct) is returned
// as is without allocating.
func Normalize(s string) (string, []string) {
	if isNormal(s) {
		return s, nil
	}
	var corrections []string
	cur := s
	// One pass is enough for almost every input; a few more make the
	// result a fixed point even when removing a separator lets NFKC
	// compose two characters that were apart.
	for range 4 {
		next, c := normalizeOnce(cur)
		corrections = append(corrections, c...)
		if next == cur || isNormal(next) {
			cur = next
			break
		}
		cur = next
	}
	return cur, corrections
}

// isNormal reports whether s is already normal: non-empty, only ASCII
// digits and upper-case letters, and nothing for the digit-confusion rule
// to correct.
func isNormal(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'A' || c > 'Z') {
			return false
		}
	}
	return !digitShaped(s)
}

// normalizeOnce is one pass of Normalize.
func normalizeOnce(s string) (string, []string) {
	var corrections []string
	t, ok := foldSimple(s)
	if !ok {
		t = norm.NFKC.String(s)
	}

	// A label ending in a colon: "お問い合わせ番号:", "Tracking No.:".
	if i := strings.LastIndexByte(t, ':'); i >= 0 && !hasASCIIDigit(t[:i]) && hasASCIIAlnum(t[i+1:]) {
		corrections = append(corrections, fmt.Sprintf("removed the label %q", strings.TrimSpace(t[:i+1])))
		t = t[i+1:]
	}

	var b strings.Builder
	b.Grow(len(t))
	for _, r := range t {
		if isDash(r) || isSpace(r) || isDot(r) {
			continue
		}
		b.WriteRune(r)
	}
	t = b.String()

	// Text around the number: a label without a colon (伝票番号1234…),
	// brackets, a final 。.
	if core, lead, trail := trimNonAlnum(t); core != "" && (lead != "" || trail != "") {
		if lead != "" {
			corrections = append(corrections, fmt.Sprintf("removed %q before the number", lead))
		}
		if trail != "" {
			corrections = append(corrections, fmt.Sprintf("removed %q after the number", trail))
		}
		t = core
	}

	// "No.1234…" becomes NO1234… once the dot is gone.
	if len(t) > 2 && (t[0] == 'N' || t[0] == 'n') && (t[1] == 'O' || t[1] == 'o') && allDigits(t[2:]) {
		corrections = append(corrections, fmt.Sprintf("removed the label %q", t[:2]))
		t = t[2:]
	}

	buf := []byte(t)
	if digitShaped(t) {
		for i, c := range buf {
			var d byte
			switch c {
			case 'O', 'o':
				d = '0'
			case 'I', 'i', 'l', 'L':
				d = '1'
			default:
				continue
			}
			buf[i] = d
			corrections = append(corrections, fmt.Sprintf("%c→%c at position %d", c, d, i+1))
		}
	} else {
		for i, c := range buf {
			if 'a' <= c && c <= 'z' {
				buf[i] = c - 'a' + 'A'
			}
		}
	}
	return string(buf), corrections
}

// digitShaped reports whether s looks like an all-digit number with a few
// letters mistaken for digits: a length used by all-digit formats (10–12
// for domestic, DHL and FedEx Express numbers, 15, 22 and 34 for FedEx
// Ground and FedEx barcodes, 17 for an order number), only digits and the
// letters O, I and L in either case, at most three letters and at least
// one of them.
func digitShaped(s string) bool {
	switch len(s) {
	case 10, 11, 12, 15, 17, 22, 34:
	default:
		return false
	}
	letters := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		case 'O', 'o', 'I', 'i', 'l', 'L':
			letters++
		default:
			return false
		}
	}
	return letters > 0 && letters <= 3
}

// trimNonAlnum splits s into the text before its first ASCII letter or
// digit, the core from there to its last ASCII letter or digit, and the
// text after.
func trimNonAlnum(s string) (core, lead, trail string) {
	start := strings.IndexFunc(s, isASCIIAlnum)
	if start < 0 {
		return "", s, ""
	}
	end := strings.LastIndexFunc(s, isASCIIAlnum) + 1
	return s[start:end], s[:start], s[end:]
}

func isASCIIAlnum(r rune) bool {
	return ('0' <= r && r <= '9') || ('A' <= r && r <= 'Z') || ('a' <= r && r <= 'z')
}

func hasASCIIDigit(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return '0' <= r && r <= '9' }) >= 0
}

func hasASCIIAlnum(s string) bool { return strings.IndexFunc(s, isASCIIAlnum) >= 0 }

// isDash reports whether r is one of the dashes people type between
// digit groups: ASCII and full-width hyphen-minus, the Unicode hyphens
// and dashes, the minus sign and the katakana prolonged sound mark
// (ー, ｰ), which Japanese input methods produce for "-".
func isDash(r rune) bool {
	switch r {
	case '-', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015',
		'\u2212', '\u30FC', '\uFF70', '\uFF0D', '\uFE58', '\uFE63',
		'\u2043', '\u02D7', '\u2E3A', '\u2E3B':
		return true
	}
	return false
}

// isSpace reports whether r is white space, including the ideographic
// space U+3000 and the invisible zero-width characters that come along
// when text is copied from web pages.
func isSpace(r rune) bool {
	switch r {
	case '\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF':
		return true
	}
	return unicode.IsSpace(r)
}

// isDot reports whether r is a dot people put between digit groups.
func isDot(r rune) bool {
	switch r {
	case '.', '\uFF0E', '\u30FB', '\uFF65', '\u00B7', '\u2024', '\u2027':
		return true
	}
	return false
}

// foldSimple is NFKC for the text people paste most often: ASCII,
// full-width forms, the ideographic space, and dashes, spaces and dots
// (which Normalize drops anyway, folded or not). For such text it returns
// the folded string and true without the cost of the norm tables; for
// anything else it returns false.
func foldSimple(s string) (string, bool) {
	buf := make([]byte, 0, len(s))
	for _, r := range s {
		switch f := foldRune(r); {
		case f < utf8.RuneSelf:
			buf = append(buf, byte(f))
		case isDash(r) || isSpace(r) || isDot(r):
			// dropped later; no need to fold
		default:
			return "", false
		}
	}
	return string(buf), true
}

// foldRune maps one rune to its ASCII equivalent when NFKC would fold it
// to a single ASCII character (full-width forms, U+3000), leaving other
// runes alone. It lets Extract look at text through NFKC without losing
// the byte offsets of the original.
func foldRune(r rune) rune {
	switch {
	case r >= '\uFF01' && r <= '\uFF5E':
		return r - 0xFEE0
	case r == '\u3000':
		return ' '
	}
	return r
}

// decodeFolded decodes the rune at s[i:] and folds it with foldRune.
func decodeFolded(s string, i int) (rune, int) {
	r, n := utf8.DecodeRuneInString(s[i:])
	return foldRune(r), n
}
