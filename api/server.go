package api

import (
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/todoku/todoku/internal/passwd"
)

// CSRFHeader must be sent, with the value "1", on every POST. Browsers
// cannot attach it to a cross-site form, and a cross-site fetch carrying it
// needs a CORS preflight that this server never grants.
const CSRFHeader = "X-Todoku"

// contentSecurityPolicy forbids every script, frame, image and connection;
// only the page's own inline style is allowed.
const contentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'"

// ServerOption configures NewServer.
type ServerOption func(*server)

// AllowHosts adds Host header names (without port) that requests may use,
// beyond "localhost" and loopback IPs. Needed only with AllowRemote, e.g.
// AllowHosts("homeserver.lan", "192.168.1.10"). "*" allows any host.
func AllowHosts(hosts ...string) ServerOption {
	return func(s *server) {
		for _, h := range hosts {
			s.hosts = append(s.hosts, strings.ToLower(h))
		}
	}
}

// server holds the handler's dependencies.
type server struct {
	src     Source
	logger  *slog.Logger
	version string
	hosts   []string
	pages   *pages

	login    *passwd.Hash // nil: no login (Login)
	editable bool         // add and remove forms (Editable)
	auth     *auth        // sessions, CSRF, login rate limits (auth.go)
}

// NewServer returns the API and status page handler. version is shown on
// the page and in health replies when the Source leaves it empty.
func NewServer(src Source, logger *slog.Logger, version string, opts ...ServerOption) http.Handler {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	s := &server{src: src, logger: logger, version: version, pages: newPages(), auth: newAuth()}
	for _, opt := range opts {
		opt(s)
	}

	post := func(h http.HandlerFunc) http.Handler {
		return http.NewCrossOriginProtection().Handler(requireCSRFHeader(h))
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /api/health", s.apiHealth)
	mux.HandleFunc("GET /api/parcels", s.apiParcels)
	mux.HandleFunc("GET /api/parcels/{number}", s.apiParcel)
	mux.Handle("POST /api/reload", post(s.apiReload))
	mux.Handle("POST /api/resume/{carrier}", post(s.apiResume))
	mux.Handle("POST /api/notify-test", post(s.apiNotifyTest))
	mux.Handle("POST /api/backup", post(s.apiBackup))
	mux.HandleFunc("GET /{$}", s.pageIndex)
	mux.HandleFunc("GET /parcel/{number}", s.pageParcel)
	// Adding and removing parcels, and the login (edit.go, auth.go).
	mux.Handle("POST /api/parcels/{number}/remove", post(s.apiRemove))
	mux.Handle("POST /add", s.checkForm(s.pageAdd))
	mux.Handle("POST /add/confirm", s.checkForm(s.pageAddConfirm))
	mux.Handle("POST /parcel/{number}/remove", s.checkForm(s.pageRemove))
	mux.HandleFunc("GET /login", s.pageLogin)
	mux.Handle("POST /login", s.checkForm(s.postLogin))
	mux.Handle("POST /logout", s.checkForm(s.postLogout))
	return securityHeaders(s.checkHost(s.gate(mux)))
}

// NewHTTPServer wraps h in an http.Server with timeouts suited to a local
// API. There is no write timeout because backups stream for as long as the
// database takes; callers bound them with their own context.
func NewHTTPServer(h http.Handler, logger *slog.Logger) *http.Server {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
}

// securityHeaders sets the headers every reply carries.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

// requireCSRFHeader refuses a POST without "X-Todoku: 1".
func requireCSRFHeader(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get(CSRFHeader) != "1" {
			writeJSON(w, http.StatusForbidden, errorBody{Error: "missing " + CSRFHeader + ": 1 header"})
			return
		}
		next.ServeHTTP(w, r)
	})
}

// checkHost refuses requests whose Host is not a loopback name or one of
// the allowed hosts, so a DNS-rebinding page cannot read the API.
func (s *server) checkHost(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.hostAllowed(r.Host) {
			s.logger.Warn("api request refused", "reason", "host not allowed", "host", r.Host, "remote", r.RemoteAddr)
			http.Error(w, "host not allowed", http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (s *server) hostAllowed(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.ToLower(strings.Trim(host, "[]"))
	if isLoopbackHost(host) {
		return true
	}
	return slices.Contains(s.hosts, host) || slices.Contains(s.hosts, "*")
}
