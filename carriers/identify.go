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

// The carrier names Identify returns. A name may be returned before an
// adapter for it is registered: a caller that tracks must skip (and
// explain) the names its registry does not know.
const (
	carrierYamato    = "yamato"
	carrierSagawa    = "sagawa"
	carrierJapanPost = "japanpost"
	carrierAmazon    = "amazon"
	carrierDHL       = "dhl"
	carrierFedEx     = "fedex"
	carrierUPS       = "ups"
	carrierSeino     = "seino"
	carrierFukuyama  = "fukuyama"
)

// Candidate is one carrier that may own a number, with why.
type Candidate struct {
	Carrier   string // yamato, sagawa, japanpost, amazon, dhl, fedex, ups, seino, fukuyama
	Reason    string // e.g. "12 digits with a valid mod-7 check digit"
	Trackable bool   // false for amazon, which has no tracking outside its app
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
	reason12Yamato     = "12 digits with a valid mod-7 check digit: the format Yamato uses for almost all its numbers"
	reason12JapanPost  = "12 digits with a valid mod-7 check digit: the format of ゆうパック, ゆうパケット and レターパック"
	reason12Sagawa     = "12 digits with a valid mod-7 check digit: the format of Sagawa's 送り状No."
	reason12FedEx      = "12 digits whose FedEx Express check digit (weights 3,1,7, mod 11) also fits: may be a FedEx number"
	reason12FedExOnly  = "12 digits with a valid FedEx Express check digit (weights 3,1,7, mod 11); the mod-7 check digit of Yamato, Sagawa and Japan Post numbers does not match, so if this came from their slip a digit is mistyped"
	reason99Amazon     = "12 digits starting with 99: may be an Amazon delivery ID, which has no public tracking"
	reason99Only       = "12 digits starting with 99 like an Amazon delivery ID (no public tracking); the mod-7 check digit of Yamato, Sagawa and Japan Post numbers does not match, so if this came from their slip a digit is mistyped"
	reason11JapanPost  = "11 digits: the format of Japan Post registered mail (書留, 特定記録)"
	reason11JPNoCheck  = "11 digits: the format of Japan Post registered mail (書留, 特定記録); its check-digit rule is not confirmed"
	reason11Yamato     = "11 digits with a valid mod-7 check digit: some Yamato numbers have 11 digits"
	reason11Sagawa     = "11 digits: Sagawa uses 10- to 12-digit numbers (no check digit is documented for 11 digits)"
	reason11DHL        = "11 digits with a valid mod-7 check digit: the format of some DHL Express waybills"
	reason10Sagawa     = "10 digits: Sagawa uses 10- to 12-digit numbers (no check digit is documented for 10 digits)"
	reason10Seino      = "10 digits: the format of Seino (カンガルー便) numbers (no check digit is documented)"
	reason10DHL        = "10 digits with a valid mod-7 check digit: the format of DHL Express waybills"
	reason15FedEx      = "15 digits with a valid mod-10 check digit: the format of FedEx Ground numbers"
	reason22FedEx      = "22 digits starting with 96 with a valid mod-10 check digit: the format of FedEx Ground barcodes"
	reason34FedEx      = "34 digits with a valid check digit (weights 1,7,3, mod 11): the format of FedEx barcodes"
	reasonUPS          = "1Z and 16 characters with a valid check digit: the format of UPS numbers"
	reasonUPSWaybill   = "a letter (A, H, J, K, T, V) and 10 digits whose check digit fits: the form of a UPS waybill (the rule comes from a public data file and no real number confirmed it)"
	reasonUPSWaybillNC = "a letter (A, H, J, K, T, V) and 10 digits: the form of a UPS waybill; its check digit does not fit the rule of a public data file, which no real number confirmed"
	reasonS10          = "UPU S10 international number with a valid check digit: Japan Post tracks international mail and EMS"
	reasonDA           = "Amazon delivery ID (DA and 10 digits): tracked only in the Amazon app or order history"

	errEmpty       = "no tracking number: the text is empty"
	errOrderNumber = "this is an Amazon order number (3-7-7 digits), not a tracking number: the お問い合わせ番号 (tracking number) is in 注文履歴 → 配送状況を確認 (Your Orders → Track package), or in the shipping e-mail"
	errPhone       = "this looks like a telephone number, not a tracking number"
	errFormat      = "not a known tracking-number format: expected 10 to 12 digits (Yamato, Sagawa, Japan Post, Seino, DHL, FedEx), a UPU S10 number such as EJ123456785JP (international, EMS), a UPS number (1Z…), a FedEx number of 15, 22 or 34 digits, or an Amazon delivery ID (DA…)"
)

// Identify normalises s with [Normalize] and says what it is: a
// tracking number with its ranked carrier candidates, an Amazon order
// number, or invalid, with the reason. It looks at the number alone;
// [ExtractContext] also ranks by the words around a number in a text.
//
// The rules, all on the normalised number (sources in the package
// documentation):
//
//   - 12 digits whose last digit is the first 11 digits mod 7: Yamato,
//     Japan Post, Sagawa, in that order. The format cannot tell them apart;
//     Yamato has by far the most such numbers, then Japan Post (ゆうパック
//     and friends), so the tracker asks them in that order. If the FedEx
//     Express check digit (weights 3,1,7 over the first 11 digits, sum mod
//     11 mod 10) fits too, fedex follows. If the number also starts with
//     99 it may be an Amazon delivery ID: amazon is added last, after the
//     carriers that can be tracked.
//   - 12 digits without a valid mod-7 check digit but with a valid FedEx
//     check digit, or starting with 99: fedex and/or amazon (Amazon's IDs
//     have no known check digit), with a Suggestion of the mod-7 check
//     digit, since a mistyped domestic number is as likely.
//   - Any other 12 digits: invalid, wrong check digit, with a Suggestion
//     of the check digit that would fit.
//   - 11 digits: Japan Post registered mail (first digit 1–8), Yamato (only
//     with a valid mod-7 check digit), Sagawa, and DHL Express (first 10
//     digits mod 7).
//   - 10 digits: Sagawa, Seino, and DHL Express when the first 9 digits
//     mod 7 give the last.
//   - 10 or 11 digits with a telephone prefix (0120, 0570, 0800, 050, 070,
//     080, 090) or written in telephone groups (090-1234-5678,
//     0120-01-9625): invalid, a telephone number.
//   - 15 digits (FedEx Ground), 22 digits starting with 96 (FedEx Ground
//     barcode) and 34 digits starting with 100 or 96 (FedEx barcodes):
//     fedex when the check digit fits, else invalid with a Suggestion.
//   - 1Z and 16 letters or digits: ups when the check digit fits, else
//     invalid with a Suggestion. A, H, J, K, T or V and 10 digits: ups (a
//     waybill; its check-digit rule is unconfirmed, so a mismatch only
//     changes the reason).
//   - UPU S10 (2 letters, 8 digits, a check digit, 2 letters): Japan Post,
//     when the last two letters are an ISO 3166-1 country code; a wrong
//     check digit is invalid with a Suggestion, an unknown country code
//     (XX, ZZ) invalid.
//   - DA and 10 digits: amazon, untrackable.
//   - 17 digits (an Amazon order number, 3-7-7) or D01 and 14 digits (a
//     digital order): an order number, with where to find the tracking
//     number instead.
//
// Fukuyama's number format is not confirmed: fukuyama is a candidate only
// when a text names the carrier ([ExtractContext]).
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
		if !isCountryCode(n[11], n[12]) {
			id.Error = fmt.Sprintf("not a UPU S10 number: its last two letters name the country of origin, and %s is not an ISO 3166-1 country code", n[11:])
			return
		}
		check := s10Check(n)
		if n[10] != check {
			id.Error = fmt.Sprintf("wrong check digit: the 11th character of a UPU S10 number (2 letters, 8 digits, check digit, 2 letters) should be %c, not %c; a character is probably mistyped", check, n[10])
			id.Suggestion = n[:10] + string(check) + n[11:]
			return
		}
		id.Kind = KindTracking
		id.Candidates = candsS10[:len(candsS10):len(candsS10)]
	case isUPS(n):
		check := mod10Check(n[2:17], 1, 2)
		if n[17] != check {
			id.Error = fmt.Sprintf("wrong check digit: the last character of a UPS 1Z number should be %c, not %c; a character is probably mistyped", check, n[17])
			id.Suggestion = n[:17] + string(check)
			return
		}
		id.Kind = KindTracking
		id.Candidates = candsUPS[:len(candsUPS):len(candsUPS)]
	case isUPSWaybill(n):
		reason := reasonUPSWaybill
		if n[10] != mod10Check(n[1:10], 1, 2) {
			reason = reasonUPSWaybillNC
		}
		id.Kind = KindTracking
		id.Candidates = []Candidate{{Carrier: carrierUPS, Reason: reason, Trackable: true}}
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
// valid UPU S10 or UPS number) are shared, so that identifying an
// already-normal number allocates only its display form
// (TestIdentifyAllocations holds the count). Their capacity is capped at
// their length where they are handed out, so an append by a caller
// copies; callers must not modify or reorder elements in place.
var (
	candsS10 = []Candidate{
		{Carrier: carrierJapanPost, Reason: reasonS10, Trackable: true},
	}
	candsUPS = []Candidate{
		{Carrier: carrierUPS, Reason: reasonUPS, Trackable: true},
	}
	cands12 = []Candidate{
		{Carrier: carrierYamato, Reason: reason12Yamato, Trackable: true},
		{Carrier: carrierJapanPost, Reason: reason12JapanPost, Trackable: true},
		{Carrier: carrierSagawa, Reason: reason12Sagawa, Trackable: true},
	}
	candFedEx12        = Candidate{Carrier: carrierFedEx, Reason: reason12FedEx, Trackable: true}
	candAmazon99       = Candidate{Carrier: carrierAmazon, Reason: reason99Amazon}
	cands12FedEx       = append(cands12[:len(cands12):len(cands12)], candFedEx12)
	cands12Amazon      = append(cands12[:len(cands12):len(cands12)], candAmazon99)
	cands12FedExAmazon = append(cands12FedEx[:len(cands12FedEx):len(cands12FedEx)], candAmazon99)
)

// classifyDigits handles an all-digit number.
func classifyDigits(id *Identification, n string) {
	switch len(n) {
	case 12:
		classify12(id, n)
	case 11:
		if phonePrefix(n) {
			id.Error = errPhone
			return
		}
		valid := n[10] == mod7(n[:10])
		registered := n[0] >= '1' && n[0] <= '8'
		cands := make([]Candidate, 0, 4)
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
		if valid {
			cands = append(cands, Candidate{Carrier: carrierDHL, Reason: reason11DHL, Trackable: true})
		}
		id.Kind = KindTracking
		id.Candidates = cands
	case 10:
		if phonePrefix(n) {
			id.Error = errPhone
			return
		}
		cands := make([]Candidate, 0, 3)
		cands = append(cands,
			Candidate{Carrier: carrierSagawa, Reason: reason10Sagawa, Trackable: true},
			Candidate{Carrier: carrierSeino, Reason: reason10Seino, Trackable: true})
		if n[9] == mod7(n[:9]) {
			cands = append(cands, Candidate{Carrier: carrierDHL, Reason: reason10DHL, Trackable: true})
		}
		id.Kind = KindTracking
		id.Candidates = cands
	case 15:
		checked(id, n, mod10Check(n[:14], 1, 3), "a FedEx Ground number (15 digits, mod 10)", reason15FedEx)
	case 22:
		if n[0] != '9' || n[1] != '6' {
			id.Error = "22 digits: of the formats todoku knows only FedEx Ground barcodes have 22 digits, and they start with 96"
			return
		}
		checked(id, n, mod10Check(n[7:21], 1, 3), "a FedEx Ground barcode (96 and 20 digits, mod 10)", reason22FedEx)
	case 34:
		if n[:3] != "100" && n[:2] != "96" {
			id.Error = "34 digits: of the formats todoku knows only FedEx barcodes have 34 digits, and they start with 100 or 96"
			return
		}
		checked(id, n, weightedMod11(n[20:33], fedex34Weights), "a 34-digit FedEx barcode (weights 1,7,3, mod 11)", reason34FedEx)
	case 17:
		id.Kind = KindOrderNumber
		id.Error = errOrderNumber
	default:
		id.Error = strconv.Itoa(len(n)) + " digits: Yamato, Sagawa, Japan Post, Seino and DHL numbers have 10 to 12 digits, FedEx numbers 12, 15, 22 or 34"
	}
}

// classify12 handles a 12-digit number.
func classify12(id *Identification, n string) {
	check := mod7(n[:11])
	valid := n[11] == check
	amazon := n[0] == '9' && n[1] == '9'
	fedex := n[11] == weightedMod11(n[:11], fedex12Weights)
	switch {
	case valid && fedex && amazon:
		id.Candidates = cands12FedExAmazon[:len(cands12FedExAmazon):len(cands12FedExAmazon)]
	case valid && fedex:
		id.Candidates = cands12FedEx[:len(cands12FedEx):len(cands12FedEx)]
	case valid && amazon:
		id.Candidates = cands12Amazon[:len(cands12Amazon):len(cands12Amazon)]
	case valid:
		id.Candidates = cands12[:len(cands12):len(cands12)]
	case fedex || amazon:
		cands := make([]Candidate, 0, 2)
		if fedex {
			cands = append(cands, Candidate{Carrier: carrierFedEx, Reason: reason12FedExOnly, Trackable: true})
		}
		if amazon {
			cands = append(cands, Candidate{Carrier: carrierAmazon, Reason: reason99Only})
		}
		id.Candidates = cands
		id.Suggestion = n[:11] + string(check)
	default:
		id.Error = wrongMod7(n, check)
		id.Suggestion = n[:11] + string(check)
		return
	}
	id.Kind = KindTracking
}

// wrongMod7 is the error for a 12-digit number whose last digit is not
// check, the first 11 digits mod 7.
func wrongMod7(n string, check byte) string {
	return fmt.Sprintf("wrong check digit: the last digit of a 12-digit Yamato, Sagawa or Japan Post number is the first 11 digits mod 7, which is %c here, not %c; a digit is probably mistyped (check the slip)", check, n[11])
}

// checked makes id a FedEx number when the last digit of n is check, and
// invalid with a Suggestion otherwise.
func checked(id *Identification, n string, check byte, what, reason string) {
	last := len(n) - 1
	if n[last] != check {
		id.Error = fmt.Sprintf("wrong check digit: the last digit of %s should be %c, not %c; a digit is probably mistyped", what, check, n[last])
		id.Suggestion = n[:last] + string(check)
		return
	}
	id.Kind = KindTracking
	id.Candidates = []Candidate{{Carrier: carrierFedEx, Reason: reason, Trackable: true}}
}

// mod7 returns the check digit of the decimal digits d: their value mod
// 7, as an ASCII digit. It works digit by digit, so any length is fine.
// Yamato, Sagawa and Japan Post (12 digits) and DHL Express (10 and 11
// digits) use it.
func mod7(d string) byte {
	r := 0
	for i := 0; i < len(d); i++ {
		r = (r*10 + int(d[i]-'0')) % 7
	}
	return byte('0' + r)
}

// mod10Check returns the mod-10 check digit of s as UPS and FedEx Ground
// compute it: each character's value (a digit's own value, a letter's
// ASCII code minus 3, mod 10) is multiplied by even at even 0-based
// positions and by odd at odd ones; the check digit brings the sum up to
// a multiple of 10.
func mod10Check(s string, even, odd int) byte {
	sum := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		v := int(c - '0')
		if c >= 'A' {
			v = (int(c) - 3) % 10
		}
		if i%2 == 1 {
			v *= odd
		} else {
			v *= even
		}
		sum += v
	}
	return byte('0' + (10-sum%10)%10)
}

// The weights of FedEx's mod-11 check digits, repeated along the digits.
var (
	fedex12Weights = [3]int{3, 1, 7}
	fedex34Weights = [3]int{1, 7, 3}
)

// weightedMod11 returns the check digit of the decimal digits d with the
// weights w repeated: the weighted sum mod 11, mod 10.
func weightedMod11(d string, w [3]int) byte {
	sum, j := 0, 0
	for i := 0; i < len(d); i++ {
		sum += int(d[i]-'0') * w[j]
		if j++; j == 3 {
			j = 0
		}
	}
	return byte('0' + sum%11%10)
}

// isUPS reports whether n has the shape of a UPS 1Z number: 1Z and 16
// upper-case letters or digits, the last a digit.
func isUPS(n string) bool {
	if len(n) != 18 || n[0] != '1' || n[1] != 'Z' || n[17] < '0' || n[17] > '9' {
		return false
	}
	for i := 2; i < 17; i++ {
		if c := n[i]; (c < '0' || c > '9') && (c < 'A' || c > 'Z') {
			return false
		}
	}
	return true
}

// isUPSWaybill reports whether n has the shape of a UPS waybill: A, H, J,
// K, T or V and 10 digits.
func isUPSWaybill(n string) bool {
	if len(n) != 11 {
		return false
	}
	switch n[0] {
	case 'A', 'H', 'J', 'K', 'T', 'V':
		return allDigits(n[1:])
	}
	return false
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

// iso3166Alpha2 lists the 249 officially assigned ISO 3166-1 alpha-2
// country codes, which end a UPU S10 number (UPU standard S10, "country
// code of the issuing postal operator"). User-assigned codes (XX, ZZ, the
// Q and X ranges) and reserved ones (UK, EU) are not in it.
const iso3166Alpha2 = "" +
	"AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ " +
	"BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
	"CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ " +
	"DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR " +
	"GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY " +
	"HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP " +
	"KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY " +
	"MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ " +
	"NA NC NE NF NG NI NL NO NP NR NU NZ OM " +
	"PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW " +
	"SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ " +
	"TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ " +
	"UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW"

// countryCodes is iso3166Alpha2 as a lookup table indexed by
// (first letter − 'A') × 26 + (second letter − 'A').
var countryCodes = func() (set [26 * 26]bool) {
	for i := 0; i+1 < len(iso3166Alpha2); i += 3 {
		set[int(iso3166Alpha2[i]-'A')*26+int(iso3166Alpha2[i+1]-'A')] = true
	}
	return set
}()

// isCountryCode reports whether the upper-case letters a and b are an
// ISO 3166-1 alpha-2 country code.
func isCountryCode(a, b byte) bool {
	if a < 'A' || a > 'Z' || b < 'A' || b > 'Z' {
		return false
	}
	return countryCodes[int(a-'A')*26+int(b-'A')]
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
