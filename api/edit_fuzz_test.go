package api

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzCandidates: the add form's text is pasted by the user (a mail, a
// slip); it must never panic, and every candidate offered for adding is a
// normalised number with at least one carrier.
func FuzzCandidates(f *testing.F) {
	f.Add(mailText)
	f.Add("250-1234567-7654321")
	f.Add("ＥＥ１２３４５６７８５ＪＰ")
	f.Add("3123 4567 8901\n1234-5678-9013")
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) {
			return
		}
		for _, c := range candidatesIn(text, nil) {
			if c.Error != "" {
				continue
			}
			if c.Number == "" || len(c.Carriers) == 0 || strings.ContainsAny(c.Number, " -\n") {
				t.Fatalf("candidate %+v from %q", c, text)
			}
		}
	})
}
