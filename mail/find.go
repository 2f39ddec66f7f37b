package mail

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/todoku/todoku/carriers"
)

// Found is one tracking number found in a message: what would become a
// parcel.
type Found struct {
	// File is where the message came from: a file name, or an IMAP URL
	// (RFC 5092) imap://user@host/FOLDER;UIDVALIDITY=v/;UID=n.
	File string `json:"file"`
	// Number is the normalised tracking number.
	Number string `json:"number"`
	// Carriers are the carriers that may own it, best first: a carrier the
	// mail names near the number (or, failing that, the only carrier it
	// names anywhere) comes first.
	Carriers []string `json:"carriers"`
	// Label is "product (shop)" when the mail names both, else the
	// subject without Fwd:/転送: prefixes.
	Label string `json:"label"`
	// Shop is the shop the mail comes from, or "".
	Shop string `json:"shop"`
	// Subject is the mail's subject as decoded.
	Subject string `json:"subject"`
	// MessageID is the Message-ID header without angle brackets.
	MessageID string `json:"message_id"`
}

// Find returns the tracking numbers in a decoded message, in the order
// they appear, each with its carriers ranked, a label and the shop.
//
// Numbers come from carriers.Extract over the subject and text. On top of
// its rules Find drops a number whose previous line is only an order,
// member or invoice label (ご注文番号 / 会員番号 / Order number on its own
// line, the number on the next), and ranks first a carrier the mail names
// near the number. Order numbers and numbers that fail their check are
// never returned.
func Find(m *Message) []Found {
	text := m.Subject + "\n" + m.Text
	shopName := findShop(m)
	products := findProducts(text)
	wide := mailCarrier(text)
	var out []Found
	from := 0
	for _, id := range carriers.Extract(text) {
		at := strings.Index(text[from:], id.Input)
		if at < 0 {
			at = strings.Index(text, id.Input)
		} else {
			at += from
			from = at + len(id.Input)
		}
		if id.Kind != carriers.KindTracking {
			continue
		}
		if at >= 0 && labelledOtherAbove(text, at) {
			continue
		}
		hint := ""
		if at >= 0 {
			hint = nearbyCarrier(text, at, at+len(id.Input))
		}
		if hint == "" {
			hint = wide
		}
		out = append(out, Found{
			Number:    id.Number,
			Carriers:  rank(id.Carriers(), hint),
			Label:     makeLabel(m, shopName, productAt(products, at)),
			Shop:      shopName,
			Subject:   m.Subject,
			MessageID: m.MessageID,
		})
	}
	return out
}

// rank moves hint to the front of names when it is there.
func rank(names []string, hint string) []string {
	i := slices.Index(names, hint)
	if i <= 0 {
		return names
	}
	out := make([]string, 0, len(names))
	out = append(out, hint)
	out = append(out, names[:i]...)
	return append(out, names[i+1:]...)
}

// nearbyLines is how many lines above a number are searched for a carrier
// name ("配送業者：ヤマト運輸" on one line, "お問い合わせ番号：…" on the next).
const nearbyLines = 3

// nearbyCarrier returns the carrier named closest to text[start:end]: on
// its line or on the nearbyLines lines above. It returns "" when none is.
func nearbyCarrier(text string, start, end int) string {
	lo := start
	for range nearbyLines + 1 {
		i := strings.LastIndexByte(text[:lo], '\n')
		if i < 0 {
			lo = 0
			break
		}
		lo = i
		if lo == 0 {
			break
		}
	}
	hi := len(text)
	if i := strings.IndexByte(text[end:], '\n'); i >= 0 {
		hi = end + i
	}
	best, dist := "", len(text)+1
	before := strings.ToUpper(text[lo:start])
	after := strings.ToUpper(text[end:hi])
	for _, w := range carrierWords {
		if i := strings.LastIndex(before, w.word); i >= 0 {
			if d := len(before) - i; d < dist {
				best, dist = w.carrier, d
			}
		}
		if i := strings.Index(after, w.word); i >= 0 {
			if d := i + 1; d < dist {
				best, dist = w.carrier, d
			}
		}
	}
	return best
}

// mailCarrier returns the one carrier the whole text names, or "" when it
// names none or several.
func mailCarrier(text string) string {
	up := strings.ToUpper(text)
	found := ""
	for _, w := range carrierWords {
		if strings.Contains(up, w.word) {
			if found != "" && found != w.carrier {
				return ""
			}
			found = w.carrier
		}
	}
	return found
}

// otherLabels are labels of numbers that are not tracking numbers, looked
// for at the end of the line above a number.
var otherLabels = []string{
	"注文番号", "注文ID", "注文ＩＤ", "会員番号", "会員ID", "オーダー番号", "受注番号", "取引ID",
	"取引番号", "請求番号", "請求書番号", "伝票番号(社内)", "ポイントカード番号", "ORDER NUMBER",
	"ORDER NO", "ORDER ID", "ORDER #", "ORDER", "INVOICE NUMBER", "INVOICE NO", "INVOICE",
	"MEMBER ID", "ACCOUNT NUMBER",
}

// labelledOtherAbove reports whether the number at text[at] stands at
// the start of its line (after marks such as ・ or ：) and the nearest
// non-blank line above it is an order, member or invoice label alone.
func labelledOtherAbove(text string, at int) bool {
	lineStart := strings.LastIndexByte(text[:at], '\n') + 1
	if strings.Trim(text[lineStart:at], " \t　・:：#＃-–>") != "" {
		return false
	}
	rest := text[:max(lineStart-1, 0)]
	for rest != "" {
		i := strings.LastIndexByte(rest, '\n')
		line := strings.TrimSpace(rest[i+1:])
		rest = rest[:max(i, 0)]
		if line == "" {
			if i < 0 {
				break
			}
			continue
		}
		line = strings.ToUpper(strings.TrimRight(line, " \t　:：#＃】」）)]．.="))
		line = strings.TrimLeft(line, "【「（([■□●○◆◇・*> \t　")
		line = strings.TrimPrefix(line, "ご")
		line = strings.TrimPrefix(line, "お")
		line = strings.TrimPrefix(line, "YOUR ")
		for _, l := range otherLabels {
			if line == l {
				return true
			}
		}
		return false
	}
	return false
}

// productLabels begin a line that names the product.
var productLabels = []string{"ご注文商品名", "ご注文商品", "商品名", "品名", "商品", "ITEM NAME", "ITEMS", "ITEM", "PRODUCT"}

// maxProductRunes bounds a product name in a label.
const maxProductRunes = 40

// makeLabel returns "product (shop)" when both are known, else the
// subject without forwarding prefixes. product may be "": a product
// quoted in the subject is then used.
func makeLabel(m *Message, shopName, product string) string {
	subject := trimForward(m.Subject)
	if product == "" {
		product = quotedInSubject(subject)
	}
	if product != "" && shopName != "" {
		return product + " (" + shopName + ")"
	}
	if subject == "" && product != "" {
		return product
	}
	return subject
}

// product is a product name and where its line starts in the text.
type product struct {
	at   int
	name string
}

// productAt returns the product named last before offset at (a split
// shipment names each parcel's product above its number), else the first
// one named, else "".
func productAt(ps []product, at int) string {
	name := ""
	for _, p := range ps {
		if p.at > at && name != "" {
			break
		}
		name = p.name
		if p.at > at {
			break
		}
	}
	return name
}

// findProducts returns the products named after a label such as 商品名：,
// on the same line or, when the label stands alone, on the next line.
func findProducts(text string) []product {
	var out []product
	lines := strings.Split(text, "\n")
	at := 0
	for i, raw := range lines {
		start := at
		at += len(raw) + 1
		line := strings.TrimLeft(strings.TrimSpace(raw), "【「[■□●○◆◇・*> \t　")
		up := strings.ToUpper(line)
		for _, l := range productLabels {
			if !strings.HasPrefix(up, l) {
				continue
			}
			rest := line[len(l):]
			r, _ := utf8.DecodeRuneInString(rest)
			if rest != "" && !strings.ContainsRune(":：】」]） \t　", r) {
				break // 商品番号, 商品代金, Items shipped …
			}
			rest = strings.TrimSpace(strings.TrimLeft(rest, ":：】」]）) \t　"))
			if rest == "" && i+1 < len(lines) {
				rest = strings.TrimSpace(lines[i+1])
			}
			if p := cleanProduct(rest); p != "" {
				out = append(out, product{start, p})
			}
			break
		}
	}
	return out
}

// cleanProduct cuts a quantity or price off a product line and bounds its
// length.
func cleanProduct(s string) string {
	for _, cut := range []string{" × ", " x ", "×", "　×", " 数量", "　数量", "（数量", "(数量", " 個数", "　個数", " ￥", " ¥", "　￥", " Qty", " qty"} {
		if i := strings.Index(s, cut); i > 0 {
			s = s[:i]
		}
	}
	s = strings.Trim(strings.TrimSpace(s), "「」『』\"")
	if utf8.RuneCountInString(s) > maxProductRunes {
		r := []rune(s)
		s = strings.TrimSpace(string(r[:maxProductRunes])) + "…"
	}
	return s
}

// quotedInSubject returns the text quoted in 「」, 『』 or “” in a subject,
// as Amazon writes its product names there (発送済み：「…」ほか1点).
func quotedInSubject(s string) string {
	for _, q := range [][2]string{{"「", "」"}, {"『", "』"}, {"“", "”"}, {"\"", "\""}} {
		i := strings.Index(s, q[0])
		if i < 0 {
			continue
		}
		rest := s[i+len(q[0]):]
		if j := strings.Index(rest, q[1]); j > 0 {
			return cleanProduct(rest[:j])
		}
	}
	return ""
}

// forwardPrefixes are what mailers put before a forwarded subject.
var forwardPrefixes = []string{"FWD:", "FW:", "転送:", "転送：", "TR:", "WG:"}

// trimForward removes forwarding prefixes (any number, any case).
func trimForward(s string) string {
	for {
		s = strings.TrimSpace(s)
		up := strings.ToUpper(s)
		cut := false
		for _, p := range forwardPrefixes {
			if strings.HasPrefix(up, p) {
				s, cut = s[len(p):], true
				break
			}
		}
		if !cut {
			return s
		}
	}
}
