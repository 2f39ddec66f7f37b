package api

import (
	"context"
	"errors"
	"io"
	"sync"
	"time"
)

// fakeSource is a scripted Source for the tests.
type fakeSource struct {
	mu          sync.Mutex
	parcels     []ParcelView
	history     map[string][]EventView
	health      HealthView
	healthErr   error
	listErr     error
	getErr      error
	reloadErr   error
	notifyTests int
	notifyErr   error
	reloads     int
	resumes     int
	backup      []byte
	// backupFailAt, when ≥ 0, makes Backup fail after writing that many bytes.
	backupFailAt int
}

func (f *fakeSource) Parcels(ctx context.Context) ([]ParcelView, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.listErr != nil {
		return nil, f.listErr
	}
	return f.parcels, nil
}

func (f *fakeSource) Parcel(ctx context.Context, number string) (ParcelView, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.getErr != nil {
		return ParcelView{}, false, f.getErr
	}
	for _, p := range f.parcels {
		if p.Number == number {
			p.History = f.history[number]
			return p, true, nil
		}
	}
	return ParcelView{}, false, nil
}

func (f *fakeSource) Resume(ctx context.Context, carrier string) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if carrier != "yamato" {
		return false, ErrUnknownCarrier
	}
	f.resumes++
	return true, nil
}

func (f *fakeSource) Health(ctx context.Context) (HealthView, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.health, f.healthErr
}

func (f *fakeSource) Reload(ctx context.Context) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reloads++
	return f.reloadErr
}

func (f *fakeSource) NotifyTest(ctx context.Context) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.notifyTests++
	return "不在持戻り: テスト", f.notifyErr
}

func (f *fakeSource) Backup(ctx context.Context, w io.Writer) (int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	data := f.backup
	var failure error
	if f.backupFailAt >= 0 {
		data = data[:f.backupFailAt]
		failure = errors.New("read page 7: input/output error")
	}
	n, err := w.Write(data)
	if err != nil {
		return int64(n), err
	}
	return int64(n), failure
}

var (
	tick      = time.Date(2026, 11, 23, 14, 5, 0, 0, tokyoForTests())
	attempted = time.Date(2026, 11, 23, 14, 2, 0, 0, tokyoForTests())
)

func tokyoForTests() *time.Location { return time.FixedZone("JST", 9*3600) }

// newFake returns a source with three parcels: a failed delivery, one in
// transit and one delivered.
func newFake() *fakeSource {
	failed := ParcelView{
		Number: "123456789012", Display: "1234-5678-9012", Label: "カメラレンズ",
		Carrier: "yamato", CarrierName: "ヤマト運輸",
		Status: "delivery_failed", Reason: "absent", StatusText: "持戻（ご不在）",
		LastEvent: &EventView{Time: attempted, Status: "delivery_failed", Reason: "absent", Raw: "持戻（ご不在）", Location: "川崎中央センター"},
		NextPoll:  tick.Add(30 * time.Minute),
		Call:      &CallView{Number: "0120-01-9625", Who: "ヤマト運輸 カスタマーサービス", Hours: "8:00–21:00", Open: true, OpenText: "受付中"},
		URL:       "https://toi.kuronekoyamato.co.jp/cgi-bin/tneko",
		Tracked:   true,
	}
	transit := ParcelView{
		Number: "EJ123456785JP", Display: "EJ 123 456 785 JP", Label: "本",
		Carrier: "japanpost", CarrierName: "日本郵便",
		Status: "in_transit", StatusText: "輸送中",
		LastEvent: &EventView{Time: attempted.Add(-20 * time.Hour), Status: "in_transit", Raw: "中継", Location: "新東京郵便局"},
		Call:      &CallView{Number: "0120-23-28-86", Who: "日本郵便", Hours: "8:00–21:00", Open: false, OpenText: "受付時間外・8:00から"},
		Tracked:   true,
	}
	delivered := ParcelView{
		Number: "400000000003", Display: "4000-0000-0003", Label: "",
		Carrier: "sagawa", CarrierName: "佐川急便",
		Status: "delivered", StatusText: "配達完了", Done: true,
		LastEvent: &EventView{Time: attempted.Add(-48 * time.Hour), Status: "delivered", Raw: "配達完了"},
	}
	return &fakeSource{
		parcels: []ParcelView{transit, delivered, failed},
		history: map[string][]EventView{
			"123456789012": {
				{Time: attempted.Add(-26 * time.Hour), Status: "in_transit", Raw: "荷物受付", Location: "羽田クロノゲートベース"},
				{Time: attempted.Add(-5 * time.Hour), Status: "out_for_delivery", Raw: "配達中", Location: "川崎中央センター"},
				*failed.LastEvent,
			},
		},
		health: HealthView{
			OK: true, Scheduler: "ok", Store: "ok", LastTick: tick,
			Carriers: []CarrierHealthView{{Carrier: "yamato", Name: "ヤマト運輸", State: "ok"}},
		},
		backup:       []byte("bbolt-file-bytes\x00\x01\x02"),
		backupFailAt: -1,
	}
}
