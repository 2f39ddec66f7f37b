package api

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// serve sends one request to a fresh server over src.
func serve(t *testing.T, src Source, method, target string, hdr map[string]string, opts ...ServerOption) *httptest.ResponseRecorder {
	t.Helper()
	h := NewServer(src, slog.New(slog.DiscardHandler), "v1.2.3", opts...)
	req := httptest.NewRequest(method, target, nil)
	req.Host = "127.0.0.1:8347"
	for k, v := range hdr {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

var csrf = map[string]string{CSRFHeader: "1"}

func TestEndpoints(t *testing.T) {
	tests := []struct {
		name     string
		setup    func(f *fakeSource)
		method   string
		target   string
		hdr      map[string]string
		wantCode int
		wantType string
		wantBody []string // substrings
		notBody  []string
	}{
		{name: "healthz ok", method: "GET", target: "/healthz", wantCode: 200, wantType: "text/plain", wantBody: []string{"ok\n"}},
		{
			name:   "healthz unhealthy",
			setup:  func(f *fakeSource) { f.health = HealthView{OK: false, Scheduler: "no tick for 12m0s", Store: "ok"} },
			method: "GET", target: "/healthz", wantCode: 503, wantType: "text/plain",
			wantBody: []string{"unhealthy: scheduler: no tick for 12m0s"}, notBody: []string{"store"},
		},
		{
			name:   "healthz source error",
			setup:  func(f *fakeSource) { f.healthErr = errors.New("store: database not open") },
			method: "GET", target: "/healthz", wantCode: 503, wantBody: []string{"unhealthy: store: database not open"},
		},
		{name: "api health", method: "GET", target: "/api/health", wantCode: 200, wantType: "application/json",
			wantBody: []string{`"ok": true`, `"scheduler": "ok"`, `"last_tick": "2026-11-23T14:05:00+09:00"`, `"version": "v1.2.3"`}},
		{name: "parcels", method: "GET", target: "/api/parcels", wantCode: 200, wantType: "application/json",
			wantBody: []string{`"number": "123456789012"`, `"carrier_name": "ヤマト運輸"`, `"status_text": "持戻（ご不在）"`, `"open_text": "受付中"`, `"last_event": {`, `"next_poll":`},
			notBody:  []string{`"history"`, `"Number"`}},
		{name: "parcels empty is an array", setup: func(f *fakeSource) { f.parcels = nil }, method: "GET", target: "/api/parcels", wantCode: 200, wantBody: []string{"[]"}},
		{name: "parcels source error", setup: func(f *fakeSource) { f.listErr = errors.New("store closed") }, method: "GET", target: "/api/parcels", wantCode: 500,
			wantBody: []string{`"error": "list parcels: store closed"`}},
		{name: "parcel with history", method: "GET", target: "/api/parcels/123456789012", wantCode: 200,
			wantBody: []string{`"history": [`, `"raw": "荷物受付"`, `"location": "羽田クロノゲートベース"`}},
		{name: "parcel unknown", method: "GET", target: "/api/parcels/999", wantCode: 404, wantType: "application/json", wantBody: []string{`"error": "parcel not found"`}},
		{name: "unknown api path", method: "GET", target: "/api/nothing", wantCode: 404},
		{name: "unknown page", method: "GET", target: "/nothing", wantCode: 404},
		{name: "reload ok", method: "POST", target: "/api/reload", hdr: csrf, wantCode: 200, wantBody: []string{`"ok": true`}, notBody: []string{"error"}},
		{name: "reload rejected", setup: func(f *fakeSource) { f.reloadErr = errors.New(`config.yaml:4:3: field "parcel" not found`) },
			method: "POST", target: "/api/reload", hdr: csrf, wantCode: 422,
			wantBody: []string{`"ok": false`, `"error": "config.yaml:4:3: field \"parcel\" not found"`}},
		{name: "reload without header", method: "POST", target: "/api/reload", wantCode: 403, wantBody: []string{"X-Todoku"}},
		{name: "reload with wrong header value", method: "POST", target: "/api/reload", hdr: map[string]string{CSRFHeader: "yes"}, wantCode: 403},
		{name: "reload cross-site", method: "POST", target: "/api/reload",
			hdr: map[string]string{CSRFHeader: "1", "Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}, wantCode: 403},
		{name: "reload cross-origin without fetch metadata", method: "POST", target: "/api/reload",
			hdr: map[string]string{CSRFHeader: "1", "Origin": "https://evil.example"}, wantCode: 403},
		{name: "reload by GET", method: "GET", target: "/api/reload", wantCode: 405},
		{name: "backup", method: "POST", target: "/api/backup", hdr: csrf, wantCode: 200, wantType: "application/octet-stream", wantBody: []string{"bbolt-file-bytes\x00\x01\x02"}},
		{name: "backup without header", method: "POST", target: "/api/backup", wantCode: 403, notBody: []string{"bbolt"}},
		{name: "backup fails before first byte", setup: func(f *fakeSource) { f.backupFailAt = 0 }, method: "POST", target: "/api/backup", hdr: csrf,
			wantCode: 500, wantType: "application/json", wantBody: []string{"backup: read page 7"}},
		{name: "backup by GET", method: "GET", target: "/api/backup", wantCode: 405},
		{name: "foreign host refused", method: "GET", target: "/api/parcels", hdr: map[string]string{"Host": "attacker.example:8347"}, wantCode: 403, notBody: []string{"123456789012"}},
		{name: "foreign host refused on page", method: "GET", target: "/", hdr: map[string]string{"Host": "rebind.attacker.example"}, wantCode: 403},
		{name: "localhost host", method: "GET", target: "/api/parcels", hdr: map[string]string{"Host": "localhost:8347"}, wantCode: 200},
		{name: "ipv6 loopback host", method: "GET", target: "/healthz", hdr: map[string]string{"Host": "[::1]:8347"}, wantCode: 200},
		{name: "status page", method: "GET", target: "/", wantCode: 200, wantType: "text/html",
			wantBody: []string{"カメラレンズ", "持戻（ご不在）", `href="tel:0120019625"`, "受付中", "受付時間外・8:00から", `href="/parcel/123456789012"`, "https://toi.kuronekoyamato.co.jp/cgi-bin/tneko", "v1.2.3", "稼働中"}},
		{name: "parcel page", method: "GET", target: "/parcel/123456789012", wantCode: 200, wantType: "text/html",
			wantBody: []string{"履歴", "荷物受付", "羽田クロノゲートベース", "2026-11-22 12:02"}},
		{name: "parcel page unknown", method: "GET", target: "/parcel/000000000000", wantCode: 404, wantType: "text/html", wantBody: []string{"この番号の荷物はありません: 000000000000"}},
		{name: "parcel page source error", setup: func(f *fakeSource) { f.getErr = errors.New("store closed") }, method: "GET", target: "/parcel/123456789012", wantCode: 500, wantBody: []string{"store closed"}},
		{name: "status page source error", setup: func(f *fakeSource) { f.listErr = errors.New("store closed") }, method: "GET", target: "/", wantCode: 500, wantBody: []string{"store closed"}},
		{name: "status page without health", setup: func(f *fakeSource) { f.healthErr = errors.New("scheduler gone") }, method: "GET", target: "/", wantCode: 200,
			wantBody: []string{"状態を取得できません: scheduler gone", "カメラレンズ"}},
		{name: "status page unhealthy", setup: func(f *fakeSource) {
			f.health = HealthView{OK: false, Scheduler: "ok", Store: "timeout", Carriers: []CarrierHealthView{{Carrier: "sagawa", Name: "佐川急便", State: "paused", Text: "停止中（ページの形式が変わりました）・次の確認 14:30", LastError: "layout changed"}}}
		}, method: "GET", target: "/", wantCode: 200, wantBody: []string{"問題あり: store: timeout", "佐川急便: 停止中（ページの形式が変わりました）・次の確認 14:30"}, notBody: []string{"paused"}},
		{name: "status page in English", setup: func(f *fakeSource) {
			f.health = HealthView{OK: false, Status: HealthDegraded, Lang: "en", Scheduler: "ok", Store: "ok", Carriers: []CarrierHealthView{{Carrier: "sagawa", Name: "Sagawa", State: "paused", Text: "paused: page layout changed, next check 14:30"}}}
		}, method: "GET", target: "/", wantCode: 200, wantBody: []string{`lang="en"`, "needs attention", "Sagawa: paused: page layout changed, next check 14:30", "history"}, notBody: []string{"問題あり", "履歴", "稼働中"}},
		{name: "resume", method: "POST", target: "/api/resume/yamato", hdr: csrf, wantCode: 200, wantBody: []string{`"resumed": true`}},
		{name: "resume unknown carrier", method: "POST", target: "/api/resume/dhl", hdr: csrf, wantCode: 404},
		{name: "empty status page", setup: func(f *fakeSource) { f.parcels = nil }, method: "GET", target: "/", wantCode: 200, wantBody: []string{"追跡中の荷物はありません"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake()
			if tt.setup != nil {
				tt.setup(f)
			}
			rec := serve(t, f, tt.method, tt.target, tt.hdr)
			body := rec.Body.String()
			if rec.Code != tt.wantCode {
				t.Fatalf("status = %d, want %d; body:\n%s", rec.Code, tt.wantCode, body)
			}
			if ct := rec.Header().Get("Content-Type"); tt.wantType != "" && !strings.HasPrefix(ct, tt.wantType) {
				t.Errorf("Content-Type = %q, want %s", ct, tt.wantType)
			}
			if got, want := rec.Header().Get("Content-Security-Policy"), "default-src 'none'; style-src 'unsafe-inline'"; got != want {
				t.Errorf("Content-Security-Policy = %q, want %q", got, want)
			}
			if got := rec.Header().Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options = %q, want nosniff", got)
			}
			for _, s := range tt.wantBody {
				if !strings.Contains(body, s) {
					t.Errorf("body lacks %q; body:\n%s", s, body)
				}
			}
			for _, s := range tt.notBody {
				if strings.Contains(body, s) {
					t.Errorf("body contains %q; body:\n%s", s, body)
				}
			}
		})
	}
}

func TestReloadCallsSourceOnlyWhenAllowed(t *testing.T) {
	f := newFake()
	serve(t, f, "POST", "/api/reload", nil)
	serve(t, f, "POST", "/api/reload", map[string]string{CSRFHeader: "1", "Sec-Fetch-Site": "cross-site"})
	if f.reloads != 0 {
		t.Fatalf("reloads after refused requests = %d, want 0", f.reloads)
	}
	serve(t, f, "POST", "/api/reload", map[string]string{CSRFHeader: "1", "Sec-Fetch-Site": "same-origin"})
	if f.reloads != 1 {
		t.Errorf("reloads = %d, want 1", f.reloads)
	}
}

func TestAllowHosts(t *testing.T) {
	tests := []struct {
		name  string
		opts  []ServerOption
		host  string
		wantC int
	}{
		{"default refuses LAN name", nil, "homeserver.lan:8347", 403},
		{"allowed LAN name", []ServerOption{AllowHosts("HomeServer.lan")}, "homeserver.lan:8347", 200},
		{"allowed LAN IP", []ServerOption{AllowHosts("192.168.1.10")}, "192.168.1.10:8347", 200},
		{"other name still refused", []ServerOption{AllowHosts("homeserver.lan")}, "evil.example", 403},
		{"wildcard", []ServerOption{AllowHosts("*")}, "anything.example", 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := serve(t, newFake(), "GET", "/healthz", map[string]string{"Host": tt.host}, tt.opts...)
			if rec.Code != tt.wantC {
				t.Errorf("status = %d, want %d", rec.Code, tt.wantC)
			}
		})
	}
}

func TestParcelsJSONRoundTrip(t *testing.T) {
	f := newFake()
	rec := serve(t, f, "GET", "/api/parcels", nil)
	var got []ParcelView
	if err := json.NewDecoder(rec.Body).Decode(&got); err != nil {
		t.Fatalf("decode: %v", err)
	}
	if len(got) != len(f.parcels) {
		t.Fatalf("parcels = %d, want %d", len(got), len(f.parcels))
	}
	for i := range got {
		want := f.parcels[i]
		if got[i].Number != want.Number || got[i].Status != want.Status || !got[i].NextPoll.Equal(want.NextPoll) {
			t.Errorf("parcel %d = %+v, want %+v", i, got[i], want)
		}
		if (got[i].Call == nil) != (want.Call == nil) || (want.Call != nil && *got[i].Call != *want.Call) {
			t.Errorf("parcel %d call = %+v, want %+v", i, got[i].Call, want.Call)
		}
	}
}

func TestBackupStreamsWithTrailer(t *testing.T) {
	srv := httptest.NewServer(NewServer(newFake(), nil, "test"))
	defer srv.Close()
	req, _ := http.NewRequest("POST", srv.URL+"/api/backup", nil)
	req.Header.Set(CSRFHeader, "1")
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if string(body) != "bbolt-file-bytes\x00\x01\x02" {
		t.Errorf("body = %q", body)
	}
	if got := resp.Trailer.Get(trailerBackupBytes); got != "19" {
		t.Errorf("trailer %s = %q, want 19", trailerBackupBytes, got)
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, `attachment; filename="todoku-`) {
		t.Errorf("Content-Disposition = %q", cd)
	}
}
