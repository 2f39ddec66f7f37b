package carriers

import (
	"slices"
	"strings"
	"testing"
)

func TestExtractContext(t *testing.T) {
	type ev struct {
		word, carrier, shop string
		near                bool
	}
	type finding struct {
		input    string
		carriers []string
		evidence []ev
	}
	tests := []struct {
		name string
		text string
		want []finding
	}{
		// The case from issue 11: today every 10-digit number is Sagawa.
		{"DHL named on the line", "DHL Express / Tracking number: 3318810025", []finding{
			{"3318810025", []string{"dhl", "sagawa", "seino"}, []ev{{"DHL", "dhl", "", true}}}}},
		{"full-width DHL", "ＤＨＬ　Ｅｘｐｒｅｓｓ\n追跡番号：３３１８８１００２５", []finding{
			{"３３１８８１００２５", []string{"dhl", "sagawa", "seino"}, []ev{{"ＤＨＬ", "dhl", "", true}}}}},
		{"no name keeps the format order", "お問い合わせ番号 3318810025", []finding{
			{"3318810025", []string{"sagawa", "seino", "dhl"}, nil}}},
		{"seino by カンガルー便", "カンガルー便\nお問合せ番号 3318810025", []finding{
			{"3318810025", []string{"seino", "sagawa", "dhl"}, []ev{{"カンガルー", "seino", "", true}}}}},
		{"sagawa before yamato for a 12-digit number", "佐川急便\nお問い合わせ送り状番号: 1234-5678-9013", []finding{
			{"1234-5678-9013", []string{"sagawa", "yamato", "japanpost"}, []ev{{"佐川急便", "sagawa", "", true}}}}},
		{"kuroneko", "クロネコヤマトの宅急便 伝票番号 1234-5678-9013", []finding{
			{"1234-5678-9013", []string{"yamato", "japanpost", "sagawa"}, []ev{{"宅急便", "yamato", "", true}}}}},
		{"Japan Post in English, two words", "Japan Post tracking 1234 5678 9013", []finding{
			{"1234 5678 9013", []string{"japanpost", "yamato", "sagawa"}, []ev{{"Japan Post", "japanpost", "", true}}}}},
		{"a name that does not fit the format ranks nothing", "DHL 1234-5678-9013", []finding{
			{"1234-5678-9013", []string{"yamato", "japanpost", "sagawa"}, nil}}},
		{"FedEx among the 12-digit candidates moves first", "FedEx tracking 1234-5679-0380", []finding{
			{"1234-5679-0380", []string{"fedex", "yamato", "japanpost", "sagawa"}, []ev{{"FedEx", "fedex", "", true}}}}},
		{"Fed Ex in two words", "Fed Ex: 986578788855", []finding{
			{"986578788855", []string{"fedex"}, []ev{{"Fed Ex", "fedex", "", true}}}}},
		// Each number takes the carrier on its own line or the lines above
		// it, not the one after the previous number.
		{"carrier after each number", "2253-0009-9640（佐川急便）\n1234-5678-9013（日本郵便）", []finding{
			{"2253-0009-9640", []string{"sagawa", "japanpost", "yamato"}, []ev{{"佐川急便", "sagawa", "", true}, {"日本郵便", "japanpost", "", false}}},
			{"1234-5678-9013", []string{"japanpost", "sagawa", "yamato"}, []ev{{"日本郵便", "japanpost", "", true}, {"佐川急便", "sagawa", "", false}}}}},
		{"carrier before each number on one line", "ヤマト運輸 2253-0009-9640 佐川急便 1234-5678-9013", []finding{
			{"2253-0009-9640", []string{"yamato", "sagawa", "japanpost"}, []ev{{"ヤマト運輸", "yamato", "", true}, {"佐川急便", "sagawa", "", true}}},
			{"1234-5678-9013", []string{"sagawa", "yamato", "japanpost"}, []ev{{"佐川急便", "sagawa", "", true}, {"ヤマト運輸", "yamato", "", false}}}}},
		{"a name four lines up is not near", "ゆうパック\n\n\n\nお問い合わせ番号 1234-5678-9013", []finding{
			{"1234-5678-9013", []string{"japanpost", "yamato", "sagawa"}, []ev{{"ゆうパック", "japanpost", "", false}}}}},
		{"postal code is not Japan Post", "郵便番号 〒123-4567\n伝票番号 1234-5678-9013", []finding{
			{"1234-5678-9013", []string{"yamato", "japanpost", "sagawa"}, nil}}},
		// Shops rank only the carriers a source ties them to, and remove
		// nothing.
		{"Amazon moves its own delivery ahead of FedEx", "Amazon.co.jp\nお問い合わせ番号: 990000000003", []finding{
			{"990000000003", []string{"amazon", "fedex"}, []ev{{"Amazon", "", "amazon", true}}}}},
		{"Rakuten moves Seino ahead of DHL", "楽天市場 発送のお知らせ\n伝票番号 3318810025 (DHL)", []finding{
			{"3318810025", []string{"dhl", "sagawa", "seino"}, []ev{{"DHL", "dhl", "", true}, {"楽天", "", "rakuten", true}}}}},
		{"a named carrier outranks the shop", "楽天市場\n\n\n\n\nDHL 3318810025", []finding{
			{"3318810025", []string{"dhl", "sagawa", "seino"}, []ev{{"DHL", "dhl", "", true}, {"楽天", "", "rakuten", false}}}}},
		{"Mercari is recognised but ranks nothing", "メルカリ 発送通知\n伝票番号 3318810025", []finding{
			{"3318810025", []string{"sagawa", "seino", "dhl"}, []ev{{"メルカリ", "", "mercari", true}}}}},
		{"Yahoo! is recognised but ranks nothing", "Yahoo!ショッピング\n伝票番号 1234-5678-9013", []finding{
			{"1234-5678-9013", []string{"yamato", "japanpost", "sagawa"}, []ev{{"Yahoo", "", "yahoo", true}}}}},
		// Fukuyama's format is not confirmed: only its name makes it a
		// candidate, and only near the number.
		{"fukuyama named", "福山通運\nお問い合わせ番号 4012345678", []finding{
			{"4012345678", []string{"fukuyama", "sagawa", "seino"}, []ev{{"福山通運", "fukuyama", "", true}}}}},
		{"fukuyama far away is no candidate", "福山通運\n\n\n\n\nお問い合わせ番号 4012345678", []finding{
			{"4012345678", []string{"sagawa", "seino"}, nil}}},
		{"order number has no evidence", "Amazon 注文番号 250-1234567-1234567", []finding{
			{"250-1234567-1234567", nil, nil}}},
		{"shipping mail, first parcel", shippingMail[:strings.Index(shippingMail, "一部の商品")], []finding{
			{"250-1234567-7654321", nil, nil},
			{"4567-8901-2341", []string{"yamato", "japanpost", "sagawa"}, []ev{{"ヤマト運輸", "yamato", "", true}, {"Amazon", "", "amazon", false}}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []finding
			for _, f := range ExtractContext(tt.text) {
				if tt.text[f.Start:f.End] != f.Input {
					t.Errorf("finding %q at [%d:%d] is %q in the text", f.Input, f.Start, f.End, tt.text[f.Start:f.End])
				}
				g := finding{input: f.Input, carriers: f.Carriers()}
				if len(g.carriers) == 0 {
					g.carriers = nil
				}
				for _, e := range f.Evidence {
					if tt.text[e.Start:e.End] != e.Word {
						t.Errorf("evidence %q at [%d:%d] is %q in the text", e.Word, e.Start, e.End, tt.text[e.Start:e.End])
					}
					g.evidence = append(g.evidence, ev{e.Word, e.Carrier, e.Shop, e.Near})
				}
				got = append(got, g)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("ExtractContext(%q) found %d: %+v; want %d: %+v", tt.text, len(got), got, len(tt.want), tt.want)
			}
			for i := range got {
				g, w := got[i], tt.want[i]
				if g.input != w.input || !slices.Equal(g.carriers, w.carriers) || !slices.Equal(g.evidence, w.evidence) {
					t.Errorf("finding %d:\n got %+v\nwant %+v", i, g, w)
				}
			}
		})
	}
}

// TestExtractContextShippingMail checks both parcels of the 2 KB mail: the
// Japan Post number is ranked by 日本郵便 on its own lines, not by the
// Yamato lines around it, and the shop is known for both.
func TestExtractContextShippingMail(t *testing.T) {
	found := ExtractContext(shippingMail)
	var tracking []Found
	for _, f := range found {
		if f.Kind == KindTracking {
			tracking = append(tracking, f)
		}
	}
	if len(tracking) != 2 {
		t.Fatalf("found %d tracking numbers; want 2: %+v", len(tracking), found)
	}
	if c := tracking[0].Carriers(); c[0] != "yamato" {
		t.Errorf("first parcel ranked %q; want yamato first", c)
	}
	if c := tracking[1].Carriers(); !slices.Equal(c, []string{"japanpost", "yamato", "sagawa"}) {
		t.Errorf("second parcel ranked %q; want japanpost, yamato, sagawa", c)
	}
	if e := tracking[1].Evidence; len(e) == 0 || e[0].Carrier != "japanpost" || !e[0].Near {
		t.Errorf("second parcel evidence %+v; want Japan Post named near it first", e)
	}
	for i, f := range tracking {
		if !slices.ContainsFunc(f.Evidence, func(e Evidence) bool { return e.Shop == "amazon" }) {
			t.Errorf("parcel %d evidence %+v does not name the shop Amazon", i, f.Evidence)
		}
	}
}

// TestExtractContextSharesNothing makes sure re-ranking copies: the shared
// candidate lists of Identify stay in the format order.
func TestExtractContextSharesNothing(t *testing.T) {
	ExtractContext("佐川急便 1234-5678-9013 FedEx 1234-5679-0380")
	if c := Identify("123456789013").Carriers(); !slices.Equal(c, []string{"yamato", "japanpost", "sagawa"}) {
		t.Errorf("Identify after ExtractContext = %q; the shared list was changed", c)
	}
	if c := Identify("123456790380").Carriers(); !slices.Equal(c, []string{"yamato", "japanpost", "sagawa", "fedex"}) {
		t.Errorf("Identify after ExtractContext = %q; the shared list was changed", c)
	}
}

func TestScanMentions(t *testing.T) {
	text := "GROUPS sign-ups UPS ups ＵＰＳ Japan  Post JapanPost FEDEX fed-ex 福山市 福山 amazon.co.jp 郵便番号 郵便局"
	var got []string
	for _, m := range scanMentions(text) {
		got = append(got, text[m.start:m.end]+"="+m.carrier+m.shop)
	}
	want := []string{"UPS=ups", "ＵＰＳ=ups", "JapanPost=japanpost", "FEDEX=fedex", "福山=fukuyama", "amazon=amazon", "郵便局=japanpost"}
	if !slices.Equal(got, want) {
		t.Errorf("scanMentions(%q)\n got %q\nwant %q", text, got, want)
	}
}

func BenchmarkExtractContext(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(shippingMail)))
	for b.Loop() {
		ExtractContext(shippingMail)
	}
}

// TestExtractContextRealNumbers puts each of the 471 real 2009 numbers in
// a line that names its carrier: the carrier must come first, and without
// the name the format order must stay.
func TestExtractContextRealNumbers(t *testing.T) {
	names := map[string]string{"yamato": "ヤマト運輸", "sagawa": "佐川急便", "japanpost": "日本郵便（ゆうパック）"}
	for carrier, list := range realNumbers(t) {
		t.Run(carrier, func(t *testing.T) {
			for _, n := range list {
				text := "配送業者: " + names[carrier] + "\nお問い合わせ番号: " + n[:4] + "-" + n[4:8] + "-" + n[8:]
				found := ExtractContext(text)
				if len(found) != 1 || found[0].Number != n || found[0].Carriers()[0] != carrier {
					t.Fatalf("ExtractContext(%q) = %+v; want %s first", text, found, carrier)
				}
				if e := found[0].Evidence; len(e) != 1 || e[0].Carrier != carrier || !e[0].Near {
					t.Fatalf("ExtractContext(%q) evidence %+v; want %s named near", text, e, carrier)
				}
				plain := ExtractContext("お問い合わせ番号: " + n)
				if len(plain) != 1 || !slices.Equal(plain[0].Carriers(), Identify(n).Carriers()) || len(plain[0].Evidence) != 0 {
					t.Fatalf("ExtractContext of %s without a name = %+v; want Identify's order", n, plain)
				}
			}
		})
	}
}

func TestFits(t *testing.T) {
	for _, tt := range []struct {
		carrier, number string
		want            bool
	}{
		{"sagawa", "1234567890", true},
		{"seino", "1234567890", true},
		{"fukuyama", "9876543210", true},
		{"fukuyama", "0120123456", false}, // a toll-free telephone number
		{"fukuyama", "12345", false},
		{"yamato", "1234567890", false},
	} {
		if got := Fits(tt.carrier, Identify(tt.number)); got != tt.want {
			t.Errorf("Fits(%s, %s) = %v, want %v", tt.carrier, tt.number, got, tt.want)
		}
	}
}
