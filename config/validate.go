package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
	"gopkg.in/yaml.v3"

	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/internal/daily"
)

// validator checks a decoded Config, fills in resolved values (location,
// database, secrets, parcel numbers) and collects errors with positions.
type validator struct {
	cfg    *Config
	nodes  map[string]*yaml.Node
	dir    string
	getenv func(string) string
	// skipSecrets leaves the Pushover secrets unresolved (Options.SkipSecrets).
	skipSecrets bool
	// minSchedule is the shortest @every accepted (Options.MinSchedule).
	minSchedule time.Duration
	errs        ErrorList
}

// fail records an error at the node of path, or of its nearest ancestor
// present in the file.
func (v *validator) fail(path, value string, sentinel error, format string, args ...any) {
	// Every Secret-typed field is under a secret area (secretPath).
	e := &Error{Path: path, Value: shownValue(path, value, false), Msg: fmt.Sprintf(format, args...), Err: sentinel}
	if n := v.node(path); n != nil {
		e.Line, e.Column = n.Line, n.Column
	}
	v.errs = append(v.errs, e)
}

func (v *validator) node(path string) *yaml.Node {
	for {
		if n, ok := v.nodes[path]; ok {
			return n
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			return v.nodes[""]
		}
		path = path[:i]
	}
}

func (v *validator) validate() {
	c := v.cfg
	v.location()
	v.schedule()
	v.cadence()
	v.window("night", c.Night)
	v.positive("stale_after", c.StaleAfter)
	v.positive("not_found_too_long", c.NotFoundTooLong)
	v.positive("retention.archive_after", c.Retention.ArchiveAfter)
	v.carriers()
	v.apiKeys()
	v.notify()
	v.api()
	v.database()
	v.parcels()
	v.mail()
	v.auth()
}

func (v *validator) location() {
	c := v.cfg
	if c.TimeZone == "" {
		c.TimeZone = DefaultTimeZone
	}
	loc, err := time.LoadLocation(c.TimeZone)
	if err != nil || strings.EqualFold(c.TimeZone, "local") {
		v.fail("time_zone", c.TimeZone, ErrInvalid, "unknown time zone (want an IANA name such as Asia/Tokyo)")
		loc = time.UTC
	}
	c.Location = loc
}

func (v *validator) schedule() {
	spec := strings.TrimSpace(v.cfg.Schedule)
	if spec == "" {
		v.fail("schedule", "", ErrSchedule, "empty (default %q)", DefaultSchedule)
		return
	}
	if strings.HasPrefix(spec, "TZ=") || strings.HasPrefix(spec, "CRON_TZ=") {
		v.fail("schedule", spec, ErrSchedule, "set time_zone instead of a TZ= prefix")
		return
	}
	if err := parseCron(spec, v.minSchedule); err != nil {
		v.fail("schedule", spec, ErrSchedule, "%v (want five fields such as \"*/5 * * * *\" or \"@every 5m\")", err)
	}
}

// parseCron validates a spec with robfig/cron, which panics on some input.
func parseCron(spec string, minimum time.Duration) (err error) {
	if minimum <= 0 {
		minimum = MinSchedule
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("cannot parse: %v", r)
		}
	}()
	sched, err := cron.ParseStandard(spec)
	if err != nil {
		return err
	}
	if sched.Next(time.Now()).IsZero() {
		return errors.New("never fires (no such date)")
	}
	// robfig/cron turns any @every under a second (even a negative one)
	// into one second: check the interval as written.
	if rest, ok := strings.CutPrefix(spec, "@every"); ok {
		d, err := time.ParseDuration(strings.TrimSpace(rest))
		if err != nil {
			return err
		}
		if d < minimum {
			return fmt.Errorf("@every %s is under the minimum of %s", d, minimum)
		}
	}
	return nil
}

// MinSchedule is the shortest interval between two ticks of the schedule.
const MinSchedule = time.Minute

func (v *validator) positive(path string, d time.Duration) {
	if d <= 0 {
		v.fail(path, d.String(), ErrInvalid, "must be positive")
	}
}

// MinCadence is the shortest polling interval a state may have.
const MinCadence = time.Minute

func (v *validator) cadence() {
	c := v.cfg.Cadence
	for _, f := range []struct {
		key string
		d   time.Duration
	}{
		{"out_for_delivery", c.OutForDelivery}, {"delivery_failed", c.DeliveryFailed},
		{"awaiting_pickup", c.AwaitingPickup}, {"exception", c.Exception},
		{"in_transit", c.InTransit}, {"info_received", c.InfoReceived},
		{"info_received_max", c.InfoReceivedMax}, {"not_found", c.NotFound},
		{"not_found_max", c.NotFoundMax}, {"final_confirm", c.FinalConfirm},
	} {
		if f.d < MinCadence {
			v.fail("cadence."+f.key, f.d.String(), ErrInvalid, "must be at least %s: no carrier needs asking more often", MinCadence)
		}
	}
	if c.InfoReceivedMax < c.InfoReceived {
		v.fail("cadence.info_received_max", c.InfoReceivedMax.String(), ErrInvalid, "must not be less than cadence.info_received (%s)", c.InfoReceived)
	}
	if c.NotFoundMax < c.NotFound {
		v.fail("cadence.not_found_max", c.NotFoundMax.String(), ErrInvalid, "must not be less than cadence.not_found (%s)", c.NotFound)
	}
}

func (v *validator) window(path string, w Window) {
	if w.IsZero() {
		return
	}
	if w.Start == "" || w.End == "" {
		v.fail(path, "", ErrInvalid, "set both start and end, or neither (or write %s: ~ for none)", lastKey(path))
		return
	}
	s, err1 := daily.ParseClock(w.Start)
	if err1 != nil {
		v.fail(path+".start", w.Start, ErrInvalid, "want a time of day as HH:MM, e.g. 23:00")
	}
	e, err2 := daily.ParseClock(w.End)
	if err2 != nil {
		v.fail(path+".end", w.End, ErrInvalid, "want a time of day as HH:MM, e.g. 06:00")
	}
	if err1 == nil && err2 == nil && s == e {
		v.fail(path+".end", w.End, ErrInvalid, "equals start: the window would be empty (write %s: ~ for none)", lastKey(path))
	}
}

func (v *validator) carriers() {
	for _, name := range sortedKeys(v.cfg.Carriers) {
		cc := v.cfg.Carriers[name]
		p := "carriers." + name
		if !slices.Contains(CarrierNames(), name) {
			v.failKey(p, name, ErrInvalid, "unknown carrier (known: %s)", strings.Join(CarrierNames(), ", "))
			continue
		}
		if cc.BaseURL != "" {
			v.baseURL(p+".base_url", cc.BaseURL)
		}
		switch {
		case cc.Interval < 0:
			v.fail(p+".interval", cc.Interval.String(), ErrInvalid, "must not be negative")
		case cc.Interval < time.Second && cc.BaseURL == "":
			v.fail(p+".interval", cc.Interval.String(), ErrInvalid, "at least 1s between requests to a real carrier site")
		}
		if cc.Burst < 1 || cc.Burst > 10 {
			v.fail(p+".burst", strconv.Itoa(cc.Burst), ErrInvalid, "must be between 1 and 10")
		}
		v.positive(p+".timeout", cc.Timeout)
		if cc.Contacts != nil {
			v.contacts(p+".contacts", cc.Contacts, cc.BaseURL != "")
		}
	}
}

// failKey reports an error at a map key rather than its value.
func (v *validator) failKey(path, value string, sentinel error, format string, args ...any) {
	if n, ok := v.nodes[path+"#key"]; ok {
		v.nodes[path] = n
	}
	v.fail(path, value, sentinel, format, args...)
}

// baseURL checks an advanced endpoint override: scheme://host[:port].
func (v *validator) baseURL(path, raw string) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		v.fail(path, raw, ErrInvalid, "want scheme://host[:port], e.g. http://127.0.0.1:8080")
		return
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		v.fail(path, raw, ErrInvalid, "no user, query or fragment allowed: want scheme://host[:port][/path]")
	}
}

var phoneNumber = regexp.MustCompile(`^\+?[0-9][0-9-]{5,18}[0-9]$`)

func (v *validator) contacts(path string, co *ContactsOverride, local bool) {
	for i, ph := range co.Phones {
		p := fmt.Sprintf("%s.phones[%d]", path, i)
		if !phoneNumber.MatchString(ph.Number) {
			v.fail(p+".number", ph.Number, ErrInvalid, "want a phone number of digits and dashes, e.g. 0120-01-9625")
		}
		switch ph.Kind {
		case carriers.PhoneLandline, carriers.PhoneMobile, carriers.PhoneEnglish, carriers.PhoneAny:
		case "":
			v.fail(p+".kind", "", ErrInvalid, "missing: want landline, mobile, english or any")
		default:
			v.fail(p+".kind", string(ph.Kind), ErrInvalid, "want landline, mobile, english or any")
		}
		if ph.Hours.IsZero() {
			if !(ph.Hours == carriers.Hours{}) {
				v.fail(p+".hours.weekday", "", ErrInvalid, "missing: weekday hours are required when hours are given")
			}
		} else if err := ph.Hours.Validate(); err != nil {
			v.fail(p+".hours", "", ErrInvalid, "%s", strings.TrimPrefix(err.Error(), "carriers: hours "))
		}
	}
	v.pageURL(path+".redelivery_url", co.RedeliveryURL, local)
	v.pageURL(path+".tracking_url", co.TrackingURL, local)
}

// pageURL checks a link put in notifications: https, unless the carrier's
// base_url is overridden (local testing).
func (v *validator) pageURL(path, raw string, local bool) {
	if raw == "" {
		return
	}
	u, err := url.Parse(strings.ReplaceAll(raw, "{number}", "0"))
	if err != nil || u.Host == "" || (u.Scheme != "https" && !(local && u.Scheme == "http")) {
		if local {
			v.fail(path, raw, ErrInvalid, "want an http or https URL")
		} else {
			v.fail(path, raw, ErrInvalid, "want an https URL (http is allowed only with base_url overridden)")
		}
	}
}

func (v *validator) notify() {
	n := &v.cfg.Notify
	oneOf := func(key, val string, allowed ...string) {
		if !slices.Contains(allowed, val) {
			v.fail("notify."+key, val, ErrInvalid, "want %s", strings.Join(allowed, " or "))
		}
	}
	oneOf("notifier", n.Notifier, "pushover", "console")
	oneOf("lang", n.Lang, "ja", "en")
	oneOf("phone", n.Phone, "landline", "mobile")
	oneOf("quiet_failure", n.QuietFailure, "low", "defer")
	v.window("notify.quiet_hours", n.QuietHours)
	if n.EmergencyRetry < 30*time.Second {
		v.fail("notify.emergency_retry", n.EmergencyRetry.String(), ErrInvalid, "Pushover needs at least 30s")
	}
	if n.EmergencyExpire <= 0 || n.EmergencyExpire > 3*time.Hour {
		v.fail("notify.emergency_expire", n.EmergencyExpire.String(), ErrInvalid, "Pushover allows more than 0s and at most 3h")
	}
	v.events("notify.events", n.Events)
	if n.Pushover.APIURL != "" {
		v.baseURL("notify.pushover.api_url", n.Pushover.APIURL)
	}
	if !v.skipSecrets {
		v.pushoverSecrets()
	}
}

var pushoverKey = regexp.MustCompile(`^[A-Za-z0-9]{30}$`)

func (v *validator) pushoverSecrets() {
	po := &v.cfg.Notify.Pushover
	po.TokenFile = resolvePath(po.TokenFile, v.dir, v.getenv)
	po.UserFile = resolvePath(po.UserFile, v.dir, v.getenv)
	required := v.cfg.Notify.Notifier == "pushover"
	for _, s := range []struct {
		src secretSource
		dst *Secret
	}{
		{secretSource{path: "notify.pushover.token", inline: po.Token, file: po.TokenFile, fileKey: "token_file",
			env: "TODOKU_PUSHOVER_TOKEN", credential: "pushover_token"}, &po.Token},
		{secretSource{path: "notify.pushover.user", inline: po.User, file: po.UserFile, fileKey: "user_file",
			env: "TODOKU_PUSHOVER_USER", credential: "pushover_user"}, &po.User},
	} {
		if !required && s.src.inline == "" && s.src.file == "" {
			continue // console notifier: secrets only checked when given
		}
		val, where, err := s.src.resolve(v.getenv)
		switch {
		case errors.Is(err, errSecretFile):
			v.fail(s.src.path+"_file", "", ErrMissingSecret, "%v", err)
		case err != nil:
			v.fail(s.src.path, "", ErrMissingSecret, "%v", err)
		case val == "":
			v.fail(s.src.path, "", ErrMissingSecret, "missing for notifier pushover: looked in %s", where)
		case !pushoverKey.MatchString(val.Reveal()):
			v.fail(s.src.path, "", ErrInvalid, "not a Pushover key: want 30 letters and digits (value not shown)")
		default:
			*s.dst = val
		}
	}
}

func (v *validator) events(path string, events map[string]EventConfig) {
	for _, kind := range sortedKeys(events) {
		p := path + "." + kind
		if !slices.Contains(EventKinds(), kind) {
			v.failKey(p, kind, ErrInvalid, "unknown event kind (known: %s)", strings.Join(EventKinds(), ", "))
			continue
		}
		if pr := events[kind].Priority; pr != nil && (*pr < -2 || *pr > 2) {
			v.fail(p+".priority", strconv.Itoa(*pr), ErrInvalid, "want a Pushover priority from -2 to 2")
		}
	}
}

func (v *validator) api() {
	a := v.cfg.API
	for i, h := range a.AllowedHosts {
		if h == "" || strings.ContainsAny(h, ":/ ") && net.ParseIP(h) == nil {
			v.fail(fmt.Sprintf("api.allowed_hosts[%d]", i), h, ErrInvalid, "want a host name or IP address without port")
		}
	}
	if len(a.AllowedHosts) > 0 && !a.AllowRemote {
		v.fail("api.allowed_hosts", strings.Join(a.AllowedHosts, ","), ErrInvalid, "only used with api.allow_remote: true")
	}
	if sock, ok := strings.CutPrefix(a.Listen, "unix:"); ok {
		if sock == "" || !strings.HasPrefix(sock, "/") {
			v.fail("api.listen", a.Listen, ErrInvalid, "want unix:/absolute/path.sock")
		}
		return
	}
	host, port, err := net.SplitHostPort(a.Listen)
	if err != nil {
		v.fail("api.listen", a.Listen, ErrInvalid, "want host:port (e.g. %s) or unix:/path.sock", DefaultListen)
		return
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		v.fail("api.listen", a.Listen, ErrInvalid, "bad port %q", port)
		return
	}
	if loopback(host) || a.AllowRemote {
		return
	}
	v.fail("api.listen", a.Listen, ErrInvalid, "not a loopback address: the API has no authentication; set api.allow_remote: true to listen there anyway")
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (v *validator) database() {
	c := v.cfg
	if c.Database == "" {
		c.Database = defaultDatabase(v.getenv)
		return
	}
	c.Database = resolvePath(c.Database, v.dir, v.getenv)
}

func (v *validator) parcels() {
	seen := map[string]int{} // normalised number → index
	for i := range v.cfg.Parcels {
		p := &v.cfg.Parcels[i]
		path := fmt.Sprintf("parcels[%d]", i)
		if n := v.nodes[path]; n != nil {
			p.Line = n.Line
		}
		if strings.TrimSpace(p.Input) == "" {
			v.fail(path+".number", "", ErrInvalidNumber, "missing: every parcel needs its tracking number")
			continue
		}
		id := carriers.Identify(p.Input)
		if !v.identified(path+".number", p.Input, id) {
			continue
		}
		p.Number = id.Number
		p.Candidates = id.Carriers()
		if p.Carrier != "" {
			if !v.pinned(path+".carrier", p.Carrier, id) {
				continue
			}
			p.Candidates = []string{p.Carrier}
		}
		v.events(path+".events", p.Events)
		if j, dup := seen[p.Number]; dup {
			v.fail(path+".number", p.Input, ErrDuplicateParcel, "the same parcel as parcels[%d] on line %d (%s)", j, v.cfg.Parcels[j].Line, p.Number)
			continue
		}
		seen[p.Number] = i
	}
}

// identified reports whether id is a trackable number, recording why not.
func (v *validator) identified(path, input string, id carriers.Identification) bool {
	if e := numberError(input, id); e != nil {
		v.fail(path, input, e.Err, "%s", e.Msg)
		return false
	}
	return true
}

// pinned reports whether the pinned carrier is known and can hold the number.
func (v *validator) pinned(path, carrier string, id carriers.Identification) bool {
	if e := carrierError(carrier, id); e != nil {
		v.fail(path, carrier, e.Err, "%s", e.Msg)
		return false
	}
	return true
}

// numberError explains why id is not a trackable number, or returns nil.
func numberError(input string, id carriers.Identification) *Error {
	explain := func(fallback string) string {
		msg := id.Error
		if msg == "" {
			msg = fallback
		}
		if id.Suggestion != "" {
			msg += " (a valid number one character away: " + id.Suggestion + ")"
		}
		return msg
	}
	switch id.Kind {
	case carriers.KindTracking:
		return nil
	case carriers.KindOrderNumber:
		return &Error{Value: input, Msg: explain("an order number, not a tracking number"), Err: ErrOrderNumber}
	}
	return &Error{Value: input, Msg: explain("not a tracking number todoku recognises"), Err: ErrInvalidNumber}
}

// carrierError explains why carrier cannot be pinned for id, or returns nil.
func carrierError(carrier string, id carriers.Identification) *Error {
	if !slices.Contains(CarrierNames(), carrier) {
		return &Error{Value: carrier, Msg: fmt.Sprintf("unknown carrier (known: %s)", strings.Join(CarrierNames(), ", ")), Err: ErrInvalid}
	}
	if !carriers.Fits(carrier, id) {
		return &Error{Value: carrier, Msg: fmt.Sprintf("number %s does not fit %s (it fits: %s)", id.Number, carrier, orNone(id.Carriers())), Err: ErrCarrierMismatch}
	}
	return nil
}

func orNone(s []string) string {
	if len(s) == 0 {
		return "no carrier"
	}
	return strings.Join(s, ", ")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
