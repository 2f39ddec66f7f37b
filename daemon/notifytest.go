package daemon

import (
	"context"
	"time"

	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/notify"
	"github.com/todoku/todoku/tracker"
)

// SampleNotice is the delivery failure `todoku notify-test` sends.
func SampleNotice(now time.Time) notify.Notice {
	return notify.Notice{
		Kind:    notify.KindDeliveryFailed,
		Number:  "123456789013",
		Carrier: "yamato",
		Label:   "カメラレンズ（テスト通知）",
		Event: carriers.Event{
			Time: now.Add(-3 * time.Minute).Truncate(time.Minute), Status: carriers.StatusDeliveryFailed,
			Reason: carriers.ReasonAbsent, Raw: "持戻（ご不在）", Location: "川崎中央センター",
		},
	}
}

// SendTest composes the sample notice with rt's settings, ignoring quiet
// hours (a test is always sent), sends it through rt's notifier and
// returns the title.
func SendTest(ctx context.Context, rt *tracker.Runtime, now time.Time) (string, error) {
	composer := rt.Composer
	composer.Settings.QuietStart, composer.Settings.QuietEnd = "", ""
	msg := composer.Compose(SampleNotice(now), now)
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if _, err := rt.Notifier.Send(ctx, msg); err != nil {
		return "", err
	}
	return msg.Title, nil
}

// NotifyTest sends the sample through the running daemon's notifier.
func (s source) NotifyTest(ctx context.Context) (string, error) {
	return SendTest(ctx, s.d.engine.Runtime(), time.Now())
}
