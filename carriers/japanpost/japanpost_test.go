package japanpost

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/carriers/carriertest"
	"github.com/todoku/todoku/carriers/fake"
)

var fixedNow = time.Date(2026, 11, 29, 12, 0, 0, 0, carriers.Tokyo)

// sampleNumbers are invented numbers with valid check digits: 12-digit
// mod-7 numbers and UPU S10 numbers.
var sampleNumbers = []string{
	"421052601815", "553059083010", "664066131864", "118709139091", "330996030820",
	"770246281943", "224582199354", "881618190935", "902478657975", "602354323196",
	"EE123456785JP", "EB602184379CN",
}

func TestConformance(t *testing.T) {
	carriertest.Suite{
		Carrier:  Name,
		New:      func(o carriers.Options) carriers.Carrier { return New(o) },
		Parse:    func(r io.Reader) ([]carriers.Result, error) { return Parse(r, fixedNow) },
		Testdata: "testdata",
		Site:     fake.JapanPost{},
		Numbers:  sampleNumbers,
		Rows: []fake.Row{
			{Time: time.Date(2026, 11, 20, 9, 0, 0, 0, carriers.Tokyo), Raw: "引受", Location: "新東京郵便局"},
			{Time: time.Date(2026, 11, 20, 18, 0, 0, 0, carriers.Tokyo), Raw: "通過", Location: "川崎東郵便局"},
		},
		Old: []string{
			"japanpost/2009-packtrack-list_count01.sjis.html",
			"japanpost/2009-packtrack-list_count10.sjis.html",
			"jpexpress/2009-packtrack-detail_delivery.sjis.html",
			"jpexpress/2009-packtrack-list_notexist.sjis.html",
		},
	}.Run(t)
}

func TestClassify(t *testing.T) {
	tests := []struct {
		raw    string
		status carriers.Status
		reason carriers.Reason
	}{
		{"引受", carriers.StatusInTransit, ""},
		{"通過", carriers.StatusInTransit, ""},
		{"到着", carriers.StatusInTransit, ""},
		{"中継", carriers.StatusInTransit, ""},
		{"配達希望受付", carriers.StatusInTransit, ""},
		{"転送", carriers.StatusInTransit, ""},
		{"配達局から出発", carriers.StatusInTransit, ""},
		{"国際交換局から発送", carriers.StatusInTransit, ""},
		{"国際交換局に到着", carriers.StatusInTransit, ""},
		{"通関手続中", carriers.StatusInTransit, ""},
		{"持ち出し中", carriers.StatusOutForDelivery, ""},
		{"ご不在のため持ち戻り", carriers.StatusDeliveryFailed, carriers.ReasonAbsent},
		{"お届け先 休日のため保管", carriers.StatusDeliveryFailed, carriers.ReasonNoAccess},
		{"お届け先　休日のため保管", carriers.StatusDeliveryFailed, carriers.ReasonNoAccess},
		{"お届け先休日のため保管", carriers.StatusDeliveryFailed, carriers.ReasonNoAccess},
		{"保管", carriers.StatusAwaitingPickup, ""},
		{"窓口でお渡し", carriers.StatusDelivered, ""},
		{"お届け先にお届け済み", carriers.StatusDelivered, ""},
		{"コンビニエンスストアに引渡", carriers.StatusDelivered, ""},
		{"差出人に返送済み", carriers.StatusReturned, ""},
		{"返送", carriers.StatusReturned, ""},
		{"調査中", carriers.StatusException, carriers.ReasonInvestigating},
		{"住所不明", carriers.StatusDeliveryFailed, carriers.ReasonAddressUnknown},
		{"あて所に尋ねあたりません", carriers.StatusDeliveryFailed, carriers.ReasonAddressUnknown},
		{"受取拒否", carriers.StatusDeliveryFailed, carriers.ReasonRefused},
		{"Posting/Collection", carriers.StatusInTransit, ""},
		{"Arrival at inward office of exchange", carriers.StatusInTransit, ""},
		{"Dispatch from outward office of exchange", carriers.StatusInTransit, ""},
		{"Item returned from import Customs", carriers.StatusInTransit, ""},
		{"Item out for physical delivery", carriers.StatusOutForDelivery, ""},
		{"Final delivery", carriers.StatusDelivered, ""},
		{"FINAL  DELIVERY", carriers.StatusDelivered, ""},
		{"Returned to sender", carriers.StatusReturned, ""},
		// Stripping and contains rules.
		{" ⇒持ち出し中\n", carriers.StatusOutForDelivery, ""},
		{"↓引受", carriers.StatusInTransit, ""},
		{"ご不在のため持ち戻り（再配達）", carriers.StatusDeliveryFailed, carriers.ReasonAbsent},
		{"持ち戻り", carriers.StatusDeliveryFailed, carriers.ReasonOther},
		{"差出人に返送中", carriers.StatusReturned, ""},
		{"国際交換局で保留", carriers.StatusInTransit, ""},
		{"Item returned to sender", carriers.StatusReturned, ""},
		// Unknown words are never guessed.
		{"差出人により配達保留", carriers.StatusUnknown, ""},
		{"", carriers.StatusUnknown, ""},
		{"↓ ⇒", carriers.StatusUnknown, ""},
		{"お届け予定", carriers.StatusUnknown, ""},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			s, r := Classify(tt.raw)
			if s != tt.status || r != tt.reason {
				t.Errorf("Classify(%q) = %s/%s, want %s/%s", tt.raw, s, r, tt.status, tt.reason)
			}
		})
	}
}

// TestVocabularyClassified checks that every word of the table maps to
// what the table says (no shadowing by normalisation).
func TestVocabularyClassified(t *testing.T) {
	for _, w := range vocabulary() {
		if s, r := Classify(w.raw); s != w.status || r != w.reason {
			t.Errorf("Classify(%q) = %s/%s, want %s/%s", w.raw, s, r, w.status, w.reason)
		}
		if !w.status.Valid() || !w.reason.Valid() {
			t.Errorf("%q: invalid status/reason %q/%q", w.raw, w.status, w.reason)
		}
	}
}

func TestParseTime(t *testing.T) {
	newYear := time.Date(2027, 1, 2, 9, 0, 0, 0, carriers.Tokyo)
	tests := []struct {
		name string
		in   string
		now  time.Time
		want time.Time
		bad  bool
	}{
		{"ja", "2026/11/20 09:12", fixedNow, time.Date(2026, 11, 20, 9, 12, 0, 0, carriers.Tokyo), false},
		{"ja_spaces", " 2026/11/20\n\t09:12 ", fixedNow, time.Date(2026, 11, 20, 9, 12, 0, 0, carriers.Tokyo), false},
		{"ja_date_only", "2026/11/20", fixedNow, time.Date(2026, 11, 20, 0, 0, 0, 0, carriers.Tokyo), false},
		{"en", "11/20/2026 09:12", fixedNow, time.Date(2026, 11, 20, 9, 12, 0, 0, carriers.Tokyo), false},
		{"no_year", "11/20 09:12", fixedNow, time.Date(2026, 11, 20, 9, 12, 0, 0, carriers.Tokyo), false},
		{"no_year_new_year", "12/31 18:00", newYear, time.Date(2026, 12, 31, 18, 0, 0, 0, carriers.Tokyo), false},
		{"no_year_jan", "01/01 10:00", newYear, time.Date(2027, 1, 1, 10, 0, 0, 0, carriers.Tokyo), false},
		{"bad_month", "2026/13/01 10:00", fixedNow, time.Time{}, true},
		{"bad_day", "2026/02/30 10:00", fixedNow, time.Time{}, true},
		{"bad_clock", "2026/11/20 25:00", fixedNow, time.Time{}, true},
		{"year_too_old", "1989/11/20 10:00", fixedNow, time.Time{}, true},
		{"year_too_far", "2028/11/20 10:00", fixedNow, time.Time{}, true},
		{"words", "本日", fixedNow, time.Time{}, true},
		{"empty", "", fixedNow, time.Time{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseTime(tt.in, tt.now, carriers.Tokyo)
			if tt.bad {
				if err == nil {
					t.Errorf("parseTime(%q) = %v, want an error", tt.in, got)
				}
				return
			}
			if err != nil || !got.Equal(tt.want) {
				t.Errorf("parseTime(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
		})
	}
}

// TestYearInferredAcrossNewYear parses a page whose dates lack the year, as
// seen on 2 January: the 31 December event belongs to the year before.
func TestYearInferredAcrossNewYear(t *testing.T) {
	now := time.Date(2027, 1, 2, 10, 0, 0, 0, carriers.Tokyo)
	var buf bytes.Buffer
	err := fake.JapanPost{}.Render(&buf, []fake.Parcel{{Number: "421052601815", Found: true, Rows: []fake.Row{
		{Time: time.Date(2026, 12, 31, 16, 0, 0, 0, carriers.Tokyo), Raw: "引受", Location: "川崎中央郵便局"},
		{Time: time.Date(2027, 1, 2, 8, 30, 0, 0, carriers.Tokyo), Raw: "持ち出し中", Location: "世田谷郵便局"},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	page := strings.NewReplacer("2026/12/31", "12/31", "2027/01/02", "01/02").Replace(buf.String())
	res, err := Parse(strings.NewReader(page), now)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	want := []time.Time{
		time.Date(2026, 12, 31, 16, 0, 0, 0, carriers.Tokyo),
		time.Date(2027, 1, 2, 8, 30, 0, 0, carriers.Tokyo),
	}
	if len(res) != 1 || len(res[0].Events) != 2 {
		t.Fatalf("got %+v, want one result with two events", res)
	}
	for i, w := range want {
		if got := res[0].Events[i].Time; !got.Equal(w) {
			t.Errorf("event %d time = %v, want %v", i, got, w)
		}
	}
}

func TestZones(t *testing.T) {
	tests := []struct {
		place  string
		zone   string
		abroad bool
	}{
		{"", "Asia/Tokyo", false},
		{"東京都", "Asia/Tokyo", false},
		{"北海道", "Asia/Tokyo", false},
		{"大阪府", "Asia/Tokyo", false},
		{"JAPAN", "Asia/Tokyo", false},
		{"CHINA", "Asia/Shanghai", true},
		{"China (People's Rep.)", "Asia/Shanghai", true},
		{"KOREA", "Asia/Seoul", true},
		{"Korea, Rep.", "Asia/Seoul", true},
		{"UNITED STATES OF AMERICA", "America/Los_Angeles", true},
		{"USA", "America/Los_Angeles", true},
		{"TAIWAN", "Asia/Taipei", true},
		{"HONG KONG", "Asia/Hong_Kong", true},
		{"SINGAPORE", "Asia/Singapore", true},
		{"THAILAND", "Asia/Bangkok", true},
		{"UNITED KINGDOM", "Europe/London", true},
		{"GERMANY", "Europe/Berlin", true},
		{"FRANCE", "Europe/Paris", true},
		{"中国", "Asia/Shanghai", true},
		{"ATLANTIS", "Asia/Tokyo", true},
		{"UKRAINE", "Asia/Tokyo", true},
	}
	for _, tt := range tests {
		t.Run(tt.place, func(t *testing.T) {
			loc, abroad := zoneFor(tt.place)
			name := loc.String()
			if name == "JST" {
				name = "Asia/Tokyo"
			}
			if name != tt.zone || abroad != tt.abroad {
				t.Errorf("For(%q) = %s, %v; want %s, %v", tt.place, name, abroad, tt.zone, tt.abroad)
			}
		})
	}
}

func parseFile(t *testing.T, name string) []carriers.Result {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	res, err := Parse(bytes.NewReader(data), fixedNow)
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	return res
}

// TestInternationalTimes checks that events abroad are read in the
// country's own zone.
func TestInternationalTimes(t *testing.T) {
	res := parseFile(t, "international_ems.reconstructed.html")
	tests := []struct {
		result, event int
		utc           string
		location      string
	}{
		{0, 0, "2026-11-24T02:30:00Z", "SHANGHAI EMS (CHINA)"},                          // 10:30 CST
		{0, 2, "2026-11-24T23:40:00Z", "川崎東郵便局"},                                        // 08:40 JST
		{1, 0, "2026-11-23T23:20:00Z", "LOS ANGELES CA ISC (UNITED STATES OF AMERICA)"}, // 15:20 PST
		{1, 1, "2026-11-25T05:05:00Z", "LOS ANGELES CA ISC (UNITED STATES OF AMERICA)"},
		{2, 4, "2026-11-24T06:35:00Z", "KOREA"}, // 15:35 KST
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.result)+"_"+strconv.Itoa(tt.event), func(t *testing.T) {
			e := res[tt.result].Events[tt.event]
			if got := e.Time.UTC().Format(time.RFC3339); got != tt.utc || e.Location != tt.location {
				t.Errorf("event = %s at %q, want %s at %q", got, e.Location, tt.utc, tt.location)
			}
		})
	}
}

func TestOffice(t *testing.T) {
	tests := []struct {
		page string
		want carriers.Office
	}{
		// 配達局 listed first, 引受局 last: the 配達局 wins.
		{"failed_absent.reconstructed.html", carriers.Office{Name: "川崎中央郵便局", Phone: "0570-009-210"}},
		{"in_transit.reconstructed.html", carriers.Office{Name: "札幌中央郵便局", Phone: "0570-009-060"}},
		// No 配達局 row: the last office listed.
		{"held.reconstructed.html", carriers.Office{Name: "世田谷郵便局", Phone: "0570-009-154"}},
	}
	for _, tt := range tests {
		t.Run(tt.page, func(t *testing.T) {
			res := parseFile(t, tt.page)
			if len(res) != 1 || res[0].Office != tt.want {
				t.Errorf("office = %+v, want %+v", res, tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	page := func(body string) string {
		return "<html><head><title>個別番号検索結果</title></head><body>" + body +
			`<div id="footer">Copyright</div></body></html>`
	}
	details := `<table class="tableType01" summary="配達状況詳細"><tr><th>お問い合わせ番号</th></tr><tr><td>4210-5260-1815</td><td>ゆうパック</td></tr></table>`
	header := `<tr><th>状態発生日</th><th>配送履歴</th><th>詳細</th><th>取扱局</th><th>県名等</th></tr><tr><th>郵便番号</th></tr>`
	history := func(rows string) string {
		return `<table class="tableType01" summary="履歴情報">` + header + rows + `</table>`
	}
	tests := []struct {
		name string
		page string
		want error
	}{
		{"length_error_text", page("<h1>個別番号検索結果</h1><p>お問い合わせ番号の入力桁数に誤りがあります。11桁から13桁で入力してください。</p>"), ErrNumberRejected},
		{"maintenance_in_news_is_layout", page("<h1>追跡結果</h1><p>システムメンテナンスのお知らせ</p>"), carriers.ErrLayoutChanged},
		{"maintenance_heading", page("<h1>ただいまメンテナンス中です</h1>"), carriers.ErrTransient},
		{"no_history", page(details), carriers.ErrLayoutChanged},
		{"history_without_header", page(details + `<table summary="履歴情報"><tr><td>x</td></tr></table>`), carriers.ErrLayoutChanged},
		{"bad_date", page(details + history(`<tr><td>昨日</td><td>引受</td><td></td><td>局</td><td>東京都</td></tr><tr><td>100-0001</td></tr>`)), carriers.ErrLayoutChanged},
		{"empty_status", page(details + history(`<tr><td>2026/11/20 10:00</td><td> </td><td></td><td>局</td><td>東京都</td></tr><tr><td>100-0001</td></tr>`)), carriers.ErrLayoutChanged},
		{"three_cell_row", page(details + history(`<tr><td>2026/11/20 10:00</td><td>引受</td><td>局</td></tr>`)), carriers.ErrLayoutChanged},
		{"number_not_a_number", page(`<table class="tableType01" summary="配達状況詳細"><tr><td>お問い合わせ番号</td></tr></table>` + history("")), carriers.ErrLayoutChanged},
		{"history_first", page(history("") + details), carriers.ErrLayoutChanged},
		{"unknown_message", page(`<table summary="照会結果"><tr><td>ただいま混み合っています</td></tr></table>`), carriers.ErrLayoutChanged},
		{"no_footer_no_end", strings.TrimSuffix(strings.ReplaceAll(page(details+history("")), `<div id="footer">Copyright</div>`, ""), "</body></html>"), carriers.ErrTransient},
		{"whitespace", "  \n\t", carriers.ErrTransient},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Parse(strings.NewReader(tt.page), fixedNow)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Parse = %+v, %v; want %v", res, err, tt.want)
			}
			if res != nil {
				t.Errorf("results with an error: %+v", res)
			}
			if errors.Is(err, ErrNumberRejected) && (errors.Is(err, carriers.ErrLayoutChanged) || errors.Is(err, carriers.ErrTransient)) {
				t.Errorf("a rejected number is classed as layout or transient: %v", err)
			}
		})
	}
}

func TestParseShiftJIS(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "delivered.reconstructed.html"))
	if err != nil {
		t.Fatal(err)
	}
	sjis, err := encodeShiftJIS(strings.Replace(string(data), `<meta charset="UTF-8">`, `<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">`, 1))
	if err != nil {
		t.Fatal(err)
	}
	got, err := Parse(bytes.NewReader(sjis), fixedNow)
	if err != nil {
		t.Fatalf("Parse(Shift_JIS): %v", err)
	}
	want := parseFile(t, "delivered.reconstructed.html")
	if len(got) != 1 || got[0].Events[len(got[0].Events)-1].Raw != "お届け先にお届け済み" || got[0].Office != want[0].Office {
		t.Errorf("Shift_JIS page parsed to %+v, want %+v", got, want)
	}
}

func TestMatch(t *testing.T) {
	found := func(n string) carriers.Result {
		return carriers.Result{Number: n, Carrier: Name, Found: true, Status: carriers.StatusInTransit}
	}
	tests := []struct {
		name    string
		asked   []string
		page    []carriers.Result
		want    []string
		wantErr error
	}{
		{"same_order", []string{"421052601815", "EE123456785JP"}, []carriers.Result{found("421052601815"), found("EE123456785JP")}, []string{"421052601815", "EE123456785JP"}, nil},
		{"page_reordered", []string{"EE123456785JP", "421052601815"}, []carriers.Result{found("421052601815"), found("EE123456785JP")}, []string{"EE123456785JP", "421052601815"}, nil},
		{"asked_lower_case", []string{"ee123456785jp"}, []carriers.Result{found("EE123456785JP")}, []string{"ee123456785jp"}, nil},
		{"missing", []string{"421052601815", "553059083010"}, []carriers.Result{found("421052601815")}, nil, ErrMissingNumber},
		{"other_number", []string{"421052601815"}, []carriers.Result{found("000000000000")}, nil, ErrUnexpectedNumber},
		{"extra", []string{"421052601815"}, []carriers.Result{found("421052601815"), found("553059083010")}, nil, ErrUnexpectedNumber},
		{"unnumbered_not_found", []string{"421052601815"}, []carriers.Result{carriers.NotFound(Name, "")}, []string{"421052601815"}, nil},
		{"unnumbered_not_found_batch", []string{"421052601815", "553059083010"}, []carriers.Result{carriers.NotFound(Name, ""), found("553059083010")}, nil, ErrUnexpectedNumber},
		{"empty_page", []string{"421052601815"}, nil, nil, carriers.ErrLayoutChanged},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := match(tt.asked, tt.page)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("match = %+v, %v; want error %v", got, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("match: %v", err)
			}
			var nums []string
			for _, r := range got {
				nums = append(nums, r.Number)
			}
			if !slices.Equal(nums, tt.want) {
				t.Errorf("numbers = %v, want %v", nums, tt.want)
			}
		})
	}
}

// TestTrack checks the request the adapter sends and that results come
// back in the order asked even when the page lists them otherwise.
func TestTrack(t *testing.T) {
	asked := []string{"421052601815", "EE123456785JP", "224582199354"}
	var got url.Values
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != SearchPath || r.Method != http.MethodGet {
			http.NotFound(w, r)
			return
		}
		got = r.URL.Query()
		rows := []fake.Row{{Time: time.Date(2026, 11, 28, 9, 0, 0, 0, carriers.Tokyo), Raw: "ご不在のため持ち戻り", Location: "川崎中央郵便局"}}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_ = fake.JapanPost{}.Render(w, []fake.Parcel{
			{Number: asked[2], Found: false},
			{Number: asked[1], Found: true, Rows: rows, Product: "EMS"},
			{Number: asked[0], Found: true, Rows: rows, Office: carriers.Office{Name: "川崎中央郵便局", Phone: "0570-009-210"}},
		})
	}))
	defer srv.Close()
	c := New(carriers.Options{BaseURL: srv.URL + "/", Client: srv.Client(), Now: func() time.Time { return fixedNow }})
	res, err := c.Track(context.Background(), asked)
	if err != nil {
		t.Fatalf("Track: %v", err)
	}
	want := url.Values{
		"reqCodeNo1": {asked[0]}, "reqCodeNo2": {asked[1]}, "reqCodeNo3": {asked[2]},
		"searchKind": {"S002"}, "locale": {"ja"},
	}
	if got.Encode() != want.Encode() {
		t.Errorf("query = %s, want %s", got.Encode(), want.Encode())
	}
	type brief struct {
		number string
		status carriers.Status
		reason carriers.Reason
		office string
	}
	wantRes := []brief{
		{asked[0], carriers.StatusDeliveryFailed, carriers.ReasonAbsent, "0570-009-210"},
		{asked[1], carriers.StatusDeliveryFailed, carriers.ReasonAbsent, ""},
		{asked[2], carriers.StatusNotFound, "", ""},
	}
	if len(res) != len(wantRes) {
		t.Fatalf("%d results, want %d", len(res), len(wantRes))
	}
	for i, w := range wantRes {
		g := brief{res[i].Number, res[i].Status, res[i].Reason, res[i].Office.Phone}
		if g != w {
			t.Errorf("result %d = %+v, want %+v", i, g, w)
		}
	}
}

func TestTrackRejectsInput(t *testing.T) {
	c := New(carriers.Options{BaseURL: "http://127.0.0.1:1"})
	if _, err := c.Track(context.Background(), nil); err == nil {
		t.Error("Track(nil) gave no error")
	}
	if _, err := c.Track(context.Background(), sampleNumbers[:11]); !errors.Is(err, carriers.ErrBatchTooLarge) {
		t.Errorf("Track(11 numbers) = %v, want ErrBatchTooLarge", err)
	}
}

func TestRequestURL(t *testing.T) {
	c := New(carriers.Options{})
	got := c.requestURL([]string{"421052601815"})
	want := "https://trackings.post.japanpost.jp/services/srv/search/direct?locale=ja&reqCodeNo1=421052601815&searchKind=S002"
	if got != want {
		t.Errorf("requestURL = %s, want %s", got, want)
	}
}

func TestContacts(t *testing.T) {
	c := Contacts()
	if c.Carrier != Name || !c.Trackable || c.HoldDays != 7 {
		t.Errorf("contacts = %+v", c)
	}
	if len(c.Phones) == 0 {
		t.Fatal("no phones")
	}
	for _, p := range c.Phones {
		t.Run(p.Number, func(t *testing.T) {
			if err := p.Hours.Validate(); err != nil {
				t.Errorf("hours: %v", err)
			}
			if p.Source == "" {
				t.Error("phone without a source")
			}
		})
	}
	for _, k := range []carriers.PhoneKind{carriers.PhoneLandline, carriers.PhoneMobile, carriers.PhoneEnglish} {
		if p, ok := c.Phone(k); !ok || p.Kind != k {
			t.Errorf("Phone(%s) = %+v, %v", k, p, ok)
		}
	}
	if p, _ := c.Phone(carriers.PhoneLandline); p.Number != "0120-23-28-86" {
		t.Errorf("landline = %s, want 0120-23-28-86", p.Number)
	}
	// 0120-23-28-86 is open at 20:30 on a Sunday and closed at 08:30 on one.
	sunday := time.Date(2026, 11, 29, 20, 30, 0, 0, carriers.Tokyo)
	if open, _ := c.Phones[0].Hours.OpenAt(sunday); !open {
		t.Error("landline closed on Sunday 20:30")
	}
	if open, _ := c.Phones[0].Hours.OpenAt(sunday.Add(-12 * time.Hour)); open {
		t.Error("landline open on Sunday 08:30")
	}
	for _, raw := range []string{c.Tracking("421052601815"), c.RedeliveryURL} {
		t.Run(raw, func(t *testing.T) {
			u, err := url.Parse(raw)
			if err != nil {
				t.Fatal(err)
			}
			if u.Scheme != "https" {
				t.Errorf("scheme %s, want https", u.Scheme)
			}
			if !slices.ContainsFunc(c.Domains, func(d string) bool { return u.Host == d || strings.HasSuffix(u.Host, "."+d) }) {
				t.Errorf("host %s not in official domains %v", u.Host, c.Domains)
			}
		})
	}
	if !strings.Contains(c.Tracking("421052601815"), "reqCodeNo1=421052601815") {
		t.Errorf("tracking link %s lacks the number", c.Tracking("421052601815"))
	}
}

func FuzzParse(f *testing.F) {
	pages, _ := filepath.Glob(filepath.Join("testdata", "*.html"))
	for _, p := range pages {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(""))
	f.Add([]byte(`<table summary="照会結果"><tr><td>お問い合わせ番号が見つかりません</td></tr></table><div id="footer"></div>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := Parse(bytes.NewReader(data), fixedNow)
		if err != nil {
			if res != nil {
				t.Errorf("results with an error: %+v", res)
			}
			if errors.Is(err, carriers.ErrLayoutChanged) && errors.Is(err, carriers.ErrTransient) {
				t.Errorf("error both layout and transient: %v", err)
			}
			return
		}
		for _, r := range res {
			if r.Carrier != Name || !r.Status.Valid() || !r.Reason.Valid() {
				t.Errorf("bad result %+v", r)
			}
			if r.Found == (r.Status == carriers.StatusNotFound) {
				t.Errorf("found=%v with status %s", r.Found, r.Status)
			}
			if r.Found && !plausibleNumber(r.Number) {
				t.Errorf("found result with number %q", r.Number)
			}
			for _, e := range r.Events {
				if e.Raw == "" || !e.Status.Valid() || !e.Reason.Valid() || e.Time.IsZero() {
					t.Errorf("bad event %+v", e)
				}
			}
		}
	})
}

func BenchmarkParse(b *testing.B) {
	pages, err := filepath.Glob(filepath.Join("testdata", "*.html"))
	if err != nil || len(pages) == 0 {
		b.Fatalf("no pages: %v", err)
	}
	for _, p := range pages {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(strings.TrimSuffix(filepath.Base(p), ".reconstructed.html"), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			n, start := 0, cpuTime()
			for b.Loop() {
				_, _ = Parse(bytes.NewReader(data), fixedNow)
				n++
			}
			b.ReportMetric(float64(cpuTime()-start)/float64(n), "cpu-ns/op")
		})
	}
}

// TestFakeValidatesRequest checks that the fake site refuses requests the
// real adapter would never send, so the fetch tests can fail.
func TestFakeValidatesRequest(t *testing.T) {
	base := "http://fake" + SearchPath + "?searchKind=S002&locale=ja"
	tests := []struct {
		name   string
		method string
		url    string
		want   []string
	}{
		{"ok", http.MethodGet, base + "&reqCodeNo1=421052601815&reqCodeNo2=EE123456785JP", []string{"421052601815", "EE123456785JP"}},
		{"post", http.MethodPost, base + "&reqCodeNo1=421052601815", nil},
		{"no_kind", http.MethodGet, "http://fake" + SearchPath + "?locale=ja&reqCodeNo1=421052601815", nil},
		{"bad_locale", http.MethodGet, "http://fake" + SearchPath + "?searchKind=S002&locale=fr&reqCodeNo1=421052601815", nil},
		{"no_number", http.MethodGet, base, nil},
		{"gap", http.MethodGet, base + "&reqCodeNo1=421052601815&reqCodeNo3=553059083010", nil},
		{"eleven", http.MethodGet, base + func() string {
			var b strings.Builder
			for i := 1; i <= 11; i++ {
				b.WriteString("&reqCodeNo" + strconv.Itoa(i) + "=421052601815")
			}
			return b.String()
		}(), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(tt.method, tt.url, nil)
			got, err := fake.JapanPost{}.Numbers(r)
			if tt.want == nil {
				if err == nil {
					t.Errorf("Numbers = %v, want an error", got)
				}
				return
			}
			if err != nil || !slices.Equal(got, tt.want) {
				t.Errorf("Numbers = %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

// TestOtherFooter checks that the #footer of the reconstructed pages is not
// a landmark: every page with its footer renamed parses as before (it
// still ends with </html>), and a page cut in the middle is still an
// incomplete page.
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
			renamed := strings.ReplaceAll(string(data), `id="footer"`, `id="site-foot"`)
			if renamed == string(data) && strings.Contains(string(data), "<div") {
				t.Fatalf("no #footer to rename in %s", file)
			}
			want, wantErr := Parse(bytes.NewReader(data), fixedNow)
			got, gotErr := Parse(strings.NewReader(renamed), fixedNow)
			if !reflect.DeepEqual(got, want) || (gotErr == nil) != (wantErr == nil) ||
				errors.Is(gotErr, carriers.ErrLayoutChanged) != errors.Is(wantErr, carriers.ErrLayoutChanged) ||
				errors.Is(gotErr, carriers.ErrTransient) != errors.Is(wantErr, carriers.ErrTransient) {
				t.Errorf("renamed footer: %+v, %v; with #footer: %+v, %v", got, gotErr, want, wantErr)
			}
			// Cut inside the history (after the landmarks): incomplete.
			if i := strings.Index(renamed, `summary="履歴情報"`); i >= 0 {
				_, err := Parse(strings.NewReader(renamed[:i+200]), fixedNow)
				if !errors.Is(err, carriers.ErrTransient) || !errors.Is(err, errIncomplete) {
					t.Errorf("cut page: err = %v, want incomplete page", err)
				}
			}
		})
	}
}
