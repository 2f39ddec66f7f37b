package carriers

import (
	"strings"
	"unicode/utf8"
)

// Extract finds every tracking number in free text — a pasted shipping
// e-mail, an SMS, a note, in Japanese or English — and identifies each
// with [Identify], its candidates ranked by the carriers and shops the
// text names as [ExtractContext] does. Findings come in the order they
// appear; a number that appears more than once is reported once, at its
// first occurrence.
//
// Numbers may be written in full-width or half-width characters, whole
// (123456789012) or in groups separated by any dash variant or by single
// spaces (1234-5678-9012, 1234 5678 9012, EJ 123 456 785 JP,
// 1Z 5R8 939 03 5756 7127, 0414 4176 0228 964).
//
// Extract reports Amazon order numbers (250-1234567-1234567) as
// [KindOrderNumber], so the caller can say where the tracking number is
// found instead. It reports a number that fails its check as [KindInvalid]
// only when it is clearly meant as a tracking number: grouped like one
// (1234-5678-9013), or following a label such as お問い合わせ番号,
// 伝票番号 or "Tracking number".
//
// Numbers that a check digit does not single out — 10 or 11 digits
// (Sagawa, Seino, DHL, Japan Post registered mail), 15-digit FedEx Ground
// numbers, UPS waybills (H1234567895), and 12 digits whose only fitting
// check digit is FedEx's — are taken only after such a label or near a
// carrier name (佐川, ヤマト, 郵便, 西濃, DHL, FedEx, UPS …: on the same line
// or the three lines before); [Identify] accepts them alone. A 12-digit
// number grouped 4-4-4 whose mod-7 check digit fails is reported invalid
// unless FedEx is named near it.
//
// It does not take for tracking numbers: telephone numbers (0120-01-9625,
// 090-1234-5678, numbers after TEL/電話/☎), postal codes (〒123-4567),
// dates and times (2026/11/23, 2026-11-23, 14:02), prices (¥12,800,
// 1,234円), decimals, numbers labelled as order, member, customer,
// receipt, product or transaction numbers (注文番号, ご注文番号, 会員番号,
// お客様番号, 受付番号, 受付日時, 商品コード, 取引ID …: the label directly
// before the number, on the same line or ending the line before), and
// digit groups that run on beyond a tracking number (a 4-4-4-4 card or
// gift code).
func Extract(text string) []Identification {
	found := ExtractContext(text)
	if len(found) == 0 {
		return nil
	}
	out := make([]Identification, len(found))
	for i, f := range found {
		out[i] = f.Identification
	}
	return out
}

// ExtractContext finds the numbers in text as [Extract] does, and ranks
// each one's candidates by the carriers and shops the text names:
//
//  1. carriers named near the number — on its line or the three lines
//     before it, not before an earlier number's line — nearest first
//     (佐川急便, ヤマト運輸, クロネコ, ゆうパック, 日本郵便, 西濃, カンガルー,
//     福山通運, DHL, FedEx, UPS …);
//  2. carriers named elsewhere in the text, nearest first;
//  3. carriers implied by a shop the text names (Amazon, 楽天), only
//     where a source says which carriers the shop uses;
//  4. the other candidates, in the order [Identify] gives them.
//
// Context only reorders: a name never removes a candidate, and never adds
// one whose number format does not fit — except Fukuyama, whose format is
// not confirmed, which becomes a candidate for a 10- to 12-digit number
// when it is named near it. Each [Found] says which words ranked it.
func ExtractContext(text string) []Found {
	chains := scanChains(text)
	if len(chains) == 0 {
		return nil
	}
	ms := scanMentions(text)
	var out []Found
	seen := map[string]bool{}
	prevDigitEnd, bound := 0, -1
	for i := 0; i < len(chains); {
		p, next := joinSpaced(chains, i)
		if f, ok := considerPiece(text, p, prevDigitEnd, bound, ms); ok {
			key := string(f.Kind) + ":" + f.Number
			if f.Kind != KindTracking {
				key = string(f.Kind) + ":" + strings.Join(p.groups, "")
			}
			if !seen[key] {
				seen[key] = true
				out = append(out, f)
			}
			bound = p.end
		}
		for _, c := range chains[i:next] {
			if c.digits > 0 {
				prevDigitEnd = c.end
			}
		}
		i = next
	}
	return out
}

// chain is a run of ASCII letters and digits (after width folding),
// possibly several groups joined by single dashes: "1234-5678-9012",
// "250-1234567-1234567", "EJ123456785JP", "2026-11-23", "Tracking".
type chain struct {
	start, end int      // byte offsets in the original text
	groups     []string // the folded groups, letters in their original case
	digits     int      // how many digits in all groups
	spaced     bool     // separated from the previous chain by exactly one horizontal space
}

// scanChains splits text into chains, folding full-width characters. It
// keeps only the chains that can be part of a number: those with a digit,
// and two-letter words (the ends of a spaced UPU S10 number); a chain
// after a dropped word is not space-joined to the one before the word.
// All groups share one backing slice, and a group that needed no folding
// is a substring of text, so a mostly-ASCII text costs few allocations.
func scanChains(text string) []chain {
	chains := make([]chain, 0, 16)
	all := make([]string, 0, 32)    // every group of every kept chain
	bounds := make([][2]int, 0, 16) // chains[i].groups is all[bounds[i][0]:bounds[i][1]]
	var group []byte
	lastEnd, dropped := -1, false
	for pos := 0; pos < len(text); {
		r, n := decodeFolded(text, pos)
		if !isASCIIAlnum(r) {
			pos += n
			continue
		}
		c := chain{start: pos}
		c.spaced = lastEnd >= 0 && !dropped && singleSpace(text[lastEnd:pos])
		from := len(all)
		for {
			group = group[:0]
			gstart, folded := pos, false
			for pos < len(text) {
				r, n = decodeFolded(text, pos)
				if !isASCIIAlnum(r) {
					break
				}
				if r <= '9' {
					c.digits++
				}
				folded = folded || n > 1
				group = append(group, byte(r))
				pos += n
			}
			if folded {
				all = append(all, string(group))
			} else {
				all = append(all, text[gstart:pos])
			}
			c.end = pos
			if pos >= len(text) {
				break
			}
			r, n = decodeFolded(text, pos)
			if !isDash(r) || pos+n >= len(text) {
				break
			}
			if r2, _ := decodeFolded(text, pos+n); !isASCIIAlnum(r2) {
				break
			}
			pos += n
		}
		if c.digits == 0 && !(len(all)-from == 1 && len(all[from]) == 2) {
			all = all[:from]
			lastEnd, dropped = c.end, true
			continue
		}
		chains = append(chains, c)
		bounds = append(bounds, [2]int{from, len(all)})
		lastEnd, dropped = c.end, false
	}
	for i, b := range bounds {
		chains[i].groups = all[b[0]:b[1]:b[1]]
	}
	return chains
}

// singleSpace reports whether gap is exactly one horizontal space.
func singleSpace(gap string) bool {
	r, n := utf8.DecodeRuneInString(gap)
	return n == len(gap) && n > 0 && r != '\n' && r != '\r' && isSpace(r)
}

// piece is one candidate: one chain, or several joined by single spaces.
type piece struct {
	start, end int
	groups     []string
	digits     int
}

// joinSpaced returns the candidate starting at chain i and the index of
// the chain after it. Single-group chains joined by single spaces form
// one candidate when together they read as 4-4-4 digits (and the run of
// 4-digit groups is exactly three long) or as a UPU S10 number.
func joinSpaced(chains []chain, i int) (piece, int) {
	one := func(c chain) piece {
		return piece{start: c.start, end: c.end, groups: c.groups, digits: c.digits}
	}
	single := func(j int) bool { return j < len(chains) && len(chains[j].groups) == 1 }
	four := func(j int) bool {
		return single(j) && len(chains[j].groups[0]) == 4 && digitLike(chains[j].groups[0])
	}
	joined := func(j int) bool { return j < len(chains) && chains[j].spaced }

	if four(i) && four(i+1) && four(i+2) && joined(i+1) && joined(i+2) && !(i > 0 && four(i-1) && chains[i].spaced) {
		// FedEx prints its 15-digit Ground numbers 4-4-4-3.
		if single(i+3) && joined(i+3) && len(chains[i+3].groups[0]) == 3 && !(single(i+4) && joined(i+4)) {
			if p := merge(chains[i : i+4]); fedex15(strings.Join(p.groups, "")) {
				return p, i + 4
			}
		}
		if !(four(i+3) && joined(i+3)) {
			return merge(chains[i : i+3]), i + 3
		}
	}
	// UPS prints its numbers 1Z 5R8 939 03 5756 7127.
	if single(i) && upsHead(chains[i].groups[0]) {
		concat := chains[i].groups[0]
		for j := i + 1; j < len(chains) && j <= i+6 && single(j) && joined(j); j++ {
			concat += chains[j].groups[0]
			if len(concat) >= 18 {
				if len(concat) == 18 && isUPS(strings.ToUpper(concat)) {
					return merge(chains[i : j+1]), j + 1
				}
				break
			}
		}
	}
	if single(i) && s10Head(chains[i].groups[0]) {
		concat := chains[i].groups[0]
		for j := i + 1; j < len(chains) && j <= i+4 && single(j) && joined(j); j++ {
			concat += chains[j].groups[0]
			if len(concat) > 13 {
				break
			}
			if isS10(strings.ToUpper(concat)) {
				return merge(chains[i : j+1]), j + 1
			}
		}
	}
	return one(chains[i]), i + 1
}

// upsHead reports whether g can begin a UPS number split by spaces: 1Z
// and at most 15 more characters.
func upsHead(g string) bool {
	return len(g) >= 2 && len(g) < 18 && g[0] == '1' && g[1]|0x20 == 'z'
}

// fedex15 reports whether s is 15 digits with a valid FedEx Ground check
// digit.
func fedex15(s string) bool {
	return len(s) == 15 && allDigits(s) && s[14] == mod10Check(s[:14], 1, 3)
}

// s10Head reports whether g can begin a UPU S10 number split by spaces:
// two letters and at most 9 digits ("EJ", "EJ123").
func s10Head(g string) bool {
	return len(g) >= 2 && len(g) <= 11 && isLetter(g, 0) && isLetter(g, 1) && (len(g) == 2 || allDigits(g[2:]))
}

// merge joins space-separated single-group chains into one piece.
func merge(cs []chain) piece {
	s := piece{start: cs[0].start, end: cs[len(cs)-1].end}
	for _, c := range cs {
		s.groups = append(s.groups, c.groups...)
		s.digits += c.digits
	}
	return s
}

func isLetter(s string, i int) bool {
	if i >= len(s) {
		return false
	}
	c := s[i] | 0x20
	return 'a' <= c && c <= 'z'
}

// digitLike reports whether s is digits, possibly with a letter people
// mistake for one (O, I, l).
func digitLike(s string) bool {
	letters := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case '0' <= c && c <= '9':
		case c == 'O' || c == 'o' || c == 'I' || c == 'i' || c == 'l' || c == 'L':
			letters++
		default:
			return false
		}
	}
	return letters*3 < len(s)
}

// considerPiece decides whether sp is a finding, identifies it, and ranks
// its candidates by the mentions ms. prevDigitEnd is where the previous
// chain holding a digit ended: the label search does not look back past
// it. bound is where the previous finding ended: the near context does
// not reach back past it (nor past its line, when it is on another one).
func considerPiece(text string, sp piece, prevDigitEnd, bound int, ms []mention) (Found, bool) {
	var none Found
	if sp.digits < 7 {
		return none, false
	}
	concat := strings.Join(sp.groups, "")
	switch n := len(concat); {
	case n == 18, n == 22, n == 34:
	case n < 10 || n > 17:
		return none, false
	}
	if excludedByNeighbours(text, sp.start, sp.end) {
		return none, false
	}
	sub := text[sp.start:sp.end]
	found := func(id Identification) Found {
		return Found{Identification: id, Start: sp.start, End: sp.end}
	}
	if orderShaped(sp.groups) {
		return found(Identify(sub)), true
	}
	label := nearestLabel(text, prevDigitEnd, sp.start)
	// Japanese telephone numbers have at most 11 digits, so a phone label
	// only rules out numbers that short; other labels rule out anything.
	if label == labelOther || (label == labelPhone && len(concat) <= 11) {
		return none, false
	}
	multi := len(sp.groups) > 1
	if digitLike(concat) {
		if multi && !trackingGroups(sp.groups) {
			return none, false
		}
		if (len(concat) == 10 || len(concat) == 11) && concat[0] == '0' && label != labelTracking {
			return none, false // 03-1234-5678, 0312345678, 09012345678
		}
	}
	id := Identify(sub)
	n := id.Number
	if n == "" {
		n, _ = Normalize(sub) // rejected: Fukuyama may still own it
	}
	var ev []Evidence
	if len(ms) > 0 && (id.Kind == KindTracking || fukuyamaShaped(id, n)) {
		ev = evidenceFor(text, ms, nearWindow(text, sp.start, sp.end, lineBound(text, bound, sp.start)))
	}
	grouped444 := len(sp.groups) == 3 && len(sp.groups[0]) == 4 && len(sp.groups[1]) == 4
	labelled := label == labelTracking
	switch id.Kind {
	case KindTracking:
		if !takeAlone(id, n, labelled, grouped444, ev) {
			if grouped444 && len(n) == 12 && !namedNear(ev, carrierFedEx) && id.Suggestion != "" && id.Candidates[0].Carrier == carrierFedEx {
				// 1234-5678-9014: a domestic number with a wrong check
				// digit, which FedEx's rule happens to accept.
				bad := Identification{Input: id.Input, Kind: KindInvalid, Corrections: id.Corrections,
					Error: wrongMod7(n, id.Suggestion[11]), Suggestion: id.Suggestion}
				return found(bad), true
			}
			if nearCarrier(ev, []Candidate{{Carrier: carrierFukuyama}}, n) {
				break // Fukuyama, named next to it, may own it
			}
			return none, false
		}
	case KindOrderNumber:
		return none, false // not in 3-7-7 groups (those were taken above)
	default:
		if fukuyamaShaped(id, n) && namedNear(ev, carrierFukuyama) {
			break // rankByContext makes it Fukuyama's
		}
		strong := labelled || isS10(strings.ToUpper(concat)) || (multi && grouped444)
		if !strong || len(concat) > 13 {
			return none, false
		}
		return found(id), true
	}
	f := found(id)
	rankByContext(&f, ev, n)
	return f, true
}

// takeAlone reports whether a tracking number id (normalised n) is taken
// from free text: numbers with a check digit of their own always; those
// without one (10 and 11 digits, a UPS waybill, FedEx's 15 digits, 12
// digits that only FedEx's check digit accepts) only after a tracking
// label or near the name of one of their carriers.
func takeAlone(id Identification, n string, labelled, grouped444 bool, ev []Evidence) bool {
	first := id.Candidates[0].Carrier
	switch {
	case len(n) <= 11 && allDigits(n), isUPSWaybill(n), len(n) == 15:
		return labelled || nearCarrier(ev, id.Candidates, n)
	case len(n) == 12 && first == carrierFedEx && len(id.Candidates) == 1:
		// Only FedEx's check digit fits. With a label and not in the
		// 4-4-4 groups of domestic numbers it may be FedEx's.
		return namedNear(ev, carrierFedEx) || (labelled && !grouped444)
	}
	return true
}

// orderShaped reports whether the groups read as an Amazon order number:
// 3-7-7 digits, or D01-7-7 for a digital order. (17 digits in one piece
// are not taken: in free text they are as likely any other reference.)
func orderShaped(groups []string) bool {
	if len(groups) != 3 || len(groups[0]) != 3 || len(groups[1]) != 7 || len(groups[2]) != 7 {
		return false
	}
	return allDigits(groups[1]+groups[2]) && (allDigits(groups[0]) || (groups[0][0]|0x20 == 'd' && allDigits(groups[0][1:])))
}

// trackingGroups reports whether digit groups can be a grouped tracking
// number: each group has at least 3 characters (which rules out dates
// and most telephone numbers), and it is not a telephone number in 3-4-4
// or 4-3-3 form.
func trackingGroups(groups []string) bool {
	total := 0
	for _, g := range groups {
		if len(g) < 3 {
			return false
		}
		total += len(g)
	}
	if groups[0][0] == '0' && (total == 10 || total == 11) {
		return len(groups) == 3 && len(groups[0]) == 4 && len(groups[1]) == 4
	}
	return true
}

// excludedByNeighbours reports whether the characters around
// text[start:end] show it is not a tracking number: a postal mark, a
// currency sign, an international dialling +, 円 or % after it, or a
// decimal point, slash or colon joining it to more digits (3.14159…,
// 2026/11/23, 12:30). A comma is no such sign: the groups of a number
// written with thousands separators are too short to be taken anyway, and
// people list tracking numbers with commas.
func excludedByNeighbours(text string, start, end int) bool {
	before, nb := lastRune(text[:start])
	switch before {
	case '〒', '+', '¥', '$', '\\':
		return true
	case '.', '/', ':':
		if r, _ := lastRune(text[:start-nb]); '0' <= r && r <= '9' {
			return true
		}
	}
	after, na := decodeAt(text, end)
	switch after {
	case '円', '%', '¥':
		return true
	case '.', '/', ':':
		if r, _ := decodeAt(text, end+na); '0' <= r && r <= '9' {
			return true
		}
	}
	return false
}

// lastRune returns the last rune of s, folded, and its size.
func lastRune(s string) (rune, int) {
	if s == "" {
		return 0, 0
	}
	r, n := utf8.DecodeLastRuneInString(s)
	return foldRune(r), n
}

// decodeAt returns the folded rune at text[i:] and its size, or 0 at the
// end.
func decodeAt(text string, i int) (rune, int) {
	if i >= len(text) {
		return 0, 0
	}
	return decodeFolded(text, i)
}

// labelKind is what the nearest label before a number says it is.
type labelKind int

const (
	labelNone     labelKind = iota
	labelTracking           // お問い合わせ番号, 伝票番号, Tracking number …
	labelPhone              // TEL, 電話, ☎ …
	labelOther              // 注文番号, 会員番号, Order … : some other number
)

// label is a word looked for before a number.
type label struct {
	word string // ASCII letters in upper case: the text is upper-cased before the search
	kind labelKind
}

// labels returns the words looked for before a number.
func labels() [63]label {
	return [63]label{
		{"問い合わせ番号", labelTracking}, {"問合せ番号", labelTracking}, {"問い合せ番号", labelTracking},
		{"問合わせ番号", labelTracking}, {"お問い合わせ伝票", labelTracking}, {"送り状", labelTracking},
		{"伝票", labelTracking}, {"追跡", labelTracking}, {"配送番号", labelTracking},
		{"荷物番号", labelTracking}, {"トラッキング", labelTracking}, {"TRACKING", labelTracking},
		{"佐川", labelTracking}, {"SAGAWA", labelTracking}, {"ヤマト", labelTracking}, {"YAMATO", labelTracking},
		{"郵便", labelTracking}, {"ゆうパック", labelTracking}, {"ゆうパケット", labelTracking}, {"JAPAN POST", labelTracking},
		{"西濃", labelTracking}, {"カンガルー", labelTracking}, {"SEINO", labelTracking}, {"福山通運", labelTracking},
		{"福通", labelTracking}, {"DHL", labelTracking}, {"FEDEX", labelTracking},
		{"WAYBILL", labelTracking}, {"AWB", labelTracking}, {"運送状", labelTracking},
		{"TEL", labelPhone}, {"電話", labelPhone}, {"☎", labelPhone}, {"℡", labelPhone},
		{"FAX", labelPhone}, {"携帯", labelPhone}, {"PHONE", labelPhone}, {"ダイヤル", labelPhone},
		{"注文", labelOther}, {"ORDER", labelOther}, {"オーダー", labelOther}, {"受注", labelOther},
		{"会員", labelOther}, {"郵便番号", labelOther}, {"カード", labelOther}, {"口座", labelOther},
		{"請求", labelOther}, {"商品番号", labelOther}, {"ASIN", labelOther}, {"ISBN", labelOther},
		{"JAN", labelOther}, {"ギフト", labelOther}, {"クーポン", labelOther}, {"INVOICE", labelOther},
		{"MEMBER", labelOther}, {"ACCOUNT", labelOther},
		{"商品", labelOther}, {"受付", labelOther}, {"お客様番号", labelOther}, {"顧客", labelOther}, {"取引", labelOther},
		{"CUSTOMER", labelOther}, {"TRANSACTION", labelOther},
	}
}

// labelLastBytes is the set of the last bytes of the label words, so that
// nearestLabel passes over most positions with one bit test.
var labelLastBytes = func() (set [4]uint64) {
	for _, l := range labels() {
		c := l.word[len(l.word)-1]
		set[c>>6] |= 1 << (c & 63)
	}
	return set
}()

// labelWindow is how far back (in bytes) a label is looked for: about 30
// Japanese characters or 90 ASCII ones.
const labelWindow = 90

// nearestLabel finds the label that ends closest before text[at], looking
// back at most labelWindow bytes and never before from. It walks back
// from the number, so the usual case (a label just before it) is cheap.
func nearestLabel(text string, from, at int) labelKind {
	start := max(from, at-labelWindow)
	for start < at && !utf8.RuneStart(text[start]) {
		start++
	}
	window := asciiUpper(text[start:at])
	table := labels()
	for end := len(window); end > 0; end-- {
		last := window[end-1]
		if labelLastBytes[last>>6]&(1<<(last&63)) == 0 {
			continue // no label word ends with this byte
		}
		for _, l := range table {
			w := l.word
			if len(w) > end || w[len(w)-1] != last || window[end-len(w):end] != w {
				continue
			}
			if w[0] < utf8.RuneSelf && end > len(w) && isLetter(window, end-len(w)-1) {
				continue // "HOTEL" is not "TEL"
			}
			if l.kind == labelOther && !labelTail(window[end:]) {
				// "Your order has shipped.\n1234-5678-9013": an order
				// (member, card …) word rules a number out only when it
				// labels it, on the same line and directly before it.
				// Look on before the word, not inside it (郵便番号).
				end -= len(w) - 1
				break
			}
			return l.kind
		}
	}
	return labelNone
}

// labelTailWords may stand between a label word and its number:
// 注文番号：, Order No. , ORDER #, 会員ID: , ギフト券番号 …
var labelTailWords = [...]string{
	"REFERENCE", "NUMBER", "コード", "CODE", "番号", "日時", "REF", "NO", "ID", "№", "券", "書", "は",
	" ", "\t", ":", "#", ".", "=", "(", ")", "[", "]", "（", "）", "【", "】", "「", "」", "：",
}

// labelTail reports whether gap, the upper-cased text between a label word
// and a number, is only a short label tail ("番号：", " NO. ", " #"), so
// that the word labels the number. The tail may end its line, with the
// number at the start of the next ("ご注文番号\n1234…"): a label on the
// line before counts like one on the same line.
func labelTail(gap string) bool {
	if len(gap) > 30 {
		return false
	}
	newline := false
	for gap != "" {
		if !newline && (gap[0] == '\n' || strings.HasPrefix(gap, "\r\n")) {
			newline = true
			gap = gap[strings.IndexByte(gap, '\n')+1:]
			continue
		}
		cut := false
		for _, w := range labelTailWords {
			if strings.HasPrefix(gap, w) {
				gap, cut = gap[len(w):], true
				break
			}
		}
		if !cut {
			return false
		}
	}
	return true
}

// asciiUpper upper-cases the ASCII letters of s, folding full-width ones
// first, so byte offsets may shrink but words stay searchable.
func asciiUpper(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		r = foldRune(r)
		if 'a' <= r && r <= 'z' {
			r -= 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}
