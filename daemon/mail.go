package daemon

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/todoku/todoku/api"
	"github.com/todoku/todoku/config"
	"github.com/todoku/todoku/mail"
	"github.com/todoku/todoku/notify"
	"github.com/todoku/todoku/store"
)

// The mail poller runs in its own goroutine (mailLoop) while the daemon
// runs. A reload that changes the mail: section hands the new section to
// the loop, which stops the running poller (waiting for it) and starts
// one for the new section; without a section no poller runs. Its
// progress (per folder: UIDVALIDITY and the last UID) lives in the
// daemon's database, so a restart reads nothing twice and misses
// nothing; a message read again after a crash adds nothing twice, since
// store.AddOwned knows every number.

// mailState keeps a mail.State in the store's state bucket.
type mailState struct {
	st     *store.Store
	prefix string
}

var _ mail.State = mailState{}

type mailProgress struct {
	UIDValidity uint32 `json:"uid_validity"`
	LastUID     uint32 `json:"last_uid"`
}

func (m mailState) Load(folder string) (uint32, uint32, error) {
	var p mailProgress
	if _, err := m.st.State(m.prefix+folder, &p); err != nil {
		return 0, 0, err
	}
	return p.UIDValidity, p.LastUID, nil
}

func (m mailState) Save(folder string, uidValidity, lastUID uint32) error {
	return m.st.SetState(m.prefix+folder, mailProgress{UIDValidity: uidValidity, LastUID: lastUID})
}

// mailLoop runs a poller for the first section, and for each section
// received on sections after that, until ctx ends; then it stops the
// running poller and returns.
func (d *Daemon) mailLoop(ctx context.Context, first *config.MailConfig, sections <-chan *config.MailConfig) {
	var (
		cancel context.CancelFunc
		done   chan struct{}
	)
	stop := func() {
		d.mailRun.Store(nil)
		if cancel != nil {
			cancel()
			<-done
			cancel = nil
		}
	}
	start := func(m *config.MailConfig) {
		if m == nil {
			return
		}
		acct := mail.FromConfig(m)
		log := d.log.With("component", "mail")
		p, err := mail.NewPoller(acct, mailState{st: d.store, prefix: "mail:" + acct.StateKey() + "\x00"},
			func(ctx context.Context, f mail.Found) error { return d.onMail(ctx, m.Announces(), f) }, log)
		if err != nil {
			d.log.Error("mail poller not started", "err", err)
			d.mailRun.Store(&mailRun{err: err.Error(), since: time.Now()})
			return
		}
		d.mailRun.Store(&mailRun{poller: p})
		var pctx context.Context
		pctx, cancel = context.WithCancel(ctx)
		done = make(chan struct{})
		go func() {
			defer close(done)
			log.Info("mail poller started", "host", m.Host, "folders", strings.Join(m.Folders, ","))
			_ = p.Run(pctx) // returns nil when cancelled; failures are logged and retried inside
			log.Info("mail poller stopped")
		}()
	}
	start(first)
	for {
		select {
		case <-ctx.Done():
			stop()
			return
		case m := <-sections:
			stop()
			start(m)
		}
	}
}

// restartMail hands a changed mail section to the running loop, replacing
// one it has not taken yet. The caller holds d.mu.
func (d *Daemon) restartMail(m *config.MailConfig) {
	if d.mailCh == nil {
		return
	}
	for {
		select {
		case d.mailCh <- m:
			return
		default:
			select {
			case <-d.mailCh: // drop the older section not taken yet
			default:
			}
		}
	}
}

// onMail turns a number found in a mail into a store-owned parcel.
func (d *Daemon) onMail(ctx context.Context, announce bool, f mail.Found) error {
	o := store.Owned{
		Number: f.Number, Label: f.Label, Candidates: f.Carriers,
		Origin: store.OriginMail, Source: f.File, MessageID: f.MessageID, Added: time.Now(),
	}
	out, err := d.addOwned(o)
	if err != nil {
		return fmt.Errorf("add parcel from mail: %w", err)
	}
	log := d.log.With("component", "mail", "number", f.Number, "outcome", string(out))
	if out != store.Added {
		log.Debug("number from mail already known")
		return nil
	}
	log.Info("parcel added from mail", "label", f.Label, "shop", f.Shop, "source", f.File)
	if announce {
		d.announce(o, f)
	}
	return nil
}

// announce queues the notice that a parcel was added from a mail
// (notify.KindAdded) in the outbox, so it is sent like any parcel's news:
// its priority and on/off switch from notify.events.added_from_mail,
// quiet hours, retries while Pushover is down. Its key is one per
// number, so it is queued at most once whatever reads the mail again.
func (d *Daemon) announce(o store.Owned, f mail.Found) {
	carrier := o.Carrier
	if carrier == "" && len(o.Candidates) > 0 {
		carrier = o.Candidates[0]
	}
	d.engine.Queue(addedNotice(o, carrier, f.Shop))
}

// addedNotice is the outbox entry announcing o, added from a mail of shop.
func addedNotice(o store.Owned, carrier, shop string) store.OutboxEntry {
	return store.OutboxEntry{
		Key:  string(notify.KindAdded) + ":" + o.Number,
		Kind: string(notify.KindAdded), Number: o.Number, Carrier: carrier,
		Label: o.Label, Text: shop, Created: o.Added, NotBefore: o.Added,
	}
}

// mailRun is the mail poller the loop runs, or why none runs.
type mailRun struct {
	poller *mail.Poller
	err    string // NewPoller's error when poller is nil
	since  time.Time
}

// mailHealth adds the mail reader's state to h: its last good pass, or
// its last error; a reader failing for longer than its poll interval, or
// not started at all, makes h degraded with a reason.
func (d *Daemon) mailHealth(h *api.HealthView, lang string, loc *time.Location, now time.Time) {
	r := d.mailRun.Load()
	if r == nil {
		return
	}
	en := lang == "en"
	v := &api.MailHealthView{}
	var degraded string
	if r.poller == nil {
		v.State, v.Since, v.LastError = "failing", r.since, r.err
		degraded = "mail: not started: " + r.err
	} else {
		st := r.poller.Status()
		v.LastOK = st.LastOK
		switch {
		case st.LastError != "":
			v.State, v.Since, v.LastError = "failing", st.FailingSince, st.LastError
			if st.Failing(now, r.poller.PollInterval()) {
				degraded = "mail: failing since " + clock(st.FailingSince, now, loc) + ": " + st.LastError
			}
		case st.LastOK.IsZero():
			v.State = "starting"
		default:
			v.State = "ok"
		}
	}
	switch v.State {
	case "ok":
		v.Text = "最終読み取り " + clock(v.LastOK, now, loc)
		if en {
			v.Text = "last read " + clock(v.LastOK, now, loc)
		}
	case "starting":
		v.Text = "接続中"
		if en {
			v.Text = "connecting"
		}
	default:
		v.Text = clock(v.Since, now, loc) + " から失敗: " + v.LastError
		if en {
			v.Text = "failing since " + clock(v.Since, now, loc) + ": " + v.LastError
		}
		if !v.LastOK.IsZero() {
			if en {
				v.Text += " (last read " + clock(v.LastOK, now, loc) + ")"
			} else {
				v.Text += "（最終読み取り " + clock(v.LastOK, now, loc) + "）"
			}
		}
	}
	h.Mail = v
	if degraded != "" {
		if h.Status == api.HealthOK || h.Status == "" {
			h.Status = api.HealthDegraded
		}
		h.Reasons = append(h.Reasons, degraded)
		h.OK = h.Status == api.HealthOK
	}
}
