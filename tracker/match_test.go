package tracker

import (
	"testing"

	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/store"
)

// A result that names no number is placed by its position only when the
// page keeps the asked order; otherwise it must not be given to a number
// whose own (named) result is elsewhere on the page.
func TestMatchUnnamedResultsByPosition(t *testing.T) {
	a, b, c := "111111111111", "222222222222", "333333333333"
	batch := []store.Parcel{{Number: a}, {Number: b}, {Number: c}}
	found := func(n string) carriers.Result {
		return carriers.Result{Number: n, Found: true, Status: carriers.StatusInTransit}
	}
	unnamed := carriers.Result{Status: carriers.StatusNotFound}
	for _, tc := range []struct {
		name    string
		results []carriers.Result
		want    map[int]string // batch index -> number of the result it gets ("" = the unnamed one)
		rest    []string
	}{
		{"in order", []carriers.Result{found(a), unnamed, found(c)}, map[int]string{0: a, 1: "", 2: c}, nil},
		{"all named", []carriers.Result{found(c), found(a), found(b)}, map[int]string{0: a, 1: b, 2: c}, nil},
		{"out of order", []carriers.Result{unnamed, found(a), found(c)}, map[int]string{0: a, 2: c}, []string{b}},
		{"fewer results", []carriers.Result{unnamed, found(c)}, map[int]string{2: c}, []string{a, b}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, rest, bad := match(batch, tc.results)
			if bad != "" {
				t.Fatalf("bad: %s", bad)
			}
			if len(got) != len(tc.want) {
				t.Errorf("got %d results, want %d: %+v", len(got), len(tc.want), got)
			}
			for i, n := range tc.want {
				r, ok := got[i]
				switch {
				case !ok:
					t.Errorf("%s: no result", batch[i].Number)
				case n == "" && r.Found:
					t.Errorf("%s: got a named result, want the unnamed one", batch[i].Number)
				case n != "" && (!r.Found || r.Number != n):
					t.Errorf("%s: got the result %+v, want %s's own", batch[i].Number, r, n)
				}
			}
			var restN []string
			for _, p := range rest {
				restN = append(restN, p.Number)
			}
			if len(restN) != len(tc.rest) {
				t.Errorf("rest %v, want %v", restN, tc.rest)
			}
		})
	}
}
