// Package amazon identifies Amazon's own deliveries (Amazon Logistics,
// デリバリープロバイダ) and holds their contact data. Amazon has no public
// tracking page: such parcels can be followed only in the Amazon app or
// on amazon.co.jp (注文履歴 → 配送状況を確認), so Track always answers
// carriers.ErrNotTrackable and never a status.
package amazon

import (
	"context"
	"fmt"

	"github.com/todoku/todoku/carriers"
)

// Name is the registry name of the adapter.
const Name = "amazon"

// Carrier is the Amazon adapter. It makes no requests.
type Carrier struct{}

var _ carriers.Carrier = (*Carrier)(nil)

// New returns the Amazon adapter. opts is accepted for symmetry with the
// other adapters and unused: there is nothing to fetch.
func New(opts carriers.Options) *Carrier {
	_ = opts
	return &Carrier{}
}

// Name returns "amazon".
func (c *Carrier) Name() string { return Name }

// BatchSize is 10 so the tracker can answer many Amazon numbers at once.
func (c *Carrier) BatchSize() int { return 10 }

// Track never tracks: it returns an error matching carriers.ErrNotTrackable
// (permanent) that says where Amazon deliveries can be followed, or the
// context's error when ctx is already done.
func (c *Carrier) Track(ctx context.Context, numbers []string) ([]carriers.Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", Name, err)
	}
	if len(numbers) > c.BatchSize() {
		return nil, fmt.Errorf("%s: track %d numbers: %w", Name, len(numbers), carriers.ErrBatchTooLarge)
	}
	return nil, fmt.Errorf("%s: %w: Amazon deliveries can be tracked only in the Amazon app or on amazon.co.jp "+
		"(注文履歴 → 配送状況を確認 / Your Orders → Track package)", Name, carriers.ErrNotTrackable)
}
