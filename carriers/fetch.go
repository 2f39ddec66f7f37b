package carriers

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// UserAgent is the User-Agent todoku sends unless configured otherwise.
const UserAgent = "todoku/0.1 (self-hosted parcel tracker; +https://github.com/todoku/todoku)"

// Defaults for Fetcher.
const (
	DefaultTimeout = 30 * time.Second
	DefaultMaxBody = 4 << 20 // 4 MiB: a 10-number result page is ~100 KiB
)

// Options configure an adapter built by its New function.
type Options struct {
	// Client does the HTTP requests; nil means NewHTTPClient (explicit
	// cipher suites, see CipherSuites). Either way the fetcher follows
	// redirects only within the first host and Domains, never from https
	// to http.
	Client *http.Client
	// Domains are the carrier's official domains, where redirects may
	// lead; adapters fill it from their contacts when it is empty.
	Domains []string
	// BaseURL overrides the carrier's endpoint (tests, the demo, local
	// stand-in servers). Empty means the real endpoint.
	BaseURL string
	// UserAgent overrides UserAgent.
	UserAgent string
	// Timeout bounds each request; 0 means DefaultTimeout.
	Timeout time.Duration
	// MaxBody caps a response body; 0 means DefaultMaxBody.
	MaxBody int64
	// Now is the clock used to infer missing years; nil means time.Now.
	Now func() time.Time
	// Record, when set, receives every raw response (todoku track --record).
	Record func(Recording)
}

// Recording is one raw response kept by `todoku track --record`.
type Recording struct {
	Carrier string
	Method  string
	URL     string
	Form    url.Values
	Status  int
	Header  http.Header
	Body    []byte
}

// Base returns o.BaseURL, or def when it is empty, without a trailing
// slash: the scheme and host an adapter sends its requests to.
func (o Options) Base(def string) string {
	if o.BaseURL == "" {
		return def
	}
	return strings.TrimRight(o.BaseURL, "/")
}

// WithDomains returns o with Domains set to domains unless it already
// names some: an adapter passes its official domains this way.
func (o Options) WithDomains(domains []string) Options {
	if len(o.Domains) == 0 {
		o.Domains = domains
	}
	return o
}

// CheckBatch checks the numbers handed to a carrier's Track: at least one,
// at most size.
func CheckBatch(carrier string, numbers []string, size int) error {
	switch {
	case len(numbers) == 0:
		return fmt.Errorf("%s: track: %w", carrier, ErrNoNumbers)
	case len(numbers) > size:
		return fmt.Errorf("%s: track %d numbers: %w", carrier, len(numbers), ErrBatchTooLarge)
	}
	return nil
}

// Clock returns o.Now or time.Now.
func (o Options) Clock() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

// Fetcher performs one carrier's HTTP requests with a User-Agent, a
// per-request timeout and a body cap, and turns HTTP failures into
// *FetchError values. It does no rate limiting: the tracker does.
type Fetcher struct {
	carrier string
	opts    Options
}

// NewFetcher returns a Fetcher for the named carrier.
func NewFetcher(carrier string, opts Options) *Fetcher {
	if opts.Client == nil {
		opts.Client = NewHTTPClient()
	}
	opts.Client = withRedirectPolicy(opts.Client, opts.Domains)
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.MaxBody <= 0 {
		opts.MaxBody = DefaultMaxBody
	}
	if opts.UserAgent == "" {
		opts.UserAgent = UserAgent
	}
	return &Fetcher{carrier: carrier, opts: opts}
}

// Options returns the options the fetcher was built with, defaults filled.
func (f *Fetcher) Options() Options { return f.opts }

// Page is a fetched response body, still in the page's own encoding.
type Page struct {
	Body        []byte
	ContentType string
}

// UTF8 returns the page as UTF-8, honouring the Content-Type charset, a
// <meta charset> or a BOM (see DecodeHTML).
func (p Page) UTF8() (io.Reader, error) {
	return DecodeHTML(bytes.NewReader(p.Body), p.ContentType)
}

// Get fetches rawURL.
func (f *Fetcher) Get(ctx context.Context, rawURL string) (Page, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return Page{}, fmt.Errorf("%s: build request: %w", f.carrier, err)
	}
	return f.do(req, nil)
}

// PostForm posts form to rawURL.
func (f *Fetcher) PostForm(ctx context.Context, rawURL string, form url.Values) (Page, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, rawURL, strings.NewReader(form.Encode()))
	if err != nil {
		return Page{}, fmt.Errorf("%s: build request: %w", f.carrier, err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return f.do(req, form)
}

func (f *Fetcher) do(req *http.Request, form url.Values) (Page, error) {
	parent := req.Context()
	if err := parent.Err(); err != nil {
		return Page{}, fmt.Errorf("%s: %w", f.carrier, err)
	}
	ctx, cancel := context.WithTimeout(parent, f.opts.Timeout)
	defer cancel()
	req = req.WithContext(ctx)
	req.Header.Set("User-Agent", f.opts.UserAgent)
	req.Header.Set("Accept", "text/html,application/xhtml+xml")
	req.Header.Set("Accept-Language", "ja,en;q=0.5")

	resp, err := f.opts.Client.Do(req)
	if err != nil {
		if perr := parent.Err(); perr != nil {
			// The caller gave up: not a carrier failure.
			return Page{}, fmt.Errorf("%s: %w", f.carrier, perr)
		}
		return Page{}, &FetchError{Carrier: f.carrier, Err: classifyTransportError(err)}
	}
	defer resp.Body.Close()

	raw, err := io.ReadAll(io.LimitReader(resp.Body, f.opts.MaxBody+1))
	if err != nil {
		// A body cut off in transit (unexpected EOF, a short
		// Content-Length) is a transport failure, never a layout change.
		return Page{}, &FetchError{Carrier: f.carrier, StatusCode: resp.StatusCode, Err: fmt.Errorf("read body: %w", err)}
	}
	if f.opts.Record != nil {
		f.opts.Record(Recording{
			Carrier: f.carrier, Method: req.Method, URL: req.URL.String(), Form: form,
			Status: resp.StatusCode, Header: resp.Header.Clone(), Body: raw,
		})
	}
	if int64(len(raw)) > f.opts.MaxBody {
		return Page{}, &FetchError{Carrier: f.carrier, StatusCode: resp.StatusCode,
			Err: fmt.Errorf("response body larger than %d bytes", f.opts.MaxBody)}
	}
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 {
		return Page{}, &FetchError{Carrier: f.carrier, StatusCode: resp.StatusCode,
			RetryAfter: ParseRetryAfter(resp.Header.Get("Retry-After"), f.opts.Clock())}
	}
	if resp.StatusCode == http.StatusForbidden {
		// Usually a WAF or bot check: back off and try later.
		return Page{}, &FetchError{Carrier: f.carrier, StatusCode: resp.StatusCode}
	}
	if resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone {
		// The endpoint moved or was removed: retrying will not help, an
		// operator must act.
		return Page{}, &LayoutError{Carrier: f.carrier, Missing: fmt.Sprintf("the endpoint (HTTP %d)", resp.StatusCode)}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return Page{}, &FetchError{Carrier: f.carrier, StatusCode: resp.StatusCode,
			Err: fmt.Errorf("unexpected status %d %s", resp.StatusCode, http.StatusText(resp.StatusCode))}
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return Page{}, &FetchError{Carrier: f.carrier, StatusCode: resp.StatusCode, Err: ErrEmptyBody}
	}
	return Page{Body: raw, ContentType: resp.Header.Get("Content-Type")}, nil
}

// DecodeHTML returns a reader that yields r's HTML as UTF-8, honouring the
// Content-Type charset, a BOM or a <meta charset> (anywhere in the first
// 64 KiB, not only the first 1024 bytes the HTML standard's prescan
// reads: a carrier page with a long head still declares its charset); a
// page that declares nothing and is not valid UTF-8 is taken as
// Windows-31J, the encoding of Japanese carriers' pages. Shift_JIS/CP932
// and EUC-JP pages are converted. contentType may be empty.
func DecodeHTML(r io.Reader, contentType string) (io.Reader, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("decode page: %w", err)
	}
	if contentType == "" {
		contentType = "text/html"
	}
	enc, _, certain := charset.DetermineEncoding(data, contentType)
	if !certain {
		head := data[:min(len(data), 64<<10)]
		if m := metaCharsetRE.FindSubmatch(head); m != nil {
			if e, err := htmlindex.Get(string(m[1])); err == nil {
				enc, certain = e, true
			}
		}
	}
	if !certain && !utf8.Valid(data) {
		enc = japanese.ShiftJIS
	} else if !certain {
		enc = unicode.UTF8
	}
	return transform.NewReader(bytes.NewReader(data), enc.NewDecoder()), nil
}

// metaCharsetRE finds a charset declaration in a page's markup.
var metaCharsetRE = regexp.MustCompile(`(?i)<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)`)
