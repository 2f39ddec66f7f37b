// Package japanpost tracks Japan Post (日本郵便) items: ゆうパック,
// ゆうパケット, レターパック, 書留, 特定記録, EMS and other international
// mail with a UPU S10 number.
//
// The adapter asks the public "direct" search page with a GET carrying up
// to ten numbers (reqCodeNo1..reqCodeNo10), parses the result page with the
// pure [Parse] and matches one result to each number asked. The result
// page names the delivering post office and its phone in the お問い合わせ先
// table; that office becomes [carriers.Result.Office].
//
// Events of international items that happened abroad are printed in the
// local time of the country named in the 県名等 column; see [Parse] for the
// time-zone approximation used.
package japanpost

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"

	"github.com/todoku/todoku/carriers"
)

// Name is the registry name of the adapter.
const Name = "japanpost"

// DefaultBaseURL is the scheme and host of Japan Post's tracking site.
const DefaultBaseURL = "https://trackings.post.japanpost.jp"

// SearchPath is the path of the direct search page, appended to the base URL.
const SearchPath = "/services/srv/search/direct"

// batchSize is how many numbers one request carries (reqCodeNo1..10).
const batchSize = 10

// searchKind is the search type sent with every request. S002 is the
// ゆうパック等 search (research §1; S001 registered, S003 レターパック,
// S004 EMS). Whether the direct page also answers UPU S10 numbers
// (EE123456785JP) under S002 is unverified: the research does not say
// so, and no page has been recorded yet (README, Honest limits).
const searchKind = "S002"

// The sentinel errors of the japanpost package.
var (
	// ErrUnexpectedNumber means the result page is about a number that
	// was not asked: the page cannot be trusted for the batch.
	ErrUnexpectedNumber = errors.New("result page about a number that was not asked")
	// ErrMissingNumber means the page answers some numbers of the batch
	// but has no block for another one: the tracker then asks one number
	// at a time, and only that number is held back.
	ErrMissingNumber = errors.New("result page has no block for a number asked")
	// ErrNumberRejected means the site refused a number as malformed
	// (「お問い合わせ番号の入力桁数に誤りがあります。」). It is not
	// not_found: the number must be corrected before it is asked again.
	ErrNumberRejected = errors.New("number rejected by the site: wrong number of digits")
)

// Carrier is the Japan Post adapter.
type Carrier struct {
	fetcher *carriers.Fetcher
	base    string
}

var _ carriers.Carrier = (*Carrier)(nil)

// New returns the adapter. opts.BaseURL, when set, replaces the scheme and
// host of DefaultBaseURL; SearchPath is appended to it.
func New(opts carriers.Options) *Carrier {
	return &Carrier{fetcher: carriers.NewFetcher(Name, opts.WithDomains(Contacts().Domains)), base: opts.Base(DefaultBaseURL)}
}

// Name returns "japanpost".
func (c *Carrier) Name() string { return Name }

// BatchSize returns 10: one request carries reqCodeNo1..reqCodeNo10.
func (c *Carrier) BatchSize() int { return batchSize }

// Track asks Japan Post about up to ten numbers in one GET and returns one
// result per number, in the order asked. See [carriers.Carrier] for the
// errors.
func (c *Carrier) Track(ctx context.Context, numbers []string) ([]carriers.Result, error) {
	if err := carriers.CheckBatch(Name, numbers, batchSize); err != nil {
		return nil, err
	}
	page, err := c.fetcher.Get(ctx, c.requestURL(numbers))
	if err != nil {
		return nil, err
	}
	r, err := page.UTF8()
	if err != nil {
		return nil, fmt.Errorf("%s: track: %w", Name, err)
	}
	res, err := parse(r, c.fetcher.Options().Clock())
	if err != nil {
		return nil, err
	}
	return match(numbers, res)
}

// requestURL builds the direct search URL for numbers.
func (c *Carrier) requestURL(numbers []string) string {
	q := url.Values{}
	for i, n := range numbers {
		q.Set("reqCodeNo"+strconv.Itoa(i+1), n)
	}
	q.Set("searchKind", searchKind)
	q.Set("locale", "ja")
	return c.base + SearchPath + "?" + q.Encode()
}

// match returns exactly one result per number asked, in the order asked.
// A block about a number that was not asked is ErrUnexpectedNumber; a
// number asked without a block on the page is a layout error (its
// landmark is missing). A page with a single not-found block that does not
// print the number answers a one-number request.
func match(numbers []string, res []carriers.Result) ([]carriers.Result, error) {
	if len(numbers) == 1 && len(res) == 1 && res[0].Number == "" && !res[0].Found {
		r := res[0]
		r.Number = numbers[0]
		return []carriers.Result{r}, nil
	}
	asked := make(map[string]bool, len(numbers))
	for _, n := range numbers {
		asked[pageNumber(n)] = true
	}
	byNumber := make(map[string]int, len(res))
	for i, r := range res {
		key := pageNumber(r.Number)
		if !asked[key] {
			return nil, fmt.Errorf("%s: match results: page is about %q: %w", Name, r.Number, ErrUnexpectedNumber)
		}
		if _, seen := byNumber[key]; !seen {
			byNumber[key] = i
		}
	}
	out := make([]carriers.Result, len(numbers))
	for i, n := range numbers {
		j, ok := byNumber[pageNumber(n)]
		if !ok && len(res) == 0 {
			return nil, &carriers.LayoutError{Carrier: Name, Missing: "result block for " + n}
		}
		if !ok {
			return nil, fmt.Errorf("%s: match results: %s: %w", Name, n, ErrMissingNumber)
		}
		r := res[j]
		r.Number = n
		out[i] = r
	}
	return out, nil
}
