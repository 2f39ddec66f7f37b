package carriers

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

var testVocab = TextVocab{
	Carrier: "test",
	Word: func(line string) (string, Status, Reason, bool) {
		for _, w := range []struct {
			raw string
			st  Status
			rs  Reason
		}{{"持戻（ご不在）", StatusDeliveryFailed, ReasonAbsent}, {"配達完了", StatusDelivered, ReasonNone}, {"輸送中", StatusInTransit, ReasonNone}, {"依頼受付", StatusUnknown, ReasonNone}} {
			if strings.Contains(line, w.raw) {
				return w.raw, w.st, w.rs, true
			}
		}
		return "", "", "", false
	},
	Date: func(line string, now time.Time) (time.Time, bool) {
		m := regexp.MustCompile(`(\d{1,2})/(\d{1,2}) (\d{1,2}):(\d{2})`).FindStringSubmatch(line)
		if m == nil {
			return time.Time{}, false
		}
		a := make([]int, 4)
		for i := range a {
			a[i], _ = strconv.Atoi(m[i+1])
		}
		t, err := InferYear(now, time.Month(a[0]), a[1], a[2], a[3], Tokyo)
		return t, err == nil
	},
}

func TestVisibleLines(t *testing.T) {
	page := `<html><head><title>t</title><style>td{}</style><script>var x="<td>配達完了</td>";</script></head>
<body><div>お問い合わせ番号 <b>1234-5678-9013</b></div><!-- 配達完了 -->
<table><tr><th>荷物状況</th><th>日時</th></tr><tr><td>輸送中</td><td>11/20 10:00</td></tr></table>
<ol><li><div>持戻（ご不在）</div><div>11/21 14:02</div></li></ol></body></html>
<script>document.write("配達完了 11/22 09:00")</script>`
	lines, err := VisibleLines(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"お問い合わせ番号 1234-5678-9013", "荷物状況 日時", "輸送中 11/20 10:00", "持戻（ご不在）", "11/21 14:02"}
	if strings.Join(lines, "|") != strings.Join(want, "|") {
		t.Errorf("lines:\n got %q\nwant %q", lines, want)
	}
	now := time.Date(2026, 11, 25, 0, 0, 0, 0, Tokyo)
	res, ok := ReadText(lines, []string{"123456789013"}, testVocab, now)
	if !ok || len(res) != 1 {
		t.Fatalf("ReadText: ok=%v res=%+v", ok, res)
	}
	r := res[0]
	if !r.Degraded || !r.Found || r.Status != StatusDeliveryFailed || r.Reason != ReasonAbsent || len(r.Events) != 2 {
		t.Errorf("result %+v, want a degraded delivery_failed/absent with 2 events", r)
	}
}

func TestReadText(t *testing.T) {
	now := time.Date(2026, 11, 25, 0, 0, 0, 0, Tokyo)
	tests := []struct {
		name    string
		lines   []string
		numbers []string
		ok      bool
		status  []Status
	}{
		{"no number", []string{"輸送中 11/20 10:00"}, []string{"123456789013"}, false, nil},
		{"number, no dated word", []string{"123456789013", "輸送中", "ご利用ありがとうございます"}, []string{"123456789013"}, false, nil},
		{"number inside a longer one", []string{"91234567890135", "輸送中 11/20 10:00"}, []string{"123456789013"}, false, nil},
		{"unknown after failure", []string{"1234 5678 9013", "持戻（ご不在） 11/21 14:02", "依頼受付 11/21 18:00"}, []string{"123456789013"}, true, []Status{StatusDeliveryFailed}},
		{"newest first", []string{"123456789013", "配達完了 11/22 09:00", "輸送中 11/20 10:00"}, []string{"123456789013"}, true, []Status{StatusDelivered}},
		{"two numbers", []string{"1件目 123456789013", "輸送中 11/20 10:00", "2件目 ２２２２３３３３４４４４", "配達完了 11/22 09:00"}, []string{"123456789013", "222233334444"}, true, []Status{StatusInTransit, StatusDelivered}},
		{"second number without events", []string{"123456789013", "輸送中 11/20 10:00", "222233334444"}, []string{"123456789013", "222233334444"}, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, ok := ReadText(tt.lines, tt.numbers, testVocab, now)
			if ok != tt.ok {
				t.Fatalf("ok = %v, want %v (%+v)", ok, tt.ok, res)
			}
			for i, st := range tt.status {
				if res[i].Status != st || res[i].Number != tt.numbers[i] {
					t.Errorf("result %d: %s %s, want %s %s", i, res[i].Number, res[i].Status, tt.numbers[i], st)
				}
			}
		})
	}
}
