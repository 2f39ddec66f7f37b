package notify

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
)

// MaxResponseBody caps how much of a Pushover answer is read. Pushover's
// answers are a few hundred bytes; anything longer is not read further
// (the connection is closed), so a runaway body cannot fill memory.
const MaxResponseBody = 64 << 10

// errBodyTooLarge replaces the rest of an answer longer than
// MaxResponseBody.
var errBodyTooLarge = errors.New("pushover answer longer than 64 KiB")

// reply is what the wrapping transport saw of the answer to the one
// library request in flight: its HTTP status, headers and (capped) body,
// which gregdel/pushover does not expose.
type reply struct {
	mu      sync.Mutex
	status  int
	header  http.Header
	body    []byte
	bodyErr error // the body could not be read whole (too long, cut off)
}

func (r *reply) get() (status int, header http.Header, body []byte, bodyErr error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.status, r.header, r.body, r.bodyErr
}

// flight is the library request in flight: its endpoint, the context that
// bounds it, and where its answer is recorded. At most one exists at a
// time (it is set and cleared by the holder of sendSlot).
type flight struct {
	ctx      context.Context
	endpoint string
	reply    *reply
}

// inFlight is the library request being made, or nil.
var inFlight atomic.Pointer[flight]

// libTransport wraps http.DefaultClient's transport, which gregdel/pushover
// uses for every request (it takes no client of its own). Requests that
// are not the library's request in flight pass through untouched; the
// library's request gets the sender's context (so it ends at the send's
// deadline instead of hanging), and its answer is read here, at most
// MaxResponseBody bytes, and recorded.
type libTransport struct {
	base http.RoundTripper
}

// installTransport wraps http.DefaultClient's transport once, at package
// initialisation, before any goroutine can use the client.
func installTransport() *libTransport {
	base := http.DefaultClient.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	if t, ok := base.(*libTransport); ok {
		return t
	}
	t := &libTransport{base: base}
	http.DefaultClient.Transport = t
	return t
}

// The wrapping happens when the package is initialised: replacing the
// client's transport later would race with other users of the client.
var _ = installTransport()

// RoundTrip implements http.RoundTripper.
func (t *libTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	f := inFlight.Load()
	if f == nil || !strings.HasPrefix(req.URL.String(), f.endpoint+"/") {
		return t.base.RoundTrip(req)
	}
	req = req.WithContext(f.ctx)
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, rerr := io.ReadAll(io.LimitReader(resp.Body, MaxResponseBody+1))
	_ = resp.Body.Close()
	if rerr == nil && len(body) > MaxResponseBody {
		body, rerr = body[:MaxResponseBody], errBodyTooLarge
	}
	f.reply.mu.Lock()
	f.reply.status, f.reply.header, f.reply.body, f.reply.bodyErr = resp.StatusCode, resp.Header.Clone(), body, rerr
	f.reply.mu.Unlock()
	if rerr != nil {
		resp.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body), errReader{rerr}))
	} else {
		resp.Body = io.NopCloser(bytes.NewReader(body))
	}
	resp.ContentLength = -1
	return resp, nil
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }
