// Package fukuyama tracks parcels with Fukuyama Transporting (福山通運).
//
// It asks the public tracking page one number at a time:
//
//	GET https://corp.fukutsu.co.jp/situation/tracking_no_hunt/{N}
//
// (itest-lab/tracking-api api/fetchStatus.js at its first commit a649aab,
// 2025-08-03). The older form (POST …/situation/tracking_no with a cookie
// jar, hidden inputs and data[TrackingNo][tracking_no1..10]; Eivy/
// track-transport fukutu/fukutu.go, 2017) is not used.
//
// # Landmarks
//
// Required — the only thing a current public scraper reads:
//   - strong.redbold, the state sentence (itest-lab a649aab): 「配達完了です」
//     when delivered, 「該当データはありません。」 when the number is unknown.
//
// Optional, each with a fallback:
//   - a history table found by its header naming a state (状況/状態/内容)
//     and a date (日時/日付) — no source shows one; without it the result
//     has the state alone;
//   - a date for the state on a line labelled 配達完了日, 配達日, 完了日時,
//     お届け日 or 日時 — itest-lab takes the fifth <strong> by position,
//     which todoku does not copy; without it the state has no time;
//   - the number printed on the page: when one of the asked number's
//     length is printed and differs, the page is refused.
//
// When strong.redbold is missing, a layout-free text reader
// (carriers.ReadText) looks for the number and dated known words; what it
// finds is marked Degraded.
//
// Only 配達完了 and 該当データはありません are confirmed wording; the other
// words mapped (see status.go) are the common carrier words, and anything
// else stays unknown. Number formats are not confirmed (research file):
// any 8 to 14 digits are accepted, and todoku identify names no number
// Fukuyama's — pin `carrier: fukuyama` in the config.
package fukuyama

import (
	"context"
	"errors"
	"fmt"
	"net/url"

	"github.com/todoku/todoku/carriers"
)

// Name is the carrier's registry name.
const Name = "fukuyama"

// DefaultBaseURL is the scheme and host of the tracking page; Path is
// its path there, followed by the number.
const (
	DefaultBaseURL = "https://corp.fukutsu.co.jp"
	Path           = "/situation/tracking_no_hunt/"
)

// The sentinel errors of the fukuyama package.
var (
	// ErrInvalidNumber means a number is not 8 to 14 digits.
	ErrInvalidNumber = errors.New("not a fukuyama tracking number")
	// ErrWrongNumber means the page prints another number than the one
	// asked: no status is made up from it.
	ErrWrongNumber = errors.New("result page is about another number")
)

// Carrier is the Fukuyama adapter. It is safe for concurrent use.
type Carrier struct {
	fetcher *carriers.Fetcher
	base    string
}

var _ carriers.Carrier = (*Carrier)(nil)

// New returns the Fukuyama adapter; opts.BaseURL, when set, replaces
// DefaultBaseURL.
func New(opts carriers.Options) *Carrier {
	return &Carrier{
		fetcher: carriers.NewFetcher(Name, opts.WithDomains(Contacts().Domains)),
		base:    opts.Base(DefaultBaseURL),
	}
}

// Name returns "fukuyama".
func (c *Carrier) Name() string { return Name }

// BatchSize returns 1: the current page takes one number in its path.
func (c *Carrier) BatchSize() int { return 1 }

// Track asks Fukuyama about one number. See carriers.Carrier for the
// errors.
func (c *Carrier) Track(ctx context.Context, numbers []string) ([]carriers.Result, error) {
	if err := carriers.CheckBatch(Name, numbers, 1); err != nil {
		return nil, err
	}
	n := numbers[0]
	if !validNumber(n) {
		return nil, fmt.Errorf("fukuyama: track %q: %w", n, ErrInvalidNumber)
	}
	page, err := c.fetcher.Get(ctx, c.base+Path+url.PathEscape(n))
	if err != nil {
		return nil, err
	}
	r, err := page.UTF8()
	if err != nil {
		return nil, fmt.Errorf("fukuyama: track: %w", err)
	}
	return parseFor(r, n, c.fetcher.Options().Clock())
}

// validNumber reports whether n is 8 to 14 ASCII digits.
func validNumber(n string) bool {
	if len(n) < 8 || len(n) > 14 {
		return false
	}
	for _, r := range n {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
