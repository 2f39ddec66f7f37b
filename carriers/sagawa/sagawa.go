// Package sagawa tracks parcels with Sagawa Express (佐川急便) through its
// public お荷物問い合わせサービス, one number per GET request.
//
// Fetching is separate from parsing: Track builds the request and checks
// the page against the number asked; [Parse] is a pure function over the
// page. The page structure and vocabulary come from
// shared/research/carriers.md §3 and §8.
package sagawa

import (
	"context"
	"errors"
	"fmt"
	"net/url"

	"github.com/todoku/todoku/carriers"
)

// Name is the registry name of the adapter.
const Name = "sagawa"

// DefaultBaseURL is the scheme and host of Sagawa's tracking site.
const DefaultBaseURL = "https://k2k.sagawa-exp.co.jp"

// SearchPath is the result page; the number goes in the okurijoNo query
// parameter.
const SearchPath = "/p/web/okurijosearch.do"

// The errors of the sagawa package.
var (
	// ErrWrongNumber means the page is about a number other than the one
	// asked for.
	ErrWrongNumber = errors.New("page is about another number")
	// errIncomplete is the cause of the *carriers.FetchError for a page cut
	// off before its footer.
	errIncomplete = errors.New("incomplete page")
)

// Carrier is the Sagawa adapter.
type Carrier struct {
	fetch *carriers.Fetcher
	base  string
}

var _ carriers.Carrier = (*Carrier)(nil)

// New returns a Sagawa adapter. opts.BaseURL, when set, replaces
// DefaultBaseURL; SearchPath is appended to it.
func New(opts carriers.Options) *Carrier {
	return &Carrier{fetch: carriers.NewFetcher(Name, opts.WithDomains(Contacts().Domains)), base: opts.Base(DefaultBaseURL)}
}

// Name returns "sagawa".
func (c *Carrier) Name() string { return Name }

// BatchSize is 1: the GET endpoint takes one number.
func (c *Carrier) BatchSize() int { return 1 }

// Track asks Sagawa about one number. See carriers.Carrier for the errors.
func (c *Carrier) Track(ctx context.Context, numbers []string) ([]carriers.Result, error) {
	if err := carriers.CheckBatch(Name, numbers, c.BatchSize()); err != nil {
		return nil, err
	}
	number := numbers[0]
	page, err := c.fetch.Get(ctx, c.base+SearchPath+"?"+url.Values{"okurijoNo": {number}}.Encode())
	if err != nil {
		return nil, err
	}
	r, err := page.UTF8()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", Name, err)
	}
	res, err := parseUTF8(r, c.fetch.Options().Clock())
	if err != nil {
		return nil, err
	}
	return match(res, number)
}

// match checks that the page's one result is about number.
func match(res []carriers.Result, number string) ([]carriers.Result, error) {
	if len(res) != 1 {
		return nil, &carriers.LayoutError{Carrier: Name, Missing: "one result for " + number}
	}
	if res[0].Number != digits(number) {
		return nil, fmt.Errorf("%s: asked %s, page shows %s: %w", Name, number, res[0].Number, ErrWrongNumber)
	}
	res[0].Number = number
	return res, nil
}
