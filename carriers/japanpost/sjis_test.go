package japanpost

import (
	"golang.org/x/text/encoding/japanese"
)

// encodeShiftJIS converts s to Shift_JIS bytes for the encoding test.
func encodeShiftJIS(s string) ([]byte, error) {
	return japanese.ShiftJIS.NewEncoder().Bytes([]byte(s))
}
