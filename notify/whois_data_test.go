package notify_test

import (
	"strings"
	"testing"

	"github.com/todoku/todoku/notify"
)

// TestWhoisCallBackSentence: "calling back does not reach them" is said
// only of the numbers known not to reach Amazon, never of a number whose
// call-back is unconfirmed (the drivers' line, the SMS senders).
func TestWhoisCallBackSentence(t *testing.T) {
	const ja, en = "この番号にかけ直してもつながりません", "Calling this number back does not reach them"
	tests := []struct {
		number string
		says   bool
	}{
		{"0120-070-585", false},
		{"011-330-3000", true},
		{"022-745-6366", true},
		{"0120-899-543", false},
		{"0120-899-190", false},
		{"050-3032-2207", false},
		{"090-9009-7540", false},
		{"080-2158-5817", false},
		{"010-852-6451-5445", false},
	}
	for _, tt := range tests {
		t.Run(tt.number, func(t *testing.T) {
			r := notify.Whois(allContacts(), tt.number)
			if !r.Known {
				t.Fatalf("%s not known", tt.number)
			}
			for lang, sentence := range map[string]string{"ja": ja, "en": en} {
				if text := r.Text(lang); strings.Contains(text, sentence) != tt.says {
					t.Errorf("%s text says %q: %v, want %v:\n%s", lang, sentence, !tt.says, tt.says, text)
				}
			}
		})
	}
}
