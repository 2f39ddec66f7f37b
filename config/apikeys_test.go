package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// leakKey looks like a DHL API key; no error or printout may show it.
const leakKey = "Xk3rT9vQ2mLp8sWz4nBc7yHd"

func TestAPIKeys(t *testing.T) {
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "dhl.key")
	if err := os.WriteFile(keyFile, []byte(leakKey+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	creds := t.TempDir()
	if err := os.WriteFile(filepath.Join(creds, "ups_client_secret"), []byte(leakKey+"-ups"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		yaml string
		env  map[string]string
		// want is carrier → whether it has credentials afterwards.
		want map[string]bool
		// errs are substrings of the error, "" for none.
		err string
	}{
		{name: "none", want: map[string]bool{"dhl": false, "fedex": false, "ups": false}},
		{name: "dhl inline", yaml: "carriers:\n  dhl:\n    api_key: " + leakKey + "\n", want: map[string]bool{"dhl": true}},
		{name: "dhl file", yaml: "carriers:\n  dhl:\n    api_key_file: dhl.key\n", want: map[string]bool{"dhl": true}},
		{name: "dhl env", env: map[string]string{"TODOKU_DHL_API_KEY": leakKey}, want: map[string]bool{"dhl": true}},
		{name: "fedex env pair", env: map[string]string{"TODOKU_FEDEX_CLIENT_ID": "id-" + leakKey, "TODOKU_FEDEX_CLIENT_SECRET": leakKey},
			want: map[string]bool{"fedex": true, "ups": false}},
		{name: "ups systemd credential", yaml: "carriers:\n  ups:\n    client_id: abc\n    transaction_src: todoku\n",
			env: map[string]string{"CREDENTIALS_DIRECTORY": creds}, want: map[string]bool{"ups": true}},
		{name: "fedex half pair", yaml: "carriers:\n  fedex:\n    client_id: " + leakKey + "\n",
			err: "c.yaml:4:5: carriers.fedex.client_secret: missing: fedex needs both client_id and client_secret"},
		{name: "both inline and file", yaml: "carriers:\n  dhl:\n    api_key: " + leakKey + "\n    api_key_file: dhl.key\n",
			err: "carriers.dhl.api_key: set either api_key or api_key_file, not both"},
		{name: "missing file", yaml: "carriers:\n  dhl:\n    api_key_file: nope.key\n",
			err: "carriers.dhl.api_key_file"},
		{name: "key of another carrier", yaml: "carriers:\n  dhl:\n    client_secret: " + leakKey + "\n",
			err: "carriers.dhl takes api_key, not client_secret"},
		{name: "key on a page carrier", yaml: "carriers:\n  yamato:\n    api_key: " + leakKey + "\n",
			err: "only carriers.dhl, fedex and ups take API credentials"},
		{name: "transaction_src off ups", yaml: "carriers:\n  fedex:\n    transaction_src: x\n",
			err: "only carriers.ups takes transaction_src"},
		{name: "key as the section", yaml: "carriers:\n  dhl: " + leakKey + "\n", err: "carriers.dhl"},
		{name: "bad interval in a secret section", yaml: "carriers:\n  dhl:\n    interval: " + leakKey + "\n", err: "want a duration"},
		{name: "misspelt key", yaml: "carriers:\n  dhl:\n    apikey: " + leakKey + "\n", err: "unknown key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			getenv := func(k string) string { return tt.env[k] }
			c, err := load([]byte(console+tt.yaml), loadOptions{getenv: getenv, dir: dir, file: "c.yaml"})
			if tt.err != "" {
				if err == nil {
					t.Fatalf("no error, want %q", tt.err)
				}
				if !strings.Contains(err.Error(), tt.err) {
					t.Errorf("error %q, want it to contain %q", err, tt.err)
				}
				if strings.Contains(err.Error(), leakKey) {
					t.Errorf("error shows the key: %q", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for name, want := range tt.want {
				if got := c.Carriers[name].HasCredentials(name); got != want {
					t.Errorf("%s: HasCredentials %v, want %v", name, got, want)
				}
			}
			for _, out := range printed(t, c) {
				if strings.Contains(out, leakKey) {
					t.Errorf("printed config shows the key: %s", out)
				}
			}
		})
	}
}

// printed formats c every way a log or a dump might.
func printed(t *testing.T, c *Config) []string {
	t.Helper()
	y, err := yaml.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	return []string{fmt.Sprintf("%v", c.Carriers), fmt.Sprintf("%+v", c.Carriers), fmt.Sprintf("%#v", c.Carriers), string(y)}
}

func TestAPIKeysResolved(t *testing.T) {
	c, err := load([]byte(console+"carriers:\n  ups:\n    client_id: cid\n    client_secret: "+leakKey+"\n    transaction_src: todoku\n"),
		loadOptions{getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	ups := c.Carriers["ups"]
	if ups.ClientID.Reveal() != "cid" || ups.ClientSecret.Reveal() != leakKey || ups.TransactionSrc != "todoku" {
		t.Errorf("ups credentials %q %q %q", ups.ClientID.Reveal(), ups.ClientSecret.Reveal(), ups.TransactionSrc)
	}
	if ups.Interval < MinAPIInterval || c.Carriers["dhl"].Interval < MinAPIInterval {
		t.Errorf("API carriers' default interval %s, want at least %s", ups.Interval, MinAPIInterval)
	}
}

func TestAPIKeysSkipSecrets(t *testing.T) {
	// Outside the service a key file may be unreadable: check still passes.
	_, err := load([]byte(console+"carriers:\n  dhl:\n    api_key_file: /nonexistent/dhl.key\n"),
		loadOptions{getenv: func(string) string { return "" }, skipSecrets: true})
	if err != nil {
		t.Fatal(err)
	}
	_, err = load([]byte(console+"carriers:\n  yamato:\n    api_key: x\n"),
		loadOptions{getenv: func(string) string { return "" }, skipSecrets: true})
	if !errors.Is(err, ErrInvalid) {
		t.Errorf("a key on a page carrier with skipSecrets: %v, want ErrInvalid", err)
	}
}
