package mail

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

// FuzzDecode feeds arbitrary bytes to Decode and Find: no panic, and
// everything they return is valid UTF-8.
func FuzzDecode(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.eml")
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: message/rfc822\r\n\r\n--x--"))
	f.Add([]byte("Subject: =?iso-2022-jp?B?GyRCJUYlOSVIGyhC?=\r\n\r\n\x1b$B%F\x1b(B"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, err := Decode(bytes.NewReader(raw))
		if err != nil {
			return
		}
		if !utf8.ValidString(m.Subject) {
			t.Errorf("subject %q is not UTF-8", m.Subject)
		}
		if !utf8.ValidString(m.Text) {
			t.Errorf("text %q is not UTF-8", m.Text)
		}
		for _, found := range Find(m) {
			if found.Number == "" || len(found.Carriers) == 0 {
				t.Errorf("found %+v without number or carriers", found)
			}
		}
	})
}

// BenchmarkDecodeFind decodes the whole corpus and finds its numbers.
func BenchmarkDecodeFind(b *testing.B) {
	files, _ := filepath.Glob("testdata/*.eml")
	var raws [][]byte
	size := 0
	for _, p := range files {
		r, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		raws = append(raws, r)
		size += len(r)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, r := range raws {
			m, err := Decode(bytes.NewReader(r))
			if err != nil {
				b.Fatal(err)
			}
			Find(m)
		}
	}
}
