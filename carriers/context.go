package carriers

import (
	"strings"
	"unicode/utf8"
)

// Found is one number found in a text by [ExtractContext]: its
// identification, with the candidates ranked by the words around it, where
// it is, and the words that ranked it.
type Found struct {
	Identification
	// Start and End are the byte offsets of Input in the text.
	Start, End int
	// Evidence lists the carrier and shop names that ranked the
	// candidates, strongest first: each carrier or shop once, at its
	// strongest mention. Empty when the text names none that matter.
	Evidence []Evidence
}

// Evidence is a carrier or shop named in a text, as [ExtractContext] used
// it to rank the candidates of a number.
type Evidence struct {
	Word    string // as written: "佐川急便", "DHL", "ＦｅｄＥｘ", "Amazon"
	Carrier string // the carrier the word names; "" for a shop
	Shop    string // the shop the word names (amazon, rakuten, yahoo, mercari); "" for a carrier
	// Start and End are the byte offsets of Word in the text.
	Start, End int
	// Near is true when the word is close to the number: on its line, or
	// on one of the three lines before it (not before an earlier number).
	// A near carrier outranks one named elsewhere in the text.
	Near bool
}

// shopCarriers are the carriers a shop's parcels may come with, where a
// source says so. A shop name only moves these candidates ahead of the
// others; it never removes a candidate.
//
//   - amazon: its own delivery (Amazon Logistics; research/carriers.md),
//     and Yamato and Japan Post, which deliver most Amazon parcels in Japan
//     (the lead's brief for issue 11; no research file confirms it yet).
//   - rakuten: the carriers Rakuten lets sellers choose — Yamato, Sagawa,
//     Japan Post and Seino (research/more-carriers.md, "Demand").
//
// Yahoo! and メルカリ are recognised, so a caller learns the shop, but no
// source says which carriers they use: they rank nothing.
func shopCarriers(shop string) []string {
	switch shop {
	case "amazon":
		return []string{carrierAmazon, carrierYamato, carrierJapanPost}
	case "rakuten":
		return []string{carrierYamato, carrierSagawa, carrierJapanPost, carrierSeino}
	}
	return nil
}

// contextWord is a word that names a carrier or a shop.
type contextWord struct {
	word    string // Japanese as written; ASCII in upper case
	carrier string
	shop    string
	upper   bool // ASCII only: must be written in capitals (UPS, not "sign-ups")
}

// asciiContextWords are matched as whole words, case-insensitively, after
// full-width letters are folded. "JAPAN" and "FED" are the first halves of
// "Japan Post" and "Fed Ex", checked by asciiMention.
var asciiContextWords = [...]contextWord{
	{word: "DHL", carrier: carrierDHL},
	{word: "FEDEX", carrier: carrierFedEx},
	{word: "JAPANPOST", carrier: carrierJapanPost},
	{word: "UPS", carrier: carrierUPS, upper: true},
	{word: "YAMATO", carrier: carrierYamato},
	{word: "KURONEKO", carrier: carrierYamato},
	{word: "SAGAWA", carrier: carrierSagawa},
	{word: "SEINO", carrier: carrierSeino},
	{word: "FUKUYAMA", carrier: carrierFukuyama},
	{word: "FUKUTSU", carrier: carrierFukuyama},
	{word: "AMAZON", shop: "amazon"},
	{word: "RAKUTEN", shop: "rakuten"},
	{word: "YAHOO", shop: "yahoo"},
	{word: "MERCARI", shop: "mercari"},
}

// japaneseContextWords are matched as written, the longer word first
// where one begins another. Bare 郵便 is not among them: 郵便番号 is a
// postal code.
var japaneseContextWords = [...]contextWord{
	{word: "ヤマト運輸", carrier: carrierYamato},
	{word: "ヤマト", carrier: carrierYamato},
	{word: "クロネコ", carrier: carrierYamato},
	{word: "宅急便", carrier: carrierYamato},
	{word: "佐川急便", carrier: carrierSagawa},
	{word: "佐川", carrier: carrierSagawa},
	{word: "飛脚", carrier: carrierSagawa},
	{word: "日本郵便", carrier: carrierJapanPost},
	{word: "郵便局", carrier: carrierJapanPost},
	{word: "ゆうパック", carrier: carrierJapanPost},
	{word: "ゆうパケット", carrier: carrierJapanPost},
	{word: "ゆうメール", carrier: carrierJapanPost},
	{word: "レターパック", carrier: carrierJapanPost},
	{word: "西濃運輸", carrier: carrierSeino},
	{word: "西濃", carrier: carrierSeino},
	{word: "カンガルー", carrier: carrierSeino},
	{word: "福山通運", carrier: carrierFukuyama},
	{word: "福通", carrier: carrierFukuyama},
	{word: "福山", carrier: carrierFukuyama}, // not 福山市: see japaneseMention
	{word: "フェデックス", carrier: carrierFedEx},
	{word: "ユーピーエス", carrier: carrierUPS},
	{word: "アマゾン", shop: "amazon"},
	{word: "楽天", shop: "rakuten"},
	{word: "ヤフー", shop: "yahoo"},
	{word: "メルカリ", shop: "mercari"},
}

// firstRunes is a 4096-bit filter of the first runes of the Japanese
// words (by rune mod 4096), so that most characters of a text are passed
// over with one bit test.
var firstRunes = func() (set [64]uint64) {
	for _, w := range japaneseContextWords {
		r, _ := utf8.DecodeRuneInString(w.word)
		set[(r&0xfff)>>6] |= 1 << (r & 63)
	}
	return set
}()

// mention is one context word found in a text.
type mention struct {
	start, end int
	carrier    string
	shop       string
}

// scanMentions finds every carrier and shop name in text, in order.
func scanMentions(text string) []mention {
	out := make([]mention, 0, 8)
	prevLetter := false
	for i := 0; i < len(text); {
		r, n := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, n = decode3(text, i)
		}
		letter := isLetterRune(r)
		switch {
		case letter && !prevLetter && strings.IndexByte("ADFJKMRSUYadfjkmrsuy", byte(r)) >= 0:
			// A word with the first letter of a context word (r is
			// folded: full-width letters too).
			if m, ok := asciiMention(text, i); ok {
				out = append(out, m)
			}
		case r >= 0x3000 && firstRunes[(r&0xfff)>>6]&(1<<(r&63)) != 0:
			if m, ok := japaneseMention(text, i); ok {
				out = append(out, m)
				i = m.end
				prevLetter = false
				continue
			}
		}
		prevLetter = letter
		i += n
	}
	return out
}

// decode3 decodes the rune at text[i:], which is not ASCII, folded as
// decodeFolded does. The three-byte sequences of Japanese text (and of
// full-width letters) are decoded inline; anything else goes to
// utf8.DecodeRuneInString.
func decode3(text string, i int) (rune, int) {
	if c := text[i]; c&0xF0 == 0xE0 && i+2 < len(text) && text[i+1]&0xC0 == 0x80 && text[i+2]&0xC0 == 0x80 {
		r := rune(c&0x0F)<<12 | rune(text[i+1]&0x3F)<<6 | rune(text[i+2]&0x3F)
		if r >= 0x800 && (r < 0xD800 || r > 0xDFFF) {
			return foldRune(r), 3
		}
	}
	return decodeFolded(text, i)
}

// isLetterRune reports whether r is an ASCII letter.
func isLetterRune(r rune) bool { return ('A' <= r && r <= 'Z') || ('a' <= r && r <= 'z') }

// asciiWordAt reads the ASCII word (letters, full-width folded) at
// text[i:], upper-cased into buf, and returns it (a slice of buf, so
// that nothing is allocated), where it ends, and whether it was written
// all in capitals. A word longer than buf is returned empty.
func asciiWordAt(text string, i int, buf *[12]byte) ([]byte, int, bool) {
	n, caps := 0, true
	for i < len(text) {
		r, size := decodeFolded(text, i)
		if !isLetterRune(r) {
			break
		}
		if n == len(buf) {
			for i < len(text) { // skip the rest of the long word
				if r, size = decodeFolded(text, i); !isLetterRune(r) {
					break
				}
				i += size
			}
			return nil, i, false
		}
		if r >= 'a' {
			r -= 'a' - 'A'
			caps = false
		}
		buf[n] = byte(r)
		n++
		i += size
	}
	return buf[:n], i, caps
}

// asciiMention reports the ASCII context word that starts at text[i], if
// any.
func asciiMention(text string, i int) (mention, bool) {
	var buf [12]byte
	w, end, caps := asciiWordAt(text, i, &buf)
	if len(w) < 3 || len(w) > 9 {
		return mention{}, false // no context word is shorter or longer
	}
	if first := string(w); first == "JAPAN" || first == "FED" {
		// "Japan Post", "Fed Ex": one space or none (FedEx is one word).
		want, c := "POST", carrierJapanPost
		if first == "FED" {
			want, c = "EX", carrierFedEx
		}
		j := end
		if j < len(text) {
			if r, n := decodeFolded(text, j); r == ' ' {
				j += n
			}
		}
		if next, end2, _ := asciiWordAt(text, j, &buf); string(next) == want {
			return mention{start: i, end: end2, carrier: c}, true
		}
		return mention{}, false
	}
	for _, cw := range asciiContextWords {
		if cw.word == string(w) && (caps || !cw.upper) {
			return mention{start: i, end: end, carrier: cw.carrier, shop: cw.shop}, true
		}
	}
	return mention{}, false
}

// japaneseMention reports the Japanese context word that starts at
// text[i], if any.
func japaneseMention(text string, i int) (mention, bool) {
	rest := text[i:]
	for _, cw := range japaneseContextWords {
		if !strings.HasPrefix(rest, cw.word) {
			continue
		}
		end := i + len(cw.word)
		if cw.word == "福山" && strings.HasPrefix(text[end:], "市") {
			return mention{}, false // the city of Fukuyama, an address
		}
		return mention{start: i, end: end, carrier: cw.carrier, shop: cw.shop}, true
	}
	return mention{}, false
}

// nearBefore is how many lines before a number's own line count as near.
const nearBefore = 3

// window is the part of a text near one number.
type window struct {
	from, at, end, to int // near before: [from, at); the number: [at, end); near after: [end, to)
}

// nearWindow returns the near window of the number text[at:end]. It
// begins at most nearBefore lines above the number's line and never before
// bound (the end of the previous finding's line, or the previous finding
// itself when it shares the number's line); it ends at the end of the
// number's line or at the next digit on it, which begins something else.
func nearWindow(text string, at, end, bound int) window {
	from := at
	for lines := 0; from > bound; from-- {
		if text[from-1] == '\n' {
			if lines == nearBefore {
				break
			}
			lines++
		}
	}
	to := end
	for to < len(text) && text[to] != '\n' {
		r, n := decodeFolded(text, to)
		if '0' <= r && r <= '9' {
			break
		}
		to += n
	}
	return window{from: from, at: at, end: end, to: to}
}

// lineBound returns where the near window of the number at text[at] may
// begin, given that the previous finding ended at prevEnd (−1 when there
// is none): the start of the line after the previous finding's, or just
// after the previous finding when it is on the number's line.
func lineBound(text string, prevEnd, at int) int {
	if prevEnd < 0 {
		return 0
	}
	if i := strings.IndexByte(text[prevEnd:at], '\n'); i >= 0 {
		return prevEnd + i + 1
	}
	return prevEnd // same line: just after the previous finding
}

// evidenceFor orders the mentions for one number, strongest first: carriers
// named near it (before it, nearest first, then after it on its line),
// then carriers named elsewhere (nearest first), then shops (nearest
// first). Each carrier and shop appears once, at its strongest mention.
func evidenceFor(text string, ms []mention, w window) []Evidence {
	if len(ms) == 0 {
		return nil
	}
	type best struct {
		m          mention
		rank, dist int // rank: 0 near before, 1 near after, 2 carrier elsewhere, 3 shop
		near       bool
	}
	var buf [16]best // 9 carriers and 4 shops at most
	bs := buf[:0]
	for _, m := range ms {
		b := best{m: m}
		before := m.start >= w.from && m.end <= w.at
		after := m.start >= w.end && m.end <= w.to
		b.near = before || after
		if m.end <= w.at {
			b.dist = w.at - m.end
		} else {
			b.dist = m.start - w.end
		}
		switch {
		case m.shop != "":
			b.rank = 3
		case before:
			b.rank = 0
		case after:
			b.rank = 1
		default:
			b.rank = 2
		}
		i := 0
		for ; i < len(bs); i++ {
			if bs[i].m.carrier == m.carrier && bs[i].m.shop == m.shop {
				break
			}
		}
		switch {
		case i == len(bs):
			bs = append(bs, b)
		case b.rank < bs[i].rank || (b.rank == bs[i].rank && b.dist < bs[i].dist):
			bs[i] = b
		}
	}
	for i := 1; i < len(bs); i++ { // insertion sort: a handful of names
		for j := i; j > 0 && (bs[j].rank < bs[j-1].rank || (bs[j].rank == bs[j-1].rank && bs[j].dist < bs[j-1].dist)); j-- {
			bs[j], bs[j-1] = bs[j-1], bs[j]
		}
	}
	out := make([]Evidence, len(bs))
	for i, b := range bs {
		out[i] = Evidence{Word: text[b.m.start:b.m.end], Carrier: b.m.carrier, Shop: b.m.shop, Start: b.m.start, End: b.m.end, Near: b.near}
	}
	return out
}

// reasonNamed is the reason of a candidate that only the text supports.
const reasonNamed = "named in the text next to the number; its number format is not confirmed, so only the text says so"

// rankByContext re-ranks the candidates of the finding f by its evidence
// and keeps only the evidence that ranked something (carriers) or that
// names a shop. n is the normalised number (also for a rejected one).
func rankByContext(f *Found, ev []Evidence, n string) {
	if len(ev) == 0 {
		return
	}
	fukuyama := fukuyamaShaped(f.Identification, n)
	if f.Kind != KindTracking && !fukuyama {
		return
	}
	cands := f.Candidates
	out := make([]Candidate, 0, len(cands)+1)
	has := func(c string) bool {
		for _, o := range out {
			if o.Carrier == c {
				return true
			}
		}
		return false
	}
	kept := ev[:0] // ev is the caller's own: filter it in place
	for _, e := range ev {
		switch {
		case e.Shop != "":
			for _, c := range cands {
				if contains(shopCarriers(e.Shop), c.Carrier) && !has(c.Carrier) {
					out = append(out, c)
				}
			}
			kept = append(kept, e)
		case has(e.Carrier):
		case e.Carrier == carrierFukuyama && e.Near && fukuyama:
			out = append(out, Candidate{Carrier: carrierFukuyama, Reason: reasonNamed, Trackable: true})
			kept = append(kept, e)
		default:
			for _, c := range cands {
				if c.Carrier == e.Carrier {
					out = append(out, c)
					kept = append(kept, e)
					break
				}
			}
		}
	}
	for _, c := range cands {
		if !has(c.Carrier) {
			out = append(out, c)
		}
	}
	f.Evidence = kept
	if len(out) > len(cands) && f.Kind != KindTracking {
		// Named next to a Fukuyama number, which has no check digit that
		// could have rejected it: a tracking number after all.
		f.Kind, f.Number, f.Error, f.Suggestion = KindTracking, n, "", ""
	}
	f.Candidates = out
}

// fukuyamaShaped reports whether a number could be Fukuyama's, whose format
// is not confirmed: 10 to 12 digits that are no telephone number, and
// either a tracking number already or a 12-digit one rejected only for
// its mod-7 check digit.
func fukuyamaShaped(id Identification, n string) bool {
	if len(n) < 10 || len(n) > 12 || !allDigits(n) || phonePrefix(n) {
		return false
	}
	return id.Kind == KindTracking || (len(n) == 12 && id.Suggestion != "")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// nearCarrier reports whether ev names, near the number, one of the
// carriers in cands (or Fukuyama, whose format is not confirmed).
func nearCarrier(ev []Evidence, cands []Candidate, n string) bool {
	for _, e := range ev {
		if !e.Near || e.Carrier == "" {
			continue
		}
		if e.Carrier == carrierFukuyama && len(n) >= 10 && len(n) <= 12 && allDigits(n) {
			return true
		}
		for _, c := range cands {
			if c.Carrier == e.Carrier {
				return true
			}
		}
	}
	return false
}

// namedNear reports whether ev names carrier near the number.
func namedNear(ev []Evidence, carrier string) bool {
	for _, e := range ev {
		if e.Near && e.Carrier == carrier {
			return true
		}
	}
	return false
}

// Fits reports whether carrier may be pinned for the identified number: it
// is one of id's candidates, or it is Fukuyama, whose format is not
// confirmed, and the number has a shape Fukuyama's could have (see
// fukuyamaShaped): a user who knows the carrier may say so.
func Fits(carrier string, id Identification) bool {
	if contains(id.Carriers(), carrier) {
		return true
	}
	return carrier == carrierFukuyama && fukuyamaShaped(id, id.Number)
}
