package amazon

import "github.com/todoku/todoku/carriers"

// Sources named by the contact entries.
const (
	srcDefaults = "shared/DESIGN.md, \"Defaults known so far\" (Amazon delivery row; from consumer articles)"
	srcCallers  = "shared/DESIGN.md, \"Numbers people receive calls or messages from\" (from consumer articles)"
	srcResearch = "shared/research/carriers.md §5 (no public tracking page; chimoniri.com/187.html, lifestyle.assist-all.co.jp)"
)

// Contacts returns Amazon's contact directory entry: customer-service
// numbers, and, for `todoku whois`, the numbers people receive calls and
// SMS from. None is confirmed by two independent sources; any caller ID
// or SMS sender can be spoofed.
func Contacts() carriers.Contacts {
	return carriers.Contacts{
		Carrier: Name,
		NameJA:  "Amazon",
		NameEN:  "Amazon",
		Phones: []carriers.Phone{
			{Number: "0120-899-543", Kind: carriers.PhoneAny, Label: "カスタマーサービス（サインインできない場合）",
				Hours: carriers.Hours{Weekday: "24h"}, Source: srcDefaults, Confirmed: false},
			{Number: "0120-999-373", Kind: carriers.PhoneAny, Label: "カスタマーサービス",
				Hours: carriers.Hours{Weekday: "09:00-21:00"}, Source: srcCallers + " (\"also listed: 0120-999-373 (9:00–21:00)\")", Confirmed: false},
		},
		// No public tracking page, and no redelivery page outside the app.
		TrackingURL:   "",
		RedeliveryURL: "",
		Domains:       []string{"amazon.co.jp"},
		Trackable:     false,
		NoteJA: "Amazonの配送はAmazonアプリ／amazon.co.jpでのみ追跡できます（注文履歴 → 配送状況を確認）。" +
			"再配達・置き配の変更もアプリの注文履歴 → 配送状況を確認から。配達ドライバーは0120-070-585から電話することがあります。" +
			"SMSのリンクは開かず、アプリで確認してください。",
		NoteEN: "Amazon deliveries can be tracked only in the Amazon app or on amazon.co.jp (Your Orders → Track package). " +
			"Rebook or change the drop-off there too. Drivers may call from 0120-070-585. " +
			"Never follow a link in an SMS: open the app instead.",
		Callers: callers(),
		Source:  srcResearch + "; " + srcDefaults + "; " + srcCallers,
	}
}

// callers lists every number in DESIGN.md's "Numbers people receive calls
// or messages from" table.
func callers() []carriers.Caller {
	const smsNote = "Amazonの配送通知SMSの送信元として掲載。SMSはなりすましが可能です。リンクは開かず、Amazonアプリで確認してください。"
	const cbNote = "コールバック依頼後にAmazonカスタマーサービスがかけてくる番号。この番号にかけ直してもAmazonにはつながりません。"
	const noAccount = "アカウントのない人向けのAmazonヘルプとして掲載。"
	return []carriers.Caller{
		{Number: "0120-070-585", Who: "Amazon配達ドライバー（Amazon Flex／デリバリープロバイダ）",
			Note:     "不在・住所・オートロック・置き配場所についての電話。かけ直して担当ドライバーにつながるかは未確認です。",
			CallBack: carriers.CallBackUnknown, Source: srcCallers, Confirmed: false},
		{Number: "011-330-3000", Who: "Amazonカスタマーサービス（折り返し）", Note: cbNote, CallBack: carriers.CallBackNo, Source: srcCallers, Confirmed: false},
		{Number: "022-745-6366", Who: "Amazonカスタマーサービス（折り返し）", Note: cbNote, CallBack: carriers.CallBackNo, Source: srcCallers, Confirmed: false},
		{Number: "0120-899-543", Who: "Amazonカスタマーサービス", Note: "サインインできない人向け。0120-999-373（9:00–21:00）も掲載されています。",
			CallBack: carriers.CallBackYes, Source: srcCallers, Confirmed: false},
		{Number: "0120-899-190", Who: "Amazonヘルプ（アカウントなし）", Note: noAccount, CallBack: carriers.CallBackYes, Source: srcCallers, Confirmed: false},
		{Number: "050-3032-2207", Who: "Amazonヘルプ（アカウントなし）", Note: noAccount, CallBack: carriers.CallBackYes, Source: srcCallers, Confirmed: false},
		{Number: "+81-50-3032-2207", Who: "Amazonヘルプ（アカウントなし）", Note: noAccount + "050-3032-2207の国際表記。", CallBack: carriers.CallBackYes, Source: srcCallers, Confirmed: false},
		{Number: "090-9009-7540", Who: "Amazon配送通知SMSの送信元", Note: smsNote, SMS: true, CallBack: carriers.CallBackUnknown, Source: srcCallers, Confirmed: false},
		{Number: "080-2158-5817", Who: "Amazon配送通知SMSの送信元", Note: smsNote, SMS: true, CallBack: carriers.CallBackUnknown, Source: srcCallers, Confirmed: false},
		{Number: "010-852-6451-5445", Who: "Amazon配送通知SMSの送信元", Note: smsNote, SMS: true, CallBack: carriers.CallBackUnknown, Source: srcCallers, Confirmed: false},
	}
}
