package yamato

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/todoku/todoku/carriers"
)

// TestPrintCopyAgrees cross-checks the two structured readers: on every
// test page that has both visible blocks and a print copy, the print copy
// says the same (same rows, times, centres and status) for every number
// that has a history. At run time the visible blocks win and the copy is
// read only where they are missing, so no event is ever counted twice.
func TestPrintCopyAgrees(t *testing.T) {
	pages, err := filepath.Glob("testdata/*.html")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, p := range pages {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := goquery.NewDocumentFromReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		visible, err := readBlocks(doc, data, nil, fixedNow)
		if err != nil || printCopy(data) == "" {
			continue
		}
		var withHistory []carriers.Result
		var numbers []string
		for _, r := range visible {
			if len(r.Events) > 0 {
				withHistory = append(withHistory, r)
				numbers = append(numbers, r.Number)
			}
		}
		if len(withHistory) == 0 || len(withHistory) != len(visible) {
			continue // a not-found number has no table: tables cannot be matched
		}
		t.Run(filepath.Base(p), func(t *testing.T) {
			printed, ok, err := readPrintCopy(data, numbers, fixedNow)
			if err != nil || !ok {
				t.Fatalf("print copy not read: ok=%v err=%v", ok, err)
			}
			for i, v := range withHistory {
				pr := printed[i]
				if pr.Number != v.Number || pr.Status != v.Status || pr.Reason != v.Reason || len(pr.Events) != len(v.Events) {
					t.Errorf("%s: print copy %s/%s with %d events, blocks %s/%s with %d", v.Number, pr.Status, pr.Reason, len(pr.Events), v.Status, v.Reason, len(v.Events))
					continue
				}
				for k := range v.Events {
					if a, b := pr.Events[k], v.Events[k]; a.Raw != b.Raw || !a.Time.Equal(b.Time) || a.Location != b.Location {
						t.Errorf("%s: event %d: print copy %+v, blocks %+v", v.Number, k, a, b)
					}
				}
			}
		})
		checked++
	}
	if checked < 5 {
		t.Errorf("only %d pages cross-checked", checked)
	}
}

// TestReadersFallBack removes the landmarks one reader at a time from a
// 2026 page and checks who reads it: the blocks, then the print copy,
// then the text reader (Degraded), then nobody (a layout error).
func TestReadersFallBack(t *testing.T) {
	data, err := os.ReadFile("testdata/smtrz_2026.reconstructed.html")
	if err != nil {
		t.Fatal(err)
	}
	page := string(data)
	noBlocks := strings.ReplaceAll(page, "parts-tracking-invoice-block", "parcel-card")
	noCopy := strings.ReplaceAll(noBlocks, "swd.writeln(", "doc.write(")
	noText := strings.NewReplacer("月", "/", "日 ", " ").Replace(noCopy)
	cases := []struct {
		name     string
		html     string
		degraded bool
		layout   bool
	}{
		{"blocks", page, false, false},
		{"print_copy", noBlocks, false, false},
		{"text", noCopy, true, false},
		{"nothing", noText, false, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Parse(strings.NewReader(tc.html), fixedNow)
			if tc.layout {
				if err == nil || !strings.Contains(err.Error(), "layout") {
					t.Fatalf("got %+v, %v; want a layout error", res, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(res) != 2 || res[0].Status != carriers.StatusReturned || res[1].Status != carriers.StatusDelivered {
				t.Fatalf("got %+v, want returned and delivered", res)
			}
			for _, r := range res {
				if r.Degraded != tc.degraded {
					t.Errorf("%s: degraded %v, want %v", r.Number, r.Degraded, tc.degraded)
				}
			}
		})
	}
}

// TestTrackTextFallback checks Track's use of the text reader with the
// numbers asked, a not-found number among them.
func TestParseTextNotFoundAmongFound(t *testing.T) {
	data, err := os.ReadFile("testdata/ten_numbers.reconstructed.html")
	if err != nil {
		t.Fatal(err)
	}
	res, err := ParseText(bytes.NewReader(data), nil, fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 10 || res[7].Found || res[7].Status != carriers.StatusNotFound || res[2].Status != carriers.StatusDeliveryFailed {
		t.Errorf("got %+v", res)
	}
	for _, r := range res {
		if !r.Degraded {
			t.Errorf("%s not marked degraded", r.Number)
		}
	}
	// A page whose only number is not found is not read by text alone.
	nf, err := os.ReadFile("testdata/not_found.reconstructed.html")
	if err != nil {
		t.Fatal(err)
	}
	if res, err := ParseText(bytes.NewReader(nf), nil, fixedNow); err == nil {
		t.Errorf("not-found page read by text alone: %+v", res)
	}
}

func TestJSString(t *testing.T) {
	cases := map[string]string{
		`'\<td\>a\<\/td\>')`:      "<td>a</td>",
		`'it\'s \\ \x3cb\u3042')`: `it's \ <bあ`,
		`"double"`:                "double",
		"'line\nbreak'":           "line break",
	}
	for in, want := range cases {
		got, n, ok := jsString([]byte(in))
		if !ok || got != want || n == 0 {
			t.Errorf("jsString(%q) = %q, %d, %v; want %q", in, got, n, ok, want)
		}
	}
	if _, _, ok := jsString([]byte(`'never ends`)); ok {
		t.Error("an unterminated string was read")
	}
}

func TestTextDate(t *testing.T) {
	cases := []struct {
		line string
		ok   bool
		want time.Time
	}{
		{"11月28日 14:02", true, time.Date(2026, 11, 28, 14, 2, 0, 0, carriers.Tokyo)},
		{"荷物受付 11月28日 14:02 川崎中央センター", true, time.Date(2026, 11, 28, 14, 2, 0, 0, carriers.Tokyo)},
		{"配達完了11月28日 11:42川崎", true, time.Date(2026, 11, 28, 11, 42, 0, 0, carriers.Tokyo)},
		{"１１月２８日　１４：０２", true, time.Date(2026, 11, 28, 14, 2, 0, 0, carriers.Tokyo)},
		{"11月26日", true, time.Date(2026, 11, 26, 0, 0, 0, 0, carriers.Tokyo)},
		{"2025年12月30日 17:05", true, time.Date(2025, 12, 30, 17, 5, 0, 0, carriers.Tokyo)},
		{"11月29日 14:00-16:00", false, time.Time{}},
		{"11月29日 午前中～", false, time.Time{}},
		{"お届け予定日時： 11月29日 14:00", false, time.Time{}},
		{"08/21", false, time.Time{}},
		{"2026/11/28 11:42", false, time.Time{}},
		{"13月40日", false, time.Time{}},
	}
	for _, tc := range cases {
		got, ok := textDate(tc.line, fixedNow)
		if ok != tc.ok || !got.Equal(tc.want) {
			t.Errorf("textDate(%q) = %v, %v; want %v, %v", tc.line, got, ok, tc.want, tc.ok)
		}
	}
}

func TestTextWord(t *testing.T) {
	cases := map[string]string{
		"配達完了":                 "配達完了",
		"配達完了11月28日 11:42川崎":   "配達完了",
		"荷物受付 11月28日 14:02 川崎": "荷物受付",
		"持戻（宅配BOX不可）120以上":     "持戻（宅配BOX不可）120以上",
		"お届け完了通知を依頼":           "",
		"依頼受付（再配達）":            "",
		"このお品物はお届けが済んでおります。":   "",
		"新しいステータス":             "",
	}
	for line, want := range cases {
		got, _, _, ok := textWord(line)
		if got != want || ok != (want != "") {
			t.Errorf("textWord(%q) = %q, %v; want %q", line, got, ok, want)
		}
	}
}
