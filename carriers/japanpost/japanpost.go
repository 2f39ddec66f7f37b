// Package japanpost tracks Japan Post (日本郵便) items: ゆうパック,
// ゆうパケット, レターパック, 書留, 特定記録, EMS and other international
// mail with a UPU S10 number.
//
// The adapter asks the public "direct" search page one number per GET
// (reqCodeNo1, searchKind=S002, locale=ja), parses the result page with
// the pure [Parse] and matches its result to the number asked. Every
// public scraper of the current site sends one number
// (Shakshi3104/TsuiseKit, DIYgod/RSSHub lib/routes/japanpost/track.tsx,
// code ids 68819500972, 60451343677, 68997601387): none confirms a page
// for several numbers, and older evidence says such a request gets a
// 照会結果 summary list instead of the details, so [Carrier.BatchSize] is
// 1. A 照会結果 list page that arrives anyway is read row by row.
//
// # Landmarks
//
// The structured reader finds tables by their header text (th or td, in
// thead or tbody), the summary attribute being a second hint, and reads
// columns by their labels. It requires only what public scrapers of the
// current site confirm (research carriers-2026.md, Japan Post):
//
//   - the history table, recognised by its header 状態発生日 (code id
//     68819500972 finds it so on real pages; TsuiseKit's test on a real
//     2026-06 page reads it as the second table.tableType01; RSSHub;
//     summary="履歴情報" in code ids 60451343677 and 69811395840). Each
//     event is a row with 状態発生日 (YYYY/MM/DD HH:MM; MM/DD/YYYY HH:MM in
//     English), 配送履歴, 詳細, 取扱局 and 県名等, followed by a short
//     郵便番号 row, which is skipped like any short or blank row;
//   - or a 照会結果 table (summary="照会結果", code ids 68997601387,
//     60684616429, 69811395840): the not-found block, a row with the
//     number and 「＊＊ お問い合わせ番号が見つかりません。…」 (matched
//     loosely: お問い合せ, with or without ＊＊, the English "not found"),
//     or the summary list お問い合わせ番号 | 商品種別 | 最新年月日 | 最新状態 |
//     最新取扱局 | 県名等 (code id 60684616429, 2026-04).
//
// Optional, with a fallback: the 配達状況詳細 table before the history
// (お問い合わせ番号, 商品種別: TsuiseKit, code ids 68819500972 and
// 69811395840); without it the number is the one asked (or, in Parse,
// the one the page's text names). Details without a history give a
// result with no events. The お問い合わせ先 table (table.tableType03,
// RSSHub: type | office | phone) gives [carriers.Result.Office]: the row
// typed 配達局 or 配達. No footer, closing tag or page chrome is
// required: a cut-off body is the fetcher's to detect.
//
// A page without these landmarks is read by the layout-free text reader
// ([ParseText]); when that finds nothing either, it is a layout change.
// 照会結果 text todoku does not know is [ErrUnfamiliarResult], a plain
// error for that request, never a layout change.
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
	"strings"

	"github.com/todoku/todoku/carriers"
)

// Name is the registry name of the adapter.
const Name = "japanpost"

// DefaultBaseURL is the scheme and host of Japan Post's tracking site.
const DefaultBaseURL = "https://trackings.post.japanpost.jp"

// SearchPath is the path of the direct search page, appended to the base URL.
const SearchPath = "/services/srv/search/direct"

// batchSize is how many numbers one request carries: one, as every
// public scraper of the current site sends (see the package doc).
const batchSize = 1

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
	// ErrUnfamiliarResult means a 照会結果 block answers a number with
	// text todoku does not know (neither a state nor "not found"). It is
	// an error for that request only, not a layout change.
	ErrUnfamiliarResult = errors.New("照会結果 text not understood")
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

// BatchSize returns 1: one number per request (see the package doc).
func (c *Carrier) BatchSize() int { return batchSize }

// Track asks Japan Post about a number in one GET and returns its result.
// See [carriers.Carrier] for the errors; a 照会結果 answer todoku does not
// understand wraps ErrUnfamiliarResult.
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
	res, err := parse(r, numbers, c.fetcher.Options().Clock())
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

// MissingError reports numbers asked that a page has no block for.
// Results holds one result per number asked in the order asked, the
// zero Result for the missing ones: the rest of the batch still counts.
// It matches ErrMissingNumber with errors.Is.
type MissingError struct {
	Numbers []string
	Results []carriers.Result
}

func (e *MissingError) Error() string {
	return fmt.Sprintf("%s: match results: %s: %v", Name, strings.Join(e.Numbers, ", "), ErrMissingNumber)
}

// Is makes errors.Is(err, ErrMissingNumber) true.
func (e *MissingError) Is(target error) bool { return target == ErrMissingNumber }

// match returns exactly one result per number asked, in the order asked.
// A block about a number that was not asked is ErrUnexpectedNumber (the
// page cannot be trusted). A block that names no number (a not-found
// block, a history without its 配達状況詳細) is matched by its position
// when the page keeps the asked order: as many blocks as numbers, each
// numbered block where its number was asked (issue 9). Numbers left
// without a block give a *MissingError carrying the others' results; a
// page with no block at all is a layout error.
func match(numbers []string, res []carriers.Result) ([]carriers.Result, error) {
	if len(res) == 0 {
		return nil, &carriers.LayoutError{Carrier: Name, Missing: "a result block for " + strings.Join(numbers, ", ")}
	}
	keys := make([]string, len(numbers))
	asked := make(map[string]int, len(numbers))
	for i, n := range numbers {
		keys[i] = pageNumber(n)
		if _, dup := asked[keys[i]]; !dup {
			asked[keys[i]] = i
		}
	}
	inOrder := len(res) == len(numbers)
	for i, r := range res {
		if r.Number == "" {
			continue
		}
		k := pageNumber(r.Number)
		if _, ok := asked[k]; !ok {
			return nil, fmt.Errorf("%s: match results: page is about %q: %w", Name, r.Number, ErrUnexpectedNumber)
		}
		if inOrder && keys[i] != k {
			inOrder = false
		}
	}
	out := make([]carriers.Result, len(numbers))
	have := make([]bool, len(numbers))
	for i, r := range res {
		j := -1
		switch {
		case r.Number != "":
			j = asked[pageNumber(r.Number)]
		case inOrder:
			j = i
		}
		if j < 0 || have[j] {
			continue
		}
		r.Number = numbers[j]
		out[j], have[j] = r, true
	}
	var missing []string
	for i, ok := range have {
		if !ok {
			missing = append(missing, numbers[i])
		}
	}
	if len(missing) == len(numbers) {
		return nil, &carriers.LayoutError{Carrier: Name, Missing: "a result block for " + strings.Join(numbers, ", ")}
	}
	if len(missing) > 0 {
		return nil, &MissingError{Numbers: missing, Results: out}
	}
	return out, nil
}
