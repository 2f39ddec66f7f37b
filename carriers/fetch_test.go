package carriers

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// TestFetchStatus checks how HTTP statuses map to the adapter outcomes: a
// moved or removed endpoint (404, 410) is a layout change an operator must
// fix; 403, 429, 5xx and other 4xx are transient, and the message names
// the status code.
func TestFetchStatus(t *testing.T) {
	tests := []struct {
		code   int
		layout bool
	}{
		{http.StatusOK, false},
		{http.StatusNotFound, true},
		{http.StatusGone, true},
		{http.StatusBadRequest, false},
		{http.StatusForbidden, false},
		{http.StatusMethodNotAllowed, false},
		{http.StatusTeapot, false},
		{http.StatusTooManyRequests, false},
		{http.StatusServiceUnavailable, false},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.code), func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.WriteHeader(tt.code)
				_, _ = w.Write([]byte("<html></html>"))
			}))
			defer srv.Close()
			f := NewFetcher("test", Options{Client: srv.Client()})
			_, err := f.Get(context.Background(), srv.URL+"/track")
			switch {
			case tt.code == http.StatusOK:
				if err != nil {
					t.Fatalf("Get: %v", err)
				}
			case tt.layout:
				var le *LayoutError
				if !errors.As(err, &le) || IsTransient(err) {
					t.Fatalf("err = %v, want a *LayoutError only", err)
				}
				if want := "the endpoint (HTTP " + strconv.Itoa(tt.code) + ")"; le.Missing != want {
					t.Errorf("Missing = %q, want %q", le.Missing, want)
				}
			default:
				if !IsTransient(err) || errors.Is(err, ErrLayoutChanged) {
					t.Fatalf("err = %v, want transient only", err)
				}
				var fe *FetchError
				if !errors.As(err, &fe) || fe.StatusCode != tt.code {
					t.Errorf("err = %#v, want a FetchError with status %d", err, tt.code)
				}
				if fe != nil && fe.Err != nil && !strings.Contains(fe.Err.Error(), strconv.Itoa(tt.code)) {
					t.Errorf("cause %q does not name the status %d", fe.Err, tt.code)
				}
			}
		})
	}
}
