package fake

import (
	"math/rand/v2"
	"time"

	"github.com/todoku/todoku/carriers"
)

// Scenario is how a scripted delivery goes.
type Scenario string

// The scenarios a timeline can follow.
const (
	Delivered       Scenario = "delivered"        // transit, out for delivery, delivered
	FailedDelivered Scenario = "failed_delivered" // a failed attempt (absent), then delivered next day
	Held            Scenario = "held"             // failed, then held at the office for pickup
	Returned        Scenario = "returned"         // failed attempts, then returned to the sender
	Investigating   Scenario = "investigating"    // stuck under investigation
)

// Final reports whether the scenario ends in a final status (delivered or
// returned); the others end waiting (held, under investigation).
func (s Scenario) Final() bool { return s == Delivered || s == FailedDelivered || s == Returned }

// Scenarios lists every scenario.
var Scenarios = []Scenario{Delivered, FailedDelivered, Held, Returned, Investigating}

// words is each carrier's vocabulary for the steps of a timeline.
type words struct {
	accepted, transit, arrived, out, absent, held, delivered, returned, investigating string
	origin, hub, office                                                               string
}

var vocab = map[string]words{
	"yamato": {
		accepted: "荷物受付", transit: "輸送中", arrived: "配達店到着", out: "配達中",
		absent: "持戻（ご不在）", held: "ご来店予定（保管中）", delivered: "配達完了",
		returned: "返品", investigating: "調査中",
		origin: "埼玉日高営業所", hub: "羽田クロノゲートベース", office: "川崎中央センター",
	},
	"japanpost": {
		accepted: "引受", transit: "通過", arrived: "到着", out: "持ち出し中",
		absent: "ご不在のため持ち戻り", held: "保管", delivered: "お届け先にお届け済み",
		returned: "差出人に返送済み", investigating: "調査中",
		origin: "新東京郵便局", hub: "川崎東郵便局", office: "川崎中央郵便局",
	},
	"sagawa": {
		accepted: "集荷", transit: "輸送中", arrived: "輸送中", out: "配達中",
		absent: "保管中", held: "保管中", delivered: "配達完了",
		returned: "調査中", investigating: "調査中",
		origin: "西埼玉営業所", hub: "東京中継センター", office: "川崎営業所",
	},
	// Seino and Fukuyama: the words their adapters know (no source gives
	// a held, returned or investigating word; those stay unknown).
	"seino": {
		accepted: "受付", transit: "発送", arrived: "到着", out: "持出",
		absent: "持戻", held: "持戻", delivered: "配達済みです",
		returned: "返品", investigating: "調査中",
		origin: "東京支店", hub: "名古屋支店", office: "川崎支店",
	},
	"fukuyama": {
		accepted: "集荷", transit: "輸送中", arrived: "到着", out: "配達中",
		absent: "持戻", held: "持戻", delivered: "配達完了",
		returned: "返品", investigating: "調査中",
		origin: "東京支店", hub: "名古屋支店", office: "川崎支店",
	},
}

// Offices gives the office a scripted parcel names on its page (Sagawa and
// Japan Post print a phone; Yamato does not).
var offices = map[string]carriers.Office{
	"yamato":    {Name: "川崎中央センター"},
	"japanpost": {Name: "川崎中央郵便局", Phone: "044-000-1234"},
	"sagawa":    {Name: "川崎営業所", Phone: "0570-01-0000"},
}

// Timeline scripts number at carrier following scenario, starting at start
// (the moment the carrier accepts the parcel). Out-for-delivery and
// attempts fall in daytime hours in Tokyo.
func Timeline(carrier, number string, scenario Scenario, start time.Time) Script {
	w, ok := vocab[carrier]
	if !ok {
		w = vocab["yamato"]
	}
	start = start.In(carriers.Tokyo)
	var steps []Step
	add := func(at time.Time, raw, loc string) {
		steps = append(steps, Step{At: at.Sub(start), Raw: raw, Location: loc})
	}
	day := func(d int, h, m int) time.Time {
		y, mo, dd := start.Date()
		return time.Date(y, mo, dd+d, h, m, 0, 0, carriers.Tokyo)
	}
	add(start, w.accepted, w.origin)
	add(start.Add(3*time.Hour), w.transit, w.hub)
	add(day(1, 6, 40), w.arrived, w.office)
	add(day(1, 8, 55), w.out, w.office)
	switch scenario {
	case Delivered:
		add(day(1, 11, 20), w.delivered, w.office)
	case FailedDelivered:
		add(day(1, 14, 2), w.absent, w.office)
		add(day(2, 9, 5), w.out, w.office)
		add(day(2, 10, 31), w.delivered, w.office)
	case Held:
		add(day(1, 14, 2), w.absent, w.office)
		if carrier != "sagawa" { // Sagawa's 保管中 after 配達中 is already the failed attempt
			add(day(1, 19, 30), w.held, w.office)
		}
	case Returned:
		add(day(1, 14, 2), w.absent, w.office)
		add(day(2, 9, 5), w.out, w.office)
		add(day(2, 15, 40), w.absent, w.office)
		add(day(9, 10, 0), w.returned, w.office)
	case Investigating:
		add(day(2, 10, 0), w.investigating, w.office)
	}
	return Script{Carrier: carrier, Number: number, Start: start, Steps: steps, Office: offices[carrier], Scenario: scenario}
}

// Realistic scripts a parcel with a random scenario (mostly plain
// deliveries, as in real life) accepted at a random daytime moment within
// the first spread of time after from.
func Realistic(rng *rand.Rand, carrier, number string, from time.Time, spread time.Duration) Script {
	at := from.Add(time.Duration(rng.Int64N(int64(spread))))
	at = at.In(carriers.Tokyo)
	// Carriers accept parcels during the day.
	h := 9 + rng.IntN(10)
	at = time.Date(at.Year(), at.Month(), at.Day(), h, rng.IntN(60), 0, 0, carriers.Tokyo)
	var sc Scenario
	switch r := rng.IntN(100); {
	case r < 65:
		sc = Delivered
	case r < 85:
		sc = FailedDelivered
	case r < 93:
		sc = Held
	case r < 97:
		sc = Returned
	default:
		sc = Investigating
	}
	return Timeline(carrier, number, sc, at)
}
