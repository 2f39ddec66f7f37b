package fake

import (
	"io"
	"net/http"
	"time"

	"github.com/todoku/todoku/carriers"
)

// Row is one history row as a carrier page prints it.
type Row struct {
	Time     time.Time
	Raw      string // the carrier's own words, e.g. 持戻（ご不在）
	Location string // place or handling office
}

// Parcel is what a fake result page shows for one number.
type Parcel struct {
	Number string
	// Found false renders the carrier's "no such number" block.
	Found   bool
	Rows    []Row // oldest first
	Office  carriers.Office
	Product string
}

// Site renders one carrier's current-layout pages. Each adapter folder's
// site lives here as <carrier>.go so the fake server, the conformance
// suite, the demo and the benchmarks can serve pages the real adapter
// parses.
type Site interface {
	// Carrier is the registry name (yamato, japanpost, sagawa).
	Carrier() string
	// Path is the URL path the adapter requests on its base URL.
	Path() string
	// Numbers returns the numbers a request asks for, in order, checking
	// the request the way the real site would (method, field names). An
	// error makes the fake answer 400.
	Numbers(r *http.Request) ([]string, error)
	// Render writes the result page for parcels, in the order given.
	Render(w io.Writer, parcels []Parcel) error
	// Maintenance writes the carrier's maintenance page (served with 200).
	Maintenance(w io.Writer) error
}
