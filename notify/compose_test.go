package notify

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/todoku/todoku/carriers"
)

// handContacts are hand-built contact data for unit tests; the golden
// tests use the carriers' own Contacts().
// everyDay is Yamato's hours: the same every day, holidays included.
var everyDay = carriers.Hours{Weekday: "08:00-21:00", Saturday: "08:00-21:00", Sunday: "08:00-21:00", Holiday: "08:00-21:00"}

func handContacts() []carriers.Contacts {
	return []carriers.Contacts{
		{
			Carrier: "yamato", NameJA: "ヤマト運輸", NameEN: "Yamato Transport",
			Phones: []carriers.Phone{
				{Number: "0120-01-9625", Kind: carriers.PhoneLandline, Hours: everyDay},
				{Number: "0570-200-000", Kind: carriers.PhoneMobile, Hours: everyDay},
			},
			TrackingURL: "https://toi.kuronekoyamato.co.jp/cgi-bin/tneko?type=1&no01={number}",
			Domains:     []string{"kuronekoyamato.co.jp"}, HoldDays: 7, Trackable: true,
		},
		{
			Carrier: "japanpost", NameJA: "日本郵便", NameEN: "Japan Post",
			Phones: []carriers.Phone{{Number: "0120-23-28-86", Kind: carriers.PhoneLandline,
				Hours: carriers.Hours{Weekday: "08:00-21:00", Saturday: "09:00-21:00", Sunday: "09:00-21:00", Holiday: "09:00-21:00"}}},
			TrackingURL:   "https://trackings.post.japanpost.jp/services/srv/search/direct?reqCodeNo1={number}",
			RedeliveryURL: "https://trackings.post.japanpost.jp/delivery/deli/",
			Domains:       []string{"japanpost.jp"}, HoldDays: 7, Trackable: true,
		},
		{
			Carrier: "sagawa", NameJA: "佐川急便", NameEN: "Sagawa Express",
			Phones:      []carriers.Phone{{Number: "0120-18-9595", Kind: carriers.PhoneLandline, Hours: carriers.Hours{Weekday: "09:00-19:00"}}},
			TrackingURL: "https://evil.example/track?no={number}", // not an official domain
			Domains:     []string{"sagawa-exp.co.jp"}, Trackable: true,
		},
		{
			Carrier: "amazon", NameJA: "Amazon", NameEN: "Amazon",
			Phones:  []carriers.Phone{{Number: "0120-899-543", Kind: carriers.PhoneAny, Hours: carriers.Hours{Weekday: "24h"}}},
			Domains: []string{"amazon.co.jp"},
			Callers: []carriers.Caller{
				{Number: "0120-070-585", Who: "Amazon 配達員", CallBack: carriers.CallBackUnknown},
				{Number: "011-330-3000", Who: "Amazon カスタマーサービス（折り返し）", CallBack: carriers.CallBackNo},
				{Number: "090-9009-7540", Who: "Amazon 配送SMS", SMS: true, CallBack: carriers.CallBackUnknown},
			},
		},
	}
}

func handComposer(lang string) Composer {
	s := DefaultSettings()
	s.Lang = lang
	return Composer{Settings: s, Contacts: Directory(handContacts()...)}
}

func TestCall(t *testing.T) {
	mobile := handComposer("ja")
	mobile.Settings.PhoneKind = carriers.PhoneMobile
	tests := []struct {
		name    string
		c       Composer
		carrier string
		office  carriers.Office
		now     time.Time
		want    CallInfo
	}{
		{"yamato open", handComposer("ja"), "yamato", carriers.Office{}, tokyo(2026, 11, 24, 14, 0),
			CallInfo{Number: "0120-01-9625", Who: "ヤマト運輸", Hours: "8:00–21:00（年中無休）", Open: true, Status: "受付中"}},
		{"yamato early morning", handComposer("ja"), "yamato", carriers.Office{}, tokyo(2026, 11, 24, 6, 30),
			CallInfo{Number: "0120-01-9625", Who: "ヤマト運輸", Hours: "8:00–21:00（年中無休）", NextOpen: tokyo(2026, 11, 24, 8, 0), Status: "受付時間外・8:00から"}},
		{"yamato late evening", handComposer("ja"), "yamato", carriers.Office{}, tokyo(2026, 11, 24, 21, 0),
			CallInfo{Number: "0120-01-9625", Who: "ヤマト運輸", Hours: "8:00–21:00（年中無休）", NextOpen: tokyo(2026, 11, 25, 8, 0), Status: "受付時間外・明日8:00から"}},
		{"yamato mobile en", func() Composer { c := mobile; c.Settings.Lang = "en"; return c }(), "yamato", carriers.Office{}, tokyo(2026, 11, 24, 22, 0),
			CallInfo{Number: "0570-200-000", Who: "Yamato Transport", Hours: "8:00–21:00 daily", NextOpen: tokyo(2026, 11, 25, 8, 0), Status: "Closed, opens tomorrow 8:00"}},
		// 2026-11-23 is 勤労感謝の日, a Monday holiday: Japan Post opens at 9:00.
		{"japanpost on a holiday", handComposer("ja"), "japanpost", carriers.Office{}, tokyo(2026, 11, 23, 8, 30),
			CallInfo{Number: "0120-23-28-86", Who: "日本郵便", Hours: "平日8:00–21:00、土日祝9:00–21:00", NextOpen: tokyo(2026, 11, 23, 9, 0), Status: "受付時間外・9:00から"}},
		{"japanpost on a weekday", handComposer("ja"), "japanpost", carriers.Office{}, tokyo(2026, 11, 24, 8, 30),
			CallInfo{Number: "0120-23-28-86", Who: "日本郵便", Hours: "平日8:00–21:00、土日祝9:00–21:00", Open: true, Status: "受付中"}},
		{"office phone wins", handComposer("ja"), "sagawa", carriers.Office{Name: "川崎営業所", Phone: "044-555-0000"}, tokyo(2026, 11, 24, 14, 0),
			CallInfo{Number: "044-555-0000", Who: "佐川急便 川崎営業所"}},
		{"office phone that is not a number", handComposer("ja"), "sagawa", carriers.Office{Name: "川崎営業所", Phone: "お問い合わせはこちら"}, tokyo(2026, 11, 24, 14, 0),
			CallInfo{Number: "0120-18-9595", Who: "佐川急便", Hours: "9:00–19:00", Open: true, Status: "受付中"}},
		{"sagawa closed Saturday night", handComposer("en"), "sagawa", carriers.Office{}, tokyo(2026, 11, 28, 20, 0),
			CallInfo{Number: "0120-18-9595", Who: "Sagawa Express", Hours: "9:00–19:00", NextOpen: tokyo(2026, 11, 29, 9, 0), Status: "Closed, opens tomorrow 9:00"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tt.c.Call(tt.carrier, tt.office, tt.now)
			if !ok {
				t.Fatalf("Call: no number")
			}
			if got.Number != tt.want.Number || got.Who != tt.want.Who || got.Hours != tt.want.Hours ||
				got.Open != tt.want.Open || !got.NextOpen.Equal(tt.want.NextOpen) || got.Status != tt.want.Status {
				t.Errorf("Call =\n %+v\nwant\n %+v", got, tt.want)
			}
		})
	}
	if _, ok := handComposer("ja").Call("nosuch", carriers.Office{}, time.Now()); ok {
		t.Errorf("Call for an unknown carrier found a number")
	}
}

func failedNotice() Notice {
	return Notice{
		Kind: KindDeliveryFailed, Number: "123456789012", Carrier: "yamato", Label: "カメラレンズ",
		Event: carriers.Event{Time: tokyo(2026, 11, 24, 14, 2), Status: carriers.StatusDeliveryFailed,
			Reason: carriers.ReasonAbsent, Raw: "持戻（ご不在）", Location: "川崎中央センター"},
		Product: "宅急便",
	}
}

func TestComposeBasics(t *testing.T) {
	now := tokyo(2026, 11, 24, 14, 10)
	m := handComposer("ja").Compose(failedNotice(), now)
	if want := "不在持戻り: カメラレンズ（ヤマト運輸）"; m.Title != want {
		t.Errorf("title = %q, want %q", m.Title, want)
	}
	for _, want := range []string{"持戻（ご不在）", "川崎中央センター", "☎ 0120-01-9625", "受付中", "1234-5678-9012", "14:02"} {
		if !strings.Contains(m.Body, want) {
			t.Errorf("body lacks %q:\n%s", want, m.Body)
		}
	}
	if want := "https://toi.kuronekoyamato.co.jp/cgi-bin/tneko?type=1&no01=123456789012"; m.URL != want {
		t.Errorf("url = %q, want %q", m.URL, want)
	}
	if m.Priority != 1 || !m.Timestamp.Equal(failedNotice().Event.Time) || m.Phone != "0120-01-9625" {
		t.Errorf("priority %d timestamp %v phone %q", m.Priority, m.Timestamp, m.Phone)
	}
	// At night the failure goes out quietly.
	if m := handComposer("ja").Compose(failedNotice(), tokyo(2026, 11, 24, 23, 0)); m.Priority != -1 {
		t.Errorf("night priority = %d, want -1", m.Priority)
	}
}

func TestComposeDropsUnofficialURL(t *testing.T) {
	n := failedNotice()
	n.Carrier = "sagawa"
	m := handComposer("ja").Compose(n, tokyo(2026, 11, 24, 14, 10))
	if m.URL != "" || m.URLTitle != "" {
		t.Errorf("url = %q (%q), want none: the domain is not official", m.URL, m.URLTitle)
	}
}

func TestComposeAmazon(t *testing.T) {
	n := failedNotice()
	n.Carrier, n.Number = "amazon", "DA1234567890"
	for _, lang := range []string{"ja", "en"} {
		m := handComposer(lang).Compose(n, tokyo(2026, 11, 24, 14, 10))
		for _, want := range []string{"0120-070-585", "注文履歴 → 配送状況を確認"} {
			if !strings.Contains(m.Body, want) {
				t.Errorf("%s body lacks %q:\n%s", lang, want, m.Body)
			}
		}
	}
}

func TestComposeKeepsPhoneWhenTruncated(t *testing.T) {
	n := failedNotice()
	n.Label = strings.Repeat("長いラベル", 100)
	n.Event.Raw = strings.Repeat("持戻（ご不在）", 300)
	n.Event.Location = strings.Repeat("川崎中央センター\n", 100)
	n.Office = carriers.Office{Name: strings.Repeat("営業所", 100), Phone: "044-555-0000"}
	n.Product = strings.Repeat("宅急便", 100)
	n.Text = strings.Repeat("詳細", 2000)
	for _, lang := range []string{"ja", "en"} {
		m := handComposer(lang).Compose(n, tokyo(2026, 11, 24, 14, 10))
		if got := utf8.RuneCountInString(m.Body); got > MaxBody {
			t.Errorf("%s body = %d runes", lang, got)
		}
		if got := utf8.RuneCountInString(m.Title); got > MaxTitle {
			t.Errorf("%s title = %d runes", lang, got)
		}
		for _, want := range []string{"044-555-0000", "0120-01-9625", "1234-5678-9012"} {
			if !strings.Contains(m.Body, want) {
				t.Errorf("%s: truncated body lost %q:\n%s", lang, want, m.Body)
			}
		}
		if !strings.HasSuffix(m.Body, "…") {
			t.Errorf("%s: body was not truncated, so the test proves nothing", lang)
		}
	}
}

func TestComposeEveryKindFits(t *testing.T) {
	for _, k := range Kinds() {
		for _, carrier := range []string{"yamato", "japanpost", "sagawa", "amazon", "unknown", ""} {
			n := failedNotice()
			n.Kind, n.Carrier = k, carrier
			m := handComposer("en").Compose(n, tokyo(2026, 11, 24, 3, 0))
			if m.Title == "" || m.Body == "" {
				t.Errorf("%s/%s: empty title or body: %+v", k, carrier, m)
			}
			if m.Kind != k {
				t.Errorf("%s/%s: kind = %q", k, carrier, m.Kind)
			}
		}
	}
}

func BenchmarkCompose(b *testing.B) {
	c := handComposer("ja")
	n := failedNotice()
	now := tokyo(2026, 11, 24, 14, 10)
	for b.Loop() {
		c.Compose(n, now)
	}
}

// FuzzCompose feeds carrier-page text (raw words, place, office, label)
// into every kind: the message always fits and keeps the phone number.
func FuzzCompose(f *testing.F) {
	f.Add("持戻（ご不在）", "川崎中央センター", "", "", "カメラレンズ", "yamato", 0)
	f.Add(strings.Repeat("長", 2000), strings.Repeat("\n", 500), "営業所", "044-555-0000", strings.Repeat("x", 900), "sagawa", 3)
	f.Fuzz(func(t *testing.T, raw, location, officeName, officePhone, label, carrier string, kind int) {
		n := failedNotice()
		ks := Kinds()
		n.Kind = ks[(kind%len(ks)+len(ks))%len(ks)]
		n.Carrier, n.Label = carrier, label
		n.Event.Raw, n.Event.Location = raw, location
		n.Office = carriers.Office{Name: officeName, Phone: officePhone}
		for _, lang := range []string{"ja", "en"} {
			m := handComposer(lang).Compose(n, tokyo(2026, 11, 24, 14, 10))
			if utf8.RuneCountInString(m.Body) > MaxBody || utf8.RuneCountInString(m.Title) > MaxTitle ||
				utf8.RuneCountInString(m.URL) > MaxURL || utf8.RuneCountInString(m.URLTitle) > MaxURLTitle {
				t.Fatalf("over the limits: %+v", m)
			}
			if m.Phone != "" && !strings.Contains(m.Body, m.Phone) {
				t.Fatalf("%s: phone %q lost from body:\n%s", lang, m.Phone, m.Body)
			}
		}
	})
}

// TestTitleUnknownCarrier: a parcel whose carrier is not known yet has no
// carrier name to put in brackets, and no empty brackets either.
func TestTitleUnknownCarrier(t *testing.T) {
	tests := []struct {
		lang, carrier string
		kind          Kind
		want          string
	}{
		{"ja", "", KindNotFoundTooLong, "番号が見つかりません: 1234-5678-9013"},
		{"en", "", KindNotFoundTooLong, "Number not found: 1234-5678-9013"},
		{"ja", "", KindStale, "更新なし: 1234-5678-9013"},
		{"en", "", KindDelivered, "Delivered: 1234-5678-9013"},
		{"ja", "yamato", KindNotFoundTooLong, "番号が見つかりません: 1234-5678-9013（ヤマト運輸）"},
		{"en", "yamato", KindNotFoundTooLong, "Number not found: 1234-5678-9013 (Yamato Transport)"},
	}
	for _, tt := range tests {
		t.Run(tt.lang+"/"+tt.carrier+"/"+string(tt.kind), func(t *testing.T) {
			n := Notice{Kind: tt.kind, Number: "123456789013", Carrier: tt.carrier}
			m := handComposer(tt.lang).Compose(n, tokyo(2026, 11, 24, 14, 0))
			if m.Title != tt.want {
				t.Errorf("title = %q, want %q", m.Title, tt.want)
			}
		})
	}
	for _, lang := range []string{"ja", "en"} {
		for _, k := range Kinds() {
			n := failedNotice()
			n.Kind, n.Carrier, n.Office = k, "", carriers.Office{}
			m := handComposer(lang).Compose(n, tokyo(2026, 11, 24, 14, 0))
			for field, s := range map[string]string{"title": m.Title, "body": m.Body, "url_title": m.URLTitle} {
				if strings.Contains(s, "（）") || strings.Contains(s, "()") {
					t.Errorf("%s/%s: %s has empty brackets: %q", lang, k, field, s)
				}
			}
		}
	}
}

// TestEnglishPhoneLabel: an English message shows a phone's label only
// when it has no Japanese in it; a Japanese message always shows it.
func TestEnglishPhoneLabel(t *testing.T) {
	cs := []carriers.Contacts{
		{Carrier: "sagawa", NameJA: "佐川急便", NameEN: "Sagawa Express", Phones: []carriers.Phone{
			{Number: "0120-18-9595", Kind: carriers.PhoneLandline, Label: "お問い合わせ（消費者向け記事による）",
				Hours: carriers.Hours{Weekday: "09:00-19:00"}}}},
		{Carrier: "yamato", NameJA: "ヤマト運輸", NameEN: "Yamato Transport", Phones: []carriers.Phone{
			{Number: "0120-01-9625", Kind: carriers.PhoneLandline, Label: "customer service",
				Hours: everyDay}}},
		{Carrier: "amazon", NameJA: "Amazon", NameEN: "Amazon", Phones: []carriers.Phone{
			{Number: "0120-899-543", Kind: carriers.PhoneAny, Label: "Customer Service カスタマーサービス",
				Hours: carriers.Hours{Weekday: "24h"}}}},
	}
	tests := []struct {
		lang, carrier, want string
	}{
		{"en", "sagawa", "Sagawa Express"},
		{"ja", "sagawa", "佐川急便 お問い合わせ（消費者向け記事による）"},
		{"en", "yamato", "Yamato Transport customer service"},
		{"ja", "yamato", "ヤマト運輸 customer service"},
		{"en", "amazon", "Amazon"},
	}
	now := tokyo(2026, 11, 24, 14, 0)
	for _, tt := range tests {
		t.Run(tt.lang+"/"+tt.carrier, func(t *testing.T) {
			s := DefaultSettings()
			s.Lang = tt.lang
			c := Composer{Settings: s, Contacts: Directory(cs...)}
			ci, ok := c.Call(tt.carrier, carriers.Office{}, now)
			if !ok || ci.Who != tt.want {
				t.Errorf("Call = %+v, %v; want who %q", ci, ok, tt.want)
			}
			m := c.Compose(Notice{Kind: KindDeliveryFailed, Carrier: tt.carrier, Number: "400012345675"}, now)
			if !strings.Contains(m.Body, "☎ "+ci.Number+" "+tt.want+"\n") {
				t.Errorf("body lacks the phone line %q:\n%s", "☎ "+ci.Number+" "+tt.want, m.Body)
			}
		})
	}
}

// TestKindsIsACopy: changing the slice Kinds returns changes neither the
// next call nor which kinds are valid.
func TestKindsIsACopy(t *testing.T) {
	ks := Kinds()
	if len(ks) != 10 || ks[0] != KindDeliveryFailed || ks[len(ks)-1] != KindOperator {
		t.Fatalf("Kinds() = %v", ks)
	}
	ks[0] = "lost"
	if Kinds()[0] != KindDeliveryFailed || Kind("lost").Valid() || !KindDeliveryFailed.Valid() {
		t.Errorf("changing the returned slice changed the kinds: %v", Kinds())
	}
}
