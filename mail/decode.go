package mail

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/emersion/go-message"
	gomail "github.com/emersion/go-message/mail"
)

// Message is what todoku reads from one e-mail: its headers, decoded, and
// the visible text of its body.
type Message struct {
	// Subject is the decoded subject (RFC 2047 encoded words, or raw
	// ISO-2022-JP / Shift_JIS that some mailers still send).
	Subject string
	// MessageID is the Message-ID without angle brackets, or "".
	MessageID string
	// Date is the Date header, or the zero time.
	Date time.Time
	// From holds the message's senders (From, Sender, Reply-To), "Name
	// <address>" each.
	From []string
	// ForwardedFrom holds the senders of forwarded messages: attached
	// message/rfc822 parts and the From: lines of inline "Forwarded
	// message" blocks.
	ForwardedFrom []string
	// Text is the visible text of the body: text/plain parts, the visible
	// text of HTML parts where no plain alternative exists (scripts,
	// styles and hidden elements left out), and the text of forwarded
	// messages, each after a blank line.
	Text string
}

// Limits on what Decode reads, so that a hostile message cannot exhaust
// memory or recursion.
const (
	maxMessageBytes = 16 << 20 // the whole raw message
	maxTextBytes    = 1 << 20  // the decoded text kept
	maxDepth        = 8        // nested multiparts and forwarded messages
	maxParts        = 200      // parts read in all
)

// Decode reads one RFC 5322 message and returns its decoded headers and
// visible text. Transfer encodings (quoted-printable, base64) and
// charsets (UTF-8, ISO-2022-JP, Shift_JIS, EUC-JP and what go-message's
// charset package knows) are decoded; parts in an unknown charset or
// encoding are read as they are. Decode fails only when the header cannot
// be read at all; a broken body gives the text read up to the break.
func Decode(r io.Reader) (*Message, error) {
	registerCharsets()
	e, err := message.Read(bufio.NewReader(io.LimitReader(r, maxMessageBytes)))
	if e == nil {
		return nil, fmt.Errorf("mail: read header: %w", err)
	}
	d := &decoder{}
	m := &Message{}
	h := gomail.Header{Header: e.Header}
	m.Subject = headerText(h, "Subject")
	if id, err := h.MessageID(); err == nil {
		m.MessageID = id
	} else {
		m.MessageID = strings.Trim(strings.TrimSpace(h.Get("Message-Id")), "<>")
	}
	if t, err := h.Date(); err == nil {
		m.Date = t
	}
	m.From = senders(h)
	m.Text = d.entity(e, 0, err)
	m.ForwardedFrom = append(d.forwarded, inlineForwardedFrom(m.Text)...)
	return m, nil
}

// decoder walks one message's parts.
type decoder struct {
	forwarded []string
	parts     int
	size      int
}

// headerText decodes a header field, falling back to the raw value.
func headerText(h gomail.Header, key string) string {
	v, err := h.Text(key)
	if err != nil {
		v = h.Get(key)
	}
	return strings.TrimSpace(fixHeader(v))
}

// senders returns the From, Sender and Reply-To of a header.
func senders(h gomail.Header) []string {
	var out []string
	for _, key := range []string{"From", "Sender", "Reply-To"} {
		list, err := h.AddressList(key)
		if err != nil || len(list) == 0 {
			if v := headerText(h, key); v != "" {
				out = append(out, v)
			}
			continue
		}
		for _, a := range list {
			name := fixHeader(a.Name)
			if name != "" {
				out = append(out, name+" <"+a.Address+">")
			} else {
				out = append(out, "<"+a.Address+">")
			}
		}
	}
	return out
}

// entity returns the visible text of e. readErr is the error message.New
// gave for it: an unknown charset or transfer encoding leaves the body
// raw, and it is still read.
func (d *decoder) entity(e *message.Entity, depth int, readErr error) string {
	d.parts++
	if depth > maxDepth || d.parts > maxParts {
		return ""
	}
	mt, params, _ := e.Header.ContentType()
	disp, _, _ := e.Header.ContentDisposition()
	switch {
	case strings.HasPrefix(mt, "multipart/"):
		return d.multipart(e, mt, depth)
	case mt == "message/rfc822" || mt == "message/global":
		inner, err := message.Read(bufio.NewReader(e.Body))
		if inner == nil {
			return ""
		}
		h := gomail.Header{Header: inner.Header}
		d.forwarded = append(d.forwarded, senders(h)...)
		var b strings.Builder
		if s := headerText(h, "Subject"); s != "" {
			b.WriteString("Subject: " + s + "\n")
		}
		b.WriteString(d.entity(inner, depth+1, err))
		return b.String()
	case disp == "attachment":
		return ""
	case mt == "text/plain" || mt == "" || mt == "text/html":
		body := d.read(e.Body)
		if readErr != nil && message.IsUnknownCharset(readErr) {
			body = decodeCharset(params["charset"], body)
		}
		body = guessJapanese(body)
		if mt == "text/html" {
			return htmlText(body)
		}
		return strings.ReplaceAll(string(body), "\r\n", "\n")
	}
	return ""
}

// read reads a part's body within the text budget.
func (d *decoder) read(r io.Reader) []byte {
	left := maxTextBytes - d.size
	if left <= 0 {
		return nil
	}
	b, _ := io.ReadAll(io.LimitReader(r, int64(left)))
	d.size += len(b)
	return b
}

// multipart returns the text of a multipart entity: for
// multipart/alternative the plain-text part (or, without one, the best
// other), for any other kind every part in order.
func (d *decoder) multipart(e *message.Entity, mt string, depth int) string {
	mr := e.MultipartReader()
	if mr == nil {
		return ""
	}
	type alt struct {
		mt, text string
	}
	var alts []alt
	var b strings.Builder
	for {
		p, err := mr.NextPart()
		if p == nil {
			break // the end, or a broken boundary: keep what was read
		}
		pt, _, _ := p.Header.ContentType()
		text := strings.TrimSpace(d.entity(p, depth+1, err))
		if mt == "multipart/alternative" {
			alts = append(alts, alt{pt, text})
			continue
		}
		if text != "" {
			if b.Len() > 0 {
				b.WriteString("\n\n")
			}
			b.WriteString(text)
		}
	}
	if mt != "multipart/alternative" {
		return b.String()
	}
	for _, want := range []string{"text/plain", ""} {
		for _, a := range alts {
			if a.text != "" && (want == "" || a.mt == want) {
				return a.text
			}
		}
	}
	return ""
}

// forwardMarkers begin an inline forwarded message in a body.
var forwardMarkers = []string{
	"forwarded message", "original message", "転送メッセージ", "転送されたメッセージ",
	"元のメッセージ", "begin forwarded message",
}

// inlineForwardedFrom returns the senders named in the header block of
// inline forwarded messages: the From:/差出人:/送信者: lines within a few
// lines after a marker such as "---------- Forwarded message ---------".
func inlineForwardedFrom(text string) []string {
	var out []string
	lines := strings.Split(text, "\n")
	for i, line := range lines {
		l := strings.ToLower(line)
		marked := false
		for _, m := range forwardMarkers {
			if strings.Contains(l, m) {
				marked = true
				break
			}
		}
		if !marked {
			continue
		}
		for j := i + 1; j < len(lines) && j <= i+8; j++ {
			s := strings.TrimLeft(lines[j], "> \t")
			for _, key := range []string{"From", "from", "差出人", "送信者", "送信元"} {
				if rest, ok := strings.CutPrefix(s, key); ok {
					rest = strings.TrimSpace(rest)
					if r, ok := cutColon(rest); ok && r != "" {
						out = append(out, r)
					}
				}
			}
		}
	}
	return out
}

// cutColon removes a leading ASCII or full-width colon.
func cutColon(s string) (string, bool) {
	if r, ok := strings.CutPrefix(s, ":"); ok {
		return strings.TrimSpace(r), true
	}
	if r, ok := strings.CutPrefix(s, "："); ok {
		return strings.TrimSpace(r), true
	}
	return s, false
}
