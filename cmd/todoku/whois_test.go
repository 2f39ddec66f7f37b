package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/todoku/todoku/notify"
)

func TestCmdWhois(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		code     int
		contains []string
		lacks    []string
	}{
		{"amazon driver line", []string{"0120-070-585"}, 0,
			[]string{"0120-070-585", "Amazon配達ドライバー", "偽装"}, []string{"unknown"}},
		{"callback number, full width", []string{"０１１－３３０－３０００"}, 0,
			[]string{"折り返し", "かけ直してもつながりません"}, nil},
		{"second callback number", []string{"022-745-6366"}, 0, []string{"折り返し"}, nil},
		{"sms sender, split over args", []string{"090", "9009", "7540"}, 0, []string{"SMS"}, nil},
		{"international form", []string{"--lang", "en", "+81-50-3032-2207"}, 0, []string{"Amazonヘルプ", "spoofed"}, nil},
		{"yamato central", []string{"--lang=en", "0120-01-9625"}, 0, []string{"Yamato", "spoofed"}, []string{"unknown"}},
		{"unknown number", []string{"03-1234-5678"}, 1, []string{"unknown", "偽装"}, []string{"Amazon", "ヤマト"}},
		{"unknown, english", []string{"--lang", "en", "0120-17-9625"}, 1, []string{"unknown"}, []string{"Yamato"}},
		{"no number", nil, 2, nil, nil},
		{"bad lang", []string{"--lang", "fr", "0120-070-585"}, 2, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := cmdWhois(tt.args, &out, &errOut)
			if code != tt.code {
				t.Fatalf("exit = %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, out.String(), errOut.String())
			}
			for _, want := range tt.contains {
				if !strings.Contains(out.String(), want) {
					t.Errorf("output lacks %q:\n%s", want, out.String())
				}
			}
			for _, bad := range tt.lacks {
				if strings.Contains(out.String(), bad) {
					t.Errorf("output has %q:\n%s", bad, out.String())
				}
			}
		})
	}
}

func TestCmdWhoisJSON(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := cmdWhois([]string{"--json", "011-330-3000"}, &out, &errOut); code != 0 {
		t.Fatalf("exit = %d: %s", code, errOut.String())
	}
	var r notify.WhoisResult
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatalf("%v:\n%s", err, out.String())
	}
	if !r.Known || r.Normalized != "0113303000" || len(r.Matches) != 1 || r.Matches[0].CallBack != "no" {
		t.Errorf("result = %+v", r)
	}
}
