package carriers

import (
	"fmt"
	"strconv"
)

// Kind says what a pasted string turned out to be.
type Kind string

// The kinds of an [Identification].
const (
	// KindTracking is a tracking number at least one carrier may own.
	KindTracking Kind = "tracking"
	// KindOrderNumber is a shop's order number (Amazon's 3-7-7 digits),
	// which no carrier can track.
	KindOrderNumber Kind = "order-number"
	// KindInvalid is anything else: a wrong check digit, a wrong length,
	// a telephone number, text.
	KindInvalid Kind = "invalid"
)

// The carrier names Identify returns.
const (
	carrierYamato    = "yamato"
	carrierSagawa    = "sagawa"
	carrierJapanPost = "japanpost"
	carrierAmazon    = "amazon"
)

// Candidate is one carrier that may own a number, with why.
type Candidate struct {
	Carrier   string // yamato, sagawa, japanpost, amazon
	Reason    string // e.g. "12 digits with a valid mod-7 check digit"
	Trackable bool   // false for amazon
}

// Identification is what a pasted string turned out to be.
type Identification struct {
	Input       string      // the substring as found / given
	Number      string      // normalised; "" when rejected
	Kind        Kind        // tracking, order-number or invalid
	Candidates  []Candidate // ranked; empty when rejected; may be shared: copy before changing an element
	Corrections []string    // human-readable, e.g. "O→0 at position 5"
	Error       string      // why it was rejected ("" for tracking)
	Suggestion  string      // optional: a one-digit change that would be valid (never applied)
}

// Display is the number formatted the way the first candidate prints it
// (1234-5678-9013), or "" when it was rejected. It is computed on demand,
// so that identifying an already-normal number allocates nothing.
func (id Identification) Display() string {
	if id.Kind != KindTracking || len(id.Candidates) == 0 {
		return ""
	}
	return Display(id.Candidates[0].Carrier, id.Number)
}

// Carriers returns the candidate carrier names in rank order.
func (id Identification) Carriers() []string {
	names := make([]string, len(id.Candidates))
	for i, c := range id.Candidates {
		names[i] = c.Carrier
	}
	return names
}

// Reasons given with candidates and rejections.
const (
	reason12Yamato    = "12 digits with a valid mod-7 check digit: the format Yamato uses for almost all its numbers"
	reason12JapanPost = "12 digits with a valid mod-7 check digit: the format of ゆうパック, ゆうパケット and レターパック"
	reason12Sagawa    = "12 digits with a valid mod-7 check digit: the format of Sagawa's 送り状No."
	reason99Amazon    = "12 digits starting with 99: may be an Amazon delivery ID, which has no public tracking"
	reason99Only      = "12 digits starting with 99 like an Amazon delivery ID (no public tracking); the mod-7 check digit of Yamato, Sagawa and Japan Post numbers does not match, so if this came from their slip a digit is mistyped"
	reason11JapanPost = "11 digits: the format of Japan Post registered mail (書留, 特定記録)"
	reason11JPNoCheck = "11 digits: the format of Japan Post registered mail (書留, 特定記録); its check-digit rule is not confirmed"
	reason11Yamato    = "11 digits with a valid mod-7 check digit: some Yamato numbers have 11 digits"
	reason11Sagawa    = "11 digits: Sagawa uses 10- to 12-digit numbers (no check digit is documented for 11 digits)"
	reason10Sagawa    = "10 digits: Sagawa uses 10- to 12-digit numbers (no check digit is documented for 10 digits)"
	reasonS10         = "UPU S10 international number with a valid check digit: Japan Post tracks international mail and EMS"
	reasonDA          = "Amazon delivery ID (DA and 10 digits): tracked only in the Amazon app or order history"

	errEmpty       = "no tracking number: the text is empty"
	errOrderNumber = "this is an Amazon order number (3-7-7 digits), not a tracking number: the お問い合わせ番号 (tracking number) is in 注文履歴 → 配送状況を確認 (Your Orders → Track package), or in the shipping e-mail"
	errPhone       = "this looks like a telephone number, not a tracking number"
	errFormat      = "not a known tracking-number format: expected 10 to 12 digits (Yamato, Sagawa, Japan Post), a UPU S10 number such as EJ123456785JP (international, EMS) or an Amazon delivery ID (DA…)"
)

// Identify normalises s with [Normalize] and says what it is: a
// tracking number with its ranked carrier candidates, an Amazon order
// number, or invalid, with the reason.
//
// The rules, all on the normalised number:
//
//   - 12 digits whose last digit is the first 11 digits mod 7: Yamato,
//     Japan Post, Sagawa, in that order. The format cannot tell them apart;
//     Yamato has by far the most such numbers, then Japan Post (ゆうパック
//     and friends), so the tracker asks them in that order. If the number
//     also starts with 99 it may be an Amazon delivery ID: amazon is added
//     last, after the carriers that can be tracked.
//   - 12 digits starting with 99 without a valid check digit: amazon only
//     (Amazon's IDs have no known check digit), untrackable.
//   - Any other 12 digits: invalid, wrong check digit, with a Suggestion
//     of the check digit that would fit.
//   - 11 digits: Japan Post registered mail (first digit 1–8), Yamato (only
//     with a valid mod-7 check digit) and Sagawa.
//   - 10 digits: Sagawa.
//   - 10 or 11 digits with a telephone prefix (0120, 0570, 0800, 050, 070,
//     080, 090) or written in telephone groups (090-1234-5678,
//     0120-01-9625): invalid, a telephone number.
//   - UPU S10 (2 letters, 8 digits, a check digit, 2 letters): Japan Post,
//     for any country suffix; a wrong check digit is invalid with a
//     Suggestion.
//   - DA and 10 digits: amazon, untrackable.
//   - 17 digits (an Amazon order number, 3-7-7) or D01 and 14 digits (a
//     digital order): an order number, with where to find the tracking
//     number instead.
//
// Identify uses no regular expressions; for a valid 12-digit or S10
// number that is already normal it allocates nothing: the candidate lists
// of those cases are shared (see cands12) and the display form is
// computed by Identification.Display.
func Identify(s string) Identification {
	n, corrections := Normalize(s)
	id := Identification{Input: s, Corrections: corrections}
	if n != s && phoneGrouped(s) {
		return rejected(id, KindInvalid, errPhone)
	}
	classify(&id, n)
	if id.Kind == KindTracking {
		id.Number = n
	}
	return id
}

// rejected fills id as a rejection of the given kind.
func rejected(id Identification, kind Kind, msg string) Identification {
	id.Kind = kind
	id.Error = msg
	return id
}

// classify sets Kind, Candidates, Error and Suggestion of id for the
// normalised number n.
func classify(id *Identification, n string) {
	id.Kind = KindInvalid
	switch {
	case n == "":
		id.Error = errEmpty
	case allDigits(n):
		classifyDigits(id, n)
	case len(n) == 13 && isS10(n):
		check := s10Check(n)
		if n[10] != check {
			id.Error = fmt.Sprintf("wrong check digit: the 11th character of a UPU S10 number (2 letters, 8 digits, check digit, 2 letters) should be %c, not %c; a character is probably mistyped", check, n[10])
			id.Suggestion = n[:10] + string(check) + n[11:]
			return
		}
		id.Kind = KindTracking
		id.Candidates = candsS10[:len(candsS10):len(candsS10)]
	case len(n) == 12 && n[0] == 'D' && n[1] == 'A' && allDigits(n[2:]):
		id.Kind = KindTracking
		id.Candidates = []Candidate{{Carrier: carrierAmazon, Reason: reasonDA}}
	case len(n) == 17 && n[0] == 'D' && allDigits(n[1:]):
		id.Kind = KindOrderNumber
		id.Error = "this is an Amazon digital order number (D01-…), not a tracking number: digital items are not shipped"
	default:
		if bad := firstNonAlnum(n); bad != "" {
			id.Error = fmt.Sprintf("not a tracking number: it contains %q; tracking numbers are letters and digits only", bad)
			return
		}
		id.Error = errFormat
	}
}

// The candidate lists of the common cases (a valid 12-digit number, a
// valid UPU S10 number) are shared, so that identifying an already-normal
// number allocates only its display form (TestIdentifyAllocations holds
// the count). Their capacity is capped at their length where they are
// handed out, so an append by a caller copies; callers must not modify or
// reorder elements in place.
var (
	candsS10 = []Candidate{
		{Carrier: carrierJapanPost, Reason: reasonS10, Trackable: true},
	}
	cands12 = []Candidate{
		{Carrier: carrierYamato, Reason: reason12Yamato, Trackable: true},
		{Carrier: carrierJapanPost, Reason: reason12JapanPost, Trackable: true},
		{Carrier: carrierSagawa, Reason: reason12Sagawa, Trackable: true},
	}
	cands12Amazon = append(cands12[:len(cands12):len(cands12)], Candidate{Carrier: carrierAmazon, Reason: reason99Amazon})
)

// classifyDigits handles an all-digit number.
func classifyDigits(id *Identification, n string) {
	switch len(n) {
	case 12:
		check := mod7(n[:11])
		valid := n[11] == check
		amazon := n[0] == '9' && n[1] == '9'
		switch {
		case valid && amazon:
			id.Candidates = cands12Amazon[:len(cands12Amazon):len(cands12Amazon)]
		case valid:
			id.Candidates = cands12[:len(cands12):len(cands12)]
		case amazon:
			id.Candidates = []Candidate{{Carrier: carrierAmazon, Reason: reason99Only}}
			id.Suggestion = n[:11] + string(check)
		default:
			id.Error = fmt.Sprintf("wrong check digit: the last digit of a 12-digit Yamato, Sagawa or Japan Post number is the first 11 digits mod 7, which is %c here, not %c; a digit is probably mistyped (check the slip)", check, n[11])
			id.Suggestion = n[:11] + string(check)
			return
		}
		id.Kind = KindTracking
	case 11:
		if phonePrefix(n) {
			id.Error = errPhone
			return
		}
		valid := n[10] == mod7(n[:10])
		registered := n[0] >= '1' && n[0] <= '8'
		cands := make([]Candidate, 0, 3)
		switch {
		case registered && valid:
			cands = append(cands, Candidate{Carrier: carrierJapanPost, Reason: reason11JapanPost, Trackable: true})
		case registered:
			cands = append(cands, Candidate{Carrier: carrierJapanPost, Reason: reason11JPNoCheck, Trackable: true})
		}
		if valid {
			cands = append(cands, Candidate{Carrier: carrierYamato, Reason: reason11Yamato, Trackable: true})
		}
		cands = append(cands, Candidate{Carrier: carrierSagawa, Reason: reason11Sagawa, Trackable: true})
		id.Kind = KindTracking
		id.Candidates = cands
	case 10:
		if phonePrefix(n) {
			id.Error = errPhone
			return
		}
		id.Kind = KindTracking
		id.Candidates = []Candidate{{Carrier: carrierSagawa, Reason: reason10Sagawa, Trackable: true}}
	case 17:
		id.Kind = KindOrderNumber
		id.Error = errOrderNumber
	default:
		id.Error = strconv.Itoa(len(n)) + " digits: Yamato, Sagawa and Japan Post numbers have 10 to 12 digits"
	}
}

// mod7 returns the check digit of the decimal digits d: their value mod
// 7, as an ASCII digit. It works digit by digit, so any length is fine.
func mod7(d string) byte {
	r := 0
	for i := 0; i < len(d); i++ {
		r = (r*10 + int(d[i]-'0')) % 7
	}
	return byte('0' + r)
}

// isS10 reports whether n has the UPU S10 shape: 2 letters, 9 digits, 2
// letters.
func isS10(n string) bool {
	if len(n) != 13 {
		return false
	}
	for i := 0; i < 13; i++ {
		c := n[i]
		letter := 'A' <= c && c <= 'Z'
		digit := '0' <= c && c <= '9'
		if (i < 2 || i > 10) != letter || (i >= 2 && i <= 10) != digit {
			return false
		}
	}
	return true
}

// s10Check returns the check digit of a UPU S10 number n (its serial
// n[2:10]): weights 8,6,4,2,3,5,9,7; 11 − sum mod 11, where 10 becomes 0
// and 11 becomes 5.
func s10Check(n string) byte {
	weights := [8]int{8, 6, 4, 2, 3, 5, 9, 7}
	sum := 0
	for i, w := range weights {
		sum += int(n[2+i]-'0') * w
	}
	c := 11 - sum%11
	switch c {
	case 10:
		c = 0
	case 11:
		c = 5
	}
	return byte('0' + c)
}

// phonePrefix reports whether the 10- or 11-digit n starts like a
// Japanese toll-free, navi-dial, IP or mobile telephone number of that
// length.
func phonePrefix(n string) bool {
	switch len(n) {
	case 10:
		return n[:4] == "0120" || n[:4] == "0570"
	case 11:
		switch n[:3] {
		case "050", "070", "080", "090":
			return true
		}
		return n[:4] == "0800"
	}
	return false
}

// phoneGrouped reports whether s is written like a Japanese telephone
// number: digit groups separated by dashes, spaces or brackets, the first
// starting with 0, 10 or 11 digits in all, and not grouped 4-4-x as
// tracking numbers are (0120-01-9625, 090-1234-5678, 03-1234-5678).
func phoneGrouped(s string) bool {
	var groups [8]int
	ng, digits, cur := 0, 0, 0
	first := byte(0)
	for i := 0; i < len(s); {
		r, size := decodeFolded(s, i)
		i += size
		switch {
		case '0' <= r && r <= '9':
			if digits == 0 {
				first = byte(r)
			}
			cur++
			digits++
		case isDash(r) || isSpace(r) || r == '(' || r == ')':
			if cur > 0 {
				if ng == len(groups) {
					return false
				}
				groups[ng] = cur
				ng++
				cur = 0
			}
		default:
			return false
		}
	}
	if cur > 0 {
		if ng == len(groups) {
			return false
		}
		groups[ng] = cur
		ng++
	}
	if ng < 2 || first != '0' || (digits != 10 && digits != 11) {
		return false
	}
	return !(ng == 3 && groups[0] == 4 && groups[1] == 4)
}

// firstNonAlnum returns the first rune of n that is not an ASCII letter
// or digit, or "".
func firstNonAlnum(n string) string {
	for _, r := range n {
		if !isASCIIAlnum(r) {
			return string(r)
		}
	}
	return ""
}
