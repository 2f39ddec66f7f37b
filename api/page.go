package api

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/todoku/todoku/carriers"
)

//go:embed templates/*.html
var templateFS embed.FS

// pages renders the status page. html/template escapes everything a carrier
// page or the config can put into a ParcelView.
type pages struct {
	tmpl *template.Template
}

// pageData is what every page template receives.
type pageData struct {
	Title       string
	Health      *HealthView
	HealthError string
	Version     string
	Now         time.Time

	Parcels []ParcelView // index
	Parcel  *ParcelView  // parcel page
	Message string       // error page
}

func newPages() *pages {
	funcs := template.FuncMap{
		"when":        formatTime,
		"tel":         telURL,
		"official":    officialURL,
		"class":       statusClass,
		"parcelPath":  parcelPath,
		"newestFirst": newestFirst,
		"reason":      unhealthyReason,
	}
	// The templates are compiled into the binary, so a parse error is a
	// programming error caught by every test.
	tmpl := template.Must(template.New("").Funcs(funcs).ParseFS(templateFS, "templates/*.html"))
	return &pages{tmpl: tmpl}
}

// render executes the named template into a buffer first, so a template
// error becomes a clean 500 instead of half a page.
func (s *server) render(w http.ResponseWriter, r *http.Request, code int, name string, data pageData) {
	data.Version = s.version
	data.Now = time.Now()
	if data.Title == "" {
		data.Title = "todoku"
	}
	var buf bytes.Buffer
	if err := s.pages.tmpl.ExecuteTemplate(&buf, name, data); err != nil {
		s.logger.Error("render page failed", "template", name, "path", r.URL.Path, "error", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	_, _ = w.Write(buf.Bytes())
}

// pageHealth fills the health line; a health error is shown, not fatal.
func (s *server) pageHealth(r *http.Request, data *pageData) {
	h, err := s.health(r)
	if err != nil {
		s.logger.Warn("health unavailable for page", "error", err)
		data.HealthError = err.Error()
		return
	}
	data.Health = &h
}

func (s *server) pageIndex(w http.ResponseWriter, r *http.Request) {
	ps, err := s.src.Parcels(r.Context())
	if err != nil {
		s.logger.Error("list parcels for page failed", "error", err)
		data := pageData{Title: "todoku — error", Message: "荷物の一覧を取得できません: " + err.Error()}
		s.pageHealth(r, &data)
		s.render(w, r, http.StatusInternalServerError, "error", data)
		return
	}
	data := pageData{Parcels: sortForPage(ps)}
	s.pageHealth(r, &data)
	s.render(w, r, http.StatusOK, "index", data)
}

func (s *server) pageParcel(w http.ResponseWriter, r *http.Request) {
	number := r.PathValue("number")
	p, ok, err := s.src.Parcel(r.Context(), number)
	var data pageData
	s.pageHealth(r, &data)
	switch {
	case err != nil:
		s.logger.Error("get parcel for page failed", "error", err)
		data.Title, data.Message = "todoku — error", "荷物を取得できません: "+err.Error()
		s.render(w, r, http.StatusInternalServerError, "error", data)
	case !ok:
		data.Title, data.Message = "todoku — not found", "この番号の荷物はありません: "+number
		s.render(w, r, http.StatusNotFound, "error", data)
	default:
		data.Title = "todoku — " + cmpOr(p.Label, p.Display, p.Number)
		data.Parcel = &p
		s.render(w, r, http.StatusOK, "parcel", data)
	}
}

// cmpOr returns the first non-empty string.
func cmpOr(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// attention lists the statuses a person must act on.
var attention = []string{
	string(carriers.StatusDeliveryFailed), string(carriers.StatusAwaitingPickup),
	string(carriers.StatusException), string(carriers.StatusReturned),
}

// statusClass groups a parcel for styling and ordering: "attn" needs the
// user, "done" is finished, "active" is everything else.
func statusClass(p ParcelView) string {
	switch {
	case slices.Contains(attention, p.Status) && !(p.Done && p.Status == string(carriers.StatusReturned)):
		return "attn"
	case p.Done || p.Status == string(carriers.StatusDelivered):
		return "done"
	default:
		return "active"
	}
}

// sortForPage puts parcels needing attention first and finished ones last,
// keeping the Source's order within each group. It does not modify ps.
func sortForPage(ps []ParcelView) []ParcelView {
	rank := map[string]int{"attn": 0, "active": 1, "done": 2}
	out := slices.Clone(ps)
	slices.SortStableFunc(out, func(a, b ParcelView) int {
		return rank[statusClass(a)] - rank[statusClass(b)]
	})
	return out
}

// newestFirst returns the history newest first, for reading on a phone.
func newestFirst(evs []EventView) []EventView {
	out := slices.Clone(evs)
	slices.SortStableFunc(out, func(a, b EventView) int { return b.Time.Compare(a.Time) })
	return out
}

// formatTime shows t in Asia/Tokyo, or a dash for the zero time.
func formatTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(carriers.Tokyo).Format("2006-01-02 15:04")
}

// telURL makes a tel: link from a phone number, keeping only digits and a
// leading "+", so nothing else in the number can reach the attribute.
// html/template would otherwise reject the tel: scheme.
func telURL(number string) template.URL {
	var b strings.Builder
	for i, r := range number {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r >= '０' && r <= '９':
			b.WriteRune('0' + (r - '０'))
		case r == '+' && i == 0:
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 || b.String() == "+" {
		return ""
	}
	return template.URL("tel:" + b.String())
}

// officialURL returns u when it is an absolute http(s) URL, else "". The
// Source only hands out official carrier links; this keeps anything else
// (javascript:, data:, relative paths) off the page entirely.
func officialURL(u string) string {
	parsed, err := url.Parse(u)
	if err != nil || parsed.Host == "" || (parsed.Scheme != "https" && parsed.Scheme != "http") {
		return ""
	}
	return parsed.String()
}

// parcelPath is the status page path for one parcel.
func parcelPath(number string) string {
	return "/parcel/" + url.PathEscape(number)
}
