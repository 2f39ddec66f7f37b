package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"slices"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// session is one logged-in IMAP connection.
type session struct {
	c *imapclient.Client
	// exists is signalled (without blocking) when the server reports a new
	// message count for the selected folder, as it does during IDLE.
	exists chan struct{}
}

// errNoLogin is returned when the server refuses LOGIN before TLS.
var errNoLogin = errors.New("mail: the server does not allow LOGIN on this connection (LOGINDISABLED)")

// connect dials the account, sets up TLS as configured and logs in. ctx
// bounds the whole exchange; cancelling it later does not close the
// session (close does).
func connect(ctx context.Context, a Account) (*session, error) {
	s := &session{exists: make(chan struct{}, 1)}
	opts := &imapclient.Options{
		TLSConfig: tlsConfig(a),
		UnilateralDataHandler: &imapclient.UnilateralDataHandler{
			Mailbox: func(d *imapclient.UnilateralDataMailbox) {
				if d.NumMessages != nil {
					select {
					case s.exists <- struct{}{}:
					default:
					}
				}
			},
		},
	}
	var d net.Dialer
	raw, err := d.DialContext(ctx, "tcp", a.addr())
	if err != nil {
		return nil, fmt.Errorf("mail: connect %s: %w", a.addr(), err)
	}
	stop := context.AfterFunc(ctx, func() { raw.Close() })
	defer stop()
	switch a.TLS {
	case TLSImplicit:
		tc := tls.Client(raw, opts.TLSConfig)
		if err := tc.HandshakeContext(ctx); err != nil {
			raw.Close()
			return nil, fmt.Errorf("mail: tls with %s: %w", a.addr(), err)
		}
		s.c = imapclient.New(tc, opts)
	case TLSStartTLS:
		s.c, err = imapclient.NewStartTLS(raw, opts)
		if err != nil {
			raw.Close()
			return nil, fmt.Errorf("mail: starttls with %s: %w", a.addr(), err)
		}
	default: // TLSNone, loopback only (checked by withDefaults)
		s.c = imapclient.New(raw, opts)
	}
	if err := s.login(a); err != nil {
		s.c.Close()
		if ctx.Err() != nil {
			return nil, fmt.Errorf("mail: log in to %s: %w", a.addr(), ctx.Err())
		}
		return nil, err
	}
	return s, nil
}

// login waits for the greeting and logs in. The password never appears
// in an error: go-imap's errors carry only the server's answer.
func (s *session) login(a Account) error {
	if err := s.c.WaitGreeting(); err != nil {
		return fmt.Errorf("mail: greeting from %s: %w", a.addr(), err)
	}
	if s.c.State() == imap.ConnStateAuthenticated {
		return nil // PREAUTH (never accepted before STARTTLS by go-imap)
	}
	if s.c.Caps().Has(imap.CapLoginDisabled) {
		return errNoLogin
	}
	if err := s.c.Login(a.User, a.Password).Wait(); err != nil {
		return fmt.Errorf("mail: log in to %s as %s: %w", a.addr(), a.User, err)
	}
	return nil
}

// tlsConfig returns the account's TLS settings with its host as the
// server name and at least TLS 1.2.
func tlsConfig(a Account) *tls.Config {
	c := &tls.Config{}
	if a.TLSConfig != nil {
		c = a.TLSConfig.Clone()
	}
	if c.ServerName == "" {
		c.ServerName = a.Host
	}
	if c.MinVersion == 0 {
		c.MinVersion = tls.VersionTLS12
	}
	if c.NextProtos == nil && a.TLS == TLSImplicit {
		c.NextProtos = []string{"imap"}
	}
	return c
}

// close logs out politely and closes the connection.
func (s *session) close() {
	_ = s.c.Logout().Wait()
	_ = s.c.Close()
}

// examine opens folder read-only (EXAMINE): nothing done while it is
// selected can change a flag or move a message.
func (s *session) examine(folder string) (*imap.SelectData, error) {
	data, err := s.c.Select(folder, &imap.SelectOptions{ReadOnly: true}).Wait()
	if err != nil {
		return nil, fmt.Errorf("mail: examine %s: %w", folder, err)
	}
	return data, nil
}

// searchSince returns the UIDs of the messages that arrived on or after
// the day of since, in ascending order.
func (s *session) searchSince(criteria *imap.SearchCriteria) ([]imap.UID, error) {
	data, err := s.c.UIDSearch(criteria, nil).Wait()
	if err != nil {
		return nil, fmt.Errorf("mail: search: %w", err)
	}
	uids := data.AllUIDs()
	slices.Sort(uids)
	return uids, nil
}

// sizes returns the RFC822.SIZE of each of uids.
func (s *session) sizes(uids []imap.UID) (map[imap.UID]int64, error) {
	msgs, err := s.c.Fetch(imap.UIDSetNum(uids...), &imap.FetchOptions{UID: true, RFC822Size: true}).Collect()
	if err != nil {
		return nil, fmt.Errorf("mail: fetch sizes: %w", err)
	}
	out := make(map[imap.UID]int64, len(msgs))
	for _, m := range msgs {
		out[m.UID] = m.RFC822Size
	}
	return out, nil
}

// bodySection is BODY.PEEK[]: the whole message, without setting \Seen.
var bodySection = &imap.FetchItemBodySection{Peek: true}

// bodies returns the raw messages of uids, by UID. A message expunged in
// the meantime is simply missing.
func (s *session) bodies(uids []imap.UID) (map[imap.UID][]byte, error) {
	msgs, err := s.c.Fetch(imap.UIDSetNum(uids...), &imap.FetchOptions{
		UID:         true,
		BodySection: []*imap.FetchItemBodySection{bodySection},
	}).Collect()
	if err != nil {
		return nil, fmt.Errorf("mail: fetch messages: %w", err)
	}
	out := make(map[imap.UID][]byte, len(msgs))
	for _, m := range msgs {
		if b := m.FindBodySection(bodySection); b != nil {
			out[m.UID] = b
		}
	}
	return out, nil
}
