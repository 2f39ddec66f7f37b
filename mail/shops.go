package mail

import "strings"

// shop is a shop (or marketplace) whose shipping mails todoku knows.
type shop struct {
	name    string   // as shown in labels
	domains []string // sender domains; a sender at a subdomain matches too
	words   []string // how the mail names it in its text
}

// shops are the shops recognised by sender domain or name. None of them
// implies a carrier: Amazon, the marketplaces and ヨドバシ each hand
// parcels to several carriers (and some to their own drivers), so the
// carrier is taken from what the mail says near the number (see
// carrierWords), never guessed from the shop.
var shops = []shop{
	{"Amazon.co.jp", []string{"amazon.co.jp", "amazon.jp"}, []string{"Amazon.co.jp", "アマゾン"}},
	{"楽天市場", []string{"rakuten.co.jp", "rakuten.ne.jp", "rakuten.com"}, []string{"楽天市場", "楽天ブックス", "Rakuten"}},
	{"Yahoo!ショッピング", []string{"shopping.yahoo.co.jp", "mail.yahoo.co.jp", "store.yahoo.co.jp"}, []string{"Yahoo!ショッピング", "Yahoo！ショッピング", "ヤフーショッピング", "Yahoo! JAPAN ショッピング"}},
	{"メルカリ", []string{"mercari.jp", "mercari.com", "mercari-shops.com"}, []string{"メルカリ"}},
	{"ヨドバシ.com", []string{"yodobashi.com", "yodobashi.co.jp"}, []string{"ヨドバシ", "Yodobashi"}},
	{"ビックカメラ", []string{"biccamera.com", "biccamera.co.jp"}, []string{"ビックカメラ"}},
	{"ZOZOTOWN", []string{"zozo.jp"}, []string{"ZOZOTOWN"}},
	{"ユニクロ", []string{"uniqlo.com", "uniqlo.co.jp"}, []string{"ユニクロ", "UNIQLO"}},
	{"AliExpress", []string{"aliexpress.com", "aliexpress.us"}, []string{"AliExpress"}},
}

// serviceWord is the name of a delivery service that does not contain
// its carrier's name, which carriers.ExtractContext does not know.
type serviceWord struct {
	word    string
	carrier string
}

// serviceWords are delivery services named in shipping mails. らくらく
// メルカリ便 and ネコポス are carried by Yamato, ゆうゆうメルカリ便 and
// クリックポスト by Japan Post (Mercari's and the carriers' help pages).
var serviceWords = []serviceWord{
	{"らくらくメルカリ便", "yamato"}, {"ネコポス", "yamato"},
	{"ゆうゆうメルカリ便", "japanpost"}, {"クリックポスト", "japanpost"}, {"スマートレター", "japanpost"},
}

// findShop names the shop a message comes from: a known sender domain
// (forwarded senders before the forwarder), else a known name in the
// subject or text, else the display name of the original sender of a
// forwarded mail or of the mail itself. It returns "" when there is none.
func findShop(m *Message) string {
	senders := orderedSenders(m)
	for _, s := range senders {
		domain := senderDomain(s)
		for _, sh := range shops {
			for _, d := range sh.domains {
				if domain == d || strings.HasSuffix(domain, "."+d) {
					return sh.name
				}
			}
		}
	}
	hay := strings.ToUpper(m.Subject + "\n" + m.Text)
	for _, sh := range shops {
		for _, w := range sh.words {
			if strings.Contains(hay, strings.ToUpper(w)) {
				return sh.name
			}
		}
	}
	if len(senders) > 0 {
		return displayName(senders[0])
	}
	return ""
}

// orderedSenders returns the senders of forwarded messages first: the
// forwarder is not the shop.
func orderedSenders(m *Message) []string {
	return append(append([]string{}, m.ForwardedFrom...), m.From...)
}

// senderDomain returns the lower-cased domain of "Name <a@b>" or "a@b".
func senderDomain(s string) string {
	if i := strings.LastIndexByte(s, '<'); i >= 0 {
		s = s[i+1:]
	}
	s = strings.TrimRight(strings.TrimSpace(s), ">")
	at := strings.LastIndexByte(s, '@')
	if at < 0 {
		return ""
	}
	return strings.ToLower(s[at+1:])
}

// displayName returns the name part of "Name <a@b>", without quotes.
func displayName(s string) string {
	name := s
	if i := strings.LastIndexByte(s, '<'); i >= 0 {
		name = s[:i]
	} else if strings.Contains(s, "@") {
		return ""
	}
	return strings.TrimSpace(strings.Trim(strings.TrimSpace(name), `"`))
}
