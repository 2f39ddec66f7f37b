package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/todoku/todoku/carriers"
)

// Origins of a parcel, as ParcelView.Origin reports them.
const (
	OriginConfig = "config" // listed in the config file, which owns it
	OriginMail   = "mail"   // added from a shipping mail; the store owns it
	OriginPage   = "page"   // added on the status page; the store owns it
)

// ErrConfigParcel means a parcel cannot be removed through the API or the
// page because the config file owns it: edit the file (todoku remove).
var ErrConfigParcel = errors.New("parcel belongs to the config file")

// Editor is implemented by a Source that can add and remove store-owned
// parcels. Without it the status page shows no add or remove forms.
type Editor interface {
	// AddParcel adds a parcel owned by the store (origin "page"), unless a
	// parcel with that number is known already (AddResult.Outcome says
	// which). The number may be in any pasted form.
	AddParcel(ctx context.Context, req AddRequest) (AddResult, error)
	// RemoveParcel removes (hides) a store-owned parcel, keeping its
	// history. A config parcel gives an error wrapping ErrConfigParcel; an
	// unknown number one wrapping ErrNotFound.
	RemoveParcel(ctx context.Context, number string) (RemoveResult, error)
}

// AddRequest is a parcel to add from the status page.
type AddRequest struct {
	Number  string `json:"number"`
	Label   string `json:"label,omitempty"`
	Carrier string `json:"carrier,omitempty"` // pin, or "" to let the tracker find out
}

// AddResult says what AddParcel did.
type AddResult struct {
	Number string `json:"number"` // normalised
	// Outcome is "added", "restored" (a removed parcel added again),
	// "known" (already tracked), "configured" (the config lists it) or
	// "removed" (a removed parcel a mail named again).
	Outcome string `json:"outcome"`
}

// Added reports whether the parcel is now tracked because of the call.
func (r AddResult) Added() bool { return r.Outcome == "added" || r.Outcome == "restored" }

// RemoveResult says what RemoveParcel did.
type RemoveResult struct {
	Number  string `json:"number"`
	Origin  string `json:"origin"`
	Removed bool   `json:"removed"` // false: it was removed already
}

// removeBody is the reply to POST /api/parcels/{number}/remove.
type removeBody struct {
	OK bool `json:"ok"`
	RemoveResult
	Error string `json:"error,omitempty"`
}

// maxFormBytes caps a form (a pasted mail fits easily).
const maxFormBytes = 256 << 10

// editor returns the Source as an Editor when the page may edit.
func (s *server) editor() (Editor, bool) {
	if !s.editable {
		return nil, false
	}
	e, ok := s.src.(Editor)
	return e, ok
}

// apiRemove removes a store-owned parcel (todoku remove).
func (s *server) apiRemove(w http.ResponseWriter, r *http.Request) {
	ed, ok := s.src.(Editor)
	if !ok {
		writeJSON(w, http.StatusNotImplemented, removeBody{Error: "this daemon cannot remove parcels"})
		return
	}
	res, err := ed.RemoveParcel(r.Context(), r.PathValue("number"))
	switch {
	case errors.Is(err, ErrConfigParcel):
		writeJSON(w, http.StatusConflict, removeBody{RemoveResult: res, Error: err.Error()})
	case errors.Is(err, ErrNotFound):
		writeJSON(w, http.StatusNotFound, removeBody{RemoveResult: res, Error: err.Error()})
	case err != nil:
		s.internalError(w, r, "remove parcel", err)
	default:
		s.logger.Info("parcel removed", "source", "api", "number", res.Number, "origin", res.Origin)
		writeJSON(w, http.StatusOK, removeBody{OK: true, RemoveResult: res})
	}
}

// RemoveParcel asks the daemon to remove a mail- or page-added parcel. A
// config parcel gives an error wrapping ErrConfigParcel (edit the config
// instead), an unknown number one wrapping ErrNotFound.
func (c *Client) RemoveParcel(ctx context.Context, number string) (RemoveResult, error) {
	const op = "remove"
	resp, err := c.do(ctx, op, http.MethodPost, "/api/parcels/"+url.PathEscape(number)+"/remove")
	if err != nil {
		return RemoveResult{}, err
	}
	defer resp.Body.Close()
	var body removeBody
	decodeErr := json.NewDecoder(io.LimitReader(resp.Body, maxJSONBytes)).Decode(&body)
	switch {
	case resp.StatusCode == http.StatusConflict:
		return body.RemoveResult, fmt.Errorf("api: %s %s: %w", op, number, ErrConfigParcel)
	case resp.StatusCode == http.StatusNotFound:
		return body.RemoveResult, fmt.Errorf("api: %s %s: %w", op, number, ErrNotFound)
	case resp.StatusCode != http.StatusOK:
		return RemoveResult{}, statusError(op, resp, body.Error)
	case decodeErr != nil:
		return RemoveResult{}, fmt.Errorf("api: %s: decode reply: %w", op, decodeErr)
	}
	return body.RemoveResult, nil
}

// Candidate is one number found in the add form's text, with the
// carriers it may belong to (best first).
type Candidate struct {
	Input    string
	Number   string
	Display  string
	Carriers []string
	Evidence string // carrier or shop names that ranked them
	Error    string // why it cannot be added (an order number, a bad check digit)
	Known    bool   // a parcel with this number is on the page already
}

// candidatesIn finds the numbers in text: every one carriers.ExtractContext
// sees (order numbers and the like are left out, carriers named nearby
// ranked first); a single pasted token that is not a tracking number is
// shown with the reason (carriers.Identify).
func candidatesIn(text string, known map[string]bool) []Candidate {
	var out []Candidate
	for _, f := range carriers.ExtractContext(text) {
		if f.Kind != carriers.KindTracking {
			continue
		}
		c := Candidate{Input: f.Input, Number: f.Number, Display: f.Display(), Known: known[f.Number]}
		for _, cd := range f.Candidates {
			c.Carriers = append(c.Carriers, cd.Carrier)
		}
		var ev []string
		for _, e := range f.Evidence {
			ev = append(ev, e.Word)
		}
		c.Evidence = strings.Join(ev, ", ")
		out = append(out, c)
	}
	if len(out) > 0 {
		return out
	}
	if tok := strings.TrimSpace(text); tok != "" && !strings.ContainsAny(tok, "\n\t") && len(tok) <= 64 {
		id := carriers.Identify(tok)
		c := Candidate{Input: tok, Number: id.Number, Error: id.Error}
		if id.Kind == carriers.KindTracking {
			c.Display, c.Known, c.Error = id.Display(), known[id.Number], ""
			for _, cd := range id.Candidates {
				c.Carriers = append(c.Carriers, cd.Carrier)
			}
		} else if c.Error == "" {
			c.Error = string(id.Kind)
		}
		if id.Suggestion != "" {
			c.Error += " (" + id.Suggestion + "?)"
		}
		out = append(out, c)
	}
	return out
}

// pageAdd shows the numbers found in the pasted text (POST /add), each
// with a form that adds it.
func (s *server) pageAdd(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.editor(); !ok {
		http.NotFound(w, r)
		return
	}
	text := r.PostFormValue("text")
	known := map[string]bool{}
	if ps, err := s.src.Parcels(r.Context()); err == nil {
		for _, p := range ps {
			if p.Tracked {
				known[p.Number] = true
			}
		}
	}
	data := pageData{Title: "todoku — add", Text: text, Candidates: candidatesIn(text, known)}
	s.pageHealth(r, &data)
	s.render(w, r, http.StatusOK, "add", data)
}

// pageAddConfirm adds one number (POST /add/confirm) and goes back to the
// list.
func (s *server) pageAddConfirm(w http.ResponseWriter, r *http.Request) {
	ed, ok := s.editor()
	if !ok {
		http.NotFound(w, r)
		return
	}
	req := AddRequest{
		Number:  r.PostFormValue("number"),
		Label:   strings.TrimSpace(r.PostFormValue("label")),
		Carrier: r.PostFormValue("carrier"),
	}
	if len(req.Label) > 200 {
		req.Label = req.Label[:200]
	}
	res, err := ed.AddParcel(r.Context(), req)
	if err != nil {
		s.logger.Warn("add parcel failed", "source", "page", "err", err)
		data := pageData{Title: "todoku — add"}
		s.pageHealth(r, &data)
		data.Message = word(data.lang(), "add failed") + ": " + err.Error()
		s.render(w, r, http.StatusUnprocessableEntity, "error", data)
		return
	}
	s.logger.Info("parcel added", "source", "page", "number", res.Number, "outcome", res.Outcome)
	http.Redirect(w, r, "/?done="+url.QueryEscape(res.Outcome)+"&number="+url.QueryEscape(res.Number), http.StatusSeeOther)
}

// pageRemove removes a store-owned parcel (POST /parcel/{number}/remove).
func (s *server) pageRemove(w http.ResponseWriter, r *http.Request) {
	ed, ok := s.editor()
	if !ok {
		http.NotFound(w, r)
		return
	}
	res, err := ed.RemoveParcel(r.Context(), r.PathValue("number"))
	if err != nil {
		code := http.StatusInternalServerError
		switch {
		case errors.Is(err, ErrConfigParcel):
			code = http.StatusConflict
		case errors.Is(err, ErrNotFound):
			code = http.StatusNotFound
		}
		data := pageData{Title: "todoku — remove"}
		s.pageHealth(r, &data)
		data.Message = word(data.lang(), "remove failed") + ": " + err.Error()
		s.render(w, r, code, "error", data)
		return
	}
	s.logger.Info("parcel removed", "source", "page", "number", res.Number, "origin", res.Origin)
	http.Redirect(w, r, "/?done=removed&number="+url.QueryEscape(res.Number), http.StatusSeeOther)
}

// formData fills what the forms of a page need.
func (s *server) formData(w http.ResponseWriter, r *http.Request, d *pageData) {
	_, d.Editable = s.editor()
	d.LoggedIn = s.login != nil && s.auth.session(r) != ""
	if d.Editable || s.login != nil {
		d.CSRF = s.formToken(w, r)
	}
	if r.Method == http.MethodGet && r.URL.Path == "/" {
		d.Done, d.DoneNumber = r.URL.Query().Get("done"), r.URL.Query().Get("number")
	}
}

// removePath is the form action that removes one parcel.
func removePath(number string) string {
	return "/parcel/" + url.PathEscape(number) + "/remove"
}
