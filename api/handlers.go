package api

import (
	"encoding/json"
	"errors"

	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// errorBody is the JSON shape of every error reply.
type errorBody struct {
	Error string `json:"error"`
}

// reloadBody is the reply to POST /api/reload.
type reloadBody struct {
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
}

// notifyTestBody is the reply to POST /api/notify-test.
type notifyTestBody struct {
	OK    bool   `json:"ok"`
	Title string `json:"title,omitempty"`
	Error string `json:"error,omitempty"`
}

// Trailers sent after a backup body so the client can tell a complete copy
// from a truncated one.
const (
	trailerBackupBytes = "X-Todoku-Backup-Bytes"
	trailerBackupError = "X-Todoku-Backup-Error"
)

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v) // the client went away; nothing useful to do
}

// internalError logs err and replies 500 with its text. The API is local
// and Source errors carry no secrets, so the text helps the CLI user.
func (s *server) internalError(w http.ResponseWriter, r *http.Request, op string, err error) {
	s.logger.Error("api request failed", "op", op, "path", r.URL.Path, "error", err)
	writeJSON(w, http.StatusInternalServerError, errorBody{Error: op + ": " + err.Error()})
}

func (s *server) health(r *http.Request) (HealthView, error) {
	h, err := s.src.Health(r.Context())
	if h.Version == "" {
		h.Version = s.version
	}
	return h, err
}

// healthz answers monitors: 200 "ok", or 503 with "degraded: …" or
// "unhealthy: …" and the reasons (a paused carrier or a full disk is
// worth an alert even though the daemon runs).
func (s *server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	h, err := s.health(r)
	switch {
	case err != nil:
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintf(w, "unhealthy: %v\n", err)
	case !h.OK:
		w.WriteHeader(http.StatusServiceUnavailable)
		status := h.Status
		if status == "" {
			status = HealthUnhealthy
		}
		fmt.Fprintf(w, "%s: %s\n", status, unhealthyReason(h))
	default:
		fmt.Fprintln(w, "ok")
	}
}

// coreReason names what is wrong with the scheduler or the store ("" if
// nothing); carriers are listed on the page with their own texts.
func coreReason(h HealthView) string {
	var parts []string
	if h.Scheduler != "" && h.Scheduler != "ok" {
		parts = append(parts, "scheduler: "+h.Scheduler)
	}
	if h.Store != "" && h.Store != "ok" {
		parts = append(parts, "store: "+h.Store)
	}
	for _, r := range h.Reasons {
		if strings.HasPrefix(r, "notifications: ") { // held or paused pushes
			parts = append(parts, r)
		}
	}
	return strings.Join(parts, "; ")
}

// unhealthyReason names what is wrong in h.
func unhealthyReason(h HealthView) string {
	if len(h.Reasons) > 0 {
		return strings.Join(h.Reasons, "; ")
	}
	var parts []string
	if h.Scheduler != "" && h.Scheduler != "ok" {
		parts = append(parts, "scheduler: "+h.Scheduler)
	}
	if h.Store != "" && h.Store != "ok" {
		parts = append(parts, "store: "+h.Store)
	}
	if len(parts) == 0 {
		return "not ok"
	}
	return strings.Join(parts, "; ")
}

func (s *server) apiHealth(w http.ResponseWriter, r *http.Request) {
	h, err := s.health(r)
	if err != nil {
		s.internalError(w, r, "health", err)
		return
	}
	writeJSON(w, http.StatusOK, h)
}

func (s *server) apiParcels(w http.ResponseWriter, r *http.Request) {
	ps, err := s.src.Parcels(r.Context())
	if err != nil {
		s.internalError(w, r, "list parcels", err)
		return
	}
	if ps == nil {
		ps = []ParcelView{}
	}
	writeJSON(w, http.StatusOK, ps)
}

func (s *server) apiParcel(w http.ResponseWriter, r *http.Request) {
	p, ok, err := s.src.Parcel(r.Context(), r.PathValue("number"))
	switch {
	case err != nil:
		s.internalError(w, r, "get parcel", err)
	case !ok:
		writeJSON(w, http.StatusNotFound, errorBody{Error: ErrNotFound.Error()})
	default:
		writeJSON(w, http.StatusOK, p)
	}
}

func (s *server) apiReload(w http.ResponseWriter, r *http.Request) {
	if err := s.src.Reload(r.Context()); err != nil {
		s.logger.Warn("config reload rejected", "source", "api", "error", err)
		writeJSON(w, http.StatusUnprocessableEntity, reloadBody{OK: false, Error: err.Error()})
		return
	}
	s.logger.Info("config reloaded", "source", "api")
	writeJSON(w, http.StatusOK, reloadBody{OK: true})
}

func (s *server) apiResume(w http.ResponseWriter, r *http.Request) {
	carrier := r.PathValue("carrier")
	resumed, err := s.src.Resume(r.Context(), carrier)
	switch {
	case errors.Is(err, ErrUnknownCarrier):
		writeJSON(w, http.StatusNotFound, resumeBody{Error: err.Error()})
	case err != nil:
		s.logger.Warn("resume failed", "carrier", carrier, "err", err)
		writeJSON(w, http.StatusInternalServerError, resumeBody{Error: err.Error()})
	default:
		s.logger.Info("carrier resumed", "source", "api", "carrier", carrier, "was_held", resumed)
		writeJSON(w, http.StatusOK, resumeBody{OK: true, Resumed: resumed})
	}
}

func (s *server) apiNotifyTest(w http.ResponseWriter, r *http.Request) {
	title, err := s.src.NotifyTest(r.Context())
	if err != nil {
		s.logger.Warn("test notification failed", "source", "api", "err", err)
		writeJSON(w, http.StatusBadGateway, notifyTestBody{OK: false, Error: err.Error()})
		return
	}
	s.logger.Info("test notification sent", "source", "api")
	writeJSON(w, http.StatusOK, notifyTestBody{OK: true, Title: title})
}

// apiBackup streams the database. A failure before the first byte is a 500;
// a failure after it can no longer change the status, so it is reported in
// a trailer that Client.Backup checks.
func (s *server) apiBackup(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Trailer", trailerBackupBytes+", "+trailerBackupError)
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Content-Disposition", `attachment; filename="todoku-`+time.Now().UTC().Format("20060102T150405Z")+`.db"`)
	cw := &countingWriter{w: w}
	n, err := s.src.Backup(r.Context(), cw)
	if err != nil {
		s.logger.Error("backup failed", "bytes", cw.n, "error", err)
		if cw.n == 0 {
			h.Del("Trailer")
			h.Del("Content-Disposition")
			writeJSON(w, http.StatusInternalServerError, errorBody{Error: "backup: " + err.Error()})
			return
		}
		h.Set(trailerBackupError, oneLine(err.Error()))
	} else {
		s.logger.Info("backup sent", "bytes", n)
	}
	h.Set(trailerBackupBytes, strconv.FormatInt(cw.n, 10))
}

// countingWriter counts the bytes that reached the client.
type countingWriter struct {
	w http.ResponseWriter
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil // an empty write would commit a 200 status
	}
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// oneLine makes s safe for a header value.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}
