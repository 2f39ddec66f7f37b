package store

import (
	"testing"
	"time"
)

func TestAddOwnedDedupe(t *testing.T) {
	s, path := openTemp(t)
	t0 := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	// A tracked config parcel, and one whose config entry was removed.
	for _, p := range []Parcel{
		{Number: "111111111113", Tracked: true, Added: t0},
		{Number: "222222222226", Tracked: false, Added: t0},
	} {
		if err := s.PutParcel(p); err != nil {
			t.Fatal(err)
		}
	}
	configured := func(n string) bool { return n == "333333333332" }
	mail := func(n string) Owned {
		return Owned{Number: n, Label: "from mail", Origin: OriginMail, Source: "imap://x/INBOX;UIDVALIDITY=1/;UID=2", Added: t0}
	}
	page := func(n string) Owned {
		return Owned{Number: n, Label: "from page", Origin: OriginPage, Source: "added on the status page", Added: t0}
	}
	steps := []struct {
		name string
		o    Owned
		want AddOutcome
	}{
		{"mail: tracked config parcel", mail("111111111113"), Known},
		{"page: tracked config parcel", page("111111111113"), Known},
		{"mail: number in the config file", mail("333333333332"), Configured},
		{"mail: removed config parcel", mail("222222222226"), Known},
		{"mail: new", mail("444444444446"), Added},
		{"mail: same number again (at-least-once)", mail("444444444446"), Known},
		{"page: same number as a mail parcel", page("444444444446"), Known},
		{"page: removed config parcel is tracked again", page("222222222226"), Added},
		{"page: new", page("555555555553"), Added},
	}
	for _, st := range steps {
		got, err := s.AddOwned(st.o, configured)
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if got != st.want {
			t.Errorf("%s: AddOwned = %q, want %q", st.name, got, st.want)
		}
	}

	// Remove hides: the record stays, a mail cannot bring it back, the
	// page can.
	if ok, err := s.RemoveOwned("444444444446", t0.Add(time.Hour)); err != nil || !ok {
		t.Fatalf("RemoveOwned = %v, %v; want true", ok, err)
	}
	if ok, err := s.RemoveOwned("444444444446", t0.Add(time.Hour)); err != nil || ok {
		t.Errorf("second RemoveOwned = %v, %v; want false", ok, err)
	}
	if ok, err := s.RemoveOwned("111111111113", t0); err != nil || ok {
		t.Errorf("RemoveOwned(config parcel) = %v, %v; want false", ok, err)
	}
	if got, _ := s.AddOwned(mail("444444444446"), nil); got != WasRemoved {
		t.Errorf("mail after remove = %q, want %q", got, WasRemoved)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	// Everything survives a reopen of the real file.
	s = reopen(t, path, Options{})
	o, ok, err := s.OwnedParcel("444444444446")
	if err != nil || !ok || !o.Removed || !o.RemovedAt.Equal(t0.Add(time.Hour)) || o.Origin != OriginMail || o.Source == "" {
		t.Errorf("OwnedParcel after reopen = %+v, %v, %v", o, ok, err)
	}
	if got, _ := s.AddOwned(page("444444444446"), nil); got != Restored {
		t.Errorf("page after remove = %q, want %q", got, Restored)
	}
	all, err := s.OwnedParcels()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Owned{}
	for _, o := range all {
		got[o.Number] = o
	}
	if len(got) != 3 || got["444444444446"].Removed || got["444444444446"].Origin != OriginPage ||
		got["222222222226"].Origin != OriginPage || got["555555555553"].Label != "from page" {
		t.Errorf("OwnedParcels = %+v", all)
	}
}

func TestAddOwnedRejects(t *testing.T) {
	s, _ := openTemp(t)
	if _, err := s.AddOwned(Owned{Origin: OriginMail}, nil); err == nil {
		t.Error("no number: no error")
	}
	if _, err := s.AddOwned(Owned{Number: "444444444446", Origin: OriginConfig}, nil); err == nil {
		t.Error("origin config: no error")
	}
	// A read-only reader of a file without the bucket sees nothing.
	if all, err := s.OwnedParcels(); err != nil || len(all) != 0 {
		t.Errorf("OwnedParcels on a new file = %v, %v", all, err)
	}
	if _, ok, err := s.OwnedParcel("444444444446"); ok || err != nil {
		t.Errorf("OwnedParcel on a new file = %v, %v", ok, err)
	}
}

// TestRemoveOwnedThenSyncTracksConfigParcel: a number the config lists and
// a mail added too, removed from the store while no daemon runs (the CLI
// untracks it), is tracked again by the next sync of an unchanged config.
func TestRemoveOwnedThenSyncTracksConfigParcel(t *testing.T) {
	s, _ := openTemp(t)
	t0 := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	const n = "444444444446"
	if out, err := s.AddOwned(Owned{Number: n, Label: "from mail", Origin: OriginMail, Added: t0}, func(string) bool { return false }); err != nil || out != Added {
		t.Fatalf("AddOwned = %v, %v", out, err)
	}
	items := []SyncItem{{Number: n, Digest: []byte("entry v1")}}
	track := func(p *Parcel, _ bool) bool {
		if p.Tracked {
			return false
		}
		p.Tracked = true
		return true
	}
	drop := func(*Parcel) bool { return false }
	if _, err := s.SyncParcels(items, track, drop); err != nil {
		t.Fatal(err)
	}
	if removed, err := s.RemoveOwned(n, t0.Add(time.Hour)); err != nil || !removed {
		t.Fatalf("RemoveOwned = %v, %v", removed, err)
	}
	if err := s.UpdateParcel(n, func(p *Parcel, exists bool) error { p.Tracked = false; return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SyncParcels(items, track, drop); err != nil {
		t.Fatal(err)
	}
	p, ok, err := s.Parcel(n)
	if err != nil || !ok || !p.Tracked {
		t.Fatalf("after a sync of the unchanged config: %+v, %v, %v; want it tracked", p, ok, err)
	}
}
