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
// Numbers and their ranking come from carriers.ExtractContext over the
// subject and text: order, member and similar numbers (labelled on their
// line or the line before) are left out, and a carrier the mail names
// near a number ranks first. On top of that Find knows delivery services
// whose names do not contain the carrier's (らくらくメルカリ便, ネコポス,
// クリックポスト …, see serviceWords): when the text names no carrier at
// all, such a service ranks its carrier first. Order numbers and numbers
// that fail their check are never returned.
func Find(m *Message) []Found {
	text := m.Subject + "\n" + m.Text
	shopName := findShop(m)
	products := findProducts(text)
	var out []Found
	for _, f := range carriers.ExtractContext(text) {
		if f.Kind != carriers.KindTracking {
			continue
		}
		names := f.Carriers()
		if !namesCarrier(f.Evidence) {
			names = rank(names, serviceCarrier(text, f.Start, f.End))
		}
		out = append(out, Found{
			Number:    f.Number,
			Carriers:  names,
			Label:     makeLabel(m, shopName, productAt(products, f.Start)),
			Shop:      shopName,
			Subject:   m.Subject,
			MessageID: m.MessageID,
		})
	}
	return out
}

// namesCarrier reports whether the evidence names a carrier (not only a
// shop).
func namesCarrier(ev []carriers.Evidence) bool {
	for _, e := range ev {
		if e.Carrier != "" {
			return true
		}
	}
	return false
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

// serviceCarrier returns the carrier of the delivery service named
// closest to text[start:end] (before it, or after it on its line), or "".
func serviceCarrier(text string, start, end int) string {
	hi := len(text)
	if i := strings.IndexByte(text[end:], '\n'); i >= 0 {
		hi = end + i
	}
	before, after := text[:start], text[end:hi]
	best, dist := "", len(text)+1
	for _, w := range serviceWords {
		if i := strings.LastIndex(before, w.word); i >= 0 && len(before)-i < dist {
			best, dist = w.carrier, len(before)-i
		}
		if i := strings.Index(after, w.word); i >= 0 && i+1 < dist {
			best, dist = w.carrier, i+1
		}
	}
	return best
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
