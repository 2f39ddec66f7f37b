package store

import (
	"reflect"
	"testing"
	"time"
)

func TestHealth(t *testing.T) {
	s, _ := openTemp(t)
	if h, err := s.Health("yamato"); err != nil || !reflect.DeepEqual(h, Health{Carrier: "yamato"}) {
		t.Errorf("Health(absent) = %+v, %v; want Health{Carrier: yamato}", h, err)
	}
	full := Health{
		Carrier: "yamato", Failures: 3, CooldownUntil: t0.Add(time.Minute), BreakerOpen: true,
		BreakerUntil: t0.Add(time.Hour), Paused: true, PausedReason: "landmark #track missing",
		PausedAt: t0, LastOK: t0.Add(-time.Hour), LastError: "503",
	}
	for _, h := range []Health{full, {Carrier: "sagawa", LastOK: t0}, {Carrier: "japanpost"}} {
		if err := s.PutHealth(h); err != nil {
			t.Fatalf("PutHealth(%s): %v", h.Carrier, err)
		}
	}
	if got, err := s.Health("yamato"); err != nil || !reflect.DeepEqual(got, full) {
		t.Errorf("Health(yamato)\n got %+v, %v\nwant %+v", got, err, full)
	}
	all, err := s.AllHealth()
	if err != nil {
		t.Fatalf("AllHealth: %v", err)
	}
	var names []string
	for _, h := range all {
		names = append(names, h.Carrier)
	}
	if want := []string{"japanpost", "sagawa", "yamato"}; !reflect.DeepEqual(names, want) {
		t.Errorf("AllHealth carriers = %v, want %v", names, want)
	}
	// Replace, e.g. the operator clears a pause.
	cleared := full
	cleared.Paused, cleared.PausedReason, cleared.PausedAt = false, "", time.Time{}
	if err := s.PutHealth(cleared); err != nil {
		t.Fatalf("PutHealth: %v", err)
	}
	if got, _ := s.Health("yamato"); !reflect.DeepEqual(got, cleared) {
		t.Errorf("Health after replace = %+v, want %+v", got, cleared)
	}
	if err := s.PutHealth(Health{}); err == nil {
		t.Error("PutHealth without a carrier succeeded, want an error")
	}
}

func TestState(t *testing.T) {
	s, _ := openTemp(t)
	type quota struct {
		PausedUntil time.Time `json:"paused_until"`
		Remaining   int       `json:"remaining"`
	}
	var q quota
	if ok, err := s.State("pushover_quota", &q); ok || err != nil {
		t.Errorf("State(absent) = %v, %v; want false, nil", ok, err)
	}
	want := quota{PausedUntil: t0, Remaining: 3}
	if err := s.SetState("pushover_quota", want); err != nil {
		t.Fatalf("SetState: %v", err)
	}
	if ok, err := s.State("pushover_quota", &q); !ok || err != nil || q != want {
		t.Errorf("State = %+v, %v, %v; want %+v", q, ok, err, want)
	}
	var wrong []string
	if _, err := s.State("pushover_quota", &wrong); err == nil {
		t.Error("State into a mismatched type succeeded, want a decode error")
	}
	if err := s.SetState("", 1); err == nil {
		t.Error("SetState with an empty key succeeded, want an error")
	}
	if err := s.SetState("bad", func() {}); err == nil {
		t.Error("SetState of an unencodable value succeeded, want an error")
	}
}
