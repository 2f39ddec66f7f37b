package carriers

import (
	"bufio"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/todoku/todoku/internal/testutil"
	"golang.org/x/text/language"
)

func TestIdentify(t *testing.T) {
	tests := []struct {
		name        string
		in          string
		kind        Kind
		number      string
		display     string
		carriers    []string
		trackable   []bool
		corrections int
		errHas      string
		suggestion  string
	}{
		{name: "12 digits mod 7", in: "123456789013", kind: KindTracking, number: "123456789013",
			display: "1234-5678-9013", carriers: []string{"yamato", "japanpost", "sagawa"}, trackable: []bool{true, true, true}},
		{name: "real yamato number grouped", in: "2253-0009-9640", kind: KindTracking, number: "225300099640",
			display: "2253-0009-9640", carriers: []string{"yamato", "japanpost", "sagawa"}},
		{name: "full-width with katakana dashes", in: "６０００ー７８４２ー０３２５", kind: KindTracking, number: "600078420325",
			display: "6000-7842-0325", carriers: []string{"yamato", "japanpost", "sagawa"}},
		{name: "label and O for 0 reported", in: "お問い合わせ番号：1234-5678-9O13", kind: KindTracking, number: "123456789013",
			display: "1234-5678-9013", carriers: []string{"yamato", "japanpost", "sagawa"}, corrections: 2},
		{name: "wrong check digit", in: "1234-5678-9014", kind: KindInvalid, errHas: "wrong check digit", suggestion: "123456789013"},
		{name: "check digit 7 never valid", in: "123456789017", kind: KindInvalid, errHas: "mod 7", suggestion: "123456789013"},
		{name: "99 with valid check digit adds amazon last", in: "995023165065", kind: KindTracking, number: "995023165065",
			display: "9950-2316-5065", carriers: []string{"yamato", "japanpost", "sagawa", "amazon"}, trackable: []bool{true, true, true, false}},
		{name: "99 without check digit is amazon only", in: "991234567891", kind: KindTracking, number: "991234567891",
			display: "991234567891", carriers: []string{"amazon"}, trackable: []bool{false}, suggestion: "991234567890"},
		{name: "amazon DA", in: "da1234567890", kind: KindTracking, number: "DA1234567890",
			display: "DA1234567890", carriers: []string{"amazon"}, trackable: []bool{false}},
		// Issue 11: DHL Express (10 and 11 digits, mod 7) and Seino (10
		// digits) are candidates too, after the domestic carriers.
		{name: "11 digits registered mail with mod 7", in: "12345678903", kind: KindTracking, number: "12345678903",
			carriers: []string{"japanpost", "yamato", "sagawa", "dhl"}, display: "12345678903"},
		{name: "11 digits without mod 7", in: "12345678901", kind: KindTracking, number: "12345678901",
			carriers: []string{"japanpost", "sagawa"}, display: "12345678901"},
		{name: "11 digits starting 9 with mod 7", in: "92345678902", kind: KindTracking, number: "92345678902",
			carriers: []string{"yamato", "sagawa", "dhl"}, display: "92345678902"},
		{name: "10 digits sagawa and seino", in: "4012345678", kind: KindTracking, number: "4012345678",
			carriers: []string{"sagawa", "seino"}, display: "4012345678"},
		{name: "10 digits with DHL's mod 7", in: "3318810025", kind: KindTracking, number: "3318810025",
			carriers: []string{"sagawa", "seino", "dhl"}, trackable: []bool{true, true, true}, display: "3318810025"},
		{name: "12 digits mod 7 and FedEx check", in: "123456790380", kind: KindTracking, number: "123456790380",
			carriers: []string{"yamato", "japanpost", "sagawa", "fedex"}, display: "1234-5679-0380"},
		// A published FedEx Express example (tracking_number_data): its
		// mod-7 digit would be 6, which is kept as the Suggestion.
		{name: "12 digits FedEx check only keeps the mod-7 suggestion", in: "986578788855", kind: KindTracking, number: "986578788855",
			carriers: []string{"fedex"}, display: "9865-7878-8855", suggestion: "986578788856"},
		{name: "12 digits 99 with FedEx check only", in: "990000000003", kind: KindTracking, number: "990000000003",
			carriers: []string{"fedex", "amazon"}, trackable: []bool{true, false}, display: "9900-0000-0003", suggestion: "990000000006"},
		{name: "FedEx Ground 15", in: "0414 4176 0228 964", kind: KindTracking, number: "041441760228964",
			carriers: []string{"fedex"}, display: "041441760228964"},
		{name: "FedEx Ground 15 wrong check", in: "568283610012732", kind: KindInvalid, errHas: "FedEx Ground", suggestion: "568283610012734"},
		{name: "FedEx Ground 96", in: "9611020987654312345672", kind: KindTracking, number: "9611020987654312345672",
			carriers: []string{"fedex"}, display: "9611020987654312345672"},
		{name: "FedEx Ground 96 wrong check", in: "9600000000000000000001", kind: KindInvalid, errHas: "96", suggestion: "9600000000000000000000"},
		{name: "22 digits not 96", in: "9500000000000000000001", kind: KindInvalid, errHas: "start with 96"},
		{name: "FedEx 34", in: "1001921334250001000300779017972697", kind: KindTracking, number: "1001921334250001000300779017972697",
			carriers: []string{"fedex"}, display: "1001921334250001000300779017972697"},
		{name: "FedEx 34 wrong check", in: "1001901781990001000300617767839438", kind: KindInvalid, errHas: "34-digit", suggestion: "1001901781990001000300617767839437"},
		{name: "UPS 1Z", in: "1z 5r8 939 03 5756 7127", kind: KindTracking, number: "1Z5R89390357567127",
			carriers: []string{"ups"}, trackable: []bool{true}, display: "1Z5R89390357567127"},
		{name: "UPS 1Z wrong check", in: "1Z1111111111111111", kind: KindInvalid, errHas: "UPS", suggestion: "1Z1111111111111118"},
		{name: "UPS waybill", in: "H1234567895", kind: KindTracking, number: "H1234567895", carriers: []string{"ups"}, display: "H1234567895"},
		{name: "UPS waybill, check not fitting", in: "H1234567890", kind: KindTracking, number: "H1234567890", carriers: []string{"ups"}, display: "H1234567890"},
		{name: "S10 EMS japan", in: "EJ123456785JP", kind: KindTracking, number: "EJ123456785JP",
			display: "EJ123456785JP", carriers: []string{"japanpost"}, trackable: []bool{true}},
		{name: "S10 foreign country suffix", in: "AA473124829GB", kind: KindTracking, number: "AA473124829GB", display: "AA473124829GB",
			carriers: []string{"japanpost"}},
		{name: "S10 with spaces lower case", in: "rb 123 456 785 gb", kind: KindTracking, number: "RB123456785GB", display: "RB123456785GB",
			carriers: []string{"japanpost"}},
		{name: "S10 wrong check digit", in: "RB123456784GB", kind: KindInvalid, errHas: "UPU S10", suggestion: "RB123456785GB"},
		{name: "S10 user-assigned country XX", in: "RB123456785XX", kind: KindInvalid, errHas: "XX is not an ISO 3166-1 country code"},
		{name: "S10 unknown region ZZ", in: "RB123456785ZZ", kind: KindInvalid, errHas: "ZZ is not"},
		{name: "S10 reserved UK", in: "RB123456785UK", kind: KindInvalid, errHas: "UK is not"},
		{name: "S10 check 10 becomes 0", in: "EE000000080JP", kind: KindTracking, number: "EE000000080JP", display: "EE000000080JP", carriers: []string{"japanpost"}},
		{name: "S10 check 11 becomes 5", in: "EE000000005JP", kind: KindTracking, number: "EE000000005JP", display: "EE000000005JP", carriers: []string{"japanpost"}},
		{name: "amazon order number", in: "250-1234567-1234567", kind: KindOrderNumber, errHas: "注文履歴"},
		{name: "amazon order number full-width", in: "２５０－１２３４５６７－１２３４５６７", kind: KindOrderNumber, errHas: "お問い合わせ番号"},
		{name: "amazon digital order", in: "D01-1234567-1234567", kind: KindOrderNumber, errHas: "digital"},
		{name: "toll-free phone grouped", in: "0120-01-9625", kind: KindInvalid, errHas: "telephone"},
		{name: "mobile phone grouped", in: "090-1234-5678", kind: KindInvalid, errHas: "telephone"},
		{name: "landline grouped", in: "03-1234-5678", kind: KindInvalid, errHas: "telephone"},
		{name: "mobile phone ungrouped", in: "09012345678", kind: KindInvalid, errHas: "telephone"},
		{name: "navi dial ungrouped", in: "0570200000", kind: KindInvalid, errHas: "telephone"},
		{name: "postal code", in: "〒123-4567", kind: KindInvalid, errHas: "7 digits", corrections: 1},
		{name: "date", in: "2026-11-23", kind: KindInvalid, errHas: "8 digits"},
		{name: "13 digits", in: "1234567890123", kind: KindInvalid, errHas: "13 digits"},
		{name: "empty", in: "  ", kind: KindInvalid, errHas: "empty"},
		{name: "words", in: "hello world", kind: KindInvalid, errHas: "format"},
		{name: "inner punctuation", in: "1234/5678/9013", kind: KindInvalid, errHas: `"/"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := Identify(tt.in)
			if id.Input != tt.in || id.Kind != tt.kind || id.Number != tt.number || id.Display() != tt.display {
				t.Errorf("Identify(%q) = input %q kind %q number %q display %q; want %q %q %q %q",
					tt.in, id.Input, id.Kind, id.Number, id.Display(), tt.in, tt.kind, tt.number, tt.display)
			}
			if got := id.Carriers(); !slices.Equal(got, tt.carriers) && (len(got) != 0 || len(tt.carriers) != 0) {
				t.Errorf("Identify(%q) carriers = %q; want %q", tt.in, got, tt.carriers)
			}
			if tt.trackable != nil {
				var got []bool
				for _, c := range id.Candidates {
					got = append(got, c.Trackable)
				}
				if !slices.Equal(got, tt.trackable) {
					t.Errorf("Identify(%q) trackable = %v; want %v", tt.in, got, tt.trackable)
				}
			}
			for _, c := range id.Candidates {
				if c.Reason == "" {
					t.Errorf("Identify(%q) candidate %s has no reason", tt.in, c.Carrier)
				}
			}
			if len(id.Corrections) != tt.corrections {
				t.Errorf("Identify(%q) corrections = %q; want %d of them", tt.in, id.Corrections, tt.corrections)
			}
			if (tt.kind == KindTracking) != (id.Error == "") || !strings.Contains(id.Error, tt.errHas) {
				t.Errorf("Identify(%q) error = %q; want one containing %q (and empty only for tracking)", tt.in, id.Error, tt.errHas)
			}
			if id.Suggestion != tt.suggestion {
				t.Errorf("Identify(%q) suggestion = %q; want %q", tt.in, id.Suggestion, tt.suggestion)
			}
			if tt.suggestion != "" {
				if s := Identify(tt.suggestion); s.Kind != KindTracking {
					t.Errorf("suggestion %q of %q is itself %q: %s", tt.suggestion, tt.in, s.Kind, s.Error)
				}
			}
		})
	}
}

// realNumbers reads the 471 real 2009 numbers, by carrier.
func realNumbers(t testing.TB) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, carrier := range []string{"yamato", "sagawa", "japanpost"} {
		f, err := os.Open(testutil.Fixture(t, carrier+"/2009-packtrack-numbers.txt"))
		if err != nil {
			t.Fatalf("open numbers: %v", err)
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if n := strings.TrimSpace(sc.Text()); n != "" {
				out[carrier] = append(out[carrier], n)
			}
		}
		f.Close()
		if err := sc.Err(); err != nil {
			t.Fatalf("read %s numbers: %v", carrier, err)
		}
	}
	return out
}

func TestIdentifyRealNumbers(t *testing.T) {
	numbers := realNumbers(t)
	total := 0
	for carrier, list := range numbers {
		total += len(list)
		t.Run(carrier, func(t *testing.T) {
			for _, n := range list {
				id := Identify(n)
				if id.Kind != KindTracking || id.Number != n || !slices.Contains(id.Carriers(), carrier) {
					t.Errorf("Identify(%q) = %q %q %q (%s); want tracking with %s among the candidates",
						n, id.Kind, id.Number, id.Carriers(), id.Error, carrier)
				}
				dashed := n[:4] + "-" + n[4:8] + "-" + n[8:]
				if id.Display() != dashed {
					t.Errorf("Identify(%q).Display = %q; want %q", n, id.Display(), dashed)
				}
			}
		})
	}
	if total != 471 {
		t.Errorf("read %d real numbers; want 471", total)
	}
}

// TestIdentifyRealNumbersOneDigitChanged changes each digit of each real
// number to every other digit. The mod-7 check digit cannot see a change
// by ±7 in the first 11 digits (0↔7, 1↔8, 2↔9 keep the remainder): those
// are skipped and counted. Every other change must be rejected, except
// that a number starting with 99 may be kept as an Amazon ID (which has
// no check digit), and one whose FedEx Express check digit happens to fit
// as a FedEx number; never as a Yamato, Sagawa or Japan Post number, and
// never without the Suggestion that shows the mod-7 check digit.
func TestIdentifyRealNumbersOneDigitChanged(t *testing.T) {
	rejected, undetectable, amazonOnly, fedexOnly := 0, 0, 0, 0
	for carrier, list := range realNumbers(t) {
		t.Run(carrier, func(t *testing.T) {
			for _, n := range list {
				b := []byte(n)
				for pos := range b {
					orig := b[pos]
					for d := byte('0'); d <= '9'; d++ {
						if d == orig {
							continue
						}
						if pos < 11 && (d-orig == 7 || orig-d == 7) {
							undetectable++
							continue
						}
						b[pos] = d
						changed := string(b)
						b[pos] = orig
						id := Identify(changed)
						switch {
						case id.Kind == KindInvalid && id.Number == "" && len(id.Candidates) == 0 && id.Error != "":
							rejected++
						case id.Kind == KindTracking && strings.HasPrefix(changed, "99") && slices.Equal(id.Carriers(), []string{"amazon"}) && id.Suggestion != "":
							amazonOnly++
						case id.Kind == KindTracking && id.Carriers()[0] == "fedex" && !slices.ContainsFunc(id.Carriers(), domestic) && id.Suggestion != "":
							fedexOnly++
						default:
							t.Errorf("Identify(%q) (from %s %q, digit %d changed) = %q %q; want it rejected", changed, carrier, n, pos+1, id.Kind, id.Carriers())
						}
					}
				}
			}
		})
	}
	t.Logf("one-digit changes: %d rejected, %d kept as amazon only (99…), %d kept as fedex only (its check digit fits), %d undetectable by mod 7 (skipped)", rejected, amazonOnly, fedexOnly, undetectable)
	if fedexOnly*5 > rejected {
		t.Errorf("%d changed numbers kept as FedEx against %d rejected; the FedEx check digit should fit about one in ten", fedexOnly, rejected)
	}
	if rejected == 0 {
		t.Error("no changed number was rejected")
	}
}

// domestic reports whether c is one of the carriers whose 12-digit
// numbers carry the mod-7 check digit.
func domestic(c string) bool { return c == "yamato" || c == "sagawa" || c == "japanpost" }

// TestIdentifyPublishedExamples checks the check-digit rules on the valid
// and invalid example numbers published with the formats in
// jkeen/tracking_number_data (MIT): couriers/ups.json, fedex.json,
// dhl.json and s10.json. DHL's 3318810025 is also the number quoted in
// issue 11 ("DHL Express / Tracking number: 3318810025").
func TestIdentifyPublishedExamples(t *testing.T) {
	tests := []struct {
		carrier string
		valid   []string
		invalid []string
	}{
		{"ups", []string{"1Z5R89390357567127", "1Z879E930346834440", "1Z410E7W0392751591", "1Z8V92A70367203024",
			" 1 Z 8 V 9 2 A 7 0 3 6 7 2 0 3 0 2 4 ", "1ZXX3150YW44070023"},
			[]string{"2Z5R89390357567127", "1A5R89390357567127", "1Z1111111111111111"}},
		{"fedex", []string{
			// Express, 12 digits
			"986578788855", "477179081230", "799531274483", "790535312317", " 7 9 0 5 3 5 3 1 2 3 1 7 ", "974367662710",
			// Express, 34 digits
			"1001921334250001000300779017972697", "1001921380360001000300639585804382", "1001901781990001000300617767839437",
			"1002297871540001000300790695517286",
			// Ground, 15 digits
			"0414 4176 0228 964", "5682 8361 0012 000", "5682 8361 0012 734",
			// Ground 96, 22 digits
			"9611020987654312345672", " 9 6 1 1 0 2 0 9 8 7 6 5 4 3 1 2 3 4 5 6 7 2 ",
			// Ground GSN, 34 digits starting 96
			"9622001900000000000000776632517510", "9622001560000000000000794808390594", "9622001560001234567100794808390594",
			"9632001560123456789900794808390594"},
			[]string{"996578788855", "1001901781990001000300617767839438", "5682 8361 0012 732", "9600000000000000000001",
				"9622001560001234567100794808390595", "9622001560001234567100794808390597"}},
		{"dhl", []string{"3318810025", "73891051146", "8487135506", "1099255990", "3821724944", "3318810036", " 3 3 1 8 8 1 0 0 3 6 ", "3318810014"},
			[]string{"3318810010", "3318810034", "3318810011", "73891051149", "73891051147"}},
		{"japanpost", []string{"RB123456785GB", "RB123456785US", "RB123456785CV", "RB123456785CF", " R B 1 2 3 4 5 6 7 8 5 C F "},
			[]string{"RB123456786US", "RB123456785XX"}},
	}
	for _, tt := range tests {
		t.Run(tt.carrier, func(t *testing.T) {
			for _, n := range tt.valid {
				if id := Identify(n); id.Kind != KindTracking || !slices.Contains(id.Carriers(), tt.carrier) {
					t.Errorf("Identify(%q) = %q %q (%s); want tracking with %s among the candidates", n, id.Kind, id.Carriers(), id.Error, tt.carrier)
				}
			}
			for _, n := range tt.invalid {
				if id := Identify(n); slices.Contains(id.Carriers(), tt.carrier) {
					t.Errorf("Identify(%q) = %q %q; want %s not among the candidates", n, id.Kind, id.Carriers(), tt.carrier)
				}
			}
		})
	}
}

// TestCountryCodes holds the S10 country list against the region data of
// golang.org/x/text/language: every code in it is a known country there,
// and it has the 249 codes of ISO 3166-1.
func TestCountryCodes(t *testing.T) {
	n := 0
	for a := byte('A'); a <= 'Z'; a++ {
		for b := byte('A'); b <= 'Z'; b++ {
			if !isCountryCode(a, b) {
				continue
			}
			n++
			code := string([]byte{a, b})
			r, err := language.ParseRegion(code)
			if err != nil || !r.IsCountry() {
				t.Errorf("%s is in the ISO 3166-1 list but x/text says: region %v, error %v", code, r, err)
			}
		}
	}
	if n != 249 {
		t.Errorf("%d country codes; want the 249 of ISO 3166-1", n)
	}
	for _, c := range []string{"XX", "ZZ", "UK", "EU", "QO", "AA", "A1"} {
		if isCountryCode(c[0], c[1]) {
			t.Errorf("isCountryCode(%s) = true; want false", c)
		}
	}
}

func TestCheckDigitFunctions(t *testing.T) {
	// Worked example of UPS's rule: the 15 characters after 1Z of
	// 1Z5R89390357567127 (R counts as (82−3) mod 10 = 9) sum to 123 with
	// every second one doubled, so the check digit is 7.
	if got := mod10Check("5R8939035756712", 1, 2); got != '7' {
		t.Errorf("mod10Check(UPS 5R8939035756712) = %c; want 7", got)
	}
	// FedEx Express 986578788855: 9·3+8·1+6·7+5·3+7·1+8·7+7·3+8·1+8·7+8·3+5·1
	// = 269; 269 mod 11 = 5.
	if got := weightedMod11("98657878885", fedex12Weights); got != '5' {
		t.Errorf("weightedMod11(98657878885) = %c; want 5", got)
	}
	// FedEx Ground 041441760228964: the 14 digits with every second one
	// tripled sum to 116, so the check digit is 4.
	if got := mod10Check("04144176022896", 1, 3); got != '4' {
		t.Errorf("mod10Check(FedEx Ground 04144176022896) = %c; want 4", got)
	}
}

func TestMod7AndS10Check(t *testing.T) {
	for _, tt := range []struct{ digits, want string }{
		{"12345678901", "3"}, {"00000000000", "0"}, {"22530009964", "0"}, {"99999999999", "4"},
	} {
		if got := string(mod7(tt.digits)); got != tt.want {
			t.Errorf("mod7(%q) = %s; want %s", tt.digits, got, tt.want)
		}
	}
	for _, tt := range []struct{ number, want string }{
		{"RB12345678?GB", "5"}, {"AA47312482?GB", "9"}, {"EE00000008?JP", "0"}, {"EE00000000?JP", "5"},
	} {
		if got := string(s10Check(tt.number)); got != tt.want {
			t.Errorf("s10Check(%q) = %s; want %s", tt.number, got, tt.want)
		}
	}
}

// identifySink keeps Identify's result alive, so that the compiler cannot
// keep what it allocates on the stack and hide it from the count.
var identifySink Identification

func TestIdentifyAllocations(t *testing.T) {
	// An already-normal 12-digit or S10 number gets a shared candidate list
	// (capacity capped: an append copies), and its display form is made
	// only when asked for: identifying it allocates nothing.
	for _, tt := range []struct {
		n    string
		want float64
	}{{"123456789013", 0}, {"991234567890", 0}, {"EJ123456785JP", 0}, {"123456790380", 0}, {"1Z5R89390357567127", 0}} {
		t.Run(tt.n, func(t *testing.T) {
			if allocs := testing.AllocsPerRun(100, func() { identifySink = Identify(tt.n) }); allocs > tt.want {
				t.Errorf("Identify(%q) allocates %v times; want at most %v", tt.n, allocs, tt.want)
			}
		})
	}
}

func BenchmarkIdentify(b *testing.B) {
	for _, in := range []string{"123456789013", "EJ123456785JP", "１２３４－５６７８－９０１３", "1Z5R89390357567127", "3318810025"} {
		b.Run(in, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Identify(in)
			}
		})
	}
}

func BenchmarkNormalize(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Normalize("123456789013")
	}
}
