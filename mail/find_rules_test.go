package mail

import (
	"slices"
	"strings"
	"testing"
)

func TestFindRules(t *testing.T) {
	tests := []struct {
		name     string
		m        Message
		numbers  []string
		carriers [][]string // per number; nil = not checked
		label    string     // of the first; "" = not checked
		shop     string
	}{
		{
			name:    "order label on the line above excludes the number",
			m:       Message{Subject: "ご注文確認", Text: "ご注文番号：\n314159265350\n"},
			numbers: nil,
		},
		{
			name:    "member label above, alone, with brackets",
			m:       Message{Subject: "x", Text: "【会員番号】\n  271828182846\n"},
			numbers: nil,
		},
		{
			name:    "English order number label above",
			m:       Message{Subject: "x", Text: "Your order number:\n314159265350\n"},
			numbers: nil,
		},
		{
			name:    "a label above that is not alone does not exclude",
			m:       Message{Subject: "x", Text: "注文番号とは別に、お問い合わせ番号をお送りします\n314159265350\n"},
			numbers: []string{"314159265350"},
		},
		{
			name:    "a tracking label on the number's line wins over an order label above",
			m:       Message{Subject: "x", Text: "ご注文番号\nお問い合わせ番号：314159265350\n"},
			numbers: []string{"314159265350"},
		},
		{
			name:     "carrier on the line above ranks first",
			m:        Message{Subject: "x", Text: "配送会社：佐川急便\n伝票番号：314159265350\n"},
			numbers:  []string{"314159265350"},
			carriers: [][]string{{"sagawa", "yamato", "japanpost"}},
		},
		{
			name:     "carrier after the number on its line",
			m:        Message{Subject: "x", Text: "314159265350（ゆうパック）\n"},
			numbers:  []string{"314159265350"},
			carriers: [][]string{{"japanpost", "yamato", "sagawa"}},
		},
		{
			name: "each number of a split shipment gets its own carrier",
			m: Message{Subject: "x", Text: "配送会社：日本郵便\nお問い合わせ番号：230947166531\n\n" +
				"配送会社：佐川急便\nお問い合わせ番号：711029384656\n"},
			numbers: []string{"230947166531", "711029384656"},
			// The other parcel's carrier, named elsewhere, comes second.
			carriers: [][]string{{"japanpost", "sagawa", "yamato"}, {"sagawa", "japanpost", "yamato"}},
		},
		{
			name: "the only carrier the mail names, far from the number",
			m: Message{Subject: "x", Text: "らくらくメルカリ便で発送されました。\n\n\n\n\n\n" +
				"追跡番号\n314159265350\n"},
			numbers:  []string{"314159265350"},
			carriers: [][]string{{"yamato", "japanpost", "sagawa"}},
		},
		{
			name: "two carriers named far away: the nearer first",
			m: Message{Subject: "x", Text: "ヤマト運輸または佐川急便でお届けします。\n\n\n\n\n\n" +
				"追跡番号\n314159265350\n"},
			numbers:  []string{"314159265350"},
			carriers: [][]string{{"sagawa", "yamato", "japanpost"}},
		},
		{
			name:     "a service named after the number on its line",
			m:        Message{Subject: "x", Text: "追跡番号：314159265350（クリックポスト）\n"},
			numbers:  []string{"314159265350"},
			carriers: [][]string{{"japanpost", "yamato", "sagawa"}},
		},
		{
			name:     "a named carrier outranks a service",
			m:        Message{Subject: "x", Text: "ネコポス\n配送：日本郵便\n追跡番号：314159265350\n"},
			numbers:  []string{"314159265350"},
			carriers: [][]string{{"japanpost", "yamato", "sagawa"}},
		},
		{
			name:     "a carrier that cannot own the number is not added",
			m:        Message{Subject: "x", Text: "佐川急便 EMS: EE123456785JP\n"},
			numbers:  []string{"EE123456785JP"},
			carriers: [][]string{{"japanpost"}},
		},
		{
			name:    "order, phone and invalid numbers are never found",
			m:       Message{Subject: "x", Text: "注文番号 250-1234567-1234567\nTEL 0120-01-9625\n追跡番号：EE123456780JP\n"},
			numbers: nil,
		},
		{
			name:    "label falls back to the subject without Fwd",
			m:       Message{Subject: "Fwd: FW: 発送のお知らせ", Text: "伝票番号：314159265350\n"},
			numbers: []string{"314159265350"},
			label:   "発送のお知らせ",
		},
		{
			name: "shop from a forwarded sender, not the forwarder",
			m: Message{Subject: "転送: 発送", From: []string{"Taro <taro@example.jp>"},
				ForwardedFrom: []string{"<ship@yodobashi.com>"}, Text: "商品名：カメラ\n伝票番号：314159265350\n"},
			numbers: []string{"314159265350"},
			label:   "カメラ (ヨドバシ.com)",
			shop:    "ヨドバシ.com",
		},
		{
			name:    "product labels that are not names are skipped",
			m:       Message{Subject: "発送", From: []string{"Shop <a@shop.example>"}, Text: "商品代金：1,000円\n商品番号：A-1\n伝票番号：314159265350\n"},
			numbers: []string{"314159265350"},
			label:   "発送",
			shop:    "Shop",
		},
		{
			name:    "long product names are cut",
			m:       Message{Subject: "x", From: []string{"Shop <a@b.example>"}, Text: "商品名：" + strings.Repeat("長", 60) + "\n伝票番号：314159265350\n"},
			numbers: []string{"314159265350"},
			label:   strings.Repeat("長", maxProductRunes) + "… (Shop)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Find(&tt.m)
			var nums []string
			for _, f := range got {
				nums = append(nums, f.Number)
			}
			if !slices.Equal(nums, tt.numbers) {
				t.Fatalf("numbers = %q, want %q", nums, tt.numbers)
			}
			for i, want := range tt.carriers {
				if !slices.Equal(got[i].Carriers, want) {
					t.Errorf("carriers of %s = %q, want %q", got[i].Number, got[i].Carriers, want)
				}
			}
			if tt.label != "" && got[0].Label != tt.label {
				t.Errorf("label = %q, want %q", got[0].Label, tt.label)
			}
			if tt.shop != "" && got[0].Shop != tt.shop {
				t.Errorf("shop = %q, want %q", got[0].Shop, tt.shop)
			}
		})
	}
}
