// Package seino tracks parcels with Seino Transportation (西濃運輸,
// カンガルー便), the carrier many marketplace sellers ship with.
//
// It asks the public query page one number at a time:
//
//	GET https://track.seino.co.jp/cgi-bin/gnpquery.pgm?GNPNO1=N
//
// (rawhide/tracker lib/tracker/api/corporations/seinou.rb, 2016;
// itest-lab/tracking-api api/fetchStatus.js at its first commit a649aab,
// 2025-08-03). The field name GNPNO1 suggests GNPNO1..n, which no source
// confirms, so the batch size is 1. Pages are CP932 (Windows-31J).
//
// # Landmarks
//
// Required — the only thing a current public scraper reads:
//   - input#haitatsuJokyo0, whose value is the delivery state
//     (itest-lab a649aab, 2025-08): 「配達済みです」 when delivered, a value
//     with 未登録 or 誤り when the number is unknown.
//
// Optional, each with a fallback:
//   - input#haitatsuTenshoDate0, the date of that state (itest-lab a649aab);
//     without it the state's event has no time.
//   - the history table, found by its summary 「お届物詳細」 or by a header
//     row naming the state (rawhide/tracker, 2016: cells status, place,
//     「DD日 HH:MM」); without it the result has the state alone.
//   - the not-found sentence 「入力されたお問合せ番号が見当りません」
//     anywhere on the page (rawhide/tracker formatter/status.yml).
//   - a handling branch with its TEL, read from a label holding 担当店,
//     取扱店 or 営業所 followed by TEL (no source shows it yet).
//
// When the required landmark is missing, a layout-free text reader
// (carriers.ReadText) looks for the number and dated known words; what it
// finds is marked Degraded.
//
// Words (rawhide/tracker formatter/status.yml and the research file):
// 受付, 発送, 中継, 到着, 持出, 配達, 持戻 (a failed attempt), 配達済みです.
package seino

import (
	"context"
	"errors"
	"fmt"
	"net/url"

	"github.com/todoku/todoku/carriers"
)

// Name is the carrier's registry name.
const Name = "seino"

// DefaultBaseURL is the scheme and host of the query page; Path is its
// path there.
const (
	DefaultBaseURL = "https://track.seino.co.jp"
	Path           = "/cgi-bin/gnpquery.pgm"
)

// The sentinel errors of the seino package.
var (
	// ErrInvalidNumber means a number is not the 10 digits Seino prints.
	ErrInvalidNumber = errors.New("not a seino tracking number")
	// ErrWrongNumber means the page prints another number than the one
	// asked: no status is made up from it.
	ErrWrongNumber = errors.New("result page is about another number")
)

// Carrier is the Seino adapter. It is safe for concurrent use.
type Carrier struct {
	fetcher  *carriers.Fetcher
	endpoint string
}

var _ carriers.Carrier = (*Carrier)(nil)

// New returns the Seino adapter; opts.BaseURL, when set, replaces
// DefaultBaseURL.
func New(opts carriers.Options) *Carrier {
	return &Carrier{
		fetcher:  carriers.NewFetcher(Name, opts.WithDomains(Contacts().Domains)),
		endpoint: opts.Base(DefaultBaseURL) + Path,
	}
}

// Name returns "seino".
func (c *Carrier) Name() string { return Name }

// BatchSize returns 1: no source confirms more than GNPNO1.
func (c *Carrier) BatchSize() int { return 1 }

// Track asks Seino about one number. See carriers.Carrier for the errors.
func (c *Carrier) Track(ctx context.Context, numbers []string) ([]carriers.Result, error) {
	if err := carriers.CheckBatch(Name, numbers, 1); err != nil {
		return nil, err
	}
	n := numbers[0]
	if !validNumber(n) {
		return nil, fmt.Errorf("seino: track %q: %w", n, ErrInvalidNumber)
	}
	page, err := c.fetcher.Get(ctx, c.endpoint+"?"+url.Values{"GNPNO1": {n}}.Encode())
	if err != nil {
		return nil, err
	}
	r, err := page.UTF8()
	if err != nil {
		return nil, fmt.Errorf("seino: track: %w", err)
	}
	return parseFor(r, n, c.fetcher.Options().Clock())
}

// validNumber reports whether n is 10 digits (rawhide/tracker: 「西濃は追跡
// 番号が10桁」).
func validNumber(n string) bool {
	if len(n) != 10 {
		return false
	}
	for _, r := range n {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
