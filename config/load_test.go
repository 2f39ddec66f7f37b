package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/todoku/todoku/carriers"
)

// identifyMsg is the explanation carriers.Identify gives for a number:
// the config error must repeat it after the position, key and value.
func identifyMsg(number string) string {
	id := carriers.Identify(number)
	if id.Suggestion == "" {
		return id.Error
	}
	return id.Error + " (a valid number one character away: " + id.Suggestion + ")"
}

// clearEnv removes every variable Load reads, so tests do not depend on
// the machine they run on.
func clearEnv(t *testing.T) {
	t.Helper()
	for _, k := range []string{"TODOKU_PUSHOVER_TOKEN", "TODOKU_PUSHOVER_USER", "CREDENTIALS_DIRECTORY",
		"STATE_DIRECTORY", "XDG_STATE_HOME"} {
		t.Setenv(k, "")
	}
	t.Setenv("HOME", "/home/test")
}

const console = "notify: {notifier: console}\n"

// leakToken and leakUser look like Pushover keys; no error may show them.
const (
	leakToken = "azGDORePK8gMaC0QOYAMyEEuzJnyUi"
	leakUser  = "uQiRzpo4DXghDmr9QzzfQu27cmVRsG"
)

func TestLoadBroken(t *testing.T) {
	clearEnv(t)
	tests := []struct {
		name string
		yaml string
		want string // the exact error text
		is   error
	}{
		{"tab indent", "notify:\n\tnotifier: console\n",
			"2:1: tab character in indentation: YAML indents with spaces only (yaml: found character that cannot start any token)", ErrSyntax},
		{"tab after spaces", console + "cadence:\n  in_transit: 1h\n \tnot_found: 2h\n",
			"4:2: tab character in indentation: YAML indents with spaces only (yaml: found a tab character that violates indentation)", ErrSyntax},
		{"unclosed flow", "parcels: [\n",
			"1: syntax error: did not find expected node content", ErrSyntax},
		{"two documents", console + "---\nschedule: '@every 5m'\n",
			"2:1: more than one YAML document (remove the extra ---)", ErrSyntax},
		{"unknown top key", console + "shedule: '*/5 * * * *'\n",
			"2:1: shedule: unknown key (known here: api, cadence, carriers, database, mail, night, not_found_too_long, notify, parcels, retention, schedule, stale_after, time_zone)", ErrUnknownKey},
		{"unknown nested key", "notify:\n  notifier: console\n  notifer: x\n",
			"3:3: notify.notifer: unknown key (known here: emergency_expire, emergency_retry, events, lang, notifier, phone, pushover, quiet_failure, quiet_hours)", ErrUnknownKey},
		{"unknown parcel key", console + "parcels:\n  - number: 432109876542\n    lable: lens\n",
			"4:5: parcels[0].lable: unknown key (known here: carrier, events, label, number)", ErrUnknownKey},
		{"repeated key", console + "schedule: '@every 5m'\nschedule: '@every 6m'\n",
			"3:1: schedule: key repeated (first at line 2)", ErrInvalid},
		{"duration without unit", console + "cadence: {in_transit: 5}\n",
			`2:23: cadence.in_transit "5": want a duration like 90s, 15m or 2h (units are required)`, ErrType},
		{"list for string", console + "schedule: [a, b]\n",
			"2:11: schedule: want a string, got a list", ErrType},
		{"string for bool", console + "retention: {prune_history: sometimes}\n",
			`2:28: retention.prune_history "sometimes": want true or false`, ErrType},
		{"string for int", console + "carriers: {yamato: {burst: many}}\n",
			`2:28: carriers.yamato.burst "many": want a whole number`, ErrType},
		{"scalar for mapping", console + "night: late\n",
			`2:8: night "late": want a mapping of keys, got a scalar`, ErrType},
		{"alias", console + "night: &n {start: '23:00', end: '06:00'}\n",
			"2:8: night: YAML anchors and aliases are not supported in todoku's config", ErrType},
		{"bad cron", console + "schedule: '*/5 * * *'\n",
			`2:11: schedule "*/5 * * *": expected exactly 5 fields, found 4: [*/5 * * *] (want five fields such as "*/5 * * * *" or "@every 5m")`, ErrSchedule},
		{"cron out of range", console + "schedule: '61 * * * *'\n",
			`2:11: schedule "61 * * * *": end of range (61) above maximum (59): 61 (want five fields such as "*/5 * * * *" or "@every 5m")`, ErrSchedule},
		{"cron TZ prefix", console + "schedule: 'TZ='\n",
			`2:11: schedule "TZ=": set time_zone instead of a TZ= prefix`, ErrSchedule},
		{"bad time zone", console + "time_zone: Asia/Tokio\n",
			`2:12: time_zone "Asia/Tokio": unknown time zone (want an IANA name such as Asia/Tokyo)`, ErrInvalid},
		{"night half set", console + "night: {start: '23:00', end: ''}\n",
			"2:8: night: set both start and end, or neither (or write night: ~ for none)", ErrInvalid},
		{"night bad time", console + "night: {start: '25:00', end: '06:00'}\n",
			`2:16: night.start "25:00": want a time of day as HH:MM, e.g. 23:00`, ErrInvalid},
		{"negative cadence", console + "cadence: {exception: -1h}\n",
			`2:22: cadence.exception "-1h0m0s": must be at least 1m0s: no carrier needs asking more often`, ErrInvalid},
		{"cadence under a minute", console + "cadence: {out_for_delivery: 30s}\n",
			`2:29: cadence.out_for_delivery "30s": must be at least 1m0s: no carrier needs asking more often`, ErrInvalid},
		{"max below base", console + "cadence: {not_found: 3h, not_found_max: 1h}\n",
			`2:41: cadence.not_found_max "1h0m0s": must not be less than cadence.not_found (3h0m0s)`, ErrInvalid},
		{"unknown carrier", console + "carriers:\n  tonami: {interval: 10s}\n",
			`3:3: carriers.tonami "tonami": unknown carrier (known: ` + strings.Join(CarrierNames(), ", ") + `)`, ErrInvalid},
		{"interval too short", console + "carriers:\n  sagawa: {interval: 100ms}\n",
			`3:22: carriers.sagawa.interval "100ms": at least 1s between requests to a real carrier site`, ErrInvalid},
		{"bad base url", console + "carriers:\n  sagawa: {base_url: '127.0.0.1:8080'}\n",
			`3:22: carriers.sagawa.base_url "127.0.0.1:8080": want scheme://host[:port], e.g. http://127.0.0.1:8080`, ErrInvalid},
		{"http contact link", console + "carriers:\n  yamato:\n    contacts: {redelivery_url: 'http://example.com/'}\n",
			`4:32: carriers.yamato.contacts.redelivery_url "http://example.com/": want an https URL (http is allowed only with base_url overridden)`, ErrInvalid},
		{"bad phone", console + "carriers:\n  yamato:\n    contacts:\n      phones:\n        - {number: call-me, kind: landline}\n",
			`6:20: carriers.yamato.contacts.phones[0].number "call-me": want a phone number of digits and dashes, e.g. 0120-01-9625`, ErrInvalid},
		{"bad hours", console + "carriers:\n  yamato:\n    contacts:\n      phones:\n        - number: 0120-01-9625\n          kind: landline\n          hours: {weekday: '21:00-08:00'}\n",
			`8:18: carriers.yamato.contacts.phones[0].hours: "21:00-08:00": closing time must follow opening time`, ErrInvalid},
		{"bad notifier", "notify: {notifier: email}\n",
			`1:20: notify.notifier "email": want pushover or console`, ErrInvalid},
		{"bad lang", "notify: {notifier: console, lang: fr}\n",
			`1:35: notify.lang "fr": want ja or en`, ErrInvalid},
		{"repeated section", console + "notify: {lang: en}\n",
			"2:1: notify: key repeated (first at line 1)", ErrInvalid},
		{"unknown event", "notify:\n  notifier: console\n  events:\n    arrived: {enabled: true}\n",
			`4:5: notify.events.arrived "arrived": unknown event kind (known: delivery_failed, awaiting_pickup, returned, exception, delivered, out_for_delivery, stale, not_found_too_long, added_from_mail)`, ErrInvalid},
		{"priority out of range", "notify:\n  notifier: console\n  events:\n    delivered: {priority: 3}\n",
			`4:27: notify.events.delivered.priority "3": want a Pushover priority from -2 to 2`, ErrInvalid},
		{"emergency retry too short", "notify:\n  notifier: console\n  emergency_retry: 10s\n",
			`3:20: notify.emergency_retry "10s": Pushover needs at least 30s`, ErrInvalid},
		{"emergency expire too long", "notify:\n  notifier: console\n  emergency_expire: 24h\n",
			`3:21: notify.emergency_expire "24h0m0s": Pushover allows more than 0s and at most 3h`, ErrInvalid},
		{"missing secrets", "notify: {notifier: pushover}\n",
			"1:9: notify.pushover.token: missing for notifier pushover: looked in token, token_file, $TODOKU_PUSHOVER_TOKEN, $CREDENTIALS_DIRECTORY/pushover_token ($CREDENTIALS_DIRECTORY is unset)\n" +
				"1:9: notify.pushover.user: missing for notifier pushover: looked in user, user_file, $TODOKU_PUSHOVER_USER, $CREDENTIALS_DIRECTORY/pushover_user ($CREDENTIALS_DIRECTORY is unset)", ErrMissingSecret},
		{"secret both ways", "notify:\n  pushover:\n    token: abcdefghijabcdefghijabcdefghij\n    token_file: /nonexistent\n    user: abcdefghijabcdefghijabcdefghij\n",
			"3:12: notify.pushover.token: set either token or token_file, not both", ErrMissingSecret},
		{"secret file missing", "notify:\n  pushover:\n    token_file: /nonexistent/token\n    user: abcdefghijabcdefghijabcdefghij\n",
			"3:17: notify.pushover.token_file: cannot read secret file: no such file or directory", ErrMissingSecret},
		{"malformed secret", "notify:\n  pushover:\n    token: hunter2\n    user: abcdefghijabcdefghijabcdefghij\n",
			"3:12: notify.pushover.token: not a Pushover key: want 30 letters and digits (value not shown)", ErrInvalid},
		{"bad pushover url", "notify:\n  notifier: console\n  pushover: {api_url: 'ftp://x'}\n",
			`3:23: notify.pushover.api_url "<secret>": want scheme://host[:port], e.g. http://127.0.0.1:8080`, ErrInvalid},
		{"pushover url with a password", "notify:\n  notifier: console\n  pushover: {api_url: 'https://u:" + leakToken + "@api.example'}\n",
			`3:23: notify.pushover.api_url "<secret>": no user, query or fragment allowed: want scheme://host[:port][/path]`, ErrInvalid},
		{"pushover given the token", "notify:\n  notifier: console\n  pushover: " + leakToken + "\n",
			`3:13: notify.pushover "<secret>": want a mapping of keys, got a scalar`, ErrType},
		{"pushover token without a colon", "notify:\n  notifier: console\n  pushover:\n    token " + leakToken + "\n",
			`4:5: notify.pushover "<secret>": want a mapping of keys, got a scalar`, ErrType},
		{"pushover token as a key", "notify:\n  notifier: console\n  pushover:\n    " + leakToken + ": " + leakUser + "\n",
			"4:5: notify.pushover: unknown key, not shown (known here: api_url, token, token_file, user, user_file)", ErrUnknownKey},
		{"pushover token as a key twice", "notify:\n  notifier: console\n  pushover:\n    " + leakToken + ": a\n    " + leakToken + ": b\n",
			"4:5: notify.pushover: unknown key, not shown (known here: api_url, token, token_file, user, user_file)\n" +
				"5:5: notify.pushover: key repeated (first at line 4), not shown", ErrUnknownKey},
		{"pushover token as a list", "notify:\n  notifier: console\n  pushover: {token: [" + leakToken + "]}\n",
			"3:21: notify.pushover.token: want a string, got a list", ErrType},
		{"pushover token_file given the token", "notify:\n  notifier: console\n  pushover:\n    token_file: " + leakToken + "\n",
			"4:17: notify.pushover.token_file: cannot read secret file: no such file or directory", ErrMissingSecret},
		{"api remote", console + "api: {listen: '0.0.0.0:8347'}\n",
			`2:15: api.listen "0.0.0.0:8347": not a loopback address: the API has no authentication; set api.allow_remote: true to listen there anyway`, ErrInvalid},
		{"api relative socket", console + "api: {listen: 'unix:api.sock'}\n",
			`2:15: api.listen "unix:api.sock": want unix:/absolute/path.sock`, ErrInvalid},
		{"order number", console + "parcels:\n  - number: 250-1234567-1234567\n",
			`3:13: parcels[0].number "250-1234567-1234567": ` + identifyMsg("250-1234567-1234567"), ErrOrderNumber},
		{"bad check digit", console + "parcels:\n  - number: 4321-0987-6543\n",
			`3:13: parcels[0].number "4321-0987-6543": ` + identifyMsg("4321-0987-6543"), ErrInvalidNumber},
		{"missing number", console + "parcels:\n  - label: lens\n",
			"3:5: parcels[0].number: missing: every parcel needs its tracking number", ErrInvalidNumber},
		{"duplicate parcel", console + "parcels:\n  - number: 432109876542\n    label: a\n  - number: ４３２１－０９８７－６５４２\n",
			`5:13: parcels[1].number "４３２１－０９８７－６５４２": the same parcel as parcels[0] on line 3 (432109876542)`, ErrDuplicateParcel},
		{"pinned carrier mismatch", console + "parcels:\n  - {number: 432109876542, carrier: amazon}\n",
			`3:37: parcels[0].carrier "amazon": number 432109876542 does not fit amazon (it fits: yamato, japanpost, sagawa)`, ErrCarrierMismatch},
		{"pinned carrier unknown", console + "parcels:\n  - {number: 432109876542, carrier: tonami}\n",
			`3:37: parcels[0].carrier "tonami": unknown carrier (known: ` + strings.Join(CarrierNames(), ", ") + `)`, ErrInvalid},
		{"several errors sorted", console + "parcels:\n  - number: 432109876542\n  - number: 432109876542\nschedule: nope\n",
			"4:13: parcels[1].number \"432109876542\": the same parcel as parcels[0] on line 3 (432109876542)\n" +
				`5:11: schedule "nope": expected exactly 5 fields, found 1: [nope] (want five fields such as "*/5 * * * *" or "@every 5m")`, ErrDuplicateParcel},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load([]byte(tt.yaml))
			if err == nil {
				t.Fatalf("Load(%q) = %+v, want error\n%s", tt.yaml, c, tt.want)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("Load(%q) error\n got: %s\nwant: %s", tt.yaml, got, tt.want)
			}
			if !errors.Is(err, tt.is) {
				t.Errorf("errors.Is(err, %v) = false for %v", tt.is, err)
			}
		})
	}
}

func TestLoadDefaults(t *testing.T) {
	clearEnv(t)
	c, err := Load([]byte(console))
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"database", c.Database, "/home/test/.local/state/todoku/todoku.db"},
		{"time zone", c.Location.String(), "Asia/Tokyo"},
		{"schedule", c.Schedule, "*/5 * * * *"},
		{"night", c.Night, Window{"23:00", "06:00"}},
		{"quiet hours", c.Notify.QuietHours, Window{"22:00", "07:00"}},
		{"lang", c.Notify.Lang, "ja"},
		{"listen", c.API.Listen, "127.0.0.1:8347"},
		{"archive", c.Retention.ArchiveAfter, 720 * time.Hour},
		{"stale", c.StaleAfter, 72 * time.Hour},
		{"carriers", len(c.Carriers), len(CarrierNames())},
		{"yamato", c.Carriers["yamato"], CarrierConfig{Interval: 10 * time.Second, Burst: 1, Timeout: 30 * time.Second}},
		{"in transit", c.Cadence.InTransit, time.Hour},
		{"path", c.Path, ""},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s = %v, want %v", ch.name, ch.got, ch.want)
		}
	}
}

func TestLoadOverrides(t *testing.T) {
	clearEnv(t)
	t.Setenv("STATE_DIRECTORY", "/var/lib/todoku:/var/lib/other")
	c, err := Load([]byte(`
time_zone: UTC
schedule: "@every 2m"
night: ~
carriers:
  sagawa: {interval: 30s}
  yamato: {base_url: "http://127.0.0.1:9999", interval: 0s, contacts: {redelivery_url: "http://127.0.0.1:9999/r"}}
notify:
  notifier: console
  quiet_hours: ~
  events:
    delivered: {enabled: false}
api: {listen: "unix:/run/todoku/api.sock"}
parcels:
  - number: "4321 0987 6542"
    label: lens
  - number: 3600-1234-5674
    carrier: sagawa
    events: {delivered: {priority: -2}}
  - 5123 4567 8902
`))
	if err != nil {
		t.Fatal(err)
	}
	if !c.Night.IsZero() || !c.Notify.QuietHours.IsZero() {
		t.Errorf("night %+v, quiet hours %+v: want both empty after ~", c.Night, c.Notify.QuietHours)
	}
	if got := c.Carriers["sagawa"]; got.Interval != 30*time.Second || got.Burst != 1 || got.Timeout != 30*time.Second {
		t.Errorf("sagawa = %+v: want interval 30s and the other defaults kept", got)
	}
	if got := c.Carriers["yamato"]; got.Interval != 0 || got.BaseURL != "http://127.0.0.1:9999" {
		t.Errorf("yamato = %+v", got)
	}
	if c.Database != "/var/lib/todoku/todoku.db" {
		t.Errorf("database = %q", c.Database)
	}
	if e := c.Notify.Events["delivered"]; e.Enabled == nil || *e.Enabled || e.Priority != nil {
		t.Errorf("events.delivered = %+v, want enabled=false, priority unset", e)
	}
	if len(c.Parcels) != 3 {
		t.Fatalf("got %d parcels", len(c.Parcels))
	}
	if p2 := c.Parcels[2]; p2.Number != "512345678902" || p2.Input != "5123 4567 8902" || p2.Line != 20 {
		t.Errorf("parcel given as a bare number = %+v", p2)
	}
	p0, p1 := c.Parcels[0], c.Parcels[1]
	if p0.Input != "4321 0987 6542" || p0.Number != "432109876542" || p0.Label != "lens" || p0.Line != 15 || len(p0.Candidates) < 2 {
		t.Errorf("parcel 0 = %+v", p0)
	}
	if p1.Carrier != "sagawa" || strings.Join(p1.Candidates, ",") != "sagawa" || *p1.Events["delivered"].Priority != -2 {
		t.Errorf("parcel 1 = %+v", p1)
	}
	if c.Location != time.UTC || c.Schedule != "@every 2m" {
		t.Errorf("location %v, schedule %q", c.Location, c.Schedule)
	}
}

func TestSecretSources(t *testing.T) {
	const token, user = "tttttttttttttttttttttttttttttt", "uuuuuuuuuuuuuuuuuuuuuuuuuuuuuu"
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("token", token+"\n")
	write("user", "  "+user+"\n")
	creds := t.TempDir()
	if err := os.WriteFile(filepath.Join(creds, "pushover_token"), []byte(token), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(creds, "pushover_user"), []byte(user), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		env  map[string]string
		yaml string
	}{
		{"inline", nil, "notify: {pushover: {token: " + token + ", user: " + user + "}}\n"},
		{"files relative to the config", nil, "notify: {pushover: {token_file: token, user_file: user}}\n"},
		{"environment", map[string]string{"TODOKU_PUSHOVER_TOKEN": token, "TODOKU_PUSHOVER_USER": user}, "notify: {notifier: pushover}\n"},
		{"systemd credentials", map[string]string{"CREDENTIALS_DIRECTORY": creds}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clearEnv(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			path := write("config.yaml", tt.yaml)
			c, err := LoadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			po := c.Notify.Pushover
			if po.Token.Reveal() != token || po.User.Reveal() != user {
				t.Errorf("token %q user %q, want %q %q", po.Token.Reveal(), po.User.Reveal(), token, user)
			}
			if c.Path != path {
				t.Errorf("Path = %q, want %q", c.Path, path)
			}
		})
	}
}

func TestSecretNeverPrinted(t *testing.T) {
	s := Secret("abcdefghijabcdefghijabcdefghij")
	y, _ := s.MarshalYAML()
	j, _ := s.MarshalJSON()
	txt, _ := s.MarshalText()
	for _, got := range []string{s.String(), fmt.Sprintf("%v|%s|%#v|%+v", s, s, s, PushoverConfig{Token: s}), y.(string), string(j), string(txt)} {
		if strings.Contains(got, s.Reveal()) || !strings.Contains(got, "<secret>") {
			t.Errorf("formatted secret %q: want <secret> and never the value", got)
		}
	}
	// A malformed secret's error must not show it either.
	clearEnv(t)
	_, err := Load([]byte("notify: {pushover: {token: hunter2hunter2, user: hunter3hunter3}}\n"))
	if err == nil || strings.Contains(err.Error(), "hunter") {
		t.Errorf("error %v: want an error that hides the values", err)
	}
}

func TestLoadFileErrorsNameTheFile(t *testing.T) {
	clearEnv(t)
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte(console+"parcels:\n  - number: 250-1234567-1234567\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := LoadFile(path)
	want := path + `:3:13: parcels[0].number "250-1234567-1234567": `
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("LoadFile error = %v, want prefix %q", err, want)
	}
	if _, err := LoadFile(filepath.Join(t.TempDir(), "missing.yaml")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v, want os.ErrNotExist", err)
	}
}

func TestHash(t *testing.T) {
	clearEnv(t)
	a, err := Load([]byte(console))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Load([]byte(console))
	c, _ := Load([]byte(console + "# comment\n"))
	if a.Hash() != b.Hash() || a.Hash() == c.Hash() || a.Hash() == [32]byte{} {
		t.Errorf("hashes: same bytes %x %x, other bytes %x", a.Hash(), b.Hash(), c.Hash())
	}
}

func TestDefaultPaths(t *testing.T) {
	tests := []struct {
		name          string
		env           map[string]string
		config, state string
	}{
		{"systemd", map[string]string{"CONFIGURATION_DIRECTORY": "/etc/todoku", "STATE_DIRECTORY": "/var/lib/todoku"},
			"/etc/todoku/config.yaml", "/var/lib/todoku/todoku.db"},
		{"explicit", map[string]string{"TODOKU_CONFIG": "/srv/todoku.yaml", "CONFIGURATION_DIRECTORY": "/etc/todoku", "XDG_STATE_HOME": "/home/u/.state"},
			"/srv/todoku.yaml", "/home/u/.state/todoku/todoku.db"},
		{"plain user", map[string]string{"HOME": "/home/u"},
			"/etc/todoku/config.yaml", "/home/u/.local/state/todoku/todoku.db"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, k := range []string{"TODOKU_CONFIG", "CONFIGURATION_DIRECTORY", "STATE_DIRECTORY", "XDG_STATE_HOME", "HOME"} {
				t.Setenv(k, tt.env[k])
			}
			if got := DefaultPath(); got != tt.config {
				t.Errorf("DefaultPath() = %q, want %q", got, tt.config)
			}
			if got := defaultDatabase(os.Getenv); got != tt.state {
				t.Errorf("default database = %q, want %q", got, tt.state)
			}
		})
	}
}

// TestRelativePaths resolves database and secret files against the
// directory of the config file.
func TestRelativePaths(t *testing.T) {
	clearEnv(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "tok"), []byte("abcdefghijabcdefghijabcdefghij"), 0o600); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte("database: data/todoku.db\nnotify: {pushover: {token_file: tok, user_file: tok}}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "data", "todoku.db"); c.Database != want {
		t.Errorf("database = %q, want %q", c.Database, want)
	}
	if want := filepath.Join(dir, "tok"); c.Notify.Pushover.TokenFile != want {
		t.Errorf("token_file = %q, want %q", c.Notify.Pushover.TokenFile, want)
	}
}

// TestNullKeepsDefaults: a section whose every line is commented out keeps
// its defaults; a window set to ~ is empty.
func TestNullKeepsDefaults(t *testing.T) {
	clearEnv(t)
	c, err := Load([]byte("notify:\n  # notifier: pushover\ncarriers:\ncadence: ~\nschedule:\nnight: ~\nparcels:\n"))
	if err == nil {
		t.Fatalf("want the default notifier pushover to need secrets, got %+v", c.Notify)
	}
	c, err = Load([]byte("notify: {notifier: console, events: ~}\ncarriers:\ncadence: ~\nschedule:\nnight: ~\nparcels:\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Carriers) != len(CarrierNames()) || c.Carriers["yamato"].Interval != 10*time.Second || c.Cadence.InTransit != time.Hour ||
		c.Schedule != DefaultSchedule || !c.Night.IsZero() || c.Parcels != nil || c.Notify.Events != nil {
		t.Errorf("got carriers %v cadence %+v schedule %q night %+v parcels %v", c.Carriers, c.Cadence, c.Schedule, c.Night, c.Parcels)
	}
}

func TestShort(t *testing.T) {
	clearEnv(t)
	_, err := Load([]byte(console + "schedule: nope\ntime_zone: Mars/Base\n"))
	want := `2:11: schedule "nope": expected exactly 5 fields, found 1: [nope] (want five fields such as "*/5 * * * *" or "@every 5m") (and 1 more)`
	if got := Short(err); got != want {
		t.Errorf("Short:\n got: %s\nwant: %s", got, want)
	}
	if got := Short(errors.New("a\nb")); got != "a b" {
		t.Errorf("Short(plain) = %q", got)
	}
}

// TestErrorsNeverShowSecrets loads configs that put a Pushover key in
// every wrong place under notify.pushover, and scans every error text.
func TestErrorsNeverShowSecrets(t *testing.T) {
	clearEnv(t)
	const tok = leakToken
	docs := []string{
		"notify:\n  pushover: " + tok + "\n",
		"notify:\n  pushover: '" + tok + "'\n",
		"notify:\n  pushover: [" + tok + "]\n",
		"notify:\n  pushover:\n    token " + tok + "\n",
		"notify:\n  pushover:\n    - token: " + tok + "\n",
		"notify:\n  pushover:\n    " + tok + ": " + leakUser + "\n",
		"notify:\n  pushover:\n    " + tok + ": a\n    " + tok + ": b\n",
		"notify:\n  pushover:\n    token: [" + tok + "]\n",
		"notify:\n  pushover:\n    token: {" + tok + ": x}\n",
		"notify:\n  pushover:\n    token: {value: " + tok + "}\n",
		"notify:\n  pushover:\n    user: [" + tok + "]\n",
		"notify:\n  pushover:\n    token: " + tok + "x\n",
		"notify:\n  pushover:\n    token: " + tok + "\n    token_file: /nonexistent/" + tok + "\n",
		"notify:\n  pushover:\n    token_file: " + tok + "\n    user: " + tok + "\n",
		"notify:\n  pushover:\n    token_file: /nonexistent/" + tok + "\n",
		"notify:\n  pushover:\n    token_file: [" + tok + "]\n",
		"notify:\n  pushover:\n    user_file: {" + tok + ": 1}\n",
		"notify:\n  pushover:\n    api_url: " + tok + "\n",
		"notify:\n  pushover:\n    api_url: 'https://api.example/?token=" + tok + "'\n",
		"notify:\n  pushover:\n    api_url: [" + tok + "]\n",
		"notify:\n  pushover:\n    token: " + tok + "\n    token: " + tok + "\n",
		"notify:\n  pushover:\n    token: \"" + tok + "\n",
		"notify:\n  pushover:\n    token: " + tok + ": x\n",
		"notify:\n  pushover:\n\ttoken: " + tok + "\n",
		"notify:\n  pushover: &p {token: " + tok + "}\n",
		"notify:\n  pushover: !!int " + tok + "\n",
	}
	for i, doc := range docs {
		_, err := Load([]byte(doc))
		if err == nil {
			t.Errorf("doc %d loaded, want an error, so the test proves nothing:\n%s", i, doc)
			continue
		}
		var texts []string
		texts = append(texts, err.Error(), fmt.Sprintf("%v|%+v|%#v", err, err, err), Short(err))
		var l ErrorList
		if errors.As(err, &l) {
			for _, e := range l {
				texts = append(texts, e.Value, e.Path, e.Msg)
			}
		}
		for _, s := range texts {
			if strings.Contains(s, tok[:12]) || strings.Contains(s, leakUser[:12]) {
				t.Errorf("doc %d: error shows the key:\n%s\nerror: %s", i, doc, s)
				break
			}
		}
	}
}
