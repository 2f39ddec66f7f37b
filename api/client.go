package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// maxJSONBytes caps a JSON reply from the daemon.
const maxJSONBytes = 32 << 20

// Client talks to a running daemon for the CLI. It is safe for concurrent
// use. Every call is bounded by its ctx; there is no other timeout, because
// a backup may take a while.
type Client struct {
	base string
	hc   *http.Client
}

// NewClient returns a client for addr: "127.0.0.1:8347", "unix:/path", or
// a full "http://host:port" base URL.
func NewClient(addr string) *Client {
	if path, ok := strings.CutPrefix(addr, unixPrefix); ok {
		tr := &http.Transport{
			DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
				var d net.Dialer
				return d.DialContext(ctx, "unix", path)
			},
			MaxIdleConns:    2,
			IdleConnTimeout: 30 * time.Second,
		}
		// The server checks Host, so use a loopback name.
		return &Client{base: "http://localhost", hc: &http.Client{Transport: tr}}
	}
	base := addr
	if !strings.Contains(addr, "://") {
		// A daemon listening on every interface is reached on loopback
		// (the server accepts loopback names without configuration).
		if host, port, err := net.SplitHostPort(addr); err == nil {
			if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
				addr = net.JoinHostPort("127.0.0.1", port)
			}
		}
		base = "http://" + addr
	}
	tr := &http.Transport{
		Proxy:           nil, // never send local API calls through HTTP_PROXY
		DialContext:     (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		MaxIdleConns:    2,
		IdleConnTimeout: 30 * time.Second,
	}
	return &Client{base: strings.TrimSuffix(base, "/"), hc: &http.Client{Transport: tr}}
}

// Parcels lists every parcel, without history.
func (c *Client) Parcels(ctx context.Context) ([]ParcelView, error) {
	var ps []ParcelView
	if err := c.getJSON(ctx, "list parcels", "/api/parcels", &ps); err != nil {
		return nil, err
	}
	return ps, nil
}

// Parcel returns one parcel with its history; ErrNotFound when the daemon
// has no parcel with that number.
func (c *Client) Parcel(ctx context.Context, number string) (ParcelView, error) {
	var p ParcelView
	err := c.getJSON(ctx, "get parcel", "/api/parcels/"+url.PathEscape(number), &p)
	return p, err
}

// Health returns the daemon's health.
func (c *Client) Health(ctx context.Context) (HealthView, error) {
	var h HealthView
	err := c.getJSON(ctx, "health", "/api/health", &h)
	return h, err
}

// NotifyTest asks the daemon to send a sample notification through its
// notifier and returns the title sent.
func (c *Client) NotifyTest(ctx context.Context) (string, error) {
	const op = "notify-test"
	resp, err := c.do(ctx, op, http.MethodPost, "/api/notify-test")
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var body notifyTestBody
	decodeErr := json.NewDecoder(io.LimitReader(resp.Body, maxJSONBytes)).Decode(&body)
	switch {
	case resp.StatusCode != http.StatusOK:
		return "", statusError(op, resp, body.Error)
	case decodeErr != nil:
		return "", fmt.Errorf("api: %s: decode reply: %w", op, decodeErr)
	}
	return body.Title, nil
}

// Reload asks the daemon to validate and swap its configuration. A rejected
// file gives an error wrapping ErrReloadRejected with the daemon's reason.
func (c *Client) Reload(ctx context.Context) error {
	const op = "reload"
	resp, err := c.do(ctx, op, http.MethodPost, "/api/reload")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var body reloadBody
	decodeErr := json.NewDecoder(io.LimitReader(resp.Body, maxJSONBytes)).Decode(&body)
	switch {
	case resp.StatusCode == http.StatusUnprocessableEntity:
		return fmt.Errorf("api: %s: %w: %s", op, ErrReloadRejected, body.Error)
	case resp.StatusCode != http.StatusOK:
		return statusError(op, resp, body.Error)
	case decodeErr != nil:
		return fmt.Errorf("api: %s: decode reply: %w", op, decodeErr)
	case !body.OK:
		return fmt.Errorf("api: %s: %w: %s", op, ErrReloadRejected, body.Error)
	}
	return nil
}

// Resume asks the daemon to check a paused or backing-off carrier again
// at once. It reports whether the carrier was held back; a carrier the
// daemon does not know gives an error wrapping ErrUnknownCarrier.
func (c *Client) Resume(ctx context.Context, carrier string) (bool, error) {
	const op = "resume"
	resp, err := c.do(ctx, op, http.MethodPost, "/api/resume/"+url.PathEscape(carrier))
	if err != nil {
		return false, err
	}
	defer resp.Body.Close()
	var body resumeBody
	decodeErr := json.NewDecoder(io.LimitReader(resp.Body, maxJSONBytes)).Decode(&body)
	switch {
	case resp.StatusCode == http.StatusNotFound:
		return false, fmt.Errorf("api: %s: %w: %s", op, ErrUnknownCarrier, carrier)
	case resp.StatusCode != http.StatusOK:
		return false, statusError(op, resp, body.Error)
	case decodeErr != nil:
		return false, fmt.Errorf("api: %s: decode reply: %w", op, decodeErr)
	}
	return body.Resumed, nil
}

// Backup copies the daemon's database to w and returns the bytes written.
// A copy the daemon could not finish gives an error wrapping
// ErrBackupIncomplete; discard what was written.
func (c *Client) Backup(ctx context.Context, w io.Writer) (int64, error) {
	const op = "backup"
	resp, err := c.do(ctx, op, http.MethodPost, "/api/backup")
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, statusError(op, resp, readErrorBody(resp.Body))
	}
	n, err := io.Copy(w, resp.Body)
	if err != nil {
		return n, fmt.Errorf("api: %s: copy: %w", op, err)
	}
	// Trailers are filled once the body has been read to EOF.
	if msg := resp.Trailer.Get(trailerBackupError); msg != "" {
		return n, fmt.Errorf("api: %s: %w: %s", op, ErrBackupIncomplete, msg)
	}
	want, err := strconv.ParseInt(resp.Trailer.Get(trailerBackupBytes), 10, 64)
	if err != nil {
		return n, fmt.Errorf("api: %s: %w: no byte count from the daemon", op, ErrBackupIncomplete)
	}
	if want != n {
		return n, fmt.Errorf("api: %s: %w: got %d bytes, daemon sent %d", op, ErrBackupIncomplete, n, want)
	}
	return n, nil
}

// getJSON GETs path and decodes a 200 reply into v.
func (c *Client) getJSON(ctx context.Context, op, path string, v any) error {
	resp, err := c.do(ctx, op, http.MethodGet, path)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusNotFound:
		return fmt.Errorf("api: %s: %w", op, ErrNotFound)
	default:
		return statusError(op, resp, readErrorBody(resp.Body))
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxJSONBytes)).Decode(v); err != nil {
		return fmt.Errorf("api: %s: decode reply: %w", op, err)
	}
	return nil
}

// do sends one request. POSTs carry the CSRF header.
func (c *Client) do(ctx context.Context, op, method, path string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, nil)
	if err != nil {
		return nil, fmt.Errorf("api: %s: %w", op, err)
	}
	if method == http.MethodPost {
		req.Header.Set(CSRFHeader, "1")
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.hc.Do(req)
	if err != nil {
		if isUnreachable(err) {
			return nil, fmt.Errorf("api: %s: %w at %s: %w", op, ErrUnreachable, c.base, err)
		}
		return nil, fmt.Errorf("api: %s: %w", op, err)
	}
	return resp, nil
}

// isUnreachable reports whether err means nothing listens at the address.
func isUnreachable(err error) bool {
	return errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ENOENT)
}

// readErrorBody extracts the "error" field of a JSON error reply, or the
// start of a text one.
func readErrorBody(r io.Reader) string {
	b, _ := io.ReadAll(io.LimitReader(r, 4096))
	var e errorBody
	if json.Unmarshal(b, &e) == nil && e.Error != "" {
		return e.Error
	}
	return strings.TrimSpace(string(b))
}

func statusError(op string, resp *http.Response, msg string) error {
	if msg == "" {
		return fmt.Errorf("api: %s: %s", op, resp.Status)
	}
	return fmt.Errorf("api: %s: %s: %s", op, resp.Status, msg)
}
