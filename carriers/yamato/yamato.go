// Package yamato tracks parcels with Yamato Transport (ヤマト運輸,
// クロネコヤマト).
//
// It posts up to ten numbers to the public tneko form in one request
// (number00=1, number01 … number10; research/carriers.md §1, sm-trz
// carriers/yamato.js: 「1件目：」「2件目：」) and reads the result page
// (carriers-2026.md, "Yamato"). No current page could be recorded; what
// the parser relies on is what public scrapers of the current site read.
//
// # Required landmarks
//
// A page is read when it has one of these; each is confirmed by scrapers
// of the current site:
//
//   - a result block, div.parts-tracking-invoice-block, whose heading
//     names its number, 「1件目：6230-2386-6161」 (shlee322/delivery-tracker
//     jp.yamato, rokoucha/kuroneko-tracker-feed src/status.ts, takuhai_status
//     kuronekoyamato.rb; public code ids 22211727520 (raw curl HTML),
//     60443622514 (observed 2026-04), 70174507186; sm-trz test.js, 2026-08
//     page text), and either a state title
//     (.tracking-invoice-block-state-title, same sources) or history rows
//     (.tracking-invoice-block-detail li with .item, .date 「MM月DD日 HH:MM」
//     or 「MM月DD日」, .name; same sources);
//   - or the print copy, swd.writeln('…') with \<, \>, \/ escaped, holding a
//     history table headed 荷物状況/日付/時刻/担当店名 (dates MM/DD, times
//     HH:MM) and a summary table 商品名/お届け予定日時 (TsuiseKit
//     Sources/TsuiseKit/Trackers/YamatoTracker.swift, tested on a real
//     2026-06 page; code id 22211727520 lines 89–176).
//
// Everything else is optional: the state block and its is-urgent-red class
// (not-found and error states, shlee322), the summary's 「商品名：」 label
// (sm-trz), the overview list above the blocks, buttons, header and footer.
// Nothing is required for the page to be complete: a body cut off in
// transit is the Fetcher's transient error. One optional cross-check
// remains: when the overview list links to more blocks (#AA000 …, code id
// 22211727520 line 254) than the page holds, the page was cut and Parse
// returns a transient error instead of a shorter answer.
//
// # Readers
//
// The visible blocks are read first. A block with a state but no history
// takes the print copy's history for its number when there is one, else
// its state's status. Without visible blocks the print copy is read
// instead; the two are never added together. Where both have a history
// they say the same on every test page (TestPrintCopyAgrees); at run time
// a disagreement changes nothing, the visible blocks win. The real 2009
// pages (shared/fixtures) carry the same print copy, tables 荷物状況/日 付/
// 時 刻/担当店名 after a heading naming each number, and are read through
// it (TestOldPagesPrintCopy). When neither is there, the
// layout-free text reader (ParseText, carriers.ReadText) looks for the
// numbers and dated status words in the visible text; its results are
// marked Degraded. Only when that fails too is the page a
// *carriers.LayoutError.
//
// # Words
//
// The history is chronological and read whole: a 返品 anywhere wins, and
// the last row is not always the meaningful one (sm-trz: 返品 followed by
// 陸・海上切替え). Request rows, 依頼受付（再配達／置き場所変更／日・時間帯変更／
// 保管） in full- or half-width brackets, are kept but never decide the
// status. The Ruby status table of public code id 30227778396 adds 配達予定,
// 配送予定, 荷受け, 配送店到着, 配送中 and 海外発送 (in_transit: announcements
// and line-haul steps, never a delivery) and 配送完了 (delivered). Words
// todoku does not know are kept with status unknown and never replace the
// last known status; the adapter logs nothing (the tracker logs once).
//
// The page names the handling centre but no phone, so a Result's Office
// has a name only and callers fall back to the central number in
// Contacts.
package yamato

import (
	"context"
	"errors"
	"fmt"
	"net/url"

	"github.com/todoku/todoku/carriers"
)

// Name is the carrier's registry name.
const Name = "yamato"

// DefaultBaseURL is the scheme and host of the tracking service; Path is
// the form's endpoint on it.
const (
	DefaultBaseURL = "https://toi.kuronekoyamato.co.jp"
	Path           = "/cgi-bin/tneko"
)

// batchSize is how many numbers the form takes: number01 … number10.
const batchSize = 10

// The sentinel errors of the yamato package.
var (
	// ErrNoNumbers means Track was called without numbers.
	ErrNoNumbers = carriers.ErrNoNumbers
	// ErrInvalidNumber means a number is not 11 or 12 digits, the only
	// formats Yamato prints (research §2c).
	ErrInvalidNumber = errors.New("not a yamato tracking number")
	// ErrSiteMessage means a result block carries an error state Yamato
	// does not document as "no such number" (an is-urgent-red block
	// without a history), or a "no such number" block with a history.
	ErrSiteMessage = errors.New("result block reports an unrecognised error")
	// ErrWrongNumbers means the page is not about the numbers asked for.
	ErrWrongNumbers = errors.New("result page does not match the numbers asked")

	errEmptyPage      = errors.New("empty page")
	errIncompletePage = errors.New("incomplete page")
)

// Carrier is the Yamato adapter. It is safe for concurrent use.
type Carrier struct {
	fetcher  *carriers.Fetcher
	endpoint string
}

var _ carriers.Carrier = (*Carrier)(nil)

// New returns the Yamato adapter. opts.BaseURL, when set, replaces
// DefaultBaseURL; Path is appended to it.
func New(opts carriers.Options) *Carrier {
	return &Carrier{fetcher: carriers.NewFetcher(Name, opts.WithDomains(Contacts().Domains)), endpoint: opts.Base(DefaultBaseURL) + Path}
}

// Name returns "yamato".
func (c *Carrier) Name() string { return Name }

// BatchSize returns 10: the form has number01 … number10.
func (c *Carrier) BatchSize() int { return batchSize }

// Track asks Yamato about up to ten numbers in one POST and returns one
// Result per number, in the order asked. See carriers.Carrier for the
// errors. A page that lacks a block for a number asked, or has a block
// for a number not asked, gives a plain error wrapping ErrWrongNumbers:
// no status is made up for any number, and the caller may ask the numbers
// one at a time. It is not a *carriers.LayoutError, so that one odd number
// does not pause all Yamato polling; that is kept for a page whose
// landmarks are missing.
func (c *Carrier) Track(ctx context.Context, numbers []string) ([]carriers.Result, error) {
	if err := carriers.CheckBatch(Name, numbers, batchSize); err != nil {
		return nil, err
	}
	for _, n := range numbers {
		if !validNumber(n) {
			return nil, fmt.Errorf("yamato: track %q: %w", n, ErrInvalidNumber)
		}
	}
	page, err := c.fetcher.PostForm(ctx, c.endpoint, Form(numbers))
	if err != nil {
		return nil, err
	}
	r, err := page.UTF8()
	if err != nil {
		return nil, fmt.Errorf("yamato: track: %w", err)
	}
	results, err := parseUTF8(r, numbers, c.fetcher.Options().Clock())
	if err != nil {
		return nil, err
	}
	return match(numbers, results)
}

// Form builds the tneko form for numbers, as the site's own form posts
// it: number00=1 and all ten numberNN fields, the unused ones empty.
func Form(numbers []string) url.Values {
	form := url.Values{"number00": {"1"}}
	for i := range batchSize {
		v := ""
		if i < len(numbers) {
			v = numbers[i]
		}
		form.Set(fmt.Sprintf("number%02d", i+1), v)
	}
	return form
}

// match returns one result per number asked, in order. Every block must
// be about a number asked and every number asked must have a block.
func match(numbers []string, results []carriers.Result) ([]carriers.Result, error) {
	byNumber := make(map[string][]carriers.Result, len(results))
	for _, r := range results {
		byNumber[r.Number] = append(byNumber[r.Number], r)
	}
	out := make([]carriers.Result, len(numbers))
	for i, n := range numbers {
		rs := byNumber[n]
		if len(rs) == 0 {
			return nil, fmt.Errorf("yamato: track: no result block for %s: %w", carriers.Display(Name, n), ErrWrongNumbers)
		}
		out[i], byNumber[n] = rs[0], rs[1:]
	}
	for n, rs := range byNumber {
		if len(rs) > 0 {
			return nil, fmt.Errorf("yamato: track: result block for %s, a number not asked: %w", carriers.Display(Name, n), ErrWrongNumbers)
		}
	}
	return out, nil
}

// validNumber reports whether n is 11 or 12 ASCII digits.
func validNumber(n string) bool {
	if len(n) != 11 && len(n) != 12 {
		return false
	}
	for i := 0; i < len(n); i++ {
		if n[i] < '0' || n[i] > '9' {
			return false
		}
	}
	return true
}
