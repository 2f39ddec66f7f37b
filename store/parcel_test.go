package store

import (
	"reflect"
	"testing"
	"time"

	"github.com/todoku/todoku/carriers"
)

func TestPutParcelAndParcel(t *testing.T) {
	s, _ := openTemp(t)
	full := Parcel{
		Number: "123456789012", Label: "カメラレンズ", Carrier: "yamato", Pinned: true,
		Candidates: []string{"yamato", "sagawa"}, Tracked: true,
		Status: carriers.StatusDeliveryFailed, Reason: carriers.ReasonAbsent,
		Office: carriers.Office{Name: "川崎中央センター", Phone: "044-000-0000"}, Product: "宅急便",
		LastEvent: t0, LastChange: t0.Add(time.Minute), LastPoll: t0.Add(2 * time.Minute),
		NextDue: t0.Add(time.Hour), NotFoundSince: t0.Add(-time.Hour), FinalChecks: 1,
		Done: true, Untrackable: true, Archived: true, ArchivedAt: t0.Add(48 * time.Hour),
		Added: t0.Add(-72 * time.Hour), LastError: "timeout",
	}
	for _, tc := range []struct {
		name string
		put  Parcel
	}{
		{"every field set", full},
		{"zero apart from number", Parcel{Number: "zero"}},
		{"upsert replaces", Parcel{Number: "123456789012", Label: "replaced"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := s.PutParcel(tc.put); err != nil {
				t.Fatalf("PutParcel: %v", err)
			}
			got, ok, err := s.Parcel(tc.put.Number)
			if err != nil || !ok {
				t.Fatalf("Parcel(%q) = _, %v, %v; want found", tc.put.Number, ok, err)
			}
			if !reflect.DeepEqual(got, tc.put) {
				t.Errorf("Parcel(%q)\n got %+v\nwant %+v", tc.put.Number, got, tc.put)
			}
		})
	}
	if _, ok, err := s.Parcel("absent"); ok || err != nil {
		t.Errorf("Parcel(absent) = _, %v, %v; want false, nil", ok, err)
	}
	if err := s.PutParcel(Parcel{}); err == nil {
		t.Error("PutParcel without a number succeeded, want an error")
	}
}

func TestParcelKeepsTimeZoneInstant(t *testing.T) {
	s, _ := openTemp(t)
	tokyo := time.Date(2026, 11, 23, 14, 2, 0, 123, carriers.Tokyo)
	if err := s.PutParcel(Parcel{Number: "1", LastEvent: tokyo}); err != nil {
		t.Fatalf("PutParcel: %v", err)
	}
	got, _, err := s.Parcel("1")
	if err != nil {
		t.Fatalf("Parcel: %v", err)
	}
	if !got.LastEvent.Equal(tokyo) {
		t.Errorf("LastEvent = %v, want %v", got.LastEvent, tokyo)
	}
	if _, off := got.LastEvent.Zone(); off != 9*3600 {
		t.Errorf("LastEvent offset = %d, want +09:00", off)
	}
}

func TestParcelsSortedByNumber(t *testing.T) {
	s, _ := openTemp(t)
	for _, n := range []string{"300", "100", "200"} {
		if err := s.PutParcel(Parcel{Number: n}); err != nil {
			t.Fatalf("PutParcel: %v", err)
		}
	}
	list, err := s.Parcels()
	if err != nil {
		t.Fatalf("Parcels: %v", err)
	}
	var got []string
	for _, p := range list {
		got = append(got, p.Number)
	}
	if want := []string{"100", "200", "300"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Parcels numbers = %v, want %v", got, want)
	}
}
