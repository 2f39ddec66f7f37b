package notify

import (
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/todoku/todoku/carriers"
)

// WhoisMatch is one listing of a phone number in the contact data.
type WhoisMatch struct {
	Carrier string // registry name
	Name    string // the carrier's display name
	Number  string // as listed
	Who     string
	Note    string
	// Caller is true for a number people are called or messaged from
	// (Contacts.Callers), false for a number to call (Contacts.Phones).
	Caller bool
	// CallBack says whether calling the number back reaches the carrier:
	// carriers.CallBackYes, CallBackNo, or CallBackUnknown (""). Numbers
	// to call (Caller false) are "yes".
	CallBack  string
	SMS       bool
	Hours     string
	Source    string
	Confirmed bool
}

// WhoisResult says who a phone number belongs to, as far as the contact
// data knows. Known is false for a number that is not listed: there is no
// guess.
type WhoisResult struct {
	Query      string
	Normalized string
	Known      bool
	Matches    []WhoisMatch
}

// NormalizePhone reduces a phone number to its digits as dialled in
// Japan: full-width digits become ASCII, hyphens, dashes, spaces, dots and
// brackets go, and +81 becomes a leading 0 (+81-50-… and +81 (0)50-… both
// give 050…); other international numbers keep their "+". It returns ""
// when s holds anything but a phone number.
func NormalizePhone(s string) string {
	s = norm.NFKC.String(strings.TrimSpace(s))
	var b strings.Builder
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && b.Len() == 0 && i == strings.IndexRune(s, '+'):
			b.WriteRune(r)
		case unicode.IsSpace(r) || strings.ContainsRune("-‐‑‒–—―−ー－()（）.・/", r):
		default:
			return ""
		}
	}
	d := b.String()
	if rest, ok := strings.CutPrefix(d, "+81"); ok {
		if !strings.HasPrefix(rest, "0") {
			rest = "0" + rest
		}
		d = rest
	}
	if d == "+" {
		return ""
	}
	return d
}

// Whois looks phone up in the contact data: every carrier's phones and
// its callers (numbers people receive calls or SMS from).
func Whois(contacts []carriers.Contacts, phone string) WhoisResult {
	r := WhoisResult{Query: phone, Normalized: NormalizePhone(phone)}
	if r.Normalized == "" {
		return r
	}
	for _, c := range contacts {
		for _, p := range c.Phones {
			if NormalizePhone(p.Number) != r.Normalized {
				continue
			}
			who := c.Name("ja")
			if p.Label != "" {
				who += " " + p.Label
			}
			r.Matches = append(r.Matches, WhoisMatch{
				Carrier: c.Carrier, Name: c.Name("ja"), Number: p.Number, Who: who, CallBack: carriers.CallBackYes,
				Hours: p.Hours.String("ja"), Source: p.Source, Confirmed: p.Confirmed,
			})
		}
		for _, cl := range c.Callers {
			if NormalizePhone(cl.Number) != r.Normalized {
				continue
			}
			if r.listed(c.Carrier, cl.Who) {
				continue // the same caller under another spelling (+81-50-… and 050-…)
			}
			r.Matches = append(r.Matches, WhoisMatch{
				Carrier: c.Carrier, Name: c.Name("ja"), Number: cl.Number, Who: cl.Who, Note: cl.Note,
				Caller: true, CallBack: cl.CallBack, SMS: cl.SMS, Source: cl.Source, Confirmed: cl.Confirmed,
			})
		}
	}
	r.Known = len(r.Matches) > 0
	return r
}

func (r WhoisResult) listed(carrier, who string) bool {
	for _, m := range r.Matches {
		if m.Caller && m.Carrier == carrier && m.Who == who {
			return true
		}
	}
	return false
}

// Text renders the result for a person, in lang ("ja" or "en"). It
// always ends with the reminder that caller IDs and SMS senders can be
// spoofed.
func (r WhoisResult) Text(lang string) string {
	en := lang == "en"
	var b strings.Builder
	if !r.Known {
		q := strings.TrimSpace(r.Query)
		if en {
			fmt.Fprintf(&b, "%s: unknown (not in todoku's contact data)\n", q)
		} else {
			fmt.Fprintf(&b, "%s: unknown（todoku の連絡先データにない番号です）\n", q)
		}
	}
	for _, m := range r.Matches {
		fmt.Fprintf(&b, "%s: %s\n", m.Number, m.Who)
		if m.Who != m.Name && !strings.HasPrefix(m.Who, m.Name) {
			fmt.Fprintf(&b, "  %s\n", m.Name)
		}
		if m.Note != "" {
			fmt.Fprintf(&b, "  %s\n", m.Note)
		}
		if m.Hours != "" {
			if en {
				fmt.Fprintf(&b, "  hours: %s\n", m.Hours)
			} else {
				fmt.Fprintf(&b, "  受付時間: %s\n", m.Hours)
			}
		}
		switch {
		case m.Caller && m.SMS && en:
			b.WriteString("  Listed as a sender of SMS messages. Never follow a link in an SMS.\n")
		case m.Caller && m.SMS:
			b.WriteString("  SMS の送信元として知られている番号です。SMS のリンクは開かないでください。\n")
		case m.Caller && en:
			b.WriteString("  Listed as a number that calls you.\n")
		case m.Caller:
			b.WriteString("  この番号から電話がかかってくることがあります。\n")
		}
		if m.Caller && m.CallBack == carriers.CallBackNo { // not when it is only unconfirmed
			if en {
				b.WriteString("  Calling this number back does not reach them.\n")
			} else {
				b.WriteString("  この番号にかけ直してもつながりません。\n")
			}
		}
		if m.Source != "" {
			conf := map[bool]string{true: "確認済み", false: "未確認"}
			if en {
				conf = map[bool]string{true: "confirmed", false: "not confirmed"}
			}
			if en {
				fmt.Fprintf(&b, "  source: %s (%s)\n", m.Source, conf[m.Confirmed])
			} else {
				fmt.Fprintf(&b, "  出典: %s（%s）\n", m.Source, conf[m.Confirmed])
			}
		}
	}
	if en {
		b.WriteString("Caller IDs and SMS senders can be spoofed: verify in the carrier's official app or website, never through a link or number in the message.\n")
	} else {
		b.WriteString("※ 発信者番号や SMS の送信元は偽装できます。メッセージ内のリンクや番号ではなく、公式アプリ・公式サイトで確認してください。\n")
	}
	return b.String()
}
