package passwd

import (
	"errors"
	"strings"
	"testing"
)

func TestHashVerify(t *testing.T) {
	line, err := New("correct horse", MinIterations)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(line, "pbkdf2-sha256$1000$") {
		t.Errorf("line = %q", line)
	}
	h, err := Parse(" " + line + "\n")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		pw   string
		want bool
	}{{"correct horse", true}, {"correct horse ", false}, {"", false}, {"Correct horse", false}} {
		if got := h.Verify(tc.pw); got != tc.want {
			t.Errorf("Verify(%q) = %v, want %v", tc.pw, got, tc.want)
		}
	}
	other, _ := New("correct horse", MinIterations)
	if other == line {
		t.Error("two hashes of one password are equal: salt not random")
	}
}

func TestParseRejects(t *testing.T) {
	for _, line := range []string{
		"", "secret", "bcrypt$10$abc$def", "pbkdf2-sha256$10$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5a2V5",
		"pbkdf2-sha256$600000$!!$a2V5a2V5a2V5a2V5a2V5a2V5", "pbkdf2-sha256$600000$c2FsdHNhbHQ$",
		"pbkdf2-sha256$600000$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5a2V5$x",
	} {
		if _, err := Parse(line); !errors.Is(err, ErrFormat) {
			t.Errorf("Parse(%q) = %v, want ErrFormat", line, err)
		}
	}
	if (Hash{}).Verify("") {
		t.Error("zero Hash verifies")
	}
}

func BenchmarkVerifyDefault(b *testing.B) {
	line, err := New("pw", 0)
	if err != nil {
		b.Fatal(err)
	}
	h, _ := Parse(line)
	for b.Loop() {
		h.Verify("pw")
	}
}

// FuzzParse: a hash line comes from the config or a credential file;
// anything must give a Hash or ErrFormat, never a panic, and a parsed
// Hash must verify without panicking.
func FuzzParse(f *testing.F) {
	f.Add("pbkdf2-sha256$1000$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5a2V5")
	f.Add("pbkdf2-sha256$$$")
	f.Add("")
	f.Fuzz(func(t *testing.T, line string) {
		h, err := Parse(line)
		if err != nil {
			if !errors.Is(err, ErrFormat) {
				t.Fatalf("Parse(%q) = %v, not ErrFormat", line, err)
			}
			return
		}
		if h.Iterations > 100_000 {
			return // keep the fuzzer fast
		}
		_ = h.Verify("pw")
	})
}
