package seino

import (
	"bytes"
	"io"
	"os"
	"testing"
	"time"

	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/carriers/carriertest"
	"github.com/todoku/todoku/carriers/fake"
)

// testNumber is the number every test page is about (some pages do not
// print it, as a not-found page may not).
const testNumber = "1234567890"

var fixedNow = time.Date(2026, 11, 25, 12, 0, 0, 0, carriers.Tokyo)

func TestConformance(t *testing.T) {
	carriertest.Suite{
		Carrier:   Name,
		New:       func(o carriers.Options) carriers.Carrier { return New(o) },
		Parse:     func(r io.Reader) ([]carriers.Result, error) { return ParseFor(r, testNumber, fixedNow) },
		TextParse: func(r io.Reader) ([]carriers.Result, error) { return ParseText(r, []string{testNumber}, fixedNow) },
		Testdata:  "testdata",
		Site:      fake.Seino{},
		Numbers:   []string{"1234567890", "3318810025", "5550001111"},
		Rows: []fake.Row{
			{Raw: "受 付", Location: "東京支店"},
			{Raw: "中 継", Location: "名古屋支店"},
		},
	}.Run(t)
}

// TestStatuses pins the meaning of each reconstructed page: a wrong
// status here is the worst bug an adapter can have.
func TestStatuses(t *testing.T) {
	tests := []struct {
		page   string
		err    bool
		found  bool
		status carriers.Status
		reason carriers.Reason
		events int
	}{
		{"delivered", false, true, carriers.StatusDelivered, "", 1},
		{"not_found", false, false, carriers.StatusNotFound, "", 0},
		{"not_found_no_input", false, false, carriers.StatusNotFound, "", 0},
		{"failed_history", false, true, carriers.StatusDeliveryFailed, carriers.ReasonOther, 5},
		{"unknown_after_failure", false, true, carriers.StatusDeliveryFailed, carriers.ReasonOther, 4},
		{"in_transit", false, true, carriers.StatusInTransit, "", 1},
		{"wrong_layout", true, false, "", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.page, func(t *testing.T) {
			data, err := os.ReadFile("testdata/" + tt.page + ".reconstructed.html")
			if err != nil {
				t.Fatal(err)
			}
			res, err := ParseFor(bytes.NewReader(data), testNumber, fixedNow)
			if tt.err {
				if !carriers.IsTransient(err) && err == nil {
					t.Fatalf("got %+v, want an error", res)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			r := res[0]
			if r.Number != "1234567890" || r.Found != tt.found || r.Status != tt.status || r.Reason != tt.reason || len(r.Events) != tt.events {
				t.Errorf("got %s found=%v %s/%s with %d events, want found=%v %s/%s with %d", r.Number, r.Found, r.Status, r.Reason, len(r.Events), tt.found, tt.status, tt.reason, tt.events)
			}
		})
	}
}

func TestLookup(t *testing.T) {
	for raw, want := range map[string]carriers.Status{
		"配達済みです": carriers.StatusDelivered,
		"持 戻":    carriers.StatusDeliveryFailed,
		"持出":     carriers.StatusOutForDelivery,
		"受　付":    carriers.StatusInTransit,
		"配達":     carriers.StatusUnknown,
		"再配達受付":  carriers.StatusUnknown,
	} {
		if got, _ := lookup(raw); got != want {
			t.Errorf("lookup(%q) = %s, want %s", raw, got, want)
		}
	}
	if _, rs := lookup("持戻（ご不在）"); rs != carriers.ReasonAbsent {
		t.Errorf("持戻（ご不在）: reason %q, want absent", rs)
	}
}

func FuzzParse(f *testing.F) {
	pages, _ := os.ReadDir("testdata")
	for _, p := range pages {
		if b, err := os.ReadFile("testdata/" + p.Name()); err == nil && bytes.HasSuffix([]byte(p.Name()), []byte(".html")) {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := Parse(bytes.NewReader(data), fixedNow)
		if err == nil && len(res) != 1 {
			t.Fatalf("%d results without an error", len(res))
		}
	})
}

func BenchmarkParse(b *testing.B) {
	data, err := os.ReadFile("testdata/failed_history.reconstructed.html")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Parse(bytes.NewReader(data), fixedNow); err != nil {
			b.Fatal(err)
		}
	}
}
