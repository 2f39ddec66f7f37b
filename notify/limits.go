package notify

import (
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/todoku/todoku/carriers"
)

// Pushover's field limits, in characters (runes).
const (
	MaxBody     = 1024
	MaxTitle    = 250
	MaxURL      = 512
	MaxURLTitle = 100
)

// ellipsis marks a truncated field.
const ellipsis = "…"

// truncate cuts s to at most n runes, ending in "…" when it was cut.
func truncate(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i, count := 0, 0
	for i = range s {
		if count == n-1 {
			break
		}
		count++
	}
	return strings.TrimRight(s[:i], " \n") + ellipsis
}

// Fit makes m fit Pushover's limits: title, body and url_title are
// truncated by runes; a URL that is too long (a cut URL would be broken)
// is dropped together with its url_title. An empty body becomes
// "(no details)" because Pushover requires a message.
func Fit(m Message) Message {
	m.Title = truncate(m.Title, MaxTitle)
	m.Body = truncate(m.Body, MaxBody)
	if strings.TrimSpace(m.Body) == "" {
		m.Body = "(no details)"
	}
	if utf8.RuneCountInString(m.URL) > MaxURL {
		m.URL = ""
	}
	if m.URL == "" {
		m.URLTitle = ""
	}
	m.URLTitle = truncate(m.URLTitle, MaxURLTitle)
	return m
}

// Official reports whether link is an http(s) URL on one of the
// carrier's official domains (the domain itself or a subdomain of it),
// with no user info. Only such links are ever put in a notification.
func Official(c carriers.Contacts, link string) bool {
	if link == "" {
		return false
	}
	u, err := url.Parse(link)
	if err != nil || u.User != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Opaque != "" {
		return false
	}
	host := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	if host == "" || u.Port() != "" {
		return false
	}
	for _, d := range c.Domains {
		d = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(d), "."))
		if d != "" && (host == d || strings.HasSuffix(host, "."+d)) {
			return true
		}
	}
	return false
}
