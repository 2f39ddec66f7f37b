package api

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/todoku/todoku/internal/passwd"
)

// Cookies the status page sets. Both are HttpOnly and SameSite=Strict,
// and Secure when the page is served over https (directly, or behind a
// proxy on loopback that says X-Forwarded-Proto: https).
const (
	csrfCookie    = "todoku_csrf"
	sessionCookie = "todoku_session"
	csrfField     = "csrf"
)

// sessionTTL is how long a login lasts.
const sessionTTL = 7 * 24 * time.Hour

// Login attempts per client IP: a burst of loginBurst, then one every
// loginEvery.
const (
	loginBurst = 5
	loginEvery = 10 * time.Second
	// maxLimiters bounds the per-IP table; full (idle) entries are
	// dropped first.
	maxLimiters = 4096
)

// Login makes every page and every API call from another machine ask
// for the password whose hash line (see package internal/passwd, `todoku
// passwd`) is given. The CLI on the same machine, talking to the API
// directly over loopback, needs none.
func Login(hash passwd.Hash) ServerOption {
	return func(s *server) { s.login = &hash }
}

// Editable shows the add form and the remove buttons (when the Source is
// an Editor). The daemon sets it on loopback, or with a login.
func Editable() ServerOption {
	return func(s *server) { s.editable = true }
}

// auth is the page's session and CSRF state. Sessions live in memory: a
// restart asks for the password again.
type auth struct {
	key []byte // HMAC key of the CSRF tokens, random per process

	mu       sync.Mutex
	sessions map[string]time.Time // sha256(session token) → expiry
	limiters map[string]*rate.Limiter
	now      func() time.Time
}

func newAuth() *auth {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		panic("api: no randomness: " + err.Error()) // crypto/rand never fails on Linux
	}
	return &auth{key: key, sessions: map[string]time.Time{}, limiters: map[string]*rate.Limiter{}, now: time.Now}
}

func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashToken(t string) string {
	h := sha256.Sum256([]byte(t))
	return string(h[:])
}

// newSession returns a new session token.
func (a *auth) newSession() string {
	t := randomToken()
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.now()
	for k, exp := range a.sessions {
		if now.After(exp) {
			delete(a.sessions, k)
		}
	}
	a.sessions[hashToken(t)] = now.Add(sessionTTL)
	return t
}

// session returns the request's valid session token, or "".
func (a *auth) session(r *http.Request) string {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return ""
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	exp, ok := a.sessions[hashToken(c.Value)]
	if !ok || a.now().After(exp) {
		return ""
	}
	return c.Value
}

func (a *auth) endSession(token string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	delete(a.sessions, hashToken(token))
}

// allow takes one login attempt from ip's budget.
func (a *auth) allow(ip string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	l, ok := a.limiters[ip]
	if !ok {
		if len(a.limiters) >= maxLimiters {
			now := a.now()
			for k, l := range a.limiters {
				if l.TokensAt(now) >= loginBurst {
					delete(a.limiters, k)
				}
			}
			if len(a.limiters) >= maxLimiters {
				return false // under attack from many addresses: refuse until some refill
			}
		}
		l = rate.NewLimiter(rate.Every(loginEvery), loginBurst)
		a.limiters[ip] = l
	}
	return l.AllowN(a.now(), 1)
}

// csrfToken is the form token for the browser's CSRF cookie value,
// bound to its session: HMAC-SHA256(key, cookie ∥ session).
func (a *auth) csrfToken(cookie, session string) string {
	m := hmac.New(sha256.New, a.key)
	m.Write([]byte(cookie))
	m.Write([]byte{0})
	m.Write([]byte(session))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// fromLoopback reports whether r's connection comes from this machine
// (a loopback address or a unix socket).
func fromLoopback(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr == "@" || r.RemoteAddr == "" // a unix socket
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// proxied reports whether a loopback request was forwarded by a proxy.
func proxied(r *http.Request) bool {
	h := r.Header
	return h.Get("X-Forwarded-For") != "" || h.Get("X-Forwarded-Proto") != "" || h.Get("Forwarded") != "" || h.Get("X-Real-Ip") != ""
}

// clientIP is the address login attempts are counted against: the
// connection's, or for a proxy on loopback the last X-Forwarded-For
// entry (the one that proxy added).
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if fromLoopback(r) {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			parts := strings.Split(xff, ",")
			if ip := net.ParseIP(strings.TrimSpace(parts[len(parts)-1])); ip != nil {
				return ip.String()
			}
		}
	}
	return host
}

// isHTTPS reports whether the browser reached the page over https.
func isHTTPS(r *http.Request) bool {
	return r.TLS != nil || (fromLoopback(r) && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https"))
}

func (s *server) setCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{
		Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: isHTTPS(r),
	})
}

// formToken returns the CSRF token for the page being rendered, setting
// the CSRF cookie first when the browser has none.
func (s *server) formToken(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(csrfCookie)
	value := ""
	if err == nil && len(c.Value) >= 32 {
		value = c.Value
	} else {
		value = randomToken()
		s.setCookie(w, r, csrfCookie, value, 0)
		// The same request may render a form after a redirect; remember
		// the new value for it.
		r.AddCookie(&http.Cookie{Name: csrfCookie, Value: value})
	}
	return s.auth.csrfToken(value, s.auth.session(r))
}

// checkForm refuses a state-changing form whose CSRF token does not match
// the browser's cookie (and session).
func (s *server) checkForm(next http.HandlerFunc) http.Handler {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
		c, err := r.Cookie(csrfCookie)
		got := r.PostFormValue(csrfField)
		if err != nil || c.Value == "" || got == "" ||
			subtle.ConstantTimeCompare([]byte(got), []byte(s.auth.csrfToken(c.Value, s.auth.session(r)))) != 1 {
			s.logger.Warn("form refused", "reason", "csrf token missing or wrong", "path", r.URL.Path, "remote", r.RemoteAddr)
			http.Error(w, "form expired or sent from another site: reload the page and try again", http.StatusForbidden)
			return
		}
		next(w, r)
	})
	// Browsers say where a request comes from (Sec-Fetch-Site, Origin):
	// a cross-site POST is refused before the token is even read.
	return http.NewCrossOriginProtection().Handler(h)
}

// gate asks for a login when one is configured: pages redirect to
// /login, other requests get 401. The API is open to direct loopback
// connections (the CLI) that no proxy forwarded.
func (s *server) gate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.login == nil || r.URL.Path == "/login" || r.URL.Path == "/healthz" || s.auth.session(r) != "" {
			next.ServeHTTP(w, r)
			return
		}
		if strings.HasPrefix(r.URL.Path, "/api/") {
			if fromLoopback(r) && !proxied(r) {
				next.ServeHTTP(w, r)
				return
			}
			writeJSON(w, http.StatusUnauthorized, errorBody{Error: "login required"})
			return
		}
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			http.Redirect(w, r, "/login", http.StatusSeeOther)
			return
		}
		http.Error(w, "login required", http.StatusUnauthorized)
	})
}

// pageLogin shows the login form.
func (s *server) pageLogin(w http.ResponseWriter, r *http.Request) {
	if s.login == nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	s.renderLogin(w, r, http.StatusOK, "")
}

func (s *server) renderLogin(w http.ResponseWriter, r *http.Request, code int, msg string) {
	data := pageData{Title: "todoku — login", Lang: s.lang(r), Message: msg}
	s.render(w, r, code, "login", data)
}

// lang is the page language, from the Source's health (the config's).
func (s *server) lang(r *http.Request) string {
	h, err := s.health(r)
	if err != nil {
		return ""
	}
	return h.Lang
}

// postLogin checks the password (rate limited per client IP) and starts
// a session.
func (s *server) postLogin(w http.ResponseWriter, r *http.Request) {
	if s.login == nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	ip := clientIP(r)
	if !s.auth.allow(ip) {
		s.logger.Warn("login refused", "reason", "too many attempts", "client", ip)
		w.Header().Set("Retry-After", "10")
		s.renderLogin(w, r, http.StatusTooManyRequests, word(s.lang(r), "too many"))
		return
	}
	if !s.login.Verify(r.PostFormValue("password")) {
		s.logger.Warn("login failed", "client", ip)
		s.renderLogin(w, r, http.StatusUnauthorized, word(s.lang(r), "bad password"))
		return
	}
	if old := s.auth.session(r); old != "" {
		s.auth.endSession(old)
	}
	s.setCookie(w, r, sessionCookie, s.auth.newSession(), int(sessionTTL/time.Second))
	s.logger.Info("login", "client", ip)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// postLogout ends the session.
func (s *server) postLogout(w http.ResponseWriter, r *http.Request) {
	if t := s.auth.session(r); t != "" {
		s.auth.endSession(t)
	}
	s.setCookie(w, r, sessionCookie, "", -1)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}
