package carriers

import (
	"slices"
	"strings"
	"testing"
)

// shippingMail is a realistic shipping notice (about 2 KB) with one
// tracking number among order numbers, phone numbers, a postal code,
// dates, times and prices.
const shippingMail = `Amazon.co.jp ご注文の発送のお知らせ

山田 太郎 様

Amazon.co.jp をご利用いただき、ありがとうございます。
ご注文いただいた商品を発送しましたのでお知らせします。

注文番号: 250-1234567-7654321
注文日: 2026/11/21 22:15
お届け予定日: 2026年11月23日(月) 14:00〜16:00

お届け先:
〒123-4567
東京都千代田区千代田1-1-1 サンプルマンション 101
山田 太郎 様
電話番号: 090-1234-5678

配送業者: ヤマト運輸
お問い合わせ伝票番号: 4567-8901-2341
配送状況は次のページで確認できます（ヤマト運輸のサイトが開きます）。

一部の商品は別送です（2個口目）。
配送業者: 日本郵便（ゆうパケット）
お問い合わせ番号: ６１２３－４５６７－８９０６
郵便局の再配達受付: 0120-23-28-86（平日 8:00〜21:00）

ご注文内容:
カメラレンズ 50mm F1.8  ¥12,800
レンズフィルター 49mm    ¥2,480
小計: ¥15,280
配送料: ¥0
ご請求額: ¥15,280（税込）
お支払い方法: クレジットカード（末尾 1234）

ご不在の場合は、不在連絡票に記載の連絡先へお問い合わせください。
ヤマト運輸 サービスセンター: 0120-01-9625（8:00〜21:00）
携帯電話から: 0570-200-000

Amazon.co.jp カスタマーサービス 0120-899-543
このメールアドレスは配信専用です。返信いただいてもお答えできません。

Dear Customer,
Your order #250-1234567-7654321 has shipped on 2026-11-21 at 22:15.
Carrier: Yamato Transport. Tracking number: 4567 8901 2341.
Estimated delivery: Mon, Nov 23, 2026, 2:00 PM - 4:00 PM.
Questions? Call 0120-899-543 or +81-3-1234-5678. Reference 20261121-221500.
Item subtotal: ¥15,280.00. Gift card balance used: ¥0.00.
If you were not home, the driver may call you from 0120-070-585.

Amazon.co.jp
`

func TestShippingMailSize(t *testing.T) {
	if n := len(shippingMail); n < 1800 || n > 2600 {
		t.Errorf("shippingMail is %d bytes; want about 2 KB", n)
	}
}

func TestExtract(t *testing.T) {
	type finding struct {
		input  string
		kind   Kind
		number string
	}
	tests := []struct {
		name string
		text string
		want []finding
	}{
		{"bare number", "123456789013", []finding{{"123456789013", KindTracking, "123456789013"}}},
		{"dashed in japanese sentence", "お問い合わせ伝票番号：1234-5678-9013です。",
			[]finding{{"1234-5678-9013", KindTracking, "123456789013"}}},
		{"full-width", "伝票番号 １２３４－５６７８－９０１３ をご確認ください",
			[]finding{{"１２３４－５６７８－９０１３", KindTracking, "123456789013"}}},
		{"katakana dashes", "1234ー5678ー9013", []finding{{"1234ー5678ー9013", KindTracking, "123456789013"}}},
		{"spaced 4-4-4", "number 1234 5678 9013.", []finding{{"1234 5678 9013", KindTracking, "123456789013"}}},
		{"ideographic spaces", "1234　5678　9013", []finding{{"1234　5678　9013", KindTracking, "123456789013"}}},
		{"O for 0 in groups", "1234-5678-9O13", []finding{{"1234-5678-9O13", KindTracking, "123456789013"}}},
		{"two numbers in order, repeat dropped", "A: 2253-0009-9640 B: 600078420325 again 225300099640",
			[]finding{{"2253-0009-9640", KindTracking, "225300099640"}, {"600078420325", KindTracking, "600078420325"}}},
		{"S10", "EMS EJ123456785JP を発送", []finding{{"EJ123456785JP", KindTracking, "EJ123456785JP"}}},
		{"S10 spaced", "Tracking: EJ 123 456 785 JP", []finding{{"EJ 123 456 785 JP", KindTracking, "EJ123456785JP"}}},
		{"amazon DA", "配送番号 DA1234567890", []finding{{"DA1234567890", KindTracking, "DA1234567890"}}},
		{"amazon order number", "注文番号 250-1234567-1234567", []finding{{"250-1234567-1234567", KindOrderNumber, ""}}},
		{"wrong check digit grouped", "1234-5678-9014", []finding{{"1234-5678-9014", KindInvalid, ""}}},
		{"wrong check digit after label", "お問い合わせ番号 123456789014", []finding{{"123456789014", KindInvalid, ""}}},
		{"wrong check digit without label or groups", "ID 123456789014", nil},
		{"labelled order number", "ご注文番号：123456789013", nil},
		{"labelled member number", "会員番号 123456789013", nil},
		{"labelled order number, full-width colon and groups", "注文番号：1234-5678-9013", nil},
		{"order no.", "Order No. 123456789013 / ORDER #1234-5678-9013 / ギフト券番号 1234 5678 9013", nil},
		{"order word on the line before", "Your order has shipped.\n1234-5678-9013",
			[]finding{{"1234-5678-9013", KindTracking, "123456789013"}}},
		{"order word earlier on the same line", "Thank you for your order, here it is: 1234-5678-9013",
			[]finding{{"1234-5678-9013", KindTracking, "123456789013"}}},
		{"postal-code word not directly before", "郵便番号は下記のとおり 日本郵便 1234-5678-9013",
			[]finding{{"1234-5678-9013", KindTracking, "123456789013"}}},
		{"4-4-4-4 code", "1234-5678-9013-4444 / 1234 5678 9013 4444", nil},
		{"toll-free", "TEL 0120-01-9625", nil},
		{"toll-free 4-3-3", "0120-123-456", nil},
		{"mobile", "090-1234-5678", nil},
		{"mobile ungrouped", "09012345678", nil},
		{"landline ungrouped", "0312345678", nil},
		{"phone label", "電話 4012345678", nil},
		{"phone label does not rule out 12 digits", "お電話でのお問い合わせはご遠慮ください。123456789013",
			[]finding{{"123456789013", KindTracking, "123456789013"}}},
		{"international phone", "+81-90-1234-5678", nil},
		{"postal code", "〒123-4567 123-4567", nil},
		{"dates and times", "2026/11/23 14:02 2026-11-23 20261123 2026.11.23", nil},
		{"prices", "¥12,800 ￥1,234,567,890 1234567890円 12345678901%", nil},
		{"decimal", "3.14159265358", nil},
		{"long digit run", "12345678901234567890", nil},
		{"glued to letters", "ABC123456789013", nil},
		{"hotel is not tel", "Hotel 1234-5678-9013", []finding{{"1234-5678-9013", KindTracking, "123456789013"}}},
		{"empty", "", nil},
		{"comma-separated list", "123456789013,600078420325", []finding{{"123456789013", KindTracking, "123456789013"}, {"600078420325", KindTracking, "600078420325"}}},
		{"10 digits after a label", "送り状No. 4012345678", []finding{{"4012345678", KindTracking, "4012345678"}}},
		{"10 digits after a carrier name", "佐川急便 4012345678", []finding{{"4012345678", KindTracking, "4012345678"}}},
		{"11 digits registered mail after a label", "書留 お問い合わせ番号 12345678903", []finding{{"12345678903", KindTracking, "12345678903"}}},
		{"10 digits without a label", "Reference 4012345678", nil},
		{"17 digits in one piece", "ID 25012345671234567", nil},
		{"postal code label wins over carrier name", "日本郵便 郵便番号 1234567890", nil},
		// Issue 11: labels on the line before the number count like labels
		// on its line, for other numbers and for tracking numbers.
		{"order label on the line before", "ご注文番号\n123456789013", nil},
		{"order label on the line before, CRLF and colon", "ご注文番号：\r\n1234-5678-9013", nil},
		{"product code", "商品コード: 123456789013 / 商品コード\n1234-5678-9013", nil},
		{"receipt number", "受付番号 123456789013 受付番号\n1234-5678-9013", nil},
		{"receipt time label", "受付日時\n123456789013", nil},
		{"customer number", "お客様番号：123456789013\nお客様番号\n600078420325", nil},
		{"member number on the line before", "会員番号\n123456789013", nil},
		{"transaction ID", "取引ID: 123456789013 取引ID\n600078420325", nil},
		{"tracking label on the line before takes 10 digits", "お問い合わせ番号\n4012345678", []finding{{"4012345678", KindTracking, "4012345678"}}},
		{"order label two lines up does not label", "ご注文番号\nありがとうございました\n1234-5678-9013",
			[]finding{{"1234-5678-9013", KindTracking, "123456789013"}}},
		// New carriers.
		{"DHL 10 digits named", "DHL Express / Tracking number: 3318810025", []finding{{"3318810025", KindTracking, "3318810025"}}},
		{"DHL 11 digits named on the line before", "DHL\n73891051146", []finding{{"73891051146", KindTracking, "73891051146"}}},
		{"seino 10 digits after its name", "西濃運輸 4012345678", []finding{{"4012345678", KindTracking, "4012345678"}}},
		{"UPS spaced", "UPS: 1Z 5R8 939 03 5756 7127 を発送", []finding{{"1Z 5R8 939 03 5756 7127", KindTracking, "1Z5R89390357567127"}}},
		{"UPS bare lower case", "1z879e930346834440", []finding{{"1z879e930346834440", KindTracking, "1Z879E930346834440"}}},
		{"UPS wrong check not taken", "1Z1111111111111111", nil},
		{"UPS waybill after its name", "UPS waybill H1234567895", []finding{{"H1234567895", KindTracking, "H1234567895"}}},
		{"UPS waybill alone", "H1234567895", nil},
		{"lower-case ups is not UPS", "sign-ups 4012345678", nil},
		{"FedEx Ground 4-4-4-3 named", "FedEx Ground 0414 4176 0228 964", []finding{{"0414 4176 0228 964", KindTracking, "041441760228964"}}},
		{"FedEx Ground without a name", "ref 041441760228964", nil},
		{"FedEx 96 bare", "9611020987654312345672", []finding{{"9611020987654312345672", KindTracking, "9611020987654312345672"}}},
		{"FedEx 34 bare", "1001921334250001000300779017972697", []finding{{"1001921334250001000300779017972697", KindTracking, "1001921334250001000300779017972697"}}},
		{"FedEx-only 12 digits named", "FedEx 986578788855", []finding{{"986578788855", KindTracking, "986578788855"}}},
		{"FedEx-only 12 digits after an English label", "Tracking number: 986578788855", []finding{{"986578788855", KindTracking, "986578788855"}}},
		{"FedEx-only 12 digits alone", "986578788855", nil},
		{"FedEx-only 12 digits in 4-4-4 groups is a mistyped domestic number", "9865-7878-8855", []finding{{"9865-7878-8855", KindInvalid, ""}}},
		{"FedEx-only 12 digits in groups named FedEx", "FedEx: 9865 7878 8855", []finding{{"9865 7878 8855", KindTracking, "986578788855"}}},
		{"S10 with a country code that is none", "EMS RB123456785XX", []finding{{"RB123456785XX", KindInvalid, ""}}},
		{"fukuyama named makes a 12-digit number its", "福山通運 送り状番号 123456789014", []finding{{"123456789014", KindTracking, "123456789014"}}},
		{"fukuyama city is an address", "広島県福山市 123456789014", nil},
		{"shipping mail", shippingMail, []finding{
			{"250-1234567-7654321", KindOrderNumber, ""},
			{"4567-8901-2341", KindTracking, "456789012341"},
			{"６１２３－４５６７－８９０６", KindTracking, "612345678906"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []finding
			for _, id := range Extract(tt.text) {
				got = append(got, finding{id.Input, id.Kind, id.Number})
				if id.Kind != KindTracking && id.Error == "" {
					t.Errorf("finding %q is %q with no error", id.Input, id.Kind)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Extract(%q)\n got %q\nwant %q", tt.text, got, tt.want)
			}
		})
	}
}

func FuzzExtract(f *testing.F) {
	for _, s := range []string{
		shippingMail, "1234-5678-9013", "EJ 123 456 785 JP", "〒123-4567", "TEL0120-01-9625",
		"ー1234ー", "1234 5678 9013 ", "\xe3\x81", "お問い合わせ番号：", "a-b-c-d-e-f",
		"DHL Express / Tracking number: 3318810025", "1Z 5R8 939 03 5756 7127", "FedEx 0414 4176 0228 964",
		"ご注文番号\n123456789013", "福山通運 123456789014", "ＤＨＬ ３３１８８１００２５", "RB123456785XX",
		"Fed Ex\n986578788855", "Japan\u3000Post 1234-5678-9013 (佐川急便)\n600078420325 楽天",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, fd := range ExtractContext(text) {
			if fd.Start < 0 || fd.End > len(text) || text[fd.Start:fd.End] != fd.Input {
				t.Fatalf("ExtractContext(%q) found %q at [%d:%d], which is not there", text, fd.Input, fd.Start, fd.End)
			}
			for _, e := range fd.Evidence {
				if e.Start < 0 || e.End > len(text) || text[e.Start:e.End] != e.Word || (e.Carrier == "") == (e.Shop == "") {
					t.Fatalf("ExtractContext(%q) evidence %+v is not in the text or names neither or both a carrier and a shop", text, e)
				}
			}
			seen := map[string]bool{}
			for _, c := range fd.Candidates {
				if seen[c.Carrier] {
					t.Fatalf("ExtractContext(%q) lists %s twice: %q", text, c.Carrier, fd.Carriers())
				}
				seen[c.Carrier] = true
			}
		}
		for _, id := range Extract(text) {
			if !strings.Contains(text, id.Input) || id.Input == "" {
				t.Fatalf("Extract(%q) found %q, which is not in the text", text, id.Input)
			}
			if id.Kind == KindTracking {
				if n, _ := Normalize(id.Number); n != id.Number || len(id.Candidates) == 0 || id.Error != "" {
					t.Fatalf("Extract(%q) found %+v: a tracking finding must be normal, with candidates and no error", text, id)
				}
			} else if id.Number != "" || len(id.Candidates) != 0 || id.Error == "" {
				t.Fatalf("Extract(%q) found %+v: a rejection must have no number or candidates, and an error", text, id)
			}
		}
	})
}

func BenchmarkExtract(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(shippingMail)))
	for b.Loop() {
		Extract(shippingMail)
	}
}
