package yamato

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/carriers/fake"
)

// page wraps blocks in the frame of a current result page.
func page(blocks string) string {
	return "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"UTF-8\"><title>t</title></head><body><main>" +
		blocks + "</main><footer class=\"l-footer\">&copy; YAMATO TRANSPORT CO.,LTD.</footer></body></html>"
}

// block is one result block with the given state and history rows.
func block(title, stateClass, rows string) string {
	return `<div class="parts-tracking-invoice-block"><h3 class="tracking-invoice-block-title">1件目：4012-3456-7893</h3>` +
		`<div class="tracking-invoice-block-state ` + stateClass + `"><h4 class="tracking-invoice-block-state-title">` + title + `</h4></div>` +
		`<div class="tracking-invoice-block-detail"><ol>` + rows + `</ol></div></div>`
}

// printScript is a print-copy script writing lines (already escaped).
func printScript(lines ...string) string {
	var b strings.Builder
	b.WriteString("<script>function PRINT_ALL(){\n")
	for _, l := range lines {
		b.WriteString(" swd.writeln('" + l + "');\n")
	}
	b.WriteString("}</script>")
	return b.String()
}

func row(item, date, name string) string {
	return `<li><div class="item">` + item + `</div><div class="date">` + date + `</div><div class="name">` + name + `</div></li>`
}

func TestParseCases(t *testing.T) {
	cases := []struct {
		name    string
		html    string
		wantErr error // nil: success
		check   func(t *testing.T, res []carriers.Result)
	}{
		{
			name: "button_and_print_copy_ignored",
			html: page(block("配達中", "is-safe-blue", row("配達中", "11月29日 08:55", "川崎中央センター")) +
				`<button type="button">お届け完了通知を依頼</button>` +
				`<script>swd.writeln('<div class="parts-tracking-invoice-block">配達完了</div>'); swd.writeln('配達完了');</script>`),
			check: func(t *testing.T, res []carriers.Result) {
				if len(res) != 1 || res[0].Status != carriers.StatusOutForDelivery {
					t.Errorf("got %+v, want one out_for_delivery result", res)
				}
			},
		},
		{
			name: "return_after_delivery_wins",
			html: page(block("配達完了", "is-safe-blue",
				row("配達完了", "11月22日 12:40", "A")+row("返品", "11月24日 10:15", "B")+row("輸送中", "11月24日 21:30", ""))),
			check: func(t *testing.T, res []carriers.Result) {
				if res[0].Status != carriers.StatusReturned {
					t.Errorf("status %s, want returned", res[0].Status)
				}
				if res[0].Office.Name != "B" || res[0].Office.Phone != "" {
					t.Errorf("office %+v, want the last centre named, B, without phone", res[0].Office)
				}
			},
		},
		{
			name: "no_history_uses_state_title",
			html: page(block("伝票番号発行", "is-safe-blue", "")),
			check: func(t *testing.T, res []carriers.Result) {
				if !res[0].Found || res[0].Status != carriers.StatusInfoReceived || len(res[0].Events) != 0 {
					t.Errorf("got %+v, want found info_received without events", res[0])
				}
			},
		},
		{
			name: "unknown_word_kept",
			html: page(block("新ステータス", "is-safe-blue", row("新ステータス", "11月29日 08:55", ""))),
			check: func(t *testing.T, res []carriers.Result) {
				if res[0].Status != carriers.StatusUnknown || res[0].Events[0].Raw != "新ステータス" {
					t.Errorf("got %+v, want unknown with the raw word kept", res[0])
				}
			},
		},
		{
			name: "urgent_red_with_history_is_parsed",
			html: page(block("持戻（ご不在）", "is-urgent-red", row("持戻（ご不在）", "11月28日 14:02", "C"))),
			check: func(t *testing.T, res []carriers.Result) {
				if res[0].Status != carriers.StatusDeliveryFailed || res[0].Reason != carriers.ReasonAbsent {
					t.Errorf("got %s/%s, want delivery_failed/absent", res[0].Status, res[0].Reason)
				}
			},
		},
		{
			name: "dates_with_year_and_without_time",
			html: page(block("輸送中", "is-safe-blue", row("荷物受付", "2026年11月20日", "")+row("輸送中", "１１月２１日　０３：４０", ""))),
			check: func(t *testing.T, res []carriers.Result) {
				want := []time.Time{
					time.Date(2026, 11, 20, 0, 0, 0, 0, carriers.Tokyo),
					time.Date(2026, 11, 21, 3, 40, 0, 0, carriers.Tokyo),
				}
				for i, w := range want {
					if !res[0].Events[i].Time.Equal(w) {
						t.Errorf("event %d time %v, want %v", i, res[0].Events[i].Time, w)
					}
				}
			},
		},
		{
			name:    "urgent_red_unknown_message",
			html:    page(block("システムエラー", "is-urgent-red", "")),
			wantErr: ErrSiteMessage,
		},
		{
			name:    "not_found_with_history",
			html:    page(block("伝票番号誤り", "is-urgent-red", row("荷物受付", "11月29日 08:55", ""))),
			wantErr: ErrSiteMessage,
		},
		{
			name: "heading_in_another_tag",
			html: page(strings.Replace(block("配達中", "", row("配達中", "11月29日 08:55", "")), "h3", "h5", 2)),
			check: func(t *testing.T, res []carriers.Result) {
				if len(res) != 1 || res[0].Number != "401234567893" || res[0].Status != carriers.StatusOutForDelivery || res[0].Degraded {
					t.Errorf("got %+v, want one out_for_delivery result for 401234567893", res)
				}
			},
		},
		{
			name: "heading_without_class",
			html: page(strings.Replace(block("配達中", "", row("配達中", "11月29日 08:55", "")), `h3 class="tracking-invoice-block-title"`, `h2 class="block-heading"`, 1)),
			check: func(t *testing.T, res []carriers.Result) {
				if len(res) != 1 || res[0].Number != "401234567893" || res[0].Degraded {
					t.Errorf("got %+v, want one structured result for 401234567893", res)
				}
			},
		},
		{
			name: "heading_variants",
			html: page(strings.Replace(block("配達中", "", ""), "1件目：4012-3456-7893", "1件目 ４０１２－３４５６－７８９３", 1)),
			check: func(t *testing.T, res []carriers.Result) {
				if res[0].Number != "401234567893" {
					t.Errorf("number %q, want 401234567893", res[0].Number)
				}
			},
		},
		{
			name:    "heading_without_number",
			html:    page(strings.Replace(block("配達中", "", ""), "4012-3456-7893", "お荷物", 1)),
			wantErr: carriers.ErrLayoutChanged,
		},
		{
			name:    "neither_state_nor_history",
			html:    page(strings.Replace(block("配達中", "", ""), "tracking-invoice-block-state-title", "tracking-state-title", 1)),
			wantErr: carriers.ErrLayoutChanged,
		},
		{
			name: "history_without_state",
			html: page(strings.Replace(block("配達中", "", row("持戻（ご不在）", "11月29日 08:55", "")), "tracking-invoice-block-state-title", "x", 1)),
			check: func(t *testing.T, res []carriers.Result) {
				if res[0].Status != carriers.StatusDeliveryFailed || res[0].Reason != carriers.ReasonAbsent {
					t.Errorf("got %s/%s, want delivery_failed/absent", res[0].Status, res[0].Reason)
				}
			},
		},
		{
			// Issue 13: a block with a state but no history gives that
			// state's status (the readers of code id 60443622514 and
			// shlee322 read the state title).
			name: "state_without_history",
			html: page(strings.Replace(block("持戻（ご不在）", "", ""), "tracking-invoice-block-detail", "tracking-detail", 1)),
			check: func(t *testing.T, res []carriers.Result) {
				if !res[0].Found || res[0].Status != carriers.StatusDeliveryFailed || res[0].Reason != carriers.ReasonAbsent || len(res[0].Events) != 0 {
					t.Errorf("got %+v, want found delivery_failed/absent without events", res[0])
				}
			},
		},
		{
			name: "state_without_history_takes_print_copy",
			html: page(block("配達中", "", "") + printScript(
				`\<table\>\<tr\>\<th\>荷物状況\<\/th\>\<th\>日付\<\/th\>\<th\>時刻\<\/th\>\<th\>担当店名\<\/th\>\<\/tr\>`,
				`\<tr\>\<td\>荷物受付\<\/td\>\<td\>11\/28\<\/td\>\<td\>09:00\<\/td\>\<td\>A\<\/td\>\<\/tr\>`,
				`\<tr\>\<td\>配達中\<\/td\>\<td\>11\/29\<\/td\>\<td\>08:55\<\/td\>\<td\>B\<\/td\>\<\/tr\>\<\/table\>`)),
			check: func(t *testing.T, res []carriers.Result) {
				if len(res) != 1 || len(res[0].Events) != 2 || res[0].Status != carriers.StatusOutForDelivery || res[0].Office.Name != "B" {
					t.Errorf("got %+v, want the print copy's two events", res)
				}
			},
		},
		{
			name: "row_without_date",
			html: page(block("配達中", "", `<li><div class="item">配達中</div><div class="name">x</div></li>`)),
			check: func(t *testing.T, res []carriers.Result) {
				if len(res[0].Events) != 1 || !res[0].Events[0].Time.IsZero() || res[0].Status != carriers.StatusOutForDelivery {
					t.Errorf("got %+v, want one undated out_for_delivery event", res[0])
				}
			},
		},
		{
			name: "spacer_rows_and_wrappers",
			html: page(`<section class="x"><div class="wrap">` + strings.Replace(block("配達中", "", `<li class="spacer"></li>`+row("配達中", "11月29日 08:55", "C")+`<li><div class="item"> </div></li>`), `class="parts-tracking-invoice-block"`, `class="parts-tracking-invoice-block is-new"`, 1) + `</div></section>`),
			check: func(t *testing.T, res []carriers.Result) {
				if len(res) != 1 || len(res[0].Events) != 1 || res[0].Status != carriers.StatusOutForDelivery {
					t.Errorf("got %+v, want one event", res)
				}
			},
		},
		{
			name: "request_after_failure_keeps_failure",
			html: page(block("依頼受付（再配達）", "", row("持戻（ご不在）", "11月28日 14:02", "C")+row("依頼受付（再配達）", "11月28日 19:00", "C"))),
			check: func(t *testing.T, res []carriers.Result) {
				if res[0].Status != carriers.StatusDeliveryFailed || res[0].Reason != carriers.ReasonAbsent || len(res[0].Events) != 2 {
					t.Errorf("got %+v, want delivery_failed/absent with both rows kept", res[0])
				}
			},
		},
		{
			name: "unknown_after_failure_keeps_failure",
			html: page(block("新しい受付", "", row("持戻（ご不在）", "11月28日 14:02", "C")+row("新しい受付", "11月28日 19:00", "C"))),
			check: func(t *testing.T, res []carriers.Result) {
				if res[0].Status != carriers.StatusDeliveryFailed || res[0].Events[1].Status != carriers.StatusUnknown || res[0].Events[1].Raw != "新しい受付" {
					t.Errorf("got %+v, want delivery_failed with the unknown row kept raw", res[0])
				}
			},
		},
		{
			name: "control_and_bidi_characters_removed",
			html: page(block("配達中", "", row("配達\u202e中", "11月29日 08:55", "川崎\x1b[31mセンター"))),
			check: func(t *testing.T, res []carriers.Result) {
				if e := res[0].Events[0]; e.Raw != "配達中" || e.Location != "川崎[31mセンター" || e.Status != carriers.StatusOutForDelivery {
					t.Errorf("got %+v, want control and bidi characters removed", e)
				}
			},
		},
		{
			name:    "unreadable_date",
			html:    page(block("配達中", "", row("配達中", "2026/11/29 08:55", ""))),
			wantErr: carriers.ErrLayoutChanged,
		},
		{
			name:    "impossible_date",
			html:    page(block("配達中", "", row("配達中", "02月30日 10:00", ""))),
			wantErr: carriers.ErrLayoutChanged,
		},
		{
			name:    "redesign_with_maintenance_notice_is_layout",
			html:    page(`<div class="notice"><a href="/news/">システムメンテナンスのお知らせ</a></div><section class="new-card">配達完了</section>`),
			wantErr: carriers.ErrLayoutChanged,
		},
		{
			name:    "busy_page_is_transient",
			html:    page(`<p>ただいまアクセスが集中しております。しばらくたってから再度お試しください。</p>`),
			wantErr: carriers.ErrTransient,
		},
		{
			name: "no_footer_but_closed",
			html: strings.Replace(page(block("配達中", "", row("配達中", "11月29日 08:55", ""))), "<footer", "<div", 1) + "\n<!-- served by tneko -->\n",
			check: func(t *testing.T, res []carriers.Result) {
				if len(res) != 1 || res[0].Status != carriers.StatusOutForDelivery {
					t.Errorf("got %+v, want one out_for_delivery result", res)
				}
			},
		},
		{
			// A cut-off body is the Fetcher's business (unexpected EOF,
			// short Content-Length): the parser does not look for an end.
			name: "no_footer_no_end",
			html: strings.TrimSuffix(strings.Replace(page(block("配達中", "", row("配達中", "11月29日 08:55", ""))), "<footer", "<div", 1), "</body></html>"),
			check: func(t *testing.T, res []carriers.Result) {
				if len(res) != 1 || res[0].Status != carriers.StatusOutForDelivery {
					t.Errorf("got %+v, want one out_for_delivery result", res)
				}
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Parse(strings.NewReader(tc.html), fixedNow)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) || res != nil {
					t.Fatalf("got %+v, %v; want error %v", res, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			tc.check(t, res)
		})
	}
}

func TestParseMaintenanceFlagged(t *testing.T) {
	for name, render := range map[string]func(*bytes.Buffer) error{
		"testdata": func(b *bytes.Buffer) error {
			data, err := os.ReadFile("testdata/maintenance.reconstructed.html")
			b.Write(data)
			return err
		},
		"fake": func(b *bytes.Buffer) error { return fake.Yamato{}.Maintenance(b) },
	} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := render(&buf); err != nil {
				t.Fatal(err)
			}
			_, err := Parse(&buf, fixedNow)
			var fe *carriers.FetchError
			if !errors.As(err, &fe) || !fe.Maintenance {
				t.Errorf("err %v, want a maintenance *carriers.FetchError", err)
			}
		})
	}
}

func TestParseDateYearInference(t *testing.T) {
	newYear := time.Date(2027, 1, 2, 10, 0, 0, 0, carriers.Tokyo)
	cases := []struct {
		name string
		date string
		now  time.Time
		want time.Time
	}{
		{"new_year_eve_seen_on_jan_2", "12月31日 23:10", newYear, time.Date(2026, 12, 31, 23, 10, 0, 0, carriers.Tokyo)},
		{"jan_2_seen_on_jan_2", "01月02日 09:15", newYear, time.Date(2027, 1, 2, 9, 15, 0, 0, carriers.Tokyo)},
		{"date_only", "12月30日", newYear, time.Date(2026, 12, 30, 0, 0, 0, 0, carriers.Tokyo)},
		// Up to two days ahead is a clock difference, not last year.
		{"later_today_is_this_year", "11月29日 18:00", fixedNow, time.Date(2026, 11, 29, 18, 0, 0, 0, carriers.Tokyo)},
		{"three_days_ahead_is_last_year", "12月02日 18:00", fixedNow, time.Date(2025, 12, 2, 18, 0, 0, 0, carriers.Tokyo)},
		{"within_skew_is_this_year", "11月29日 12:05", fixedNow, time.Date(2026, 11, 29, 12, 5, 0, 0, carriers.Tokyo)},
		{"explicit_year", "2025年12月31日 23:10", newYear, time.Date(2025, 12, 31, 23, 10, 0, 0, carriers.Tokyo)},
		{"leap_day_seen_after_non_leap_feb", "02月29日 10:00", time.Date(2026, 3, 1, 12, 0, 0, 0, carriers.Tokyo), time.Date(2024, 2, 29, 10, 0, 0, 0, carriers.Tokyo)},
		{"explicit_leap_day", "2024年02月29日 10:00", newYear, time.Date(2024, 2, 29, 10, 0, 0, 0, carriers.Tokyo)},
		{"empty", "", newYear, time.Time{}},
		{"dash", "-", newYear, time.Time{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseDate(tc.date, tc.now)
			if err != nil || !got.Equal(tc.want) {
				t.Errorf("parseDate(%q) = %v, %v; want %v", tc.date, got, err, tc.want)
			}
		})
	}
	for _, bad := range []string{"13月01日 10:00", "01月01日 25:00", "02月30日", "11月29日 8時", "11/29 08:55", "11月29日 08:55 x", "99999年1月1日", "1999年01月01日", "04月31日", "2026年02月29日", "2025年04月31日 10:00"} {
		if got, err := parseDate(bad, newYear); !errors.Is(err, carriers.ErrLayoutChanged) {
			t.Errorf("parseDate(%q) = %v, %v; want a layout error", bad, got, err)
		}
	}
}

// TestParseNewYearPage parses a page whose history crosses the new year,
// seen two days into January.
func TestParseNewYearPage(t *testing.T) {
	html := page(block("配達中", "is-safe-blue",
		row("荷物受付", "12月30日 17:05", "")+row("作業店通過", "12月31日 02:40", "")+row("配達中", "01月02日 09:10", "")))
	res, err := Parse(strings.NewReader(html), time.Date(2027, 1, 2, 10, 0, 0, 0, carriers.Tokyo))
	if err != nil {
		t.Fatal(err)
	}
	ev := res[0].Events
	for i, want := range []int{2026, 2026, 2027} {
		if ev[i].Time.Year() != want {
			t.Errorf("event %d (%s) year %d, want %d", i, ev[i].Raw, ev[i].Time.Year(), want)
		}
	}
}

func seedPages(f interface{ Add(...any) }) error {
	pages, err := filepath.Glob("testdata/*.html")
	if err != nil {
		return err
	}
	for _, p := range pages {
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		f.Add(data)
	}
	return nil
}

func FuzzParse(f *testing.F) {
	if err := seedPages(f); err != nil {
		f.Fatal(err)
	}
	f.Add([]byte(page(block("配達完了", "", row("配達完了", "11月28日 11:42", "x")))))
	f.Fuzz(func(t *testing.T, data []byte) {
		if tres, terr := ParseText(bytes.NewReader(data), nil, fixedNow); terr == nil {
			for _, r := range tres {
				if !r.Degraded || r.Carrier != Name || !r.Status.Valid() {
					t.Fatalf("bad text result %+v", r)
				}
			}
		}
		res, err := Parse(bytes.NewReader(data), fixedNow)
		if err != nil {
			if res != nil {
				t.Fatalf("results with an error: %+v", res)
			}
			return
		}
		if len(res) == 0 {
			t.Fatal("no results and no error")
		}
		for _, r := range res {
			if r.Carrier != Name || r.Number == "" || !r.Status.Valid() || !r.Reason.Valid() {
				t.Fatalf("bad result %+v", r)
			}
			if r.Found == (r.Status == carriers.StatusNotFound) {
				t.Fatalf("found=%v with status %s", r.Found, r.Status)
			}
			if r.Office.Phone != "" {
				t.Fatalf("invented phone %q", r.Office.Phone)
			}
			for _, e := range r.Events {
				if e.Raw == "" || !e.Status.Valid() || !e.Reason.Valid() {
					t.Fatalf("bad event %+v", e)
				}
			}
		}
	})
}

func BenchmarkParse(b *testing.B) {
	pages, err := filepath.Glob("testdata/*.html")
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
			b.ReportAllocs()
			for b.Loop() {
				_, _ = Parse(bytes.NewReader(data), fixedNow)
			}
		})
	}
}
