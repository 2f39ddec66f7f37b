package main

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

func TestCmdIdentifyJSON(t *testing.T) {
	mail := "ご注文番号: 250-1234567-1234567\nお問い合わせ伝票番号：１２３４－５６７８－９Ｏ１３\nTEL 0120-01-9625"
	var stdout, stderr bytes.Buffer
	code := cmdIdentify([]string{"--json", "EJ123456785JP", mail, "hello", "1234-5678-9014",
		"DHL Express / Tracking number: 3318810025", "1Z5R89390357567127"}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit code = %d; want 0 (stderr %q)", code, stderr.String())
	}
	var raw []map[string]any
	if err := json.Unmarshal(stdout.Bytes(), &raw); err != nil {
		t.Fatalf("output is not a JSON array: %v\n%s", err, stdout.String())
	}
	wantKeys := []string{"carriers", "corrections", "display", "error", "input", "kind", "number"}
	for i, obj := range raw {
		var keys []string
		for k := range obj {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if !slices.Equal(keys, wantKeys) {
			t.Errorf("object %d has fields %q; want exactly %q", i, keys, wantKeys)
		}
		for _, k := range []string{"carriers", "corrections"} {
			if _, ok := obj[k].([]any); !ok {
				t.Errorf("object %d field %s = %v; want a JSON array, never null", i, k, obj[k])
			}
		}
	}
	var got []identifyFinding
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	type row struct{ input, number, display, kind, carriers, errHas string }
	want := []row{
		{"EJ123456785JP", "EJ123456785JP", "EJ123456785JP", "tracking", "japanpost", ""},
		{"250-1234567-1234567", "", "", "order-number", "", "注文履歴"},
		{"１２３４－５６７８－９Ｏ１３", "123456789013", "1234-5678-9013", "tracking", "yamato,japanpost,sagawa", ""},
		{"hello", "", "", "invalid", "", "format"},
		{"1234-5678-9014", "", "", "invalid", "", "check digit"},
		// Issue 11: the new carriers appear in "carriers", ranked by the
		// text; the seven fields stay.
		{"3318810025", "3318810025", "3318810025", "tracking", "dhl,sagawa,seino", ""},
		{"1Z5R89390357567127", "1Z5R89390357567127", "1Z5R89390357567127", "tracking", "ups", ""},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d findings; want %d:\n%s", len(got), len(want), stdout.String())
	}
	for i, w := range want {
		g := got[i]
		if g.Input != w.input || g.Number != w.number || g.Display != w.display || g.Kind != w.kind ||
			strings.Join(g.Carriers, ",") != w.carriers || !strings.Contains(g.Error, w.errHas) || (w.errHas == "") != (g.Error == "") {
			t.Errorf("finding %d = %+v; want %+v", i, g, w)
		}
	}
	if c := got[2].Corrections; len(c) != 1 || !strings.Contains(c[0], "O→0") {
		t.Errorf("finding 2 corrections = %q; want the O→0 correction", c)
	}
}

func TestCmdIdentifyHuman(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		code    int
		lines   int
		wantOut []string
	}{
		{"tracking number", []string{"1234-5678-9O13"}, 0, 1,
			[]string{"1234-5678-9013  yamato > japanpost > sagawa", "O→0 at position 10"}},
		{"amazon", []string{"DA1234567890"}, 0, 1, []string{"DA1234567890  amazon", "no public tracking"}},
		{"order number only", []string{"250-1234567-1234567"}, 1, 1, []string{"order-number:", "注文履歴"}},
		{"wrong check digit with suggestion", []string{"123456789014"}, 1, 1,
			[]string{"123456789014  invalid: wrong check digit", "1234-5678-9013"}},
		{"phone", []string{"0120-01-9625"}, 1, 1, []string{"invalid", "telephone"}},
		{"two texts", []string{"EJ123456785JP", "nothing here\nat all"}, 0, 2,
			[]string{"EJ123456785JP  japanpost", "nothing here at all  invalid: no tracking number was found in the text"}},
		// Extract rules out an order-labelled number; the whole text must
		// not then be identified with its label stripped.
		{"order-labelled number", []string{"注文番号 123456789013"}, 1, 1,
			[]string{"注文番号 123456789013  invalid: no tracking number was found in the text"}},
		{"member-labelled number, full-width space", []string{"会員番号\u3000123456789013"}, 1, 1,
			[]string{"invalid: no tracking number was found in the text"}},
		{"single token padded", []string{"  123456789013\n"}, 0, 1, []string{"1234-5678-9013  yamato"}},
		{"carrier named in the text", []string{"DHL Express / Tracking number: 3318810025"}, 0, 1,
			[]string{"3318810025  dhl > sagawa > seino  (context: 「DHL」 nearby)"}},
		{"shop and carrier", []string{"楽天市場\n\n\n\n\n佐川急便 お問い合わせ番号 3318810025"}, 0, 1,
			[]string{"3318810025  sagawa > seino > dhl  (context: 「佐川急便」 nearby, 「楽天」 (shop) elsewhere in the text)"}},
		{"no context for a bare number", []string{"3318810025"}, 0, 1, []string{"3318810025  sagawa > seino > dhl\n"}},
		{"order label on the line before", []string{"ご注文番号\n123456789013"}, 1, 1,
			[]string{"invalid: no tracking number was found in the text"}},
		{"S10 without a country", []string{"RB123456785ZZ"}, 1, 1, []string{"ZZ is not an ISO 3166-1 country code"}},
		{"UPS", []string{"1z 5r8 939 03 5756 7127"}, 0, 1, []string{"1Z5R89390357567127  ups"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := cmdIdentify(tt.args, &stdout, &stderr)
			out := stdout.String()
			if code != tt.code {
				t.Errorf("exit code = %d; want %d (stdout %q, stderr %q)", code, tt.code, out, stderr.String())
			}
			if n := strings.Count(out, "\n"); n != tt.lines {
				t.Errorf("got %d lines; want %d:\n%s", n, tt.lines, out)
			}
			for _, w := range tt.wantOut {
				if !strings.Contains(out, w) {
					t.Errorf("output %q does not contain %q", out, w)
				}
			}
		})
	}
}

func TestCmdIdentifyUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"no text", nil, 2},
		{"only the flag", []string{"--json"}, 2},
		{"unknown flag", []string{"--carrier", "yamato", "123456789013"}, 2},
		{"help", []string{"-h"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := cmdIdentify(tt.args, &stdout, &stderr); code != tt.code {
				t.Errorf("exit code = %d; want %d", code, tt.code)
			}
			if !strings.Contains(stderr.String(), "usage: todoku identify") {
				t.Errorf("stderr %q does not show the usage", stderr.String())
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout = %q; want nothing", stdout.String())
			}
		})
	}
}
