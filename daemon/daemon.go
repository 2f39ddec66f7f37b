// Package daemon wires todoku's parts into the long-running service: it
// loads the config, opens the store, builds the carrier registry and the
// engine, serves the local API and status page, reloads on SIGHUP and on
// config file changes (validate everything, then swap; a bad file keeps
// the running config), and speaks sd_notify to systemd.
package daemon

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"sync/atomic"
	"time"

	"github.com/todoku/todoku/api"
	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/carriers/dhl"
	"github.com/todoku/todoku/carriers/quota"
	"github.com/todoku/todoku/config"
	"github.com/todoku/todoku/internal/systemd"
	"github.com/todoku/todoku/notify"
	"github.com/todoku/todoku/store"
	"github.com/todoku/todoku/tracker"
)

// Options configure Run.
type Options struct {
	ConfigPath string
	Logger     *slog.Logger
	Version    string
	// Systemd is the sd_notify channel; nil means systemd.New().
	Systemd *systemd.Notifier
	// Reload delivers SIGHUP.
	Reload <-chan os.Signal
	// Watch turns on reloading when the config file changes (default on
	// in the daemon).
	Watch bool
	// Stdout receives console notifications.
	Stdout *os.File
	// Config changes how the config file is checked (tests allow
	// sub-minute schedules with it).
	Config config.Options
	// ShutdownTimeout bounds the drain on SIGTERM (default 10 s).
	ShutdownTimeout time.Duration
	// Listening, when set, is called with the API's bound address
	// ("host:port" or "unix:/path") once it listens, before READY. With
	// api.listen on port 0 it tells tests and tools the port chosen.
	Listening func(addr string)
}

// ErrStopping is returned by Reload once the daemon has begun to shut down.
var ErrStopping = errors.New("daemon: stopping")

// watchDebounce is how long the config file must stay quiet before a
// change is reloaded.
const watchDebounce = 500 * time.Millisecond

// Daemon is a running todoku.
type Daemon struct {
	opts    Options
	log     *slog.Logger
	sd      *systemd.Notifier
	store   *store.Store
	engine  *tracker.Engine
	version string

	mu       sync.Mutex // serialises reloads; held during start-up until READY
	cfg      *config.Config
	hash     [32]byte
	stopping bool // set before STOPPING; no reload starts after it

	mailCh  chan *config.MailConfig // a changed mail: section for mailLoop (mail.go)
	mailRun atomic.Pointer[mailRun] // the running mail poller, for health (mail.go)
}

// Run runs the daemon until ctx ends. It returns an error at once when
// the config, the store or the API listener cannot be set up.
func Run(ctx context.Context, opts Options) error {
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	sd := opts.Systemd
	if sd == nil {
		sd = systemd.New(systemd.WithLogger(log))
	}
	cfg, err := config.LoadFileWith(opts.ConfigPath, opts.Config)
	if err != nil {
		return err
	}
	d := &Daemon{opts: opts, log: log, sd: sd, version: opts.Version, cfg: cfg, hash: cfg.Hash(),
		mailCh: make(chan *config.MailConfig, 1)}

	// Outside systemd the default database lives in a user state directory
	// that may not exist yet. An empty database file is a truncated one
	// (store.ErrDamaged) unless that directory is new.
	_, dirErr := os.Stat(filepath.Dir(cfg.Database))
	if err := os.MkdirAll(filepath.Dir(cfg.Database), 0o700); err != nil {
		return fmt.Errorf("database directory: %w", err)
	}
	st, err := store.Open(cfg.Database, store.Options{LockTimeout: 2 * time.Second, AllowEmpty: errors.Is(dirErr, os.ErrNotExist)})
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	defer func() {
		if err := st.Close(); err != nil {
			log.Error("close database", "err", err)
		}
	}()
	d.store = st

	// The carriers get their own client (explicit cipher suites, see
	// carriers.CipherSuites) so that no idle connection (and its
	// goroutines) outlives Run.
	carrierClient := carriers.NewHTTPClient()
	defer carrierClient.CloseIdleConnections()
	// DHL's daily allowance, shared by its adapter and the engine, which
	// keeps the count in the store across restarts.
	quotas := map[string]*quota.Daily{dhl.Name: dhl.NewQuota()}
	reg, err := RegistryWithQuotas(cfg, carrierClient, nil, quotas)
	if err != nil {
		return err
	}
	rt, err := Runtime(cfg, d.runtimeOptions())
	if err != nil {
		return fmt.Errorf("%s: %w", cfg.Path, err)
	}
	eng, err := tracker.New(tracker.Options{Store: st, Registry: reg, Runtime: rt, Logger: log, ShutdownTimeout: opts.ShutdownTimeout, Quotas: quotas})
	if err != nil {
		return err
	}
	d.engine = eng
	if err := d.syncParcels(cfg); err != nil { // config and store-owned parcels (owned.go)
		return err
	}

	var lopts []api.ListenOption
	if cfg.API.AllowRemote {
		lopts = append(lopts, api.AllowRemote())
	}
	ln, err := api.Listen(cfg.API.Listen, lopts...)
	if err != nil {
		return err // already names the api and the address
	}
	if opts.Listening != nil {
		opts.Listening(listenAddr(ln))
	}
	sopts, err := pageOptions(cfg.API)
	if err != nil {
		return err
	}
	srv := api.NewHTTPServer(api.NewServer(source{d}, log, opts.Version, append(sopts, api.AllowHosts(allowedHosts(cfg.API)...))...), log)

	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	beatCtx, stopBeat := context.WithCancel(runCtx)
	defer stopBeat()
	// A reload asked for through the API while starting waits for READY,
	// so systemd never sees RELOADING before it.
	d.mu.Lock()
	var wg sync.WaitGroup
	engineDone := make(chan error, 1)
	wg.Add(1)
	go func() { defer wg.Done(); engineDone <- eng.Run(runCtx) }()
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("api server stopped", "err", err)
		}
	}()
	watching := opts.Watch && cfg.Path != ""
	if watching {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := config.Watch(runCtx, cfg.Path, watchDebounce, func() { d.reloadIfChanged(runCtx, "file changed") })
			if err != nil && runCtx.Err() == nil {
				log.Warn("config file watch stopped", "err", err)
			}
		}()
	}
	// The engine is up once its first heartbeat ran. On failure or an
	// early cancel, fall through to the same orderly shutdown.
	alive := waitAlive(runCtx, eng, engineDone)
	if alive == nil {
		log.Info("todoku running", "version", opts.Version, "config", cfg.Path, "database", cfg.Database,
			"api", listenAddr(ln), "parcels", len(cfg.Parcels))
		sd.Ready(fmt.Sprintf("tracking %d parcels", len(cfg.Parcels)))
	} else {
		d.stopping = true
	}
	d.mu.Unlock()
	if alive == nil {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sd.Heartbeat(beatCtx, func(context.Context) error { return eng.Alive(3 * tracker.HeartbeatEvery) })
		}()
		if watching {
			// An edit made while the watch was being set up is invisible
			// to it: compare once more after it surely runs.
			wg.Add(1)
			go func() {
				defer wg.Done()
				select {
				case <-runCtx.Done():
				case <-time.After(2 * watchDebounce):
					d.reloadIfChanged(runCtx, "file changed during start-up")
				}
			}()
		}
		// The mail poller (mail.go) starts once the daemon is ready.
		wg.Add(1)
		go func() { defer wg.Done(); d.mailLoop(runCtx, cfg.Mail, d.mailCh) }()
		d.loop(ctx, runCtx, engineDone)
	}

	// No watchdog ping and no reload after STOPPING.
	stopBeat()
	d.mu.Lock()
	d.stopping = true
	d.mu.Unlock()
	sd.Stopping()
	log.Info("stopping")
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	if err := srv.Shutdown(shut); err != nil {
		log.Warn("api server shutdown", "err", err)
		_ = srv.Close()
	}
	cancel()
	stop()
	wg.Wait()
	return <-engineDone
}

// loop serves reload requests until ctx ends or the engine stops.
func (d *Daemon) loop(ctx, runCtx context.Context, engineDone chan error) {
	for {
		select {
		case <-ctx.Done():
			return
		case err := <-engineDone:
			engineDone <- err
			return
		case <-d.opts.Reload:
			d.reloadLogged(runCtx, "SIGHUP")
		}
	}
}

// waitAlive waits for the engine's first heartbeat. It returns the
// engine's error if it stopped first (leaving it in engineDone), or
// ctx's.
// allowedHosts are the Host names the API accepts besides loopback ones:
// none unless remote access is on; then the configured names, or by
// default the listen address and this machine's host name.
func allowedHosts(a config.APIConfig) []string {
	if !a.AllowRemote {
		return nil
	}
	if len(a.AllowedHosts) > 0 {
		return a.AllowedHosts
	}
	var hosts []string
	if h, _, err := net.SplitHostPort(a.Listen); err == nil {
		if ip := net.ParseIP(h); h != "" && (ip == nil || !ip.IsUnspecified()) {
			hosts = append(hosts, h)
		}
	}
	if name, err := os.Hostname(); err == nil && name != "" {
		hosts = append(hosts, name, name+".local", name+".lan")
	}
	return hosts
}

func waitAlive(ctx context.Context, eng *tracker.Engine, engineDone chan error) error {
	for eng.Alive(time.Minute) != nil {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case err := <-engineDone:
			engineDone <- err
			if err == nil {
				err = errors.New("daemon: engine stopped before it started")
			}
			return err
		case <-time.After(10 * time.Millisecond):
		}
	}
	return nil
}

func listenAddr(ln net.Listener) string {
	if ln.Addr().Network() == "unix" {
		return "unix:" + ln.Addr().String()
	}
	return ln.Addr().String()
}

// runtimeOptions are the options for building a runtime from cfg. A
// reload that leaves the notifier settings alone keeps the running
// notifier, so its state (quota warnings, retry spacing, a send still in
// flight) carries over.
func (d *Daemon) runtimeOptionsFor(cfg *config.Config) RuntimeOptions {
	o := d.runtimeOptions()
	if d.engine != nil && d.cfg != nil && cfg.Notify.Notifier == d.cfg.Notify.Notifier &&
		cfg.Notify.Pushover == d.cfg.Notify.Pushover && cfg.Notify.Lang == d.cfg.Notify.Lang {
		o.Notifier = d.engine.Runtime().Notifier
	}
	return o
}

func (d *Daemon) runtimeOptions() RuntimeOptions {
	out := d.opts.Stdout
	if out == nil {
		out = os.Stdout
	}
	return RuntimeOptions{Logger: d.log, Console: out, OnOperator: d.operator}
}

// operator queues a notice raised by the notifier itself.
func (d *Daemon) operator(n notify.Notice) {
	if d.store == nil {
		return
	}
	now := time.Now()
	if _, err := d.store.Enqueue(store.OutboxEntry{
		Key: notify.DedupKey(n), Kind: string(n.Kind), Carrier: n.Carrier, Text: n.Text,
		Created: now, NotBefore: now,
	}); err != nil {
		d.log.Error("queue operator notice", "err", err)
	}
}

// reloadIfChanged reloads when the file's content differs from the
// running config's, so that a watch event for an unchanged file (or one
// already reloaded through SIGHUP or the API) is not reported to systemd.
func (d *Daemon) reloadIfChanged(ctx context.Context, why string) {
	data, err := os.ReadFile(d.opts.ConfigPath)
	if err != nil {
		return // a file being replaced; its next event reloads it
	}
	d.mu.Lock()
	same := sha256.Sum256(data) == d.hash
	d.mu.Unlock()
	if !same {
		d.reloadLogged(ctx, why)
	}
}

func (d *Daemon) reloadLogged(ctx context.Context, why string) {
	if err := d.Reload(ctx); err != nil {
		d.log.Error("config reload failed: keeping the running config", "trigger", why, "err", err)
	}
}

// errNoParcels refuses a reload that would drop every parcel at once.
var errNoParcels = errors.New("the new config has no parcels")

// keepsParcels refuses a new config that removes every parcel at once
// (a file truncated to nothing, a half-saved edit) unless it says
// `parcels: []` on purpose.
func keepsParcels(old, cfg *config.Config) error {
	if len(cfg.Parcels) > 0 || len(old.Parcels) == 0 || cfg.NoParcels {
		return nil
	}
	return fmt.Errorf("%s: %w (the running config has %d): reload refused, the running config stays; "+
		"to remove every parcel on purpose write `parcels: []`", cfg.Path, errNoParcels, len(old.Parcels))
}

// Reload loads and validates the config file and everything built from
// it, then swaps it in. On any error the running config stays untouched
// and systemd's STATUS says why. A reload asked for during start-up waits
// for READY; once shutdown has begun Reload returns ErrStopping.
func (d *Daemon) Reload(ctx context.Context) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.stopping {
		return ErrStopping
	}
	d.sd.Reloading()
	err := d.reload()
	if err != nil {
		d.sd.ReloadFailed(err)
		return err
	}
	d.sd.Ready(fmt.Sprintf("tracking %d parcels (reloaded %s)", len(d.cfg.Parcels), time.Now().Format("15:04:05")))
	return nil
}

func (d *Daemon) reload() error {
	cfg, err := config.LoadFileWith(d.opts.ConfigPath, d.opts.Config)
	if err != nil {
		return err
	}
	if err := keepsParcels(d.cfg, cfg); err != nil {
		return err
	}
	// SIGHUP and the API always rebuild, even for an unchanged file: the
	// Pushover secrets live in other files (the watch skips unchanged
	// content itself).
	rt, err := Runtime(cfg, d.runtimeOptionsFor(cfg))
	if err != nil {
		return fmt.Errorf("%s: %w", cfg.Path, err)
	}
	if cfg.Database != d.cfg.Database {
		d.log.Warn("database path changed: takes effect after a restart", "running", d.cfg.Database, "new", cfg.Database)
	}
	if cfg.TimeZone != d.cfg.TimeZone {
		d.log.Warn("time zone changed: the night window and quiet hours follow it now, the cron schedule after a restart", "running", d.cfg.TimeZone, "new", cfg.TimeZone)
	}
	if !reflect.DeepEqual(cfg.API, d.cfg.API) {
		d.log.Warn("api address changed: takes effect after a restart")
	}
	for name, cc := range cfg.Carriers {
		old := d.cfg.Carriers[name]
		if cc.BaseURL != old.BaseURL || cc.Timeout != old.Timeout {
			d.log.Warn("carrier endpoint or timeout changed: takes effect after a restart", "carrier", name)
		}
		if cc.APIKey != old.APIKey || cc.ClientID != old.ClientID || cc.ClientSecret != old.ClientSecret || cc.TransactionSrc != old.TransactionSrc {
			// Never the values: only that they changed.
			d.log.Warn("carrier API credentials changed: take effect after a restart", "carrier", name)
		}
	}
	// The runtime is already validated, so SetRuntime cannot fail after a
	// successful Sync: parcels first, then the swap.
	if err := d.syncParcels(cfg); err != nil {
		return err
	}
	if err := d.engine.SetRuntime(rt); err != nil {
		return err
	}
	if !reflect.DeepEqual(cfg.Mail, d.cfg.Mail) {
		d.log.Info("mail section changed: restarting the mail poller")
		d.restartMail(cfg.Mail)
	}
	d.cfg, d.hash = cfg, cfg.Hash()
	d.log.Info("config reloaded", "parcels", len(cfg.Parcels))
	d.engine.Kick()
	return nil
}
