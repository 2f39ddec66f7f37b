package sagawa

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
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
		Carrier:   Name,
		New:       func(o carriers.Options) carriers.Carrier { return New(o) },
		Parse:     func(r io.Reader) ([]carriers.Result, error) { return Parse(r, fixedNow) },
		TextParse: textParse,
		Testdata:  "testdata",
		Site:      fake.Sagawa{},
		Numbers:   []string{"360518273043", "411720935581", "522083164702"},
		Old: []string{
			"sagawa/2009-packtrack-list_count01.html",
			"sagawa/2009-packtrack-list_count10.html",
		},
	}.Run(t)
}

// textParse runs ParseText with the numbers the page is about: those the
// structured reader found on it.
func textParse(r io.Reader) ([]carriers.Result, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	res, err := Parse(bytes.NewReader(data), fixedNow)
	if err != nil {
		return nil, err
	}
	numbers := make([]string, len(res))
	for i, r := range res {
		numbers[i] = r.Number
	}
	return ParseText(bytes.NewReader(data), numbers, fixedNow)
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
	arakawa := carriers.Office{Name: "荒川営業所", Phone: "0570-01-0659"}
	tests := []struct {
		page   string
		found  bool
		status carriers.Status
		reason carriers.Reason
		events int
		office carriers.Office
	}{
		// 2026 evidence.
		{"smtrz_in_transit", true, carriers.StatusInTransit, "", 2, carriers.Office{Name: "城北営業所", Phone: "0570-01-0362"}},
		{"smtrz_delivered_held_before_attempt", true, carriers.StatusDelivered, "", 6, carriers.Office{Name: "松江営業所", Phone: "0570-01-0264"}},
		{"smtrz_returned_investigating", true, carriers.StatusException, carriers.ReasonInvestigating, 0, arakawa},
		{"smtrz_held_after_attempt", true, carriers.StatusDeliveryFailed, carriers.ReasonAbsent, 4, arakawa},
		{"tsuisekit_out_for_delivery", true, carriers.StatusOutForDelivery, "", 4, carriers.Office{Name: "城南営業所", Phone: "0570-01-0417"}},
		{"shlee322_not_found_no_number", false, carriers.StatusNotFound, "", 0, carriers.Office{}},
		{"windows31j_ncr_delivered", true, carriers.StatusDelivered, "", 4, arakawa},
		{"windows31j_ncr_not_found", false, carriers.StatusNotFound, "", 0, carriers.Office{}},
		{"unknown_after_failure", true, carriers.StatusDeliveryFailed, carriers.ReasonAbsent, 5, arakawa},
		// Earlier cases in the 2026 layout.
		{"in_transit", true, carriers.StatusInTransit, "", 3, arakawa},
		{"in_transit_held_before_delivery", true, carriers.StatusInTransit, "", 3, carriers.Office{Name: "松江営業所", Phone: "0570-01-0712"}},
		{"out_for_delivery", true, carriers.StatusOutForDelivery, "", 4, arakawa},
		{"delivery_failed_held_after_attempt", true, carriers.StatusDeliveryFailed, carriers.ReasonAbsent, 4, arakawa},
		{"delivery_failed_mochimodori", true, carriers.StatusDeliveryFailed, carriers.ReasonAbsent, 4, carriers.Office{Name: "練馬営業所", Phone: "0570-01-0834"}},
		{"awaiting_pickup_office", true, carriers.StatusAwaitingPickup, "", 3, carriers.Office{Name: "新潟営業所", Phone: "0570-01-0921"}},
		{"delivered_list_td_cells", true, carriers.StatusDelivered, "", 6, arakawa},
		{"returned_investigating_no_detail", true, carriers.StatusException, carriers.ReasonInvestigating, 0, carriers.Office{}},
		{"not_found", false, carriers.StatusNotFound, "", 0, carriers.Office{}},
		{"not_found_old_message", false, carriers.StatusNotFound, "", 0, carriers.Office{}},
		{"new_year", true, carriers.StatusDelivered, "", 5, carriers.Office{Name: "八幡営業所", Phone: "0570-01-0456"}},
		{"unknown_word", true, carriers.StatusInTransit, "", 2, carriers.Office{Name: "荒川営業所"}},
		{"redesign_degraded", true, carriers.StatusDelivered, "", 2, carriers.Office{}},
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
		{"not_found_rejected_message", ErrRejected},
	}
	for _, tc := range tests {
		t.Run(tc.page, func(t *testing.T) {
			_, err := parseFile(t, tc.page+".reconstructed.html")
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if tc.want == ErrRejected && (errors.Is(err, carriers.ErrLayoutChanged) || errors.Is(err, carriers.ErrTransient)) {
				t.Errorf("a rejected number is neither a layout change nor transient: %v", err)
			}
			var fe *carriers.FetchError
			if tc.page == "maintenance" && (!errors.As(err, &fe) || !fe.Maintenance) {
				t.Errorf("maintenance not flagged: %v", err)
			}
		})
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

// FuzzParse feeds the parsers mutations of the test pages' tables.
// Go's minimiser is quadratic in the input's length, so the seeds are the
// tables alone with the white space between tags removed (at most a few
// KiB) and inputs over maxFuzzInput are skipped: a fuzzer started on whole
// pages spends its time minimising and reports 0 execs/s.
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
		f.Add(fuzzSeed(data))
	}
	f.Add([]byte("<table><tr><th>詳細1</th><th>360518273043</th><th><span class=state>該当なし</span></th></tr><tr><td>お荷物データが登録されておりません。</td></tr></table>"))
	f.Add([]byte("<p>お問い合せ送り状No. 360518273043</p><p>↓集荷 11/20 09:00 西埼玉営業所</p>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzInput {
			t.Skip()
		}
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
		// A 該当なし page need not print the number: Parse leaves it empty.
		if r.Carrier != Name || (r.Number == "" && r.Found) || strings.Trim(r.Number, "0123456789") != "" {
			t.Fatalf("bad identity %q/%q", r.Carrier, r.Number)
		}
		if !r.Status.Valid() || !r.Reason.Valid() || r.Found == (r.Status == carriers.StatusNotFound) {
			t.Fatalf("bad status found=%v %q/%q", r.Found, r.Status, r.Reason)
		}
		for _, e := range r.Events {
			if e.Raw == "" || !e.Status.Valid() || !e.Reason.Valid() || e.Status == carriers.StatusNotFound {
				t.Fatalf("bad event %+v", e)
			}
			if e.Raw != carriers.CleanText(e.Raw) || e.Location != carriers.CleanText(e.Location) {
				t.Fatalf("page text not cleaned: %q %q", e.Raw, e.Location)
			}
		}
		if r.Office.Name != carriers.CleanText(r.Office.Name) || r.Office.Phone != carriers.CleanText(r.Office.Phone) {
			t.Fatalf("office not cleaned: %+v", r.Office)
		}
	})
}

// maxFuzzInput is the longest input FuzzParse reads.
const maxFuzzInput = 4 << 10

var betweenTags = regexp.MustCompile(`>\s+<`)

// fuzzSeed is a test page's tables (the whole page when it has none) with
// the white space between tags removed.
func fuzzSeed(page []byte) []byte {
	if a, b := bytes.Index(page, []byte("<table")), bytes.LastIndex(page, []byte("</table>")); a >= 0 && b > a {
		page = page[a : b+len("</table>")]
	}
	return betweenTags.ReplaceAll(page, []byte("><"))
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
			n, start := 0, processCPU()
			for b.Loop() {
				_, _ = Parse(bytes.NewReader(data), fixedNow)
				n++
			}
			b.ReportMetric(float64(processCPU()-start)/float64(n), "cpu-ns/op")
		})
	}
}

// TestStateHeading checks that a 調査中 heading wins over a history that
// ends in a routine step, that a 該当なし heading needs its message, and
// what happens when a landmark goes missing: the structured reader's
// layout error, or the text reader's degraded result with the same
// status, never another answer.
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
		name     string
		from     string
		to       string
		status   carriers.Status
		reason   carriers.Reason
		degraded bool
		wantErr  error
	}{
		{"as rendered", "", "", carriers.StatusInTransit, "", false, nil},
		{"investigating heading", `<span class="state">輸送中</span>`, `<span class="state">調査中</span>`, carriers.StatusException, carriers.ReasonInvestigating, false, nil},
		{"not found without message", `<span class="state">輸送中</span>`, `<span class="state">該当なし</span>`, "", "", false, carriers.ErrLayoutChanged},
		{"another number in the summary", "<td>360518273043</td>", "<td>411720935581</td>", "", "", false, carriers.ErrLayoutChanged},
		{"history header renamed", "<th>荷物状況</th>", "<th>ステータス</th>", carriers.StatusInTransit, "", true, nil},
		{"no number in the list", "<th>	360518273043	</th>", "<th></th>", carriers.StatusInTransit, "", false, nil},
		{"no number at all", "360518273043", "", "", "", false, carriers.ErrLayoutChanged},
		{"kanji history date", "11/20 09:00", "11月20日 09:00", carriers.StatusInTransit, "", false, nil},
		{"unreadable history date", "11/20 09:00", "昨日 09:00", carriers.StatusInTransit, "", true, nil},
		{"no readable history date", "/20 ", "日 ", "", "", false, carriers.ErrLayoutChanged},
		{"full-width label and colon", "<th>出荷日</th>", "<th>出荷日　：</th>", carriers.StatusInTransit, "", false, nil},
		{"td header cells", "<th>荷物状況</th><th>日時</th><th>担当営業所</th>", "<td>荷物状況</td><td>日時</td><td>担当営業所</td>", carriers.StatusInTransit, "", false, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := page
			if tc.from != "" || tc.to == "" {
				if !strings.Contains(p, tc.from) {
					t.Fatalf("rendered page lacks %q", tc.from)
				}
				p = strings.ReplaceAll(p, tc.from, tc.to)
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
			if res[0].Status != tc.status || res[0].Reason != tc.reason || res[0].Degraded != tc.degraded || res[0].Number != parcel.Number {
				t.Errorf("got %s %s/%s degraded=%v, want %s %s/%s degraded=%v", res[0].Number, res[0].Status, res[0].Reason, res[0].Degraded,
					parcel.Number, tc.status, tc.reason, tc.degraded)
			}
		})
	}
}

// TestParseFor checks the number asked: a 該当なし page that prints no
// number is about the number asked, and a page about another number is
// ErrWrongNumber, not a result.
func TestParseFor(t *testing.T) {
	read := func(name string) []byte {
		data, err := os.ReadFile(filepath.Join("testdata", name+".reconstructed.html"))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	const asked = "407188253614"
	res, err := ParseFor(bytes.NewReader(read("shlee322_not_found_no_number")), asked, fixedNow)
	if err != nil || len(res) != 1 || res[0].Number != asked || res[0].Found || res[0].Status != carriers.StatusNotFound {
		t.Errorf("not found without a printed number: %+v, %v; want not_found for %s", res, err, asked)
	}
	res, err = ParseFor(bytes.NewReader(read("smtrz_in_transit")), asked, fixedNow)
	if err != nil || len(res) != 1 || res[0].Number != asked || res[0].Status != carriers.StatusInTransit {
		t.Errorf("page about the number asked: %+v, %v", res, err)
	}
	res, err = ParseFor(bytes.NewReader(read("smtrz_in_transit")), "411720935581", fixedNow)
	if !errors.Is(err, ErrWrongNumber) || res != nil {
		t.Errorf("page about another number: %+v, %v; want ErrWrongNumber", res, err)
	}
	// The text reader, when it takes over, looks for the number asked.
	res, err = ParseFor(bytes.NewReader(read("redesign_degraded")), "411720935581", fixedNow)
	if !errors.Is(err, carriers.ErrLayoutChanged) || res != nil {
		t.Errorf("redesigned page about another number: %+v, %v; want a layout error", res, err)
	}
}

// TestUnknownAfterFailure checks issue 13's rule: an unknown word after a
// failed attempt is kept, but the parcel stays delivery_failed, in both
// readers.
func TestUnknownAfterFailure(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "unknown_after_failure.reconstructed.html"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := Parse(bytes.NewReader(data), fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	r := res[0]
	last := r.Events[len(r.Events)-1]
	if r.Status != carriers.StatusDeliveryFailed || r.Reason != carriers.ReasonAbsent || last.Status != carriers.StatusUnknown || last.Raw != "依頼受付（再配達）" {
		t.Errorf("structured: %s/%s, last event %+v; want delivery_failed/absent with the unknown row kept", r.Status, r.Reason, last)
	}
	text, err := ParseText(bytes.NewReader(data), []string{r.Number}, fixedNow)
	if err != nil || text[0].Status != carriers.StatusDeliveryFailed || !text[0].Degraded {
		t.Errorf("text reader: %+v, %v; want a degraded delivery_failed", text, err)
	}
}

// TestTextWord checks that the text reader's word finder never reads a
// label as a status (sm-trz's warning about 集荷に関するお問い合せ).
func TestTextWord(t *testing.T) {
	tests := []struct {
		line string
		raw  string
		ok   bool
	}{
		{"↓集荷 08/20 17:13 西埼玉営業所", "集荷", true},
		{"⇒配達完了 08/19 18:23 松江営業所", "配達完了", true},
		{"集荷11/26 17:22西埼玉営業所", "集荷", true},
		{"配達中", "配達中", true},
		{"集荷に関するお問い合せ 西埼玉営業所 TEL:0570-55-0421 FAX:04-2953-9470", "", false},
		{"配達完了日 ： 08月19日 18時23分", "", false},
		{"荷物状況 日時 担当営業所", "", false},
		{"⇒ご不在でしたので、お預かりしております。 11/20 10:00", "ご不在でしたので、お預かりしております。", true},
		{"⇒仕分け作業中 11/20 10:00", "", false},
	}
	for _, tc := range tests {
		raw, _, _, ok := textWord(tc.line)
		if ok != tc.ok || raw != tc.raw {
			t.Errorf("textWord(%q) = %q, %v; want %q, %v", tc.line, raw, ok, tc.raw, tc.ok)
		}
	}
}

// TestLayoutTable checks that a page laid out inside an outer table (as
// older Japanese sites are) reads the same: the row around the whole page
// is neither the list nor a label.
func TestLayoutTable(t *testing.T) {
	for _, name := range []string{"smtrz_in_transit", "not_found", "not_found_rejected_message", "shlee322_not_found_no_number", "smtrz_returned_investigating"} {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", name+".reconstructed.html"))
			if err != nil {
				t.Fatal(err)
			}
			want, wantErr := Parse(bytes.NewReader(data), fixedNow)
			wrapped := strings.NewReplacer("<body>", `<body><table class="layout"><tr><td class="side">menu</td><td>`,
				"</body>", "</td></tr></table></body>").Replace(string(data))
			got, gotErr := Parse(strings.NewReader(wrapped), fixedNow)
			if !reflect.DeepEqual(got, want) || carriertest.ErrorKind(gotErr) != carriertest.ErrorKind(wantErr) {
				t.Errorf("in a layout table: %+v, %v; alone: %+v, %v", got, gotErr, want, wantErr)
			}
		})
	}
}
