package notify_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/carriers/amazon"
	"github.com/todoku/todoku/carriers/japanpost"
	"github.com/todoku/todoku/carriers/sagawa"
	"github.com/todoku/todoku/carriers/yamato"
	"github.com/todoku/todoku/notify"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// allContacts is the contact data of every carrier, from the carriers'
// own packages.
func allContacts() []carriers.Contacts {
	return []carriers.Contacts{yamato.Contacts(), japanpost.Contacts(), sagawa.Contacts(), amazon.Contacts()}
}

func jst(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, carriers.Tokyo)
}

// goldenNow is a Tuesday evening: Yamato and Japan Post are open, Sagawa's
// line has closed, and no quiet hours apply.
var goldenNow = jst(2026, 11, 24, 20, 30)

// carrierCase is what one carrier's pages say for each kind of news.
type carrierCase struct {
	carrier, number, product string
	office                   carriers.Office
	raw                      map[notify.Kind]string
	location                 string
}

func goldenCases() []carrierCase {
	return []carrierCase{
		{carrier: yamato.Name, number: "123456789012", product: "宅急便", location: "川崎中央センター",
			raw: map[notify.Kind]string{
				notify.KindDeliveryFailed: "持戻（ご不在）", notify.KindAwaitingPickup: "保管中",
				notify.KindReturned: "返品", notify.KindException: "調査中", notify.KindDelivered: "配達完了",
				notify.KindOutForDelivery: "配達中",
			}},
		{carrier: japanpost.Name, number: "112233445566", product: "ゆうパック", location: "川崎港郵便局",
			office: carriers.Office{Name: "川崎港郵便局", Phone: "044-000-0000"},
			raw: map[notify.Kind]string{
				notify.KindDeliveryFailed: "ご不在のため持ち戻り", notify.KindAwaitingPickup: "保管",
				notify.KindReturned: "差出人に返送", notify.KindException: "調査中", notify.KindDelivered: "お届け済み",
				notify.KindOutForDelivery: "持ち出し中",
			}},
		{carrier: sagawa.Name, number: "400012345675", product: "飛脚宅配便", location: "川崎営業所",
			raw: map[notify.Kind]string{
				notify.KindDeliveryFailed: "ご不在のため持ち戻りました", notify.KindAwaitingPickup: "保管中",
				notify.KindReturned: "返品", notify.KindException: "調査中", notify.KindDelivered: "配達完了",
				notify.KindOutForDelivery: "配達中",
			}},
		{carrier: amazon.Name, number: "DA1234567890", location: "",
			raw: map[notify.Kind]string{
				notify.KindDeliveryFailed: "配達できませんでした", notify.KindAwaitingPickup: "受取可能",
				notify.KindReturned: "返品", notify.KindException: "配送に問題があります", notify.KindDelivered: "配達しました",
				notify.KindOutForDelivery: "配送中",
			}},
	}
}

var statusOf = map[notify.Kind]carriers.Status{
	notify.KindDeliveryFailed: carriers.StatusDeliveryFailed, notify.KindAwaitingPickup: carriers.StatusAwaitingPickup,
	notify.KindReturned: carriers.StatusReturned, notify.KindException: carriers.StatusException,
	notify.KindDelivered: carriers.StatusDelivered, notify.KindOutForDelivery: carriers.StatusOutForDelivery,
}

func (cc carrierCase) notice(k notify.Kind) notify.Notice {
	n := notify.Notice{Kind: k, Number: cc.number, Carrier: cc.carrier, Label: "カメラレンズ", Product: cc.product}
	if raw, ok := cc.raw[k]; ok {
		n.Event = carriers.Event{Time: jst(2026, 11, 24, 14, 2), Status: statusOf[k], Raw: raw, Location: cc.location}
		n.Office = cc.office
	}
	switch k {
	case notify.KindDeliveryFailed:
		n.Event.Reason = carriers.ReasonAbsent
	case notify.KindException:
		n.Event.Reason = carriers.ReasonInvestigating
	case notify.KindAwaitingPickup:
		if cc.carrier == japanpost.Name {
			n.Deadline = jst(2026, 12, 1, 0, 0)
		} // the others get the estimate from the hold period
	case notify.KindStale:
		n.Text = "3日間、新しい状況がありません。"
	case notify.KindAdded:
		n.Product, n.Text = "", "Amazon.co.jp"
		n.Queued = jst(2026, 11, 24, 20, 29)
	case notify.KindOperator:
		n.Number, n.Label, n.Product = "", "", ""
		n.Text = cc.carrier + ": the result page layout changed; polling stopped until the adapter is fixed."
	}
	return n
}

func render(m notify.Message) string {
	var b strings.Builder
	fmt.Fprintf(&b, "title: %s\npriority: %d\n", m.Title, m.Priority)
	if !m.Timestamp.IsZero() {
		fmt.Fprintf(&b, "timestamp: %s\n", m.Timestamp.In(carriers.Tokyo).Format(time.RFC3339))
	}
	if m.URL != "" {
		fmt.Fprintf(&b, "url: %s\nurl_title: %s\n", m.URL, m.URLTitle)
	}
	if m.Phone != "" {
		fmt.Fprintf(&b, "phone: %s\n", m.Phone)
	}
	b.WriteString("message:\n")
	for _, l := range strings.Split(m.Body, "\n") {
		b.WriteString("  " + l + "\n")
	}
	return b.String()
}

func composer(lang string) notify.Composer {
	s := notify.DefaultSettings()
	s.Lang = lang
	return notify.Composer{Settings: s, Contacts: notify.Directory(allContacts()...)}
}

func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run Golden -update)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (run with -update after checking):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

func TestGoldenEveryKindEveryCarrier(t *testing.T) {
	contacts := notify.Directory(allContacts()...)
	for _, lang := range []string{"ja", "en"} {
		for _, cc := range goldenCases() {
			t.Run(cc.carrier+"_"+lang, func(t *testing.T) {
				ct, ok := contacts(cc.carrier)
				if !ok {
					t.Fatalf("no contacts for %s", cc.carrier)
				}
				var b strings.Builder
				for _, k := range notify.Kinds() {
					m := composer(lang).Compose(cc.notice(k), goldenNow)
					checkMessage(t, ct, m)
					fmt.Fprintf(&b, "=== %s\n%s\n", k, render(m))
				}
				checkGolden(t, cc.carrier+"_"+lang, b.String())
			})
		}
	}
}

// checkMessage checks what every composed message must satisfy,
// independently of the golden text.
func checkMessage(t *testing.T, ct carriers.Contacts, m notify.Message) {
	t.Helper()
	for field, c := range map[string]struct {
		s   string
		max int
	}{"title": {m.Title, 250}, "message": {m.Body, 1024}, "url": {m.URL, 512}, "url_title": {m.URLTitle, 100}} {
		if n := utf8.RuneCountInString(c.s); n > c.max {
			t.Errorf("%s: %s has %d runes, over %d", m.Kind, field, n, c.max)
		}
	}
	if m.URL != "" && !notify.Official(ct, m.URL) {
		t.Errorf("%s: url %q is not on an official domain %v", m.Kind, m.URL, ct.Domains)
	}
	if m.Kind != notify.KindOperator && m.Phone != "" && !strings.Contains(m.Body, m.Phone) {
		t.Errorf("%s: body lacks the phone %s", m.Kind, m.Phone)
	}
	if m.Carrier == amazon.Name && m.Kind != notify.KindOperator && m.Kind != notify.KindDelivered && m.Kind != notify.KindAdded && !strings.Contains(m.Body, "0120-070-585") {
		t.Errorf("%s: amazon message lacks the drivers' number", m.Kind)
	}
}

// TestGoldenUnknownCarrier: a parcel whose carrier is not known yet
// (Carrier ""): no carrier name, no empty brackets, no link, no phone.
func TestGoldenUnknownCarrier(t *testing.T) {
	for _, lang := range []string{"ja", "en"} {
		t.Run(lang, func(t *testing.T) {
			var b strings.Builder
			for _, k := range notify.Kinds() {
				n := notify.Notice{Kind: k, Number: "123456789013"}
				switch k {
				case notify.KindStale:
					n.Text = "3日間、新しい状況がありません。"
				case notify.KindOperator:
					n.Number = ""
					n.Text = "the Pushover quota is running low."
				}
				m := composer(lang).Compose(n, goldenNow)
				checkMessage(t, carriers.Contacts{}, m)
				if strings.Contains(m.Title, "（）") || strings.Contains(m.Title, "()") {
					t.Errorf("%s: title %q has empty brackets", k, m.Title)
				}
				fmt.Fprintf(&b, "=== %s\n%s\n", k, render(m))
			}
			checkGolden(t, "unknown_"+lang, b.String())
		})
	}
}

func TestGoldenTruncated(t *testing.T) {
	n := goldenCases()[2].notice(notify.KindDeliveryFailed) // Sagawa, with an office phone
	n.Office = carriers.Office{Name: "川崎営業所", Phone: "044-000-1234"}
	n.Label = strings.Repeat("とても長いラベル", 40)
	n.Event.Raw = strings.Repeat("ご不在のため持ち戻りました。", 30)
	n.Event.Location = strings.Repeat("川崎営業所 ", 30)
	n.Text = strings.Repeat("詳しい説明がここに続きます。", 100)
	contacts := notify.Directory(allContacts()...)
	ct, _ := contacts(sagawa.Name)
	for _, lang := range []string{"ja", "en"} {
		t.Run(lang, func(t *testing.T) {
			m := composer(lang).Compose(n, goldenNow)
			checkMessage(t, ct, m)
			if !strings.HasSuffix(m.Body, "…") || !strings.Contains(m.Body, "044-000-1234") {
				t.Errorf("want a truncated body that keeps the phone:\n%s", m.Body)
			}
			checkGolden(t, "truncated_"+lang, render(m))
		})
	}
}

// TestGoldenLateAndDegraded: a notice held for hours (Pushover rejected
// the credentials) says how late it is at the top; one read by the
// layout-free text reader says so in one line.
func TestGoldenLateAndDegraded(t *testing.T) {
	contacts := notify.Directory(allContacts()...)
	ct, _ := contacts(yamato.Name)
	cases := []struct {
		name   string
		queued time.Time
		deg    bool
	}{
		{"on time", goldenNow.Add(-4 * time.Minute), false},
		{"late 2h15m", goldenNow.Add(-135 * time.Minute), false},
		{"late 3 days", goldenNow.Add(-(72*time.Hour + 5*time.Hour + 7*time.Minute)), false},
		{"degraded", time.Time{}, true},
		{"late and degraded", goldenNow.Add(-6 * time.Minute), true},
	}
	for _, lang := range []string{"ja", "en"} {
		t.Run(lang, func(t *testing.T) {
			var b strings.Builder
			for _, c := range cases {
				n := goldenCases()[0].notice(notify.KindDeliveryFailed)
				n.Queued, n.Degraded = c.queued, c.deg
				m := composer(lang).Compose(n, goldenNow)
				checkMessage(t, ct, m)
				late := strings.HasPrefix(m.Body, "⏳")
				if wantLate := !c.queued.IsZero() && goldenNow.Sub(c.queued) >= notify.LateAfter; late != wantLate {
					t.Errorf("%s: late line = %v, want %v:\n%s", c.name, late, wantLate, m.Body)
				}
				if got := strings.Contains(m.Body, "※"); got != c.deg {
					t.Errorf("%s: degraded line = %v, want %v:\n%s", c.name, got, c.deg, m.Body)
				}
				fmt.Fprintf(&b, "=== %s\n%s\n", c.name, render(m))
			}
			checkGolden(t, "late_degraded_"+lang, b.String())
		})
	}
}
