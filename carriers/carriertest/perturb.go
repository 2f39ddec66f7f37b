package carriertest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/todoku/todoku/carriers"
)

// Perturbation is one harmless change to a page: what a redesign that
// keeps the page's meaning might do to its markup.
type Perturbation struct {
	Name  string
	Apply func(page string) string
}

var (
	bodyOpenRE  = regexp.MustCompile(`(?i)<body[^>]*>`)
	bodyCloseRE = regexp.MustCompile(`(?i)</body\s*>`)
	closeTagRE  = regexp.MustCompile(`(?i)</(td|th|tr|li|div|table|dd|dt)\s*>`)
	openRowRE   = regexp.MustCompile(`(?i)<tr(\s|>)`)
	openTagRE   = regexp.MustCompile(`(?i)<(td|th|tr|table|tbody|thead|div|li|ol|ul|span|h[1-6]|dl|dt|dd|p)(\s|>)`)
	classRE     = regexp.MustCompile(`(?i)\bclass\s*=\s*"`)
	rowEndRE    = regexp.MustCompile(`(?i)</tr\s*>`)
	tbodyRE     = regexp.MustCompile(`(?i)<tbody[^>]*>`)
	cellOpenRE  = regexp.MustCompile(`(?i)<t([dh])(\s[^>]*)?>`)
	cellCloseRE = regexp.MustCompile(`(?i)</t([dh])\s*>`)
	cellRE      = regexp.MustCompile(`(?is)(<t[dh](?:\s[^>]*)?>)(.*?)(</t[dh]\s*>)`)
	tagNameRE   = regexp.MustCompile(`(?i)<(/?)(html|head|body|table|thead|tbody|tr|td|th|div|span|li|ol|ul|h[1-6]|dl|dt|dd|p|br|a|strong|em|b)\b`)
	charsetRE   = regexp.MustCompile(`(?i)charset\s*=\s*["']?[A-Za-z0-9_\-]+`)
	htmlEndRE   = regexp.MustCompile(`(?i)</html\s*>\s*$`)
)

// Perturbations are the changes the suite applies to every test page:
// wrappers, comments, extra attributes and classes, spacer rows, padded
// cells, spans around text, upper-case tags, trailing scripts and no
// footer.
var Perturbations = []Perturbation{
	{"wrapper", func(p string) string {
		if loc := bodyOpenRE.FindStringIndex(p); loc != nil {
			p = p[:loc[1]] + `<div class="l-wrapper"><div id="main-contents">` + p[loc[1]:]
		} else {
			p = `<div class="l-wrapper"><div id="main-contents">` + p
		}
		if loc := lastIndex(bodyCloseRE, p); loc != nil {
			return p[:loc[0]] + "</div></div>" + p[loc[0]:]
		}
		return p + "</div></div>"
	}},
	{"comments", func(p string) string {
		p = closeTagRE.ReplaceAllString(p, "$0<!-- todoku: a comment -->")
		return openRowRE.ReplaceAllString(p, "<!-- row --><tr$1")
	}},
	{"attributes", func(p string) string {
		p = openTagRE.ReplaceAllString(p, `<$1 data-todoku="1"$2`)
		return classRE.ReplaceAllString(p, `class="x-extra `)
	}},
	{"spacer_rows", func(p string) string {
		p = rowEndRE.ReplaceAllString(p, `$0<tr class="spacer"><td></td></tr>`)
		return tbodyRE.ReplaceAllString(p, `$0<tr class="spacer"><td colspan="4">&nbsp;</td></tr>`)
	}},
	{"padded_cells", func(p string) string {
		p = cellOpenRE.ReplaceAllString(p, "$0\n\u3000 ")
		return cellCloseRE.ReplaceAllString(p, " \u3000\n$0")
	}},
	{"spans", func(p string) string {
		return cellRE.ReplaceAllString(p, `$1<span class="x-cell">$2</span>$3`)
	}},
	{"uppercase_tags", func(p string) string {
		return tagNameRE.ReplaceAllStringFunc(p, strings.ToUpper)
	}},
	{"trailing_script", func(p string) string {
		return p + "\n<script>var probe = \"<table><tr><td>配達完了</td><td>01/01 00:00</td></tr></table>\";</script>\n"
	}},
	{"no_footer", func(p string) string {
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(p))
		if err != nil {
			return p
		}
		doc.Find(`footer, #footer, .footer, [id*="footer" i], [class*="footer" i], .copyright`).Remove()
		out, err := goquery.OuterHtml(doc.Selection)
		if err != nil {
			return p
		}
		out = bodyCloseRE.ReplaceAllString(out, "")
		return htmlEndRE.ReplaceAllString(out, "")
	}},
}

// lastIndex returns the location of re's last match in s, or nil.
func lastIndex(re *regexp.Regexp, s string) []int {
	all := re.FindAllStringIndex(s, -1)
	if len(all) == 0 {
		return nil
	}
	return all[len(all)-1]
}

// utf8Page decodes a test page (Shift_JIS, Windows-31J or UTF-8) and
// declares it UTF-8, so that perturbations can insert any text.
func utf8Page(data []byte) (string, error) {
	r, err := carriers.DecodeHTML(bytes.NewReader(data), "")
	if err != nil {
		return "", err
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return "", err
	}
	// The declaration goes first too, so that no perturbation pushes it
	// out of the part of the page a decoder looks at.
	return `<meta charset="utf-8">` + charsetRE.ReplaceAllString(string(b), "charset=utf-8"), nil
}

// outcome is how a perturbed page compares with the page itself.
type outcome int

const (
	same     outcome = iota // the same results, or the same kind of error
	layout                  // a layout error: loud, acceptable
	degraded                // the text reader's results, same statuses
	differs                 // another answer: a bug
)

// compare classifies a perturbed page's parse against the original's.
func compare(want []carriers.Result, wantErr error, got []carriers.Result, gotErr error) (outcome, string) {
	switch {
	case wantErr != nil && ErrorKind(gotErr) == ErrorKind(wantErr):
		return same, ""
	case gotErr != nil && errors.Is(gotErr, carriers.ErrLayoutChanged):
		return layout, ""
	case gotErr != nil || wantErr != nil:
		return differs, fmt.Sprintf("error %q (%v), want %q (%v)", ErrorKind(gotErr), gotErr, ErrorKind(wantErr), wantErr)
	}
	wj, _ := json.Marshal(want)
	gj, _ := json.Marshal(got)
	if bytes.Equal(wj, gj) {
		return same, ""
	}
	if len(got) != len(want) {
		return differs, fmt.Sprintf("%d results, want %d", len(got), len(want))
	}
	for i := range got {
		g, w := got[i], want[i]
		if g.Number != w.Number || g.Found != w.Found || g.Status != w.Status || g.Reason != w.Reason {
			return differs, fmt.Sprintf("result %d: %s %v %s/%s, want %s %v %s/%s", i,
				g.Number, g.Found, g.Status, g.Reason, w.Number, w.Found, w.Status, w.Reason)
		}
		if !g.Degraded {
			return differs, fmt.Sprintf("result %d (%s): not degraded yet differs:\n got %s\nwant %s", i, g.Number, gj, wj)
		}
	}
	return degraded, ""
}

// testPerturbed parses every perturbation of every test page. A perturbed
// page must give the same results, or a layout error, or (marked
// Degraded) the same statuses from the text reader; any other answer
// fails. The share giving exactly the same results must reach MinSame.
func (s Suite) testPerturbed(t *testing.T) {
	counts := map[outcome]int{}
	for _, page := range s.pages(t) {
		data, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		want, wantErr := s.Parse(bytes.NewReader(data))
		text, err := utf8Page(data)
		if err != nil {
			t.Fatalf("%s: decode: %v", filepath.Base(page), err)
		}
		for _, p := range Perturbations {
			t.Run(filepath.Base(page)+"/"+p.Name, func(t *testing.T) {
				perturbed := p.Apply(text)
				got, gotErr := s.Parse(strings.NewReader(perturbed))
				o, why := compare(want, wantErr, got, gotErr)
				counts[o]++
				switch o {
				case differs:
					t.Errorf("perturbed page gives another answer: %s", why)
				case layout:
					t.Logf("perturbed page: layout error: %v", gotErr)
				}
			})
		}
	}
	total := counts[same] + counts[layout] + counts[degraded] + counts[differs]
	if total == 0 {
		return
	}
	share := float64(counts[same]) / float64(total)
	t.Logf("%s: %d perturbed pages: %d same (%.1f %%), %d read by the text reader, %d layout errors, %d other answers",
		s.Carrier, total, counts[same], 100*share, counts[degraded], counts[layout], counts[differs])
	minSame := s.MinSame
	if minSame == 0 {
		minSame = 0.95
	}
	if share < minSame {
		t.Errorf("%s: only %.1f %% of perturbed pages give the same results, want ≥ %.0f %%", s.Carrier, 100*share, 100*minSame)
	}
}

// dated reports whether any event has a time: the text reader reads
// dated lines only.
func dated(events []carriers.Event) bool {
	for _, e := range events {
		if !e.Time.IsZero() {
			return true
		}
	}
	return false
}

// testTextReader checks that on every test page whose structured reading
// has a dated history, the text reader alone finds every number with the
// same status.
func (s Suite) testTextReader(t *testing.T) {
	for _, page := range s.pages(t) {
		data, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		want, werr := s.Parse(bytes.NewReader(data))
		if werr != nil {
			continue
		}
		withHistory := map[string]carriers.Result{}
		for _, r := range want {
			if r.Found && dated(r.Events) && !r.Degraded {
				withHistory[r.Number] = r
			}
		}
		if len(withHistory) == 0 {
			continue
		}
		t.Run(filepath.Base(page), func(t *testing.T) {
			got, err := s.TextParse(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("text reader: %v; the structured reader found %d parcels with a history", err, len(withHistory))
			}
			seen := map[string]bool{}
			for _, g := range got {
				w, ok := withHistory[g.Number]
				if !ok {
					continue
				}
				seen[g.Number] = true
				if !g.Degraded {
					t.Errorf("%s: text reader result not marked degraded", g.Number)
				}
				if g.Status != w.Status || g.Reason != w.Reason {
					t.Errorf("%s: text reader says %s/%s, structured reader %s/%s", g.Number, g.Status, g.Reason, w.Status, w.Reason)
				}
			}
			for n := range withHistory {
				if !seen[n] {
					t.Errorf("%s: the text reader did not find it", n)
				}
			}
		})
	}
}
