package dhl

import "github.com/todoku/todoku/carriers"

// Sources named by the contact entries.
const (
	srcDomains = "dhl.com/jp-ja/home/footer/fraud-awareness.html (official DHL mail and web domains: dhl.com, dpdhl.com, dhl-news.com and country domains such as dhl.de)"
	srcLink    = "karrioapi/karrio modules/connectors/dhl_universal/SPECS.md (public tracking page https://www.dhl.com/<country>-<language>/home/tracking/tracking-parcel.html?submit=1&tracking-id={id})"
)

// Contacts returns DHL's contact directory entry.
//
// No Japan customer-service number could be confirmed from a public
// source, so none is listed (a wrong number in a push is worse than none:
// DHL itself warns of calls imitating it); the note sends the user to the
// official tracking page, whose "Contact
// Customer Service" choice for Japan is what consumer articles advise
// (sonrxnu39.com/dhl-otoiawase). In Japan DHL Express hands many parcels
// to a domestic carrier for the last mile (slopond.com/life/dhl_tracking.html:
// Sagawa); the tracking page then names the domestic number.
func Contacts() carriers.Contacts {
	return carriers.Contacts{
		Carrier:     Name,
		NameJA:      "DHL",
		NameEN:      "DHL",
		TrackingURL: "https://www.dhl.com/jp-ja/home/tracking/tracking-parcel.html?submit=1&tracking-id={number}",
		Domains:     []string{"dhl.com", "dpdhl.com", "dhl.de"},
		Trackable:   true,
		NoteJA: "お問い合わせは DHL の追跡ページの「カスタマーサービスへのお問い合わせ」から（日本を選択）。" +
			"国内の配達を佐川急便などが引き継いだ場合は、追跡ページに表示される国内の追跡番号でその会社にお問い合わせください。",
		NoteEN: "Contact DHL from its tracking page (Contact Customer Service, choose Japan). When a Japanese carrier such as " +
			"Sagawa makes the last-mile delivery, ask that carrier with the domestic number the tracking page shows.",
		Source: srcDomains + "; " + srcLink,
	}
}
