package japanpost

import (
	"strings"
	"sync"
	"time"

	"github.com/todoku/todoku/carriers"
)

// country is an entry of the country table: the names the 県名等 column may
// print, the IANA zone used for its events, and the zone's standard UTC
// offset in hours (used only when the system has no time zone database).
type country struct {
	names  []string
	zone   string
	offset float64
}

// countries maps the common origins of international mail to a time zone.
// Japan Post prints events abroad in the local time of the country named
// in 県名等 (research §4a). One zone per country is an approximation for
// countries spanning several zones: the United States use
// America/Los_Angeles (most parcels from US shops leave the west coast),
// Canada America/Toronto, Australia Australia/Sydney, Russia
// Europe/Moscow, Brazil America/Sao_Paulo. An event in those countries can
// therefore be off by a few hours; the order of events is the page's.
func countries() []country {
	return []country{
		{[]string{"CHINA", "CHINA PEOPLES REP", "PEOPLES REPUBLIC OF CHINA", "中国", "中華人民共和国"}, "Asia/Shanghai", 8},
		{[]string{"KOREA", "KOREA REP", "REPUBLIC OF KOREA", "KOREA REPUBLIC OF", "SOUTH KOREA", "韓国", "大韓民国"}, "Asia/Seoul", 9},
		{[]string{"TAIWAN", "台湾"}, "Asia/Taipei", 8},
		{[]string{"HONG KONG", "HONGKONG", "香港"}, "Asia/Hong_Kong", 8},
		{[]string{"MACAO", "MACAU", "マカオ"}, "Asia/Macau", 8},
		{[]string{"SINGAPORE", "シンガポール"}, "Asia/Singapore", 8},
		{[]string{"THAILAND", "タイ"}, "Asia/Bangkok", 7},
		{[]string{"VIETNAM", "VIET NAM", "ベトナム"}, "Asia/Ho_Chi_Minh", 7},
		{[]string{"PHILIPPINES", "フィリピン"}, "Asia/Manila", 8},
		{[]string{"MALAYSIA", "マレーシア"}, "Asia/Kuala_Lumpur", 8},
		{[]string{"INDONESIA", "インドネシア"}, "Asia/Jakarta", 7},
		{[]string{"INDIA", "インド"}, "Asia/Kolkata", 5.5},
		{[]string{"UNITED STATES OF AMERICA", "UNITED STATES", "USA", "U S A", "アメリカ合衆国", "アメリカ"}, "America/Los_Angeles", -8},
		{[]string{"CANADA", "カナダ"}, "America/Toronto", -5},
		{[]string{"AUSTRALIA", "オーストラリア"}, "Australia/Sydney", 10},
		{[]string{"NEW ZEALAND", "ニュージーランド"}, "Pacific/Auckland", 12},
		{[]string{"UNITED KINGDOM", "GREAT BRITAIN", "UK", "イギリス", "英国"}, "Europe/London", 0},
		{[]string{"GERMANY", "ドイツ"}, "Europe/Berlin", 1},
		{[]string{"FRANCE", "フランス"}, "Europe/Paris", 1},
		{[]string{"ITALY", "イタリア"}, "Europe/Rome", 1},
		{[]string{"SPAIN", "スペイン"}, "Europe/Madrid", 1},
		{[]string{"NETHERLANDS", "オランダ"}, "Europe/Amsterdam", 1},
		{[]string{"SWITZERLAND", "スイス"}, "Europe/Zurich", 1},
		{[]string{"RUSSIA", "RUSSIAN FEDERATION", "ロシア"}, "Europe/Moscow", 3},
		{[]string{"BRAZIL", "ブラジル"}, "America/Sao_Paulo", -3},
	}
}

// countryKey prepares a 県名等 value for the table: upper case, letters,
// digits and single spaces only ("Korea, Rep." → "KOREA REP").
func countryKey(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToUpper(strings.TrimSpace(s)) {
		switch {
		case r == ' ' || r == '\u3000' || r == ',' || r == '.' || r == '(' || r == ')' || r == '\'' || r == '-' || r == '\t' || r == '\n':
			space = b.Len() > 0
		default:
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// prefecturesEN are the prefectures as the English page prints them in
// 県名等 ("OSAKA", "KANAGAWA": code id 69811395840), as countryKey values.
var prefecturesEN = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, p := range strings.Fields(`HOKKAIDO AOMORI IWATE MIYAGI AKITA YAMAGATA FUKUSHIMA IBARAKI TOCHIGI
		GUNMA SAITAMA CHIBA TOKYO KANAGAWA NIIGATA TOYAMA ISHIKAWA FUKUI YAMANASHI NAGANO GIFU
		SHIZUOKA AICHI MIE SHIGA KYOTO OSAKA HYOGO NARA WAKAYAMA TOTTORI SHIMANE OKAYAMA
		HIROSHIMA YAMAGUCHI TOKUSHIMA KAGAWA EHIME KOCHI FUKUOKA SAGA NAGASAKI KUMAMOTO OITA
		MIYAZAKI KAGOSHIMA OKINAWA`) {
		m[p] = true
	}
	return m
})

// isJapan reports whether a 県名等 value names a place in Japan: empty, a
// prefecture (…都, …道, …府, …県, or its English name) or Japan itself.
func isJapan(place string) bool {
	k := countryKey(place)
	switch {
	case k == "", k == "JAPAN", k == "日本":
		return true
	case strings.HasSuffix(k, "都"), strings.HasSuffix(k, "道"), strings.HasSuffix(k, "府"), strings.HasSuffix(k, "県"):
		return true
	}
	base := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(k, " PREFECTURE"), " KEN"), " FU")
	return prefecturesEN()[base]
}

// zoneEntry is a country name (a countryKey) and its loaded zone.
type zoneEntry struct {
	name string
	loc  *time.Location
}

// zoneTable is the country table with its zones loaded, built once on
// first use and never written after: loading a zone reads the time zone
// database, which would dominate the parse of an international page.
var zoneTable = sync.OnceValue(func() []zoneEntry {
	var out []zoneEntry
	for _, c := range countries() {
		loc, err := time.LoadLocation(c.zone)
		if err != nil {
			// No time zone database: standard time, no daylight saving.
			loc = time.FixedZone(c.zone, int(c.offset*3600))
		}
		for _, n := range c.names {
			out = append(out, zoneEntry{countryKey(n), loc})
		}
	}
	return out
})

// zoneFor returns the zone of events in place and whether place is a
// country abroad (known or not). Japan, and any place the table does not
// know, is Asia/Tokyo: the page's own zone.
func zoneFor(place string) (loc *time.Location, abroad bool) {
	if isJapan(place) {
		return carriers.Tokyo, false
	}
	key := countryKey(place)
	for _, e := range zoneTable() {
		if key == e.name || strings.HasPrefix(key, e.name+" ") {
			return e.loc, true
		}
	}
	return carriers.Tokyo, true
}
