package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

// whois knows the overseas carriers' customer-service numbers, with or
// without a config, and says when a number is unconfirmed.
func TestWhoisAPICarriers(t *testing.T) {
	_, cfg := pageStandIn(t)
	for _, tt := range []struct{ phone, name string }{
		{"0120-39-2580", "DHL"},
		{"0120-003200", "FedEx"},
		{"0120-27-1040", "UPS"},
	} {
		for _, c := range []string{cfg, filepath.Join(t.TempDir(), "missing.yaml")} {
			var out, errb bytes.Buffer
			if code := cmdWhois([]string{"--lang", "en", "--config", c, tt.phone}, &out, &errb); code != 0 {
				t.Fatalf("%s: exit %d: %s%s", tt.phone, code, out.String(), errb.String())
			}
			if !strings.Contains(out.String(), tt.name) {
				t.Errorf("%s: output lacks %s:\n%s", tt.phone, tt.name, out.String())
			}
		}
	}
}
