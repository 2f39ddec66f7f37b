package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// hostile is carrier text that tries to act on the terminal: a colour
// sequence, an OSC window title ended by BEL, a C1 CSI, a right-to-left
// override, an isolate and an invalid byte.
const hostile = "持戻\x1b[31m（ご不在）\x1b]0;pwned\x07\u009b2J \u202eliam\u2066x\u2069 \xff end"

func TestTerminalSafe(t *testing.T) {
	tests := []struct {
		in, want string
		keep     bool
	}{
		{"持戻（ご不在）", "持戻（ご不在）", false},
		{"a\tb\nc", `a\x09b\x0ac`, false},
		{"a\tb\nc", "a\tb\nc", true},
		{hostile, `持戻\x1b[31m（ご不在）\x1b]0;pwned\x07\u009b2J \u202eliam\u2066x\u2069 \xff end`, false},
		{"\u200f\u061c\u2028", `\u200f\u061c\u2028`, true},
		{"\x7f", `\x7f`, true},
	}
	for _, tt := range tests {
		if got := TerminalSafe(tt.in, tt.keep); got != tt.want {
			t.Errorf("TerminalSafe(%q, %v) = %q, want %q", tt.in, tt.keep, got, tt.want)
		}
	}
}

// assertInert fails when out holds anything a terminal would obey.
func assertInert(t *testing.T, out string) {
	t.Helper()
	for _, bad := range []string{"\x1b", "\x07", "\u009b", "\u202e", "\u2066", "\u2069", "\xff"} {
		if strings.Contains(out, bad) {
			t.Errorf("output carries %q:\n%q", bad, out)
		}
	}
}

func TestConsoleEscapesCarrierText(t *testing.T) {
	m := testMessage()
	m.Title = hostile
	m.Body = hostile + "\n☎ 0120-01-9625"
	m.URLTitle = hostile
	for _, jsonLines := range []bool{false, true} {
		var buf bytes.Buffer
		if _, err := NewConsole(&buf, jsonLines).Send(context.Background(), m); err != nil {
			t.Fatal(err)
		}
		assertInert(t, buf.String())
		if !jsonLines {
			if !strings.Contains(buf.String(), `\x1b]0;pwned\x07`) || !strings.Contains(buf.String(), "   ☎ 0120-01-9625\n") {
				t.Errorf("want the sequence shown escaped and the lines kept:\n%s", buf.String())
			}
			continue
		}
		// The JSON still carries the exact text (escaped as JSON).
		var rec consoleRecord
		if err := json.Unmarshal(buf.Bytes(), &rec); err != nil {
			t.Fatal(err)
		}
		if want := strings.ToValidUTF8(hostile, "\uFFFD"); rec.Title != want {
			t.Errorf("JSON title = %q, want %q", rec.Title, want)
		}
	}
}

func FuzzTerminalSafe(f *testing.F) {
	f.Add(hostile, false)
	f.Add("a\nb", true)
	f.Fuzz(func(t *testing.T, s string, keep bool) {
		out := TerminalSafe(s, keep)
		assertInert(t, out)
		for _, r := range out {
			if r < 0x20 && !(keep && (r == '\n' || r == '\t')) {
				t.Fatalf("control %q left in %q", r, out)
			}
		}
		if TerminalSafe(out, keep) != out {
			t.Fatalf("not idempotent on %q", out)
		}
	})
}
