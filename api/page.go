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

// pages renders the status page, one template set per language (the
// config's, as HealthView.Lang reports it; Japanese by default), so a
// page never mixes two. html/template escapes everything a carrier page
// or the config can put into a ParcelView.
type pages struct {
	tmpl map[string]*template.Template
}

// words are the page's fixed texts.
var words = map[string]map[string]string{
	"ja": {
		"running": "稼働中", "last tick": "最終確認", "mail": "メール", "trouble": "問題あり", "no health": "状態を取得できません",
		"history link": "履歴を見る", "empty": "追跡中の荷物はありません。config.yaml に追加して <code>systemctl reload todoku</code> を実行してください。",
		"official": "公式ページ（再配達・追跡）", "fetch error": "取得エラー", "next check": "次の確認", "history": "履歴",
		"no history": "まだ履歴はありません。", "back": "← 一覧へ戻る", "list failed": "荷物の一覧を取得できません",
		"get failed": "荷物を取得できません", "no parcel": "この番号の荷物はありません",
		// Forms (edit.go, auth.go).
		"add": "荷物を追加", "add hint": "お問い合わせ番号、または発送通知メールの本文を貼り付けてください。", "find": "番号を探す",
		"add this": "追加する", "label": "名前（任意）", "carrier": "配送会社", "auto": "自動判定", "found": "見つかった番号",
		"none found": "追跡番号が見つかりませんでした（注文番号・会員番号は追跡番号ではありません）。", "known": "追跡中",
		"remove": "一覧から外す", "config owned": "config.yaml の荷物（変更は config.yaml で）", "from mail": "メールから追加",
		"from page": "このページで追加", "add failed": "追加できません", "remove failed": "外せません",
		"login": "ログイン", "password": "パスワード", "logout": "ログアウト", "bad password": "パスワードが違います",
		"too many":   "試行回数が多すぎます。しばらく待ってからもう一度どうぞ。",
		"done added": "追加しました", "done restored": "もう一度追加しました", "done known": "すでに追跡中です",
		"done configured": "config.yaml にある番号です", "done removed": "一覧から外しました",
	},
	"en": {
		"running": "running", "last tick": "last check", "mail": "mail", "trouble": "needs attention", "no health": "state unavailable",
		"history link": "history", "empty": "No parcels are tracked. Add one to config.yaml and run <code>systemctl reload todoku</code>.",
		"official": "official page (redelivery, tracking)", "fetch error": "error", "next check": "next check", "history": "History",
		"no history": "No history yet.", "back": "← back to the list", "list failed": "cannot list the parcels",
		"get failed": "cannot read the parcel", "no parcel": "no parcel with this number",
		// Forms (edit.go, auth.go).
		"add": "Add a parcel", "add hint": "Paste a tracking number or the text of a shipping e-mail.", "find": "Find numbers",
		"add this": "Add", "label": "Name (optional)", "carrier": "Carrier", "auto": "automatic", "found": "Numbers found",
		"none found": "No tracking number found (order and member numbers are not tracking numbers).", "known": "tracked",
		"remove": "Remove from the list", "config owned": "from config.yaml (change it there)", "from mail": "added from a mail",
		"from page": "added on this page", "add failed": "cannot add", "remove failed": "cannot remove",
		"login": "Log in", "password": "Password", "logout": "Log out", "bad password": "Wrong password",
		"too many":   "Too many attempts. Wait a little and try again.",
		"done added": "Added", "done restored": "Added again", "done known": "Already tracked",
		"done configured": "This number is in config.yaml", "done removed": "Removed from the list",
	},
}

// pageLang is the page language for lang ("ja" unless "en").
func pageLang(lang string) string {
	if lang == "en" {
		return "en"
	}
	return "ja"
}

// word returns the fixed text key in lang.
func word(lang, key string) string { return words[pageLang(lang)][key] }

// pageData is what every page template receives.
type pageData struct {
	Title       string
	Lang        string // "ja" or "en"
	Health      *HealthView
	HealthError string
	Version     string
	Now         time.Time

	Parcels []ParcelView // index
	Parcel  *ParcelView  // parcel page
	Message string       // error page

	// Forms (edit.go, auth.go), filled by render.
	CSRF       string      // the form token bound to this browser (and session)
	Editable   bool        // show the add form and remove buttons
	LoggedIn   bool        // show the logout button
	Text       string      // add page: the pasted text
	Candidates []Candidate // add page: the numbers found in it
	Done       string      // index: what the last form did ("added", "removed" …)
	DoneNumber string
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
		"core":        coreReason,
		"removePath":  removePath,
	}
	// The templates are compiled into the binary, so a parse error is a
	// programming error caught by every test.
	p := &pages{tmpl: map[string]*template.Template{}}
	for lang, ws := range words {
		funcs["t"] = func(key string) template.HTML { return template.HTML(ws[key]) } // fixed texts, not input
		p.tmpl[lang] = template.Must(template.New("").Funcs(funcs).ParseFS(templateFS, "templates/*.html"))
	}
	return p
}

// render executes the named template into a buffer first, so a template
// error becomes a clean 500 instead of half a page.
func (s *server) render(w http.ResponseWriter, r *http.Request, code int, name string, data pageData) {
	data.Version = s.version
	data.Now = time.Now()
	if data.Title == "" {
		data.Title = "todoku"
	}
	if data.Health != nil && data.Lang == "" {
		data.Lang = data.Health.Lang
	}
	data.Lang = pageLang(data.Lang)
	s.formData(w, r, &data)
	var buf bytes.Buffer
	if err := s.pages.tmpl[data.Lang].ExecuteTemplate(&buf, name, data); err != nil {
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
		data := pageData{Title: "todoku — error"}
		s.pageHealth(r, &data)
		data.Message = word(data.lang(), "list failed") + ": " + err.Error()
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
		data.Title, data.Message = "todoku — error", word(data.lang(), "get failed")+": "+err.Error()
		s.render(w, r, http.StatusInternalServerError, "error", data)
	case !ok:
		data.Title, data.Message = "todoku — not found", word(data.lang(), "no parcel")+": "+number
		s.render(w, r, http.StatusNotFound, "error", data)
	default:
		data.Title = "todoku — " + cmpOr(p.Label, p.Display, p.Number)
		data.Parcel = &p
		s.render(w, r, http.StatusOK, "parcel", data)
	}
}

// lang is the page language known so far.
func (d pageData) lang() string {
	if d.Health != nil {
		return d.Health.Lang
	}
	return d.Lang
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
