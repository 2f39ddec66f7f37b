package fukuyama

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

// testNumber is the number every test page is about.
const testNumber = "1234567890"

var fixedNow = time.Date(2026, 11, 25, 12, 0, 0, 0, carriers.Tokyo)

func TestConformance(t *testing.T) {
	carriertest.Suite{
		Carrier:   Name,
		New:       func(o carriers.Options) carriers.Carrier { return New(o) },
		Parse:     func(r io.Reader) ([]carriers.Result, error) { return ParseFor(r, testNumber, fixedNow) },
		TextParse: func(r io.Reader) ([]carriers.Result, error) { return ParseText(r, []string{testNumber}, fixedNow) },
		Testdata:  "testdata",
		Site:      fake.Fukuyama{},
		Numbers:   []string{"1234567890", "3318810025", "5550001111"},
		Rows: []fake.Row{
			{Raw: "集荷", Location: "東京支店"},
			{Raw: "輸送中", Location: "名古屋支店"},
		},
	}.Run(t)
}

// TestStatuses pins the meaning of each reconstructed page.
func TestStatuses(t *testing.T) {
	tests := []struct {
		page     string
		layout   bool
		found    bool
		status   carriers.Status
		degraded bool
	}{
		{"delivered", false, true, carriers.StatusDelivered, false},
		{"not_found", false, false, carriers.StatusNotFound, false},
		{"in_transit", false, true, carriers.StatusInTransit, false},
		{"unknown_state", false, true, carriers.StatusUnknown, false},
		{"redesign_text", false, true, carriers.StatusDelivered, true},
		{"wrong_layout", true, false, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.page, func(t *testing.T) {
			data, err := os.ReadFile("testdata/" + tt.page + ".reconstructed.html")
			if err != nil {
				t.Fatal(err)
			}
			res, err := Parse(bytes.NewReader(data), fixedNow)
			if tt.layout {
				if carriertest.ErrorKind(err) != "layout" {
					t.Fatalf("got %+v, %v; want a layout error", res, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			r := res[0]
			if r.Number != testNumber || r.Found != tt.found || r.Status != tt.status || r.Degraded != tt.degraded {
				t.Errorf("got %s found=%v %s degraded=%v, want found=%v %s degraded=%v", r.Number, r.Found, r.Status, r.Degraded, tt.found, tt.status, tt.degraded)
			}
		})
	}
}

func TestWrongNumberRefused(t *testing.T) {
	data, err := os.ReadFile("testdata/delivered.reconstructed.html")
	if err != nil {
		t.Fatal(err)
	}
	if res, err := ParseFor(bytes.NewReader(data), "9876543210", fixedNow); err == nil {
		t.Fatalf("a page about %s was read as %+v", testNumber, res)
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
	data, err := os.ReadFile("testdata/delivered.reconstructed.html")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Parse(bytes.NewReader(data), fixedNow); err != nil {
			b.Fatal(err)
		}
	}
}
