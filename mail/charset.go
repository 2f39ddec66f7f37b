package mail

import (
	"bytes"
	"io"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/emersion/go-message/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/japanese"
)

// japaneseCharsets are the names Japanese mailers give their charsets,
// mapped to the x/text encodings that decode them. The WHATWG tables
// behind japanese.ShiftJIS and japanese.ISO2022JP include the NEC and IBM
// extensions (①, ㈱, 髙) that Windows-31J and CP50220 mail carries.
var japaneseCharsets = map[string]encoding.Encoding{
	"iso-2022-jp":         japanese.ISO2022JP,
	"csiso2022jp":         japanese.ISO2022JP,
	"iso-2022-jp-ms":      japanese.ISO2022JP,
	"cp50220":             japanese.ISO2022JP,
	"cp50221":             japanese.ISO2022JP,
	"shift_jis":           japanese.ShiftJIS,
	"shift-jis":           japanese.ShiftJIS,
	"sjis":                japanese.ShiftJIS,
	"x-sjis":              japanese.ShiftJIS,
	"ms_kanji":            japanese.ShiftJIS,
	"csshiftjis":          japanese.ShiftJIS,
	"windows-31j":         japanese.ShiftJIS,
	"cp932":               japanese.ShiftJIS,
	"ms932":               japanese.ShiftJIS,
	"x-ms-cp932":          japanese.ShiftJIS,
	"euc-jp":              japanese.EUCJP,
	"x-euc-jp":            japanese.EUCJP,
	"cseucpkdfmtjapanese": japanese.EUCJP,
}

var registerOnce sync.Once

// registerCharsets adds the Japanese charsets to go-message's charset
// table. go-message/charset sets message.CharsetReader when it is
// imported; this makes sure every alias above resolves the same way,
// whatever the IANA index knows. It runs once, before the first decode.
func registerCharsets() {
	registerOnce.Do(func() {
		for name, enc := range japaneseCharsets {
			charset.RegisterEncoding(name, enc)
		}
	})
}

// decodeCharset converts b from the named charset to UTF-8. An unknown
// charset leaves b as it is.
func decodeCharset(name string, b []byte) []byte {
	registerCharsets()
	r, err := charset.Reader(name, bytes.NewReader(b))
	if err != nil {
		return b
	}
	out, err := io.ReadAll(r)
	if err != nil {
		return b
	}
	return out
}

// guessJapanese decodes text whose charset was not declared (or was
// declared wrongly): ISO-2022-JP escape sequences, or bytes that are not
// UTF-8 but are clean Shift_JIS. Anything else is returned unchanged.
func guessJapanese(b []byte) []byte {
	if bytes.Contains(b, []byte("\x1b$B")) || bytes.Contains(b, []byte("\x1b$@")) {
		return decodeCharset("iso-2022-jp", b)
	}
	if utf8.Valid(b) {
		return b
	}
	out, err := japanese.ShiftJIS.NewDecoder().Bytes(b)
	if err != nil || bytes.ContainsRune(out, utf8.RuneError) {
		return bytes.ToValidUTF8(b, []byte("\uFFFD"))
	}
	return out
}

// fixHeader decodes a header value that a mailer wrote as raw
// ISO-2022-JP or Shift_JIS instead of RFC 2047 encoded words.
func fixHeader(s string) string {
	if utf8.ValidString(s) && !strings.Contains(s, "\x1b") {
		return s
	}
	return string(guessJapanese([]byte(s)))
}
