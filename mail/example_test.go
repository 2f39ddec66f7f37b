package mail_test

import (
	"context"
	"log/slog"

	bolt "go.etcd.io/bbolt"

	"github.com/todoku/todoku/config"
	"github.com/todoku/todoku/mail"
)

// Example shows how the daemon runs the mail poller: the account from
// the config's mail: section, the progress in the daemon's own bbolt
// database, and a callback that turns each Found into a parcel.
func Example() {
	run := func(ctx context.Context, cfg *config.Config, db *bolt.DB, logger *slog.Logger) error {
		if cfg.Mail == nil {
			return nil // no mail: section
		}
		acct := mail.FromConfig(cfg.Mail)
		state, err := mail.NewBoltState(db, acct.StateKey())
		if err != nil {
			return err
		}
		onFound := func(ctx context.Context, f mail.Found) error {
			// Add f.Number as a store-owned parcel labelled f.Label,
			// unless a parcel with that number exists; f.File says where
			// it came from. An error makes the poller read the message
			// again at its next pass.
			return nil
		}
		p, err := mail.NewPoller(acct, state, onFound, logger)
		if err != nil {
			return err
		}
		return p.Run(ctx) // until ctx is cancelled
	}
	_ = run
}
