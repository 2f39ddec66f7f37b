package yamato

import (
	"testing"

	"github.com/todoku/todoku/carriers"
)

func TestClassify(t *testing.T) {
	cases := []struct {
		raw    string
		status carriers.Status
		reason carriers.Reason
	}{
		// research §2b / §8, exact words.
		{"出荷指示", carriers.StatusInfoReceived, ""},
		{"伝票番号発行", carriers.StatusInfoReceived, ""},
		{"投函予定", carriers.StatusInfoReceived, ""},
		{"荷物受付", carriers.StatusInTransit, ""},
		{"発送", carriers.StatusInTransit, ""},
		{"発送済み", carriers.StatusInTransit, ""},
		{"作業店通過", carriers.StatusInTransit, ""},
		{"中継店通過", carriers.StatusInTransit, ""},
		{"輸送中", carriers.StatusInTransit, ""},
		{"航空搭載", carriers.StatusInTransit, ""},
		{"陸・海上切替え", carriers.StatusInTransit, ""},
		{"輸送経路修正", carriers.StatusInTransit, ""},
		{"配達店到着", carriers.StatusInTransit, ""},
		{"配達準備中", carriers.StatusInTransit, ""},
		{"配達担当店保管中", carriers.StatusInTransit, ""},
		{"配達日・時間帯指定（保管中）", carriers.StatusInTransit, ""},
		{"転送", carriers.StatusInTransit, ""},
		{"引渡", carriers.StatusInTransit, ""},
		{"委託先引渡", carriers.StatusInTransit, ""},
		{"海外荷物受付", carriers.StatusInTransit, ""},
		{"国内到着", carriers.StatusInTransit, ""},
		{"配達中", carriers.StatusOutForDelivery, ""},
		{"持ち出し中", carriers.StatusOutForDelivery, ""},
		{"配達完了", carriers.StatusDelivered, ""},
		{"配達完了（宅配ボックス）", carriers.StatusDelivered, ""},
		{"投函完了", carriers.StatusDelivered, ""},
		{"お客様引渡完了", carriers.StatusDelivered, ""},
		{"持戻（ご不在）", carriers.StatusDeliveryFailed, carriers.ReasonAbsent},
		{"持戻（休業）", carriers.StatusDeliveryFailed, carriers.ReasonNoAccess},
		{"持戻（宅配BOX不可）120以上", carriers.StatusDeliveryFailed, carriers.ReasonNoAccess},
		{"ご来店予定（保管中）", carriers.StatusAwaitingPickup, ""},
		{"保管中（ご指定店）", carriers.StatusAwaitingPickup, ""},
		{"調査中", carriers.StatusException, carriers.ReasonInvestigating},
		{"返品", carriers.StatusReturned, ""},
		{"返品完了", carriers.StatusReturned, ""},
		{"返送完了", carriers.StatusReturned, ""},
		// The Ruby status table of code id 30227778396.
		{"配達予定", carriers.StatusInTransit, ""},
		{"配送予定", carriers.StatusInTransit, ""},
		{"荷受け", carriers.StatusInTransit, ""},
		{"配送店到着", carriers.StatusInTransit, ""},
		{"配送中", carriers.StatusInTransit, ""},
		{"配送完了", carriers.StatusDelivered, ""},
		{"海外発送", carriers.StatusInTransit, ""},
		// Requests: in_transit rows that never decide the status.
		{"依頼受付（再配達）", carriers.StatusInTransit, ""},
		{"依頼受付（置き場所変更）", carriers.StatusInTransit, ""},
		{"依頼受付(置き場所変更)", carriers.StatusInTransit, ""},
		{"依頼受付（日・時間帯変更）", carriers.StatusInTransit, ""},
		{"依頼受付(保管)", carriers.StatusInTransit, ""},
		// [unverified] words from third-party tables.
		{"住所不明", carriers.StatusDeliveryFailed, carriers.ReasonAddressUnknown},
		{"転居先不明", carriers.StatusDeliveryFailed, carriers.ReasonAddressUnknown},
		{"受取拒否", carriers.StatusDeliveryFailed, carriers.ReasonRefused},
		{"受取辞退", carriers.StatusDeliveryFailed, carriers.ReasonRefused},
		{"長期不在", carriers.StatusDeliveryFailed, carriers.ReasonAbsent},
		// Normalisation: markers, spaces, half-width brackets, full-width letters.
		{" ↓配達完了 ", carriers.StatusDelivered, ""},
		{"⇒配達中", carriers.StatusOutForDelivery, ""},
		{"持戻　（ご不在）", carriers.StatusDeliveryFailed, carriers.ReasonAbsent},
		{"持戻(ご不在)", carriers.StatusDeliveryFailed, carriers.ReasonAbsent},
		{"持戻（宅配ＢＯＸ不可）１２０以上", carriers.StatusDeliveryFailed, carriers.ReasonNoAccess},
		// Prefix and contains rules.
		{"持戻（置き配不能）サイズオーバー", carriers.StatusDeliveryFailed, carriers.ReasonNoAccess},
		{"持戻（転居先不明）", carriers.StatusDeliveryFailed, carriers.ReasonAddressUnknown},
		{"持戻（受取拒否）", carriers.StatusDeliveryFailed, carriers.ReasonRefused},
		{"持戻（その他）", carriers.StatusDeliveryFailed, carriers.ReasonOther},
		{"配達完了（置き配）", carriers.StatusDelivered, ""},
		{"返品（ご依頼主さまへ）", carriers.StatusReturned, ""},
		{"調査中（事故）", carriers.StatusException, carriers.ReasonInvestigating},
		{"ご来店予定（営業所）", carriers.StatusAwaitingPickup, ""},
		{"保管中（営業所）", carriers.StatusAwaitingPickup, ""},
		// Never guessed.
		{"", carriers.StatusUnknown, ""},
		{"お届け完了通知を依頼", carriers.StatusUnknown, ""},
		{"保管中", carriers.StatusUnknown, ""},
		{"新しいステータス", carriers.StatusUnknown, ""},
	}
	for _, tc := range cases {
		t.Run(tc.raw, func(t *testing.T) {
			s, r := Classify(tc.raw)
			if s != tc.status || r != tc.reason {
				t.Errorf("Classify(%q) = %s/%s, want %s/%s", tc.raw, s, r, tc.status, tc.reason)
			}
		})
	}
}

func TestIsNotFound(t *testing.T) {
	cases := map[string]bool{
		"伝票番号誤り": true, "伝票番号未登録": true, "該当なし": true, "データがありません": true,
		" 伝票番号誤り ": true, "配達完了": false, "": false, "伝票番号": false,
	}
	for title, want := range cases {
		if got := isNotFound(title); got != want {
			t.Errorf("isNotFound(%q) = %v, want %v", title, got, want)
		}
	}
}

func TestSummarizeSkipsRequests(t *testing.T) {
	ev := func(raw string) carriers.Event {
		st, r := Classify(raw)
		return carriers.Event{Raw: raw, Status: st, Reason: r}
	}
	cases := []struct {
		rows   []string
		status carriers.Status
	}{
		{[]string{"配達中", "持戻（ご不在）", "依頼受付（再配達）"}, carriers.StatusDeliveryFailed},
		{[]string{"配達中", "持戻（ご不在）", "依頼受付(保管)", "未知の語"}, carriers.StatusDeliveryFailed},
		{[]string{"配達店到着", "依頼受付（日・時間帯変更）"}, carriers.StatusInTransit},
		{[]string{"持戻（ご不在）", "依頼受付（再配達）", "配達中"}, carriers.StatusOutForDelivery},
		{[]string{"依頼受付（再配達）"}, carriers.StatusUnknown},
	}
	for _, tc := range cases {
		var events []carriers.Event
		for _, r := range tc.rows {
			events = append(events, ev(r))
		}
		if got, _ := summarize(events); got != tc.status {
			t.Errorf("summarize(%v) = %s, want %s", tc.rows, got, tc.status)
		}
	}
}
