package carriers

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// Carrier is a tracking adapter for one carrier.
type Carrier interface {
	// Name is the carrier's registry name: yamato, sagawa, japanpost, amazon.
	Name() string

	// BatchSize is how many numbers one Track call may carry (one request).
	BatchSize() int

	// Track asks the carrier about numbers, which are normalised tracking
	// numbers, at most BatchSize of them.
	//
	// On success it returns exactly one Result per number, in the order
	// asked, each with its events oldest first. A number the carrier
	// explicitly does not know is a Result with Found false and
	// StatusNotFound, never an error.
	//
	// Errors apply to the whole batch and never carry a status:
	//   - a *FetchError (errors.Is ErrTransient) for timeouts, network
	//     errors, 5xx, 429 (with RetryAfter) and maintenance pages: try
	//     again later;
	//   - a *LayoutError (errors.Is ErrLayoutChanged) when the page arrived
	//     but its landmarks are missing: stop polling this carrier until the
	//     adapter is fixed;
	//   - ErrNotTrackable when the carrier has no public tracking at all
	//     (Amazon): permanent;
	//   - ctx.Err() (wrapped) when ctx is cancelled or its deadline passes;
	//     the request in flight is abandoned and nothing is returned.
	Track(ctx context.Context, numbers []string) ([]Result, error)
}

// The sentinel errors of the carriers package.
var (
	// ErrTransient marks a fetch failure worth retrying later.
	ErrTransient = errors.New("transient fetch failure")
	// ErrLayoutChanged marks a page whose layout the adapter no longer
	// recognises.
	ErrLayoutChanged = errors.New("page layout not recognised")
	// ErrNotTrackable means the carrier offers no public tracking page.
	ErrNotTrackable = errors.New("not trackable outside the carrier's own app")
	// ErrUnknownCarrier means no adapter of that name is registered.
	ErrUnknownCarrier = errors.New("unknown carrier")
	// ErrBatchTooLarge means Track was given more than BatchSize numbers.
	ErrBatchTooLarge = errors.New("too many numbers for one request")
	// ErrNoNumbers means Track was given no numbers.
	ErrNoNumbers = errors.New("no tracking numbers")
)

// FetchError is a transient failure to get a usable page. It matches
// ErrTransient with errors.Is.
type FetchError struct {
	Carrier string
	// StatusCode is the HTTP status, 0 for network errors and timeouts.
	StatusCode int
	// RetryAfter is the delay the server asked for (429/503), or 0.
	RetryAfter time.Duration
	// Maintenance is true when the carrier served a maintenance page.
	Maintenance bool
	Err         error
}

func (e *FetchError) Error() string {
	switch {
	case e.Maintenance:
		return fmt.Sprintf("%s: site under maintenance", e.Carrier)
	case e.StatusCode != 0 && e.Err != nil:
		return fmt.Sprintf("%s: http status %d: %v", e.Carrier, e.StatusCode, e.Err)
	case e.StatusCode != 0:
		return fmt.Sprintf("%s: http status %d", e.Carrier, e.StatusCode)
	default:
		return fmt.Sprintf("%s: fetch failed: %v", e.Carrier, e.Err)
	}
}

// Unwrap lets errors.Is see both ErrTransient and the cause.
func (e *FetchError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrTransient}
	}
	return []error{ErrTransient, e.Err}
}

// LayoutError reports a page that arrived but lacks the landmarks its
// adapter looks for. It matches ErrLayoutChanged with errors.Is.
type LayoutError struct {
	Carrier string
	// Missing names the landmark that was not found.
	Missing string
}

func (e *LayoutError) Error() string {
	return fmt.Sprintf("%s: page layout not recognised: %s not found", e.Carrier, e.Missing)
}

// Is makes errors.Is(err, ErrLayoutChanged) true.
func (e *LayoutError) Is(target error) bool { return target == ErrLayoutChanged }

// IsTransient reports whether err is worth retrying later.
func IsTransient(err error) bool { return errors.Is(err, ErrTransient) }

// RetryAfter returns the delay a carrier asked for, if err carries one.
func RetryAfter(err error) (time.Duration, bool) {
	var fe *FetchError
	if errors.As(err, &fe) && fe.RetryAfter > 0 {
		return fe.RetryAfter, true
	}
	return 0, false
}

// ParseRetryAfter reads a Retry-After header value: delay-seconds or an
// HTTP date. It returns 0 when the header is absent or unreadable.
func ParseRetryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil {
		if s < 0 {
			return 0
		}
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}
