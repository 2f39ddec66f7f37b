package carriers

import "testing"

func TestCleanText(t *testing.T) {
	for in, want := range map[string]string{
		"":                    "",
		"  配達完了 ":             "配達完了",
		"持戻\u3000（ご不在）\n":     "持戻 （ご不在）",
		"a\u00a0\tb\r\n\f\vc": "a b c",
	} {
		if got := CleanText(in); got != want {
			t.Errorf("CleanText(%q) = %q, want %q", in, got, want)
		}
	}
}
