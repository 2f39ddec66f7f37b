package daemon

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/todoku/todoku/api"
	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/config"
	"github.com/todoku/todoku/internal/passwd"
	"github.com/todoku/todoku/store"
	"github.com/todoku/todoku/tracker"
)

// Parcels come from three places: the config file (which owns them),
// shipping mails and the status page (the store owns those, as
// store.Owned records). The engine sees one list: every sync passes the
// config's parcels plus the store-owned ones the config does not list,
// so a reload never drops a store-owned parcel and adding one never
// drops a config parcel. Every sync runs under d.mu.

// pageSource is the Source of a parcel added on the status page.
const pageSource = "added on the status page"

// ownedSpecs are the store-owned parcels to track besides the config's.
func ownedSpecs(cfg *config.Config, owned []store.Owned) []tracker.Spec {
	listed := configNumbers(cfg)
	var out []tracker.Spec
	for _, o := range owned {
		if o.Removed || listed[o.Number] {
			continue
		}
		out = append(out, tracker.Spec{Number: o.Number, Label: o.Label, Carrier: o.Carrier, Candidates: o.Candidates})
	}
	return out
}

func configNumbers(cfg *config.Config) map[string]bool {
	m := make(map[string]bool, len(cfg.Parcels))
	for _, p := range cfg.Parcels {
		m[p.Number] = true
	}
	return m
}

// syncParcels makes the engine track cfg's parcels and the store-owned
// ones. The caller holds d.mu (or is starting up, before anyone else).
func (d *Daemon) syncParcels(cfg *config.Config) error {
	owned, err := d.store.OwnedParcels()
	if err != nil {
		return err
	}
	return d.engine.Sync(append(Specs(cfg), ownedSpecs(cfg, owned)...))
}

// addOwned adds o unless its number is known, and polls it at once.
func (d *Daemon) addOwned(o store.Owned) (store.AddOutcome, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.stopping {
		return "", ErrStopping
	}
	if len(o.Candidates) == 0 && o.Carrier == "" {
		for _, c := range carriers.Identify(o.Number).Candidates {
			o.Candidates = append(o.Candidates, c.Carrier)
		}
	}
	listed := configNumbers(d.cfg)
	out, err := d.store.AddOwned(o, func(n string) bool { return listed[n] })
	if err != nil || (out != store.Added && out != store.Restored) {
		return out, err
	}
	if err := d.syncParcels(d.cfg); err != nil {
		return out, err
	}
	d.engine.Poke()
	return out, nil
}

// removeOwned removes a store-owned parcel; a config parcel is the
// config's to remove.
func (d *Daemon) removeOwned(number string) (api.RemoveResult, error) {
	n, _ := carriers.Normalize(number)
	res := api.RemoveResult{Number: n}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.stopping {
		return res, ErrStopping
	}
	if configNumbers(d.cfg)[n] {
		res.Origin = api.OriginConfig
		return res, fmt.Errorf("%s: %w: remove it from %s (todoku remove edits the file)", n, api.ErrConfigParcel, d.cfg.Path)
	}
	o, ok, err := d.store.OwnedParcel(n)
	if err != nil {
		return res, err
	}
	if !ok {
		if _, known, err := d.store.Parcel(n); err != nil || known {
			res.Origin = api.OriginConfig // a config parcel since removed from the file
			if err == nil {
				err = fmt.Errorf("%s: %w (no longer listed there)", n, api.ErrConfigParcel)
			}
			return res, err
		}
		return res, fmt.Errorf("%s: %w", n, api.ErrNotFound)
	}
	res.Origin = o.Origin
	removed, err := d.store.RemoveOwned(n, time.Now())
	if err != nil {
		return res, err
	}
	res.Removed = removed
	if err := d.syncParcels(d.cfg); err != nil {
		return res, err
	}
	d.log.Info("parcel removed", "number", n, "origin", o.Origin)
	return res, nil
}

var _ api.Editor = source{}

// AddParcel adds a parcel from the status page.
func (s source) AddParcel(ctx context.Context, req api.AddRequest) (api.AddResult, error) {
	id := carriers.Identify(req.Number)
	if id.Kind != carriers.KindTracking {
		msg := id.Error
		if msg == "" {
			msg = string(id.Kind)
		}
		return api.AddResult{}, fmt.Errorf("%q is not a tracking number: %s", req.Number, msg)
	}
	o := store.Owned{Number: id.Number, Label: req.Label, Origin: store.OriginPage, Source: pageSource, Added: time.Now()}
	if req.Carrier != "" {
		if _, err := s.d.engine.Registry().Get(req.Carrier); err != nil {
			return api.AddResult{}, fmt.Errorf("%w: %s", api.ErrUnknownCarrier, req.Carrier)
		}
		o.Carrier = req.Carrier
	}
	out, err := s.d.addOwned(o)
	if err != nil {
		return api.AddResult{}, err
	}
	return api.AddResult{Number: id.Number, Outcome: string(out)}, nil
}

// RemoveParcel removes a mail- or page-added parcel.
func (s source) RemoveParcel(ctx context.Context, number string) (api.RemoveResult, error) {
	return s.d.removeOwned(number)
}

// ownedByNumber maps the store-owned records by number.
func ownedByNumber(st *store.Store) (map[string]store.Owned, error) {
	all, err := st.OwnedParcels()
	if err != nil {
		return nil, err
	}
	m := make(map[string]store.Owned, len(all))
	for _, o := range all {
		m[o.Number] = o
	}
	return m, nil
}

// hidden reports whether a parcel is left out of lists: a store-owned
// parcel the user removed (even before the daemon stops tracking it).
func hidden(p store.Parcel, owned map[string]store.Owned) bool {
	o, ok := owned[p.Number]
	return ok && o.Removed
}

// setOrigin fills where a parcel came from.
func setOrigin(pv *api.ParcelView, owned map[string]store.Owned) {
	o, ok := owned[pv.Number]
	if !ok {
		pv.Origin = api.OriginConfig
		return
	}
	pv.Origin = o.Origin
	pv.Removable = !o.Removed
	var src []string
	if o.MessageID != "" {
		src = append(src, "Message-ID "+o.MessageID)
	}
	if o.Source != "" && o.Origin != store.OriginPage {
		src = append(src, o.Source)
	}
	pv.Source = strings.Join(src, " · ")
}

// pageOptions are the status page's login and forms: a login when the
// config has a password hash; forms behind it, or on loopback only.
func pageOptions(a config.APIConfig) ([]api.ServerOption, error) {
	var out []api.ServerOption
	if a.LoginRequired() {
		h, err := passwd.Parse(a.PasswordHash.Reveal())
		if err != nil {
			return nil, fmt.Errorf("api.password_hash: %w", err)
		}
		out = append(out, api.Login(h))
	}
	if a.PageEditable() {
		out = append(out, api.Editable())
	}
	return out, nil
}
