package config

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// checkText finds what yaml.v3 rejects (or misreads) without naming a
// line, and names the line and column itself: UTF-16 (with or without a
// byte-order mark, even two), invalid UTF-8, a NUL byte and other
// control characters YAML does not allow. A UTF-8 byte-order mark is
// fine.
func checkText(data []byte) *Error {
	if e := checkUTF16(data); e != nil {
		return e
	}
	body := bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	off := len(data) - len(body)
	line, col := 1, 1
	for i := 0; i < len(body); {
		r, size := utf8.DecodeRune(body[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			return &Error{Line: line, Column: col, Err: ErrSyntax,
				Msg: fmt.Sprintf("invalid UTF-8 (byte 0x%02x at offset %d): save the file as UTF-8", body[i], off+i)}
		case r == 0:
			return &Error{Line: line, Column: col, Err: ErrSyntax,
				Msg: fmt.Sprintf("NUL byte at offset %d: the file is binary or damaged", off+i)}
		case r == '\n':
			line, col = line+1, 0
		case r == '\t', r == '\r':
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f && r != 0x85) || r == 0xfeff && i > 0 || r == 0xfffe || r == 0xffff:
			return &Error{Line: line, Column: col, Err: ErrSyntax,
				Msg: fmt.Sprintf("control character U+%04X: YAML does not allow it (write it as an escape in a double-quoted string)", r)}
		}
		i += size
		col++
	}
	return nil
}

// checkUTF16 recognises UTF-16 by its byte-order mark, or without one by
// the zero bytes that ASCII text has in every other position.
func checkUTF16(data []byte) *Error {
	fail := func(what string) *Error {
		return &Error{Line: 1, Column: 1, Err: ErrSyntax,
			Msg: "the file is UTF-16 (" + what + "): todoku reads UTF-8 only; save it as UTF-8"}
	}
	switch {
	case bytes.HasPrefix(data, []byte{0xff, 0xfe}):
		if bytes.HasPrefix(data[2:], []byte{0xff, 0xfe}) {
			return fail("two little-endian byte-order marks")
		}
		return fail("little-endian byte-order mark")
	case bytes.HasPrefix(data, []byte{0xfe, 0xff}):
		if bytes.HasPrefix(data[2:], []byte{0xfe, 0xff}) {
			return fail("two big-endian byte-order marks")
		}
		return fail("big-endian byte-order mark")
	}
	if len(data) < 4 {
		return nil
	}
	n := min(len(data), 512) &^ 1
	var zeroEven, zeroOdd int
	for i := 0; i < n; i += 2 {
		if data[i] == 0 {
			zeroEven++
		}
		if data[i+1] == 0 {
			zeroOdd++
		}
	}
	switch half := n / 2; {
	case zeroOdd*2 > half && zeroEven == 0:
		return fail("little-endian, no byte-order mark")
	case zeroEven*2 > half && zeroOdd == 0:
		return fail("big-endian, no byte-order mark")
	}
	return nil
}
