package sagawa

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/carriers/carriertest"
	"github.com/todoku/todoku/carriers/fake"
)

var fixedNow = time.Date(2026, 11, 29, 12, 0, 0, 0, carriers.Tokyo)

func TestConformance(t *testing.T) {
	carriertest.Suite{
		Carrier:  Name,
		New:      func(o carriers.Options) carriers.Carrier { return New(o) },
		Parse:    func(r io.Reader) ([]carriers.Result, error) { return Parse(r, fixedNow) },
		Testdata: "testdata",
		Site:     fake.Sagawa{},
		Numbers:  []string{"360518273043", "411720935581", "522083164702"},
		Old: []string{
			"sagawa/2009-packtrack-list_count01.html",
			"sagawa/2009-packtrack-list_count10.html",
		},
	}.Run(t)
}

func parseFile(t *testing.T, name string) (carriers.Result, error) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	res, err := Parse(bytes.NewReader(data), fixedNow)
	if err != nil {
		return carriers.Result{}, err
	}
	if len(res) != 1 {
		t.Fatalf("%s: %d results, want 1", name, len(res))
	}
	return res[0], nil
}

// TestPages checks the meaning of each reconstructed page independently of
// the golden files.
func TestPages(t *testing.T) {
	tests := []struct {
		page   string
		found  bool
		status carriers.Status
		reason carriers.Reason
		events int
		office carriers.Office
	}{
		{"in_transit", true, carriers.StatusInTransit, "", 3, carriers.Office{Name: "荒川営業所", Phone: "0570-01-0659"}},
		{"in_transit_held_before_delivery", true, carriers.StatusInTransit, "", 3, carriers.Office{Name: "松江営業所", Phone: "0570-01-0712"}},
		{"out_for_delivery", true, carriers.StatusOutForDelivery, "", 4, carriers.Office{Name: "荒川営業所", Phone: "0570-01-0659"}},
		{"delivery_failed_held_after_attempt", true, carriers.StatusDeliveryFailed, carriers.ReasonAbsent, 4, carriers.Office{Name: "荒川営業所", Phone: "0570-01-0659"}},
		{"delivery_failed_mochimodori", true, carriers.StatusDeliveryFailed, carriers.ReasonAbsent, 4, carriers.Office{Name: "練馬営業所", Phone: "0570-01-0834"}},
		{"awaiting_pickup_office", true, carriers.StatusAwaitingPickup, "", 3, carriers.Office{Name: "新潟営業所", Phone: "0570-01-0921"}},
		{"delivered", true, carriers.StatusDelivered, "", 6, carriers.Office{Name: "荒川営業所", Phone: "0570-01-0659"}},
		{"returned_investigating", true, carriers.StatusException, carriers.ReasonInvestigating, 0, carriers.Office{Name: "松江営業所", Phone: "0570-01-0712"}},
		{"returned_investigating_no_detail", true, carriers.StatusException, carriers.ReasonInvestigating, 0, carriers.Office{}},
		{"not_found", false, carriers.StatusNotFound, "", 0, carriers.Office{}},
		{"not_found_old_message", false, carriers.StatusNotFound, "", 0, carriers.Office{}},
		{"new_year", true, carriers.StatusDelivered, "", 5, carriers.Office{Name: "八幡営業所", Phone: "0570-01-0456"}},
		{"unknown_word", true, carriers.StatusUnknown, "", 2, carriers.Office{Name: "荒川営業所"}},
	}
	for _, tc := range tests {
		t.Run(tc.page, func(t *testing.T) {
			r, err := parseFile(t, tc.page+".reconstructed.html")
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			if r.Found != tc.found || r.Status != tc.status || r.Reason != tc.reason || len(r.Events) != tc.events || r.Office != tc.office {
				t.Errorf("got found=%v %s/%s %d events office %+v; want found=%v %s/%s %d events office %+v",
					r.Found, r.Status, r.Reason, len(r.Events), r.Office, tc.found, tc.status, tc.reason, tc.events, tc.office)
			}
		})
	}
}

func TestErrorPages(t *testing.T) {
	tests := []struct {
		page string
		want error
	}{
		{"maintenance", carriers.ErrTransient},
		{"wrong_layout", carriers.ErrLayoutChanged},
		{"not_found_unknown_message", carriers.ErrLayoutChanged},
	}
	for _, tc := range tests {
		t.Run(tc.page, func(t *testing.T) {
			_, err := parseFile(t, tc.page+".reconstructed.html")
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			var fe *carriers.FetchError
			if tc.page == "maintenance" && (!errors.As(err, &fe) || !fe.Maintenance) {
				t.Errorf("maintenance not flagged: %v", err)
			}
		})
	}
}

func TestTruncatedIsTransient(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "delivered.reconstructed.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, cut := range []int{len(data) / 3, len(data) / 2, len(data) - 200} {
		_, err := Parse(bytes.NewReader(data[:cut]), fixedNow)
		if !errors.Is(err, carriers.ErrTransient) || !errors.Is(err, errIncomplete) {
			t.Errorf("cut at %d: err = %v, want a transient incomplete-page error", cut, err)
		}
	}
}

// TestNewYear checks the year roll-over against the 出荷日 on a page whose
// parcel was shipped on 12月30日 and delivered on 1月4日.
func TestNewYear(t *testing.T) {
	r, err := parseFile(t, "new_year.reconstructed.html")
	if err != nil {
		t.Fatal(err)
	}
	want := []time.Time{
		time.Date(2025, 12, 30, 16, 10, 0, 0, carriers.Tokyo),
		time.Date(2025, 12, 31, 2, 30, 0, 0, carriers.Tokyo),
		time.Date(2025, 12, 31, 10, 0, 0, 0, carriers.Tokyo),
		time.Date(2026, 1, 4, 8, 50, 0, 0, carriers.Tokyo),
		time.Date(2026, 1, 4, 13, 20, 0, 0, carriers.Tokyo),
	}
	for i, e := range r.Events {
		if !e.Time.Equal(want[i]) {
			t.Errorf("event %d (%s): time %v, want %v", i, e.Raw, e.Time, want[i])
		}
	}
	// 保管中 over the New Year holiday came before any 配達中: not a failure.
	if r.Events[2].Status != carriers.StatusInTransit {
		t.Errorf("保管中 before 配達中 = %s, want in_transit", r.Events[2].Status)
	}
}

func TestEventTime(t *testing.T) {
	ship := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, carriers.Tokyo) }
	jan2 := time.Date(2027, 1, 2, 9, 0, 0, 0, carriers.Tokyo)
	tests := []struct {
		name   string
		text   string
		ship   time.Time
		shipOK bool
		now    time.Time
		want   time.Time
	}{
		{"same year", "11/20 17:22", ship(2026, 11, 20), true, fixedNow, time.Date(2026, 11, 20, 17, 22, 0, 0, carriers.Tokyo)},
		{"rolled over from ship date", "01/02 08:00", ship(2026, 12, 31), true, jan2, time.Date(2027, 1, 2, 8, 0, 0, 0, carriers.Tokyo)},
		{"day before ship date stays", "12/30 23:00", ship(2026, 12, 31), true, jan2, time.Date(2026, 12, 30, 23, 0, 0, 0, carriers.Tokyo)},
		{"no ship date: 12/31 seen on 1/2", "12/31 18:00", time.Time{}, false, jan2, time.Date(2026, 12, 31, 18, 0, 0, 0, carriers.Tokyo)},
		{"no ship date: 1/1 seen on 1/2", "01/01 10:00", time.Time{}, false, jan2, time.Date(2027, 1, 1, 10, 0, 0, 0, carriers.Tokyo)},
		{"date only", "11/20", ship(2026, 11, 20), true, fixedNow, time.Date(2026, 11, 20, 0, 0, 0, 0, carriers.Tokyo)},
		{"dash", "－", ship(2026, 11, 20), true, fixedNow, time.Time{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := eventTime(tc.text, tc.ship, tc.shipOK, tc.now)
			if err != nil {
				t.Fatalf("eventTime(%q): %v", tc.text, err)
			}
			if !got.Equal(tc.want) {
				t.Errorf("eventTime(%q) = %v, want %v", tc.text, got, tc.want)
			}
		})
	}
	for _, bad := range []string{"13/01 10:00", "11/20 25:00", "yesterday", "2026/11/20 10:00"} {
		if _, err := eventTime(bad, ship(2026, 11, 20), true, fixedNow); !errors.Is(err, carriers.ErrLayoutChanged) {
			t.Errorf("eventTime(%q) err = %v, want a layout error", bad, err)
		}
	}
}

func TestTrackInput(t *testing.T) {
	c := New(carriers.Options{BaseURL: "http://127.0.0.1:1"})
	if _, err := c.Track(context.Background(), nil); err == nil {
		t.Error("Track(nil) returned no error")
	}
	_, err := c.Track(context.Background(), []string{"360518273043", "411720935581"})
	if !errors.Is(err, carriers.ErrBatchTooLarge) {
		t.Errorf("Track(2 numbers) err = %v, want ErrBatchTooLarge", err)
	}
}

func TestMatch(t *testing.T) {
	res := []carriers.Result{{Number: "360518273043", Carrier: Name, Found: true}}
	if _, err := match(res, "411720935581"); !errors.Is(err, ErrWrongNumber) {
		t.Errorf("match with another number: err = %v, want ErrWrongNumber", err)
	}
	got, err := match(res, "360518273043")
	if err != nil || got[0].Number != "360518273043" {
		t.Errorf("match = %+v, %v", got, err)
	}
	if _, err := match(nil, "360518273043"); !errors.Is(err, carriers.ErrLayoutChanged) {
		t.Errorf("match with no results: err = %v, want a layout error", err)
	}
}

func FuzzParse(f *testing.F) {
	pages, err := filepath.Glob(filepath.Join("testdata", "*.html"))
	if err != nil {
		f.Fatal(err)
	}
	for _, p := range pages {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("<span class=state>該当なし</span><div id=footer></div>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := Parse(bytes.NewReader(data), fixedNow)
		if err != nil {
			if res != nil {
				t.Fatalf("results with an error: %+v", res)
			}
			return
		}
		if len(res) != 1 {
			t.Fatalf("%d results, want 1", len(res))
		}
		r := res[0]
		if r.Carrier != Name || r.Number == "" || strings.Trim(r.Number, "0123456789") != "" {
			t.Fatalf("bad identity %q/%q", r.Carrier, r.Number)
		}
		if !r.Status.Valid() || !r.Reason.Valid() || r.Found == (r.Status == carriers.StatusNotFound) {
			t.Fatalf("bad status found=%v %q/%q", r.Found, r.Status, r.Reason)
		}
		for _, e := range r.Events {
			if e.Raw == "" || !e.Status.Valid() || !e.Reason.Valid() || e.Status == carriers.StatusNotFound {
				t.Fatalf("bad event %+v", e)
			}
		}
	})
}

func BenchmarkParse(b *testing.B) {
	pages, err := filepath.Glob(filepath.Join("testdata", "*.html"))
	if err != nil {
		b.Fatal(err)
	}
	for _, p := range pages {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(strings.TrimSuffix(filepath.Base(p), ".reconstructed.html"), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				_, _ = Parse(bytes.NewReader(data), fixedNow)
			}
		})
	}
}

// TestStateHeading checks that a 調査中 heading wins over a
// history that ends in a routine step, and that a 該当なし heading needs
// its explicit message.
func TestStateHeading(t *testing.T) {
	base := time.Date(2026, 11, 20, 9, 0, 0, 0, carriers.Tokyo)
	parcel := fake.Parcel{Number: "360518273043", Found: true, Rows: []fake.Row{
		{Time: base, Raw: "集荷", Location: "西埼玉営業所"},
		{Time: base.Add(5 * time.Hour), Raw: "輸送中", Location: "北関東中継センター"},
	}}
	var buf bytes.Buffer
	if err := (fake.Sagawa{}).Render(&buf, []fake.Parcel{parcel}); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	tests := []struct {
		name    string
		from    string
		to      string
		status  carriers.Status
		reason  carriers.Reason
		wantErr error
	}{
		{"as rendered", "", "", carriers.StatusInTransit, "", nil},
		{"investigating heading", `<span class="state">輸送中</span>`, `<span class="state">調査中</span>`, carriers.StatusException, carriers.ReasonInvestigating, nil},
		{"not found without message", `<span class="state">輸送中</span>`, `<span class="state">該当なし</span>`, "", "", carriers.ErrLayoutChanged},
		{"other number in summary", "3605-1827-3043", "4117-2093-5581", "", "", carriers.ErrLayoutChanged},
		{"history header renamed", "<th>荷物状況</th>", "<th>ステータス</th>", "", "", carriers.ErrLayoutChanged},
		{"bad history date", "11/20 09:00", "11月20日 09:00", "", "", carriers.ErrLayoutChanged},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := page
			if tc.from != "" {
				if !strings.Contains(p, tc.from) {
					t.Fatalf("rendered page lacks %q", tc.from)
				}
				p = strings.Replace(p, tc.from, tc.to, 1)
			}
			res, err := Parse(strings.NewReader(p), fixedNow)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("got %+v, %v; want %v", res, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if res[0].Status != tc.status || res[0].Reason != tc.reason {
				t.Errorf("got %s/%s, want %s/%s", res[0].Status, res[0].Reason, tc.status, tc.reason)
			}
		})
	}
}

// TestOtherFooter checks that the #footer .copyright of the reconstructed
// pages is not a landmark: every page with another footer parses as
// before (it still ends with </html>), and a page cut in the middle is
// still an incomplete page, not a layout change.
func TestOtherFooter(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.reconstructed.html"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no pages: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			renamed := strings.NewReplacer(`id="footer"`, `id="site-foot"`, `class="copyright"`, `class="site-copy"`).Replace(string(data))
			if !strings.Contains(string(data), `class="copyright"`) {
				t.Fatalf("no footer to rename in %s", file)
			}
			want, wantErr := Parse(bytes.NewReader(data), fixedNow)
			got, gotErr := Parse(strings.NewReader(renamed), fixedNow)
			if !reflect.DeepEqual(got, want) || (gotErr == nil) != (wantErr == nil) ||
				errors.Is(gotErr, carriers.ErrLayoutChanged) != errors.Is(wantErr, carriers.ErrLayoutChanged) ||
				errors.Is(gotErr, carriers.ErrTransient) != errors.Is(wantErr, carriers.ErrTransient) {
				t.Errorf("renamed footer: %+v, %v; with #footer: %+v, %v", got, gotErr, want, wantErr)
			}
			cut := renamed[:len(renamed)/2]
			if _, err := Parse(strings.NewReader(cut), fixedNow); !errors.Is(err, carriers.ErrTransient) || errors.Is(err, carriers.ErrLayoutChanged) {
				t.Errorf("cut page: err = %v, want a transient error", err)
			}
		})
	}
}
