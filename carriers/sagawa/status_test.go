package sagawa

import (
	"testing"
	"time"

	"github.com/todoku/todoku/carriers"
)

// TestLookup covers every Sagawa word in shared/research/carriers.md §3b
// and §8, the old 2009 wording, and the [unverified] failure words.
func TestLookup(t *testing.T) {
	tests := []struct {
		raw    string
		status carriers.Status
		reason carriers.Reason
		hold   bool
	}{
		{"荷物受付", carriers.StatusInfoReceived, "", false},
		{"↓集荷", carriers.StatusInTransit, "", false},
		{"↓輸送中", carriers.StatusInTransit, "", false},
		{"↓保管中", carriers.StatusInTransit, "", true},
		{"↓配達中", carriers.StatusOutForDelivery, "", false},
		{"⇒配達完了", carriers.StatusDelivered, "", false},
		{"　⇒ 配達完了 ", carriers.StatusDelivered, "", false},
		{"持戻り", carriers.StatusDeliveryFailed, carriers.ReasonAbsent, false},
		{"ご不在", carriers.StatusDeliveryFailed, carriers.ReasonAbsent, false},
		{"調査中", carriers.StatusException, carriers.ReasonInvestigating, false},
		{"引渡完了", carriers.StatusDelivered, "", false},
		{"配達終了", carriers.StatusDelivered, "", false},
		{"配達は終了致しました。", carriers.StatusDelivered, "", false},
		{"ご不在でしたので、お預かりしております。", carriers.StatusDeliveryFailed, carriers.ReasonAbsent, false},
		{"配達店へ持ち帰りました。", carriers.StatusDeliveryFailed, carriers.ReasonAbsent, false},
		{"久喜店から配達に出発致しました。", carriers.StatusOutForDelivery, "", false},
		{"城南店を出発致しました。", carriers.StatusInTransit, "", false},
		{"お荷物をお預かり致しました。", carriers.StatusInTransit, "", false},
		{"広島店でお預かりしております。", carriers.StatusInTransit, "", true},
		{"住所不明", carriers.StatusDeliveryFailed, carriers.ReasonAddressUnknown, false},
		{"受取拒否", carriers.StatusDeliveryFailed, carriers.ReasonRefused, false},
		{"受取辞退", carriers.StatusDeliveryFailed, carriers.ReasonRefused, false},
		{"長期不在", carriers.StatusDeliveryFailed, carriers.ReasonAbsent, false},
		{"返品", carriers.StatusReturned, "", false},
		{"差出人へ返送", carriers.StatusReturned, "", false},
		{"幹線輸送中", carriers.StatusInTransit, "", false},
		// sm-trz/sagawa-monitor carriers/sagawa.js normalisation table.
		{"お届け中", carriers.StatusOutForDelivery, "", false},
		{"出荷情報受付", carriers.StatusInfoReceived, "", false},
		{"受け取り辞退", carriers.StatusDeliveryFailed, carriers.ReasonRefused, false},
		{"受け取り拒否", carriers.StatusDeliveryFailed, carriers.ReasonRefused, false},
		{"不在持戻", carriers.StatusDeliveryFailed, carriers.ReasonAbsent, false},
		{"長期間不在", carriers.StatusDeliveryFailed, carriers.ReasonAbsent, false},
		{"差出人返送", carriers.StatusReturned, "", false},
		{"配達店到着", carriers.StatusInTransit, "", false},
		// Another carrier's word: unknown to Sagawa.
		{"依頼受付（再配達）", carriers.StatusUnknown, "", false},
		{"営業所保管", carriers.StatusInTransit, "", true},
		// 該当なし is a page state, never a history word: Parse handles it.
		{"該当なし", carriers.StatusUnknown, "", false},
		{"仕分け作業中", carriers.StatusUnknown, "", false},
		{"", carriers.StatusUnknown, "", false},
		{"⇒", carriers.StatusUnknown, "", false},
	}
	for _, tc := range tests {
		t.Run(tc.raw, func(t *testing.T) {
			got := lookup(tc.raw)
			if got.status != tc.status || got.reason != tc.reason || got.hold != tc.hold {
				t.Errorf("lookup(%q) = %s/%s hold=%v, want %s/%s hold=%v", tc.raw, got.status, got.reason, got.hold, tc.status, tc.reason, tc.hold)
			}
		})
	}
}

func TestApplyRules(t *testing.T) {
	tests := []struct {
		name   string
		words  []string
		pickup bool
		want   carriers.Status
		reason carriers.Reason
	}{
		{"held before delivery", []string{"集荷", "輸送中", "保管中"}, false, carriers.StatusInTransit, ""},
		{"held after attempt", []string{"集荷", "配達中", "保管中"}, false, carriers.StatusDeliveryFailed, carriers.ReasonAbsent},
		{"held for collection", []string{"集荷", "輸送中", "保管中"}, true, carriers.StatusAwaitingPickup, ""},
		{"collection after attempt is a failure", []string{"集荷", "配達中", "保管中"}, true, carriers.StatusDeliveryFailed, carriers.ReasonAbsent},
		{"delivered after a failed attempt", []string{"配達中", "保管中", "配達中", "配達完了"}, false, carriers.StatusDelivered, ""},
		{"out again after a failed attempt", []string{"配達中", "持戻り", "配達中"}, false, carriers.StatusOutForDelivery, ""},
		{"investigating", []string{"集荷", "調査中"}, false, carriers.StatusException, carriers.ReasonInvestigating},
		{"unknown word after a failed attempt", []string{"集荷", "配達中", "保管中", "依頼受付（再配達）"}, false, carriers.StatusDeliveryFailed, carriers.ReasonAbsent},
		{"unknown word after 持戻り", []string{"配達中", "持戻り", "仕分け作業中"}, false, carriers.StatusDeliveryFailed, carriers.ReasonAbsent},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ev := make([]carriers.Event, len(tc.words))
			for i, w := range tc.words {
				ev[i] = carriers.Event{Time: time.Date(2026, 11, 20+i, 9, 0, 0, 0, carriers.Tokyo), Raw: w}
			}
			applyRules(ev, tc.pickup)
			st, rs := carriers.Summarize(ev)
			if st != tc.want || rs != tc.reason {
				t.Errorf("%v: got %s/%s, want %s/%s", tc.words, st, rs, tc.want, tc.reason)
			}
		})
	}
}
