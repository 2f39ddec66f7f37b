package notify

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/todoku/todoku/carriers"
)

// Console is a Notifier that prints the exact payload that would be sent
// to Pushover, for the demo and --dry-run. It is safe for concurrent use.
type Console struct {
	mu        sync.Mutex
	w         io.Writer
	jsonLines bool
}

var _ Notifier = (*Console)(nil)

// NewConsole returns a Console writing to w: a readable block per
// message, or one JSON object per line when jsonLines is set.
func NewConsole(w io.Writer, jsonLines bool) *Console {
	return &Console{w: w, jsonLines: jsonLines}
}

// consoleRecord is the JSON form: the Pushover fields plus metadata.
type consoleRecord struct {
	Title     string `json:"title"`
	Message   string `json:"message"`
	URL       string `json:"url,omitempty"`
	URLTitle  string `json:"url_title,omitempty"`
	Priority  int    `json:"priority"`
	Timestamp int64  `json:"timestamp,omitempty"`
	Retry     int64  `json:"retry,omitempty"`
	Expire    int64  `json:"expire,omitempty"`
	Kind      Kind   `json:"kind,omitempty"`
	Number    string `json:"number,omitempty"`
	Carrier   string `json:"carrier,omitempty"`
	Phone     string `json:"phone,omitempty"`
}

// Send prints m (fitted to Pushover's limits, as Pushover would get it).
// A write error is retryable.
func (c *Console) Send(ctx context.Context, m Message) (bool, error) {
	if err := ctx.Err(); err != nil {
		return true, fmt.Errorf("notify: console send: %w", err)
	}
	m = Fit(m)
	var out string
	if c.jsonLines {
		b, err := json.Marshal(record(m))
		if err != nil {
			return false, fmt.Errorf("notify: console send: %w", err)
		}
		out = string(jsonSafe(b)) + "\n"
	} else {
		out = format(m)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, err := io.WriteString(c.w, out); err != nil {
		return true, fmt.Errorf("notify: console send: %w", err)
	}
	return false, nil
}

func record(m Message) consoleRecord {
	r := consoleRecord{
		Title: m.Title, Message: m.Body, URL: m.URL, URLTitle: m.URLTitle, Priority: m.Priority,
		Kind: m.Kind, Number: m.Number, Carrier: m.Carrier, Phone: m.Phone,
	}
	if !m.Timestamp.IsZero() {
		r.Timestamp = m.Timestamp.Unix()
	}
	if m.Priority == PriorityEmergency {
		r.Retry, r.Expire = int64(m.Retry/time.Second), int64(m.Expire/time.Second)
	}
	return r
}

// format renders m as a readable block: the Pushover fields, one per
// line, with the message indented. Control characters and bidi overrides
// from carrier pages are shown escaped (TerminalSafe), never obeyed.
func format(m Message) string {
	m.Title = TerminalSafe(m.Title, false)
	m.Body = TerminalSafe(m.Body, true)
	m.URL, m.URLTitle = TerminalSafe(m.URL, false), TerminalSafe(m.URLTitle, false)
	var b strings.Builder
	fmt.Fprintf(&b, "── %s  [priority %d]\n", m.Title, m.Priority)
	for _, l := range strings.Split(m.Body, "\n") {
		b.WriteString("   " + l + "\n")
	}
	if m.URL != "" {
		fmt.Fprintf(&b, "   🔗 %s <%s>\n", m.URLTitle, m.URL)
	}
	if !m.Timestamp.IsZero() {
		fmt.Fprintf(&b, "   timestamp %d (%s)\n", m.Timestamp.Unix(), m.Timestamp.In(carriers.Tokyo).Format(time.RFC3339))
	}
	if m.Priority == PriorityEmergency {
		fmt.Fprintf(&b, "   retry %s, expire %s\n", m.Retry, m.Expire)
	}
	return b.String()
}
