package notify

import (
	"fmt"
	"time"

	"github.com/todoku/todoku/carriers"
)

// phrases are the fixed texts of one language.
type phrases struct {
	lang string
	// what happened, per kind (delivery failures and exceptions by reason).
	failed           map[carriers.Reason]string
	exception        map[carriers.Reason]string
	kind             map[Kind]string
	titleFmt         string // what, subject, carrier
	trackingNumber   string
	deadline         string
	deadlineGuess    string
	openNow          string
	closed           string
	opensAt          string // closed, when
	tomorrow         string
	office           string
	trackTitle       string // number, carrier
	trackRebookTitle string // number, carrier
	rebookTitle      string // carrier
	searchTitle      string // carrier: a search page where the number is pasted
	notFoundAdvice   string
	amazonNote       string
	noDetails        string
	late             string // age, queued at
	degraded         string
	shop             string // added from mail: the shop
	added            string // added from mail: what happens now
}

var phrasesJA = phrases{
	lang: "ja",
	failed: map[carriers.Reason]string{
		carriers.ReasonAbsent:         "不在持戻り",
		carriers.ReasonNoAccess:       "配達できず（入館・投函不可）",
		carriers.ReasonAddressUnknown: "宛先不明",
		carriers.ReasonRefused:        "受取拒否",
		carriers.ReasonNone:           "配達できず",
	},
	exception: map[carriers.Reason]string{
		carriers.ReasonInvestigating: "調査中",
		carriers.ReasonNone:          "要確認",
	},
	kind: map[Kind]string{
		KindAwaitingPickup:  "保管中",
		KindReturned:        "差出人へ返送",
		KindDelivered:       "配達完了",
		KindOutForDelivery:  "配達中",
		KindStale:           "更新なし",
		KindNotFoundTooLong: "番号が見つかりません",
		KindOperator:        "todoku 運用通知",
		KindAdded:           "メールから追加",
	},
	titleFmt:         "%s: %s（%s）",
	trackingNumber:   "お問い合わせ番号 ",
	deadline:         "受取期限 ",
	deadlineGuess:    "受取期限の目安 ",
	openNow:          "受付中",
	closed:           "受付時間外",
	opensAt:          "%s・%sから",
	tomorrow:         "明日",
	office:           "営業所",
	trackTitle:       "%s の配送状況（%s）",
	trackRebookTitle: "%s の配送状況・再配達（%s）",
	rebookTitle:      "再配達を依頼（%s）",
	searchTitle:      "%sの追跡ページ（番号を貼り付け）",
	notFoundAdvice:   "番号の入力ミスかもしれません。伝票やメールの番号を確かめてください。",
	amazonNote: "Amazonの配達員は 0120-070-585 から電話します。" +
		"再配達はAmazonアプリの 注文履歴 → 配送状況を確認 から依頼してください。",
	noDetails: "（詳細なし）",
	late:      "⏳ %s遅れの通知です（%s に検知）",
	degraded:  "※ページの形式が変わったため本文から読み取りました",
	shop:      "ショップ: ",
	added:     "追跡を始めました。不要ならステータスページか todoku remove で外せます。",
}

var phrasesEN = phrases{
	lang: "en",
	failed: map[carriers.Reason]string{
		carriers.ReasonAbsent:         "Missed delivery",
		carriers.ReasonNoAccess:       "Could not deliver (no access)",
		carriers.ReasonAddressUnknown: "Address unknown",
		carriers.ReasonRefused:        "Delivery refused",
		carriers.ReasonNone:           "Delivery failed",
	},
	exception: map[carriers.Reason]string{
		carriers.ReasonInvestigating: "Under investigation",
		carriers.ReasonNone:          "Needs attention",
	},
	kind: map[Kind]string{
		KindAwaitingPickup:  "Held for pickup",
		KindReturned:        "Returned to sender",
		KindDelivered:       "Delivered",
		KindOutForDelivery:  "Out for delivery",
		KindStale:           "No updates",
		KindNotFoundTooLong: "Number not found",
		KindOperator:        "todoku operator notice",
		KindAdded:           "Added from mail",
	},
	titleFmt:         "%s: %s (%s)",
	trackingNumber:   "Tracking number ",
	deadline:         "Pick up by ",
	deadlineGuess:    "Pick up by about ",
	openNow:          "Open now",
	closed:           "Closed",
	opensAt:          "%s, opens %s",
	tomorrow:         "tomorrow ",
	office:           "office",
	trackTitle:       "Track %s (%s)",
	trackRebookTitle: "Track or rebook %s (%s)",
	rebookTitle:      "Rebook delivery (%s)",
	searchTitle:      "%s tracking page (paste the number)",
	notFoundAdvice:   "The number may be mistyped: check it against the slip or the e-mail.",
	amazonNote: "Amazon's own drivers call from 0120-070-585. " +
		"Arrange redelivery in the Amazon app: 注文履歴 → 配送状況を確認 (Your Orders → Track package).",
	noDetails: "(no details)",
	late:      "⏳ Sent %s late (noticed %s)",
	degraded:  "※ Read from the page text: the carrier's page layout has changed",
	shop:      "Shop: ",
	added:     "todoku tracks it now; remove it on the status page or with todoku remove.",
}

func phrasesFor(lang string) *phrases {
	if lang == "en" {
		return &phrasesEN
	}
	return &phrasesJA
}

// what names what happened, e.g. 不在持戻り or "Missed delivery".
func (p *phrases) what(k Kind, r carriers.Reason) string {
	switch k {
	case KindDeliveryFailed:
		if s, ok := p.failed[r]; ok {
			return s
		}
		return p.failed[carriers.ReasonNone]
	case KindException:
		if s, ok := p.exception[r]; ok {
			return s
		}
		return p.exception[carriers.ReasonNone]
	}
	if s, ok := p.kind[k]; ok {
		return s
	}
	return string(k)
}

var weekdaysJA = [...]string{"日", "月", "火", "水", "木", "金", "土"}

// day formats the date of t in Tokyo: 11月23日(月) or "Mon 23 Nov".
func (p *phrases) day(t time.Time) string {
	t = t.In(carriers.Tokyo)
	if p.lang == "en" {
		return t.Format("Mon 2 Jan")
	}
	return fmt.Sprintf("%d月%d日(%s)", t.Month(), t.Day(), weekdaysJA[t.Weekday()])
}

// clock formats the time of day of t in Tokyo: 8:00, 14:02.
func clock(t time.Time) string {
	t = t.In(carriers.Tokyo)
	return fmt.Sprintf("%d:%02d", t.Hour(), t.Minute())
}

// openStatus says whether a line is open now, e.g. 受付中 or
// 受付時間外・明日8:00から.
func (p *phrases) openStatus(open bool, next, now time.Time) string {
	if open {
		return p.openNow
	}
	if next.IsZero() {
		return p.closed
	}
	n, t := now.In(carriers.Tokyo), next.In(carriers.Tokyo)
	today := time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, carriers.Tokyo)
	var when string
	switch {
	case t.Before(today.AddDate(0, 0, 1)):
		when = clock(t)
	case t.Before(today.AddDate(0, 0, 2)):
		when = p.tomorrow + clock(t)
	default:
		when = p.day(t) + " " + clock(t)
	}
	return fmt.Sprintf(p.opensAt, p.closed, when)
}
