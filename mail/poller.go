package mail

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2"
)

// OnFound is called for every tracking number found in a new message.
// An error stops the pass: the message is read again at the next pass,
// so OnFound must tolerate seeing a number twice (the engine deduplicates
// against the parcels it knows anyway).
type OnFound func(ctx context.Context, f Found) error

// Poller reads an IMAP account's folders for shipping mails and hands
// every tracking number found to its OnFound. It only reads: folders are
// opened with EXAMINE and messages fetched with BODY.PEEK[], so no flag
// changes and no message moves.
type Poller struct {
	acct    Account
	state   State
	onFound OnFound
	log     *slog.Logger
	now     func() time.Time
	// backoff is the first wait after a failed pass (minBackoff; tests
	// shorten it).
	backoff time.Duration

	mu     sync.Mutex
	status Status
}

// Status is how the poller's work went, for health reports.
type Status struct {
	// Started is when Run began.
	Started time.Time
	// LastOK is when a pass over every folder last ended well (zero: not
	// yet).
	LastOK time.Time
	// LastError is the last failure (connecting, logging in, a pass, the
	// wait for new mail) and FailingSince when failures began; both are
	// empty after a good pass.
	LastError    string
	FailingSince time.Time
}

// Failing reports whether the poller has been failing for longer than d
// at now.
func (s Status) Failing(now time.Time, d time.Duration) bool {
	return s.LastError != "" && now.Sub(s.FailingSince) > d
}

// Status returns how the poller's work went so far.
func (p *Poller) Status() Status {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.status
}

// PollInterval is the account's poll interval (its default filled in).
func (p *Poller) PollInterval() time.Duration { return p.acct.PollInterval }

func (p *Poller) passed() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.status.LastOK, p.status.LastError, p.status.FailingSince = p.now(), "", time.Time{}
}

func (p *Poller) failed(err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.status.LastError == "" {
		p.status.FailingSince = p.now()
	}
	p.status.LastError = err.Error()
}

// Backoff after a failed pass: it doubles from minBackoff to maxBackoff.
const (
	minBackoff = 10 * time.Second
	maxBackoff = 15 * time.Minute
)

// batchSize is how many messages are fetched with one FETCH.
const batchSize = 25

// NewPoller returns a poller for acct that remembers its progress in
// state. logger may be nil (slog.Default()).
func NewPoller(acct Account, state State, onFound OnFound, logger *slog.Logger) (*Poller, error) {
	a, err := acct.withDefaults()
	if err != nil {
		return nil, err
	}
	if state == nil || onFound == nil {
		return nil, errors.New("mail: NewPoller needs a state and an onFound")
	}
	if logger == nil {
		logger = slog.Default()
	}
	return &Poller{
		acct:    a,
		state:   state,
		onFound: onFound,
		log:     logger.With("mail_host", a.Host, "mail_user", a.User),
		now:     time.Now,
		backoff: minBackoff,
	}, nil
}

// Once connects, reads every folder once and disconnects.
func (p *Poller) Once(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, p.acct.Timeout)
	defer cancel()
	s, err := connect(ctx, p.acct)
	if err != nil {
		return err
	}
	defer s.close()
	stop := context.AfterFunc(ctx, func() { s.c.Close() })
	defer stop()
	return p.pass(ctx, s)
}

// Run reads the folders until ctx is cancelled: a pass over every folder,
// then a wait — IMAP IDLE on the first folder when the account allows it
// and the server offers it (ended by new mail or the poll interval), else
// the poll interval. A failed pass is logged and retried on a new
// connection after a backoff. Run returns nil when ctx is cancelled.
func (p *Poller) Run(ctx context.Context) error {
	p.mu.Lock()
	p.status.Started = p.now()
	p.mu.Unlock()
	backoff := p.backoff
	for ctx.Err() == nil {
		passes, err := p.session(ctx)
		if ctx.Err() != nil {
			break
		}
		if passes > 0 {
			backoff = p.backoff
		}
		if err == nil {
			err = errors.New("mail: session ended")
		}
		p.failed(err)
		p.log.Warn("mail poll failed", "err", err, "retry_in", backoff)
		select {
		case <-ctx.Done():
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, maxBackoff)
	}
	return nil
}

// session connects once and polls on that connection until an error. It
// returns how many passes succeeded.
func (p *Poller) session(ctx context.Context) (passes int, err error) {
	cctx, cancel := context.WithTimeout(ctx, p.acct.Timeout)
	s, err := connect(cctx, p.acct)
	cancel()
	if err != nil {
		return 0, err
	}
	defer s.close()
	stop := context.AfterFunc(ctx, func() { s.c.Close() })
	defer stop()
	for {
		if err := p.timedPass(ctx, s); err != nil {
			return passes, err
		}
		passes++
		p.passed()
		if err := p.wait(ctx, s); err != nil {
			return passes, err
		}
		if ctx.Err() != nil {
			return passes, nil
		}
	}
}

// timedPass runs one pass within the account's timeout; a pass that runs
// over closes the connection.
func (p *Poller) timedPass(ctx context.Context, s *session) error {
	pctx, cancel := context.WithTimeout(ctx, p.acct.Timeout)
	defer cancel()
	stop := context.AfterFunc(pctx, func() { s.c.Close() })
	defer stop()
	err := p.pass(pctx, s)
	if err != nil && pctx.Err() != nil && ctx.Err() == nil {
		return fmt.Errorf("mail: pass took longer than %s: %w", p.acct.Timeout, err)
	}
	return err
}

// wait waits for new mail: with IDLE on the first folder when possible,
// at most a poll interval.
func (p *Poller) wait(ctx context.Context, s *session) error {
	timer := time.NewTimer(p.acct.PollInterval)
	defer timer.Stop()
	if !p.acct.IDLE || !s.c.Caps().Has(imap.CapIdle) {
		select {
		case <-ctx.Done():
		case <-timer.C:
		case <-s.c.Closed():
			return errors.New("mail: connection closed")
		}
		return nil
	}
	if _, err := s.examine(p.acct.Folders[0]); err != nil {
		return err
	}
	select {
	case <-s.exists:
	default:
	}
	idle, err := s.c.Idle()
	if err != nil {
		return fmt.Errorf("mail: idle: %w", err)
	}
	select {
	case <-ctx.Done():
	case <-timer.C:
	case <-s.exists:
		p.log.Debug("mail idle: new message")
	case <-s.c.Closed():
	}
	if err := idle.Close(); err != nil {
		return fmt.Errorf("mail: end idle: %w", err)
	}
	if err := idle.Wait(); err != nil {
		return fmt.Errorf("mail: idle: %w", err)
	}
	return nil
}

// pass reads every folder once.
func (p *Poller) pass(ctx context.Context, s *session) error {
	for _, folder := range p.acct.Folders {
		if err := p.folder(ctx, s, folder); err != nil {
			return err
		}
	}
	return nil
}

// folder reads the new messages of one folder. Under the UIDVALIDITY
// remembered, those are the UIDs above the last one handled; for a folder
// not seen before, or whose UIDVALIDITY changed (the server renumbered
// it), they are the messages of the look-back window.
func (p *Poller) folder(ctx context.Context, s *session, folder string) error {
	sel, err := s.examine(folder)
	if err != nil {
		return err
	}
	validity, last, err := p.state.Load(folder)
	if err != nil {
		return err
	}
	var uids []imap.UID
	rescan := validity == 0 || validity != sel.UIDValidity
	if rescan {
		if validity != 0 {
			p.log.Info("mail folder renumbered: reading the look-back window again",
				"folder", folder, "old_uidvalidity", validity, "uidvalidity", sel.UIDValidity)
		}
		last = 0
		since := p.now().Add(-p.acct.LookBack)
		uids, err = s.searchSince(&imap.SearchCriteria{Since: since})
	} else {
		if sel.NumMessages == 0 || (sel.UIDNext != 0 && uint32(sel.UIDNext) <= last+1) {
			return nil
		}
		uids, err = s.searchSince(&imap.SearchCriteria{UID: []imap.UIDSet{{{Start: imap.UID(last + 1), Stop: 0}}}})
	}
	if err != nil {
		return err
	}
	// "n:*" always holds the highest UID, even below n.
	uids = slices.DeleteFunc(uids, func(u imap.UID) bool { return uint32(u) <= last })
	for len(uids) > 0 {
		n := min(batchSize, len(uids))
		if err := p.batch(ctx, s, folder, sel.UIDValidity, uids[:n]); err != nil {
			return err
		}
		last = uint32(uids[n-1])
		uids = uids[n:]
	}
	if rescan && sel.UIDNext > 0 {
		// Messages above the window's last one that SEARCH did not return
		// are older than the window: do not read them later either.
		last = max(last, uint32(sel.UIDNext)-1)
	}
	if rescan || last > 0 {
		return p.state.Save(folder, sel.UIDValidity, last)
	}
	return nil
}

// batch fetches and handles some messages, saving progress after each.
func (p *Poller) batch(ctx context.Context, s *session, folder string, validity uint32, uids []imap.UID) error {
	sizes, err := s.sizes(uids)
	if err != nil {
		return err
	}
	var want []imap.UID
	for _, u := range uids {
		if sz, ok := sizes[u]; ok && sz > maxMessageBytes {
			p.log.Info("mail message too large, skipped", "folder", folder, "uid", u, "size", sz)
			continue
		}
		want = append(want, u)
	}
	var raw map[imap.UID][]byte
	if len(want) > 0 {
		if raw, err = s.bodies(want); err != nil {
			return err
		}
	}
	for _, u := range uids {
		if b, ok := raw[u]; ok {
			if err := p.message(ctx, folder, validity, u, b); err != nil {
				return err
			}
		}
		if err := p.state.Save(folder, validity, uint32(u)); err != nil {
			return err
		}
	}
	return nil
}

// message decodes one message and hands over what it holds.
func (p *Poller) message(ctx context.Context, folder string, validity uint32, uid imap.UID, raw []byte) error {
	m, err := Decode(bytes.NewReader(raw))
	if err != nil {
		p.log.Info("mail message unreadable, skipped", "folder", folder, "uid", uid, "err", err)
		return nil
	}
	for _, f := range Find(m) {
		f.File = p.url(folder, validity, uid)
		p.log.Debug("mail tracking number found", "folder", folder, "uid", uid, "number", f.Number, "shop", f.Shop)
		if err := p.onFound(ctx, f); err != nil {
			return fmt.Errorf("mail: handle %s: %w", f.File, err)
		}
	}
	return nil
}

// url names a message as an IMAP URL (RFC 5092).
func (p *Poller) url(folder string, validity uint32, uid imap.UID) string {
	u := url.URL{
		Scheme: "imap",
		User:   url.User(p.acct.User),
		Host:   p.acct.addr(),
		Path:   "/" + folder + ";UIDVALIDITY=" + strconv.FormatUint(uint64(validity), 10) + "/;UID=" + strconv.FormatUint(uint64(uid), 10),
	}
	return u.String()
}
