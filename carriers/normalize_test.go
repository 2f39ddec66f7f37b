package carriers

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name        string
		in          string
		want        string
		corrections []string
	}{
		{"already normal", "123456789013", "123456789013", nil},
		{"empty", "", "", nil},
		{"full-width digits and hyphens", "１２３４－５６７８－９０１３", "123456789013", nil},
		{"ascii hyphen", "1234-5678-9013", "123456789013", nil},
		{"hyphen U+2010", "1234‐5678‐9013", "123456789013", nil},
		{"non-breaking hyphen U+2011", "1234‑5678‑9013", "123456789013", nil},
		{"en dash", "1234–5678–9013", "123456789013", nil},
		{"em dash", "1234—5678—9013", "123456789013", nil},
		{"horizontal bar", "1234―5678―9013", "123456789013", nil},
		{"minus sign", "1234−5678−9013", "123456789013", nil},
		{"katakana prolonged sound mark", "1234ー5678ー9013", "123456789013", nil},
		{"half-width prolonged sound mark", "1234ｰ5678ｰ9013", "123456789013", nil},
		{"spaces", " 1234 5678 9013 ", "123456789013", nil},
		{"ideographic spaces", "1234\u30005678\u30009013", "123456789013", nil},
		{"tab and zero-width space", "1234\t5678\u200b9013", "123456789013", nil},
		{"dots", "1234.5678.9013", "123456789013", nil},
		{"katakana middle dots", "1234・5678・9013", "123456789013", nil},
		{"lower-case S10", "ej123456785jp", "EJ123456785JP", nil},
		{"full-width S10", "ＥＪ１２３４５６７８５ＪＰ", "EJ123456785JP", nil},
		{"S10 letters are not digit confusions", "lo123456785jp", "LO123456785JP", nil},
		{"amazon ID", "da1234567890", "DA1234567890", nil},
		{"lower-case l for 1", "1234567890l3", "123456789013", []string{"l→1 at position 11"}},
		{"capital I for 1", "I23456789013", "123456789013", []string{"I→1 at position 1"}},
		{"capital O for 0", "1234-5678-9O13", "123456789013", []string{"O→0 at position 10"}},
		{"lower-case o for 0", "1234 5678 9o13", "123456789013", []string{"o→0 at position 10"}},
		{"two confusions", "l234567890l3", "123456789013", []string{"l→1 at position 1", "l→1 at position 11"}},
		{"full-width O", "１２３４５６７８９Ｏ１３", "123456789013", []string{"O→0 at position 10"}},
		{"order number with O", "250-I234567-1234567", "25012345671234567", []string{"I→1 at position 4"}},
		{"FedEx Ground with l for 1", "0414 4176 0228 96l", "041441760228961", []string{"l→1 at position 15"}},
		{"FedEx Ground with O for 0", "0414 4176 O228 964", "041441760228964", []string{"O→0 at position 9"}},
		{"FedEx 96 with I for 1", "96I1020987654312345672", "9611020987654312345672", []string{"I→1 at position 3"}},
		{"UPS keeps its letters", "1z5r89390357567127", "1Z5R89390357567127", nil},
		{"UPS waybill", "h1234567895", "H1234567895", nil},
		{"too many letters to be digits", "OOOO12345678", "OOOO12345678", nil},
		{"word is not a digit format", "hello", "HELLO", nil},
		{"label with full-width colon", "お問い合わせ番号：1234-5678-9013", "123456789013", []string{`removed the label "お問い合わせ番号:"`}},
		{"english label", "Tracking No.: 1234 5678 9013", "123456789013", []string{`removed the label "Tracking No.:"`}},
		{"label without colon", "伝票番号 1234-5678-9013", "123456789013", []string{`removed "伝票番号" before the number`}},
		{"No. prefix", "No.1234-5678-9013", "123456789013", []string{`removed the label "No"`}},
		{"brackets and full stop", "（1234-5678-9013）。", "123456789013", []string{`removed "(" before the number`, `removed ")。" after the number`}},
		{"time keeps its colon digits", "12:30", "12:30", nil},
		{"slash stays", "1234/5678/9013", "1234/5678/9013", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, corrections := Normalize(tt.in)
			if got != tt.want || !slices.Equal(corrections, tt.corrections) {
				t.Errorf("Normalize(%q) = %q, %q; want %q, %q", tt.in, got, corrections, tt.want, tt.corrections)
			}
			again, more := Normalize(got)
			if again != got || len(more) != 0 {
				t.Errorf("Normalize(%q) = %q, %q; want it unchanged (idempotent)", got, again, more)
			}
		})
	}
}

func TestNormalizeAlreadyNormalDoesNotAllocate(t *testing.T) {
	for _, n := range []string{"123456789013", "EJ123456785JP", "DA1234567890"} {
		t.Run(n, func(t *testing.T) {
			if allocs := testing.AllocsPerRun(100, func() { Normalize(n) }); allocs != 0 {
				t.Errorf("Normalize(%q) allocates %v times; want 0", n, allocs)
			}
		})
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{
		"１２３４－５６７８－９０１３", "お問い合わせ番号：1234-5678-9O13", "ej 123 456 785 jp",
		"No.1234", "e-\u0301", "ǆ12", "1234ー5678ｰ9013", "", ":", "l234567890l3", "\xff\xfe",
		"1z 5r8 939 03 5756 7127", "0414 4176 0228 96l", "96ll020987654312345672", "RB123456785XX",
		"１００１９２１３３４２５０００１０００３００７７９０１７９７２６９７", "h1234567895", "３３１８８１００２５",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		once, _ := Normalize(s)
		twice, corrections := Normalize(once)
		if twice != once {
			t.Fatalf("Normalize(Normalize(%q)) = %q; want %q", s, twice, once)
		}
		if len(corrections) != 0 {
			t.Fatalf("Normalize(%q) (already normalised) reports corrections %q", once, corrections)
		}
		if utf8.ValidString(s) && !utf8.ValidString(once) {
			t.Fatalf("Normalize(%q) = %q: not valid UTF-8", s, once)
		}
		if strings.ContainsAny(once, " -\u3000") {
			t.Fatalf("Normalize(%q) = %q: still has a space or dash", s, once)
		}
		_ = Identify(s)
	})
}
