package yamato

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/carriers/carriertest"
	"github.com/todoku/todoku/carriers/fake"
	"github.com/todoku/todoku/internal/testutil"
)

// fixedNow is the clock of the golden files.
var fixedNow = time.Date(2026, 11, 29, 12, 0, 0, 0, carriers.Tokyo)

// testNumbers are invented numbers with valid mod-7 check digits.
var testNumbers = []string{
	"401234567893", "401987654320", "410876543210", "420112233446", "430556677880",
	"440121212123", "450989898984", "460314159266", "470271828180", "480161803391",
	"490141421350", "500173205081",
}

// oldPages are the real 2009 result pages, in the old layout.
var oldPages = []string{
	"count01", "count10", "misc01", "misc02", "misc03", "misc04", "notexist", "transfer",
}

func TestConformance(t *testing.T) {
	carriertest.Suite{
		Carrier:   Name,
		New:       func(o carriers.Options) carriers.Carrier { return New(o) },
		Parse:     func(r io.Reader) ([]carriers.Result, error) { return Parse(r, fixedNow) },
		TextParse: func(r io.Reader) ([]carriers.Result, error) { return ParseText(r, nil, fixedNow) },
		Testdata:  "testdata",
		Site:      fake.Yamato{},
		Numbers:   testNumbers,
		// Old is left empty: the real 2009 pages carry the same
		// swd.writeln print copy (荷物状況/日付/時刻/担当店名) that
		// TsuiseKit reads on the 2026 page, so they are read, not
		// refused; TestOldPagesPrintCopy checks what they give.
	}.Run(t)
}

// TestOldPagesPrintCopy reads the real 2009 result pages (in the old
// visible layout) through their print copy, the structure that survives
// on the 2026 page (TsuiseKit): real bytes for the print-copy reader.
func TestOldPagesPrintCopy(t *testing.T) {
	want := map[string]struct {
		n      int
		first  string
		status carriers.Status
		events int
	}{
		"count01":  {1, "225300099640", carriers.StatusDelivered, 3},
		"count10":  {10, "249708260970", carriers.StatusDelivered, 4},
		"misc01":   {1, "271012047736", carriers.StatusInTransit, 1},
		"misc03":   {1, "812730897123", carriers.StatusDelivered, 2},
		"transfer": {1, "249724973934", carriers.StatusInTransit, 2},
	}
	for _, p := range oldPages {
		t.Run(p, func(t *testing.T) {
			data, err := os.ReadFile(testutil.Fixture(t, "yamato/2009-packtrack-list_"+p+".sjis.html"))
			if err != nil {
				t.Fatalf("old page: %v", err)
			}
			res, err := Parse(bytes.NewReader(data), fixedNow)
			w, ok := want[p]
			if !ok {
				// Pages without a usable print copy must not be guessed.
				if err == nil {
					for _, r := range res {
						if r.Degraded || len(r.Events) == 0 {
							t.Errorf("%s: %+v", p, r)
						}
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if len(res) != w.n || res[0].Number != w.first || res[0].Status != w.status || len(res[0].Events) != w.events || res[0].Degraded {
				t.Errorf("got %d results, first %+v; want %d, first %s %s with %d events", len(res), res[0], w.n, w.first, w.status, w.events)
			}
		})
	}
}

func TestNumbersValid(t *testing.T) {
	for _, n := range testNumbers {
		var sum int64
		for _, c := range n[:11] {
			sum = sum*10 + int64(c-'0')
		}
		if got, want := int64(n[11]-'0'), sum%7; got != want {
			t.Errorf("%s: check digit %d, want %d", n, got, want)
		}
	}
}

func TestForm(t *testing.T) {
	got := Form([]string{"401234567893", "401987654320"})
	want := url.Values{
		"number00": {"1"}, "number01": {"401234567893"}, "number02": {"401987654320"},
		"number03": {""}, "number04": {""}, "number05": {""}, "number06": {""},
		"number07": {""}, "number08": {""}, "number09": {""}, "number10": {""},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Form = %v, want %v", got, want)
	}
}

// pageServer serves body for every request and keeps the last form.
type pageServer struct {
	*httptest.Server
	mu   sync.Mutex
	form url.Values
}

func newPageServer(t *testing.T, render func(w io.Writer, nums []string)) *pageServer {
	t.Helper()
	ps := &pageServer{}
	ps.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		nums, err := fake.Yamato{}.Numbers(r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		ps.mu.Lock()
		ps.form = r.PostForm
		ps.mu.Unlock()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		render(w, nums)
	}))
	t.Cleanup(ps.Close)
	return ps
}

func rows() []fake.Row {
	base := time.Date(2026, 11, 28, 9, 0, 0, 0, carriers.Tokyo)
	return []fake.Row{
		{Time: base, Raw: "荷物受付", Location: "川崎中央センター"},
		{Time: base.Add(5 * time.Hour), Raw: "持戻（ご不在）", Location: "武蔵小杉センター"},
	}
}

func TestTrack(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name    string
		asked   []string
		render  func(nums []string) []fake.Parcel
		wantErr error
		check   func(t *testing.T, res []carriers.Result)
	}{
		{
			name:  "order_kept_and_office",
			asked: testNumbers[:3],
			render: func(nums []string) []fake.Parcel {
				// The page lists the blocks in another order than asked.
				return []fake.Parcel{
					{Number: nums[2], Found: true, Rows: rows(), Product: "宅急便"},
					{Number: nums[0], Found: false},
					{Number: nums[1], Found: true, Rows: rows()[:1]},
				}
			},
			check: func(t *testing.T, res []carriers.Result) {
				got := []string{res[0].Number, res[1].Number, res[2].Number}
				if !reflect.DeepEqual(got, testNumbers[:3]) {
					t.Errorf("numbers %v, want %v", got, testNumbers[:3])
				}
				if res[0].Status != carriers.StatusNotFound || res[0].Found {
					t.Errorf("result 0 = %s found=%v, want not_found", res[0].Status, res[0].Found)
				}
				if res[2].Status != carriers.StatusDeliveryFailed || res[2].Reason != carriers.ReasonAbsent {
					t.Errorf("result 2 = %s/%s, want delivery_failed/absent", res[2].Status, res[2].Reason)
				}
				if want := (carriers.Office{Name: "武蔵小杉センター"}); res[2].Office != want {
					t.Errorf("office %+v, want %+v", res[2].Office, want)
				}
				if res[2].Product != "宅急便" {
					t.Errorf("product %q, want 宅急便", res[2].Product)
				}
			},
		},
		{
			name:  "missing_block",
			asked: testNumbers[:2],
			render: func(nums []string) []fake.Parcel {
				return []fake.Parcel{{Number: nums[0], Found: true, Rows: rows()}}
			},
			wantErr: ErrWrongNumbers,
		},
		{
			name:  "extra_block",
			asked: testNumbers[:1],
			render: func(nums []string) []fake.Parcel {
				return []fake.Parcel{
					{Number: nums[0], Found: true, Rows: rows()},
					{Number: testNumbers[5], Found: true, Rows: rows()},
				}
			},
			wantErr: ErrWrongNumbers,
		},
		{
			name:  "other_number",
			asked: testNumbers[:1],
			render: func(nums []string) []fake.Parcel {
				return []fake.Parcel{{Number: testNumbers[7], Found: false}}
			},
			wantErr: ErrWrongNumbers,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := newPageServer(t, func(w io.Writer, nums []string) {
				if err := (fake.Yamato{}).Render(w, tc.render(nums)); err != nil {
					t.Errorf("render: %v", err)
				}
			})
			c := New(carriers.Options{BaseURL: srv.URL + "/", Client: srv.Client(), Now: func() time.Time { return fixedNow }})
			res, err := c.Track(ctx, tc.asked)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) || res != nil {
					t.Fatalf("got %+v, %v; want error %v", res, err, tc.wantErr)
				}
				if carriers.IsTransient(err) {
					t.Errorf("mismatch reported as transient: %v", err)
				}
				// One odd number must not pause all Yamato polling: a
				// page about other numbers is no layout change.
				if errors.Is(err, carriers.ErrLayoutChanged) {
					t.Errorf("mismatch reported as a layout change: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Track: %v", err)
			}
			if len(res) != len(tc.asked) {
				t.Fatalf("%d results for %d numbers", len(res), len(tc.asked))
			}
			tc.check(t, res)
			srv.mu.Lock()
			defer srv.mu.Unlock()
			if srv.form.Get("number00") != "1" || srv.form.Get("number01") != tc.asked[0] {
				t.Errorf("form %v", srv.form)
			}
		})
	}
}

func TestTrackRejectsInput(t *testing.T) {
	c := New(carriers.Options{BaseURL: "http://127.0.0.1:1"})
	cases := []struct {
		name string
		nums []string
		want error
	}{
		{"empty", nil, ErrNoNumbers},
		{"too_many", append(append([]string{}, testNumbers[:10]...), testNumbers[10]), carriers.ErrBatchTooLarge},
		{"letters", []string{"40123456789A"}, ErrInvalidNumber},
		{"dashes", []string{"4012-3456-7893"}, ErrInvalidNumber},
		{"short", []string{"4012345"}, ErrInvalidNumber},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := c.Track(context.Background(), tc.nums)
			if !errors.Is(err, tc.want) || res != nil {
				t.Errorf("got %v, %v; want %v", res, err, tc.want)
			}
		})
	}
}

func TestNewBaseURL(t *testing.T) {
	cases := map[string]string{
		"":                       "https://toi.kuronekoyamato.co.jp/cgi-bin/tneko",
		"http://127.0.0.1:8080":  "http://127.0.0.1:8080/cgi-bin/tneko",
		"http://127.0.0.1:8080/": "http://127.0.0.1:8080/cgi-bin/tneko",
	}
	for base, want := range cases {
		if got := New(carriers.Options{BaseURL: base}).endpoint; got != want {
			t.Errorf("BaseURL %q: endpoint %q, want %q", base, got, want)
		}
	}
	if !strings.HasPrefix(DefaultBaseURL, "https://") {
		t.Errorf("DefaultBaseURL %q is not https", DefaultBaseURL)
	}
}
