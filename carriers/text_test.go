package carriers

import "testing"

func TestCleanText(t *testing.T) {
	for in, want := range map[string]string{
		"":                    "",
		"  配達完了 ":             "配達完了",
		"持戻\u3000（ご不在）\n":     "持戻 （ご不在）",
		"a\u00a0\tb\r\n\f\vc": "a b c",
		"\x1b[31m配達完了\x1b[0m": "[31m配達完了[0m",
		"\x1b]0;title\x07持戻":  "]0;title持戻",
		"営業所\u202e321\u202c":  "営業所321",
		"a \x00 b\u0085c":     "a b c",
		"bad\xffutf8":         "bad\uFFFDutf8",
	} {
		if got := CleanText(in); got != want {
			t.Errorf("CleanText(%q) = %q, want %q", in, got, want)
		}
	}
}
