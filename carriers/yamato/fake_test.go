package yamato

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/todoku/todoku/carriers/fake"
)

// TestFakeNumbers checks that the fake site reads the form Track sends and
// refuses requests the real form would not make.
func TestFakeNumbers(t *testing.T) {
	post := func(form url.Values) *http.Request {
		r := httptest.NewRequest(http.MethodPost, Path, strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return r
	}
	nums := testNumbers[:3]
	got, err := fake.Yamato{}.Numbers(post(Form(nums)))
	if err != nil || !reflect.DeepEqual(got, nums) {
		t.Fatalf("Numbers(Form(%v)) = %v, %v", nums, got, err)
	}
	gap := Form(nums)
	gap.Set("number02", "")
	noFlag := Form(nums)
	noFlag.Del("number00")
	extra := Form(nums)
	extra.Set("number11", testNumbers[4])
	bad := map[string]*http.Request{
		"get":      httptest.NewRequest(http.MethodGet, Path+"?"+Form(nums).Encode(), nil),
		"gap":      post(gap),
		"no_flag":  post(noFlag),
		"number11": post(extra),
		"empty":    post(Form(nil)),
	}
	for name, r := range bad {
		if got, err := (fake.Yamato{}).Numbers(r); err == nil {
			t.Errorf("%s: accepted, numbers %v", name, got)
		}
	}
}
