package config

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors. Every *Error wraps one of them, so callers can test an
// ErrorList with errors.Is.
var (
	// ErrSyntax is a YAML syntax error (including tabs used for indentation).
	ErrSyntax = errors.New("yaml syntax error")
	// ErrUnknownKey is a key the schema does not have.
	ErrUnknownKey = errors.New("unknown key")
	// ErrType is a value of the wrong type (a list where a string belongs …).
	ErrType = errors.New("wrong type")
	// ErrInvalid is a value of the right type that is not allowed.
	ErrInvalid = errors.New("invalid value")
	// ErrSchedule is a schedule robfig/cron cannot parse.
	ErrSchedule = errors.New("invalid schedule")
	// ErrOrderNumber is an order number given where a tracking number belongs.
	ErrOrderNumber = errors.New("order number, not a tracking number")
	// ErrInvalidNumber is a parcel number that is not a valid tracking number.
	ErrInvalidNumber = errors.New("invalid tracking number")
	// ErrCarrierMismatch is a pinned carrier the number cannot belong to.
	ErrCarrierMismatch = errors.New("carrier does not match the number")
	// ErrDuplicateParcel is a parcel number listed twice.
	ErrDuplicateParcel = errors.New("duplicate parcel")
	// ErrMissingSecret is a required secret that was found nowhere.
	ErrMissingSecret = errors.New("missing secret")
	// ErrParcelNotFound is returned by RemoveParcel for a number not in the file.
	ErrParcelNotFound = errors.New("parcel not found")
)

// Internal errors, wrapped in the exported ones' messages.
var (
	// errSecretFile marks a *_file that could not be read.
	errSecretFile = errors.New("cannot read secret file")
	// errFlowStyle is returned by the editor for a parcels list it cannot
	// edit line by line.
	errFlowStyle = errors.New("parcels is written in flow style ([...]): edit it by hand, or write it as a block list (\"- number: ...\" lines)")
)

// Error is one problem in a config, with its position in the file.
type Error struct {
	File   string // file name; "" for Load
	Line   int    // 1-based; 0 when unknown
	Column int    // 1-based; 0 when unknown
	Path   string // key path, e.g. "parcels[2].number"; "" for the whole file
	Value  string // the offending value as written; "<secret>" at or under notify.pushover; "" for mappings and lists
	Msg    string // what is wrong
	Err    error  // the sentinel this error wraps
}

// Error formats the error as `file:line:col: path "value": message`.
func (e *Error) Error() string {
	var b strings.Builder
	pos := e.File
	if e.Line > 0 {
		if pos != "" {
			pos += ":"
		}
		pos += fmt.Sprintf("%d", e.Line)
		if e.Column > 0 {
			pos += fmt.Sprintf(":%d", e.Column)
		}
	}
	if pos != "" {
		b.WriteString(pos)
		b.WriteString(": ")
	}
	if e.Path != "" {
		b.WriteString(e.Path)
		if e.Value != "" {
			fmt.Fprintf(&b, " %q", e.Value)
		}
		b.WriteString(": ")
	} else if e.Value != "" {
		fmt.Fprintf(&b, "%q: ", e.Value)
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap returns the sentinel error.
func (e *Error) Unwrap() error { return e.Err }

// ErrorList is every problem found in one config, sorted by position. Its
// text has one error a line.
type ErrorList []*Error

// Error joins the errors, one a line.
func (l ErrorList) Error() string {
	s := make([]string, len(l))
	for i, e := range l {
		s[i] = e.Error()
	}
	return strings.Join(s, "\n")
}

// Unwrap returns the errors, for errors.Is and errors.As.
func (l ErrorList) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

// Short returns err on one line, for systemd's STATUS= and log
// attributes: the first error of an ErrorList followed by how many more
// there are.
func Short(err error) string {
	if err == nil {
		return ""
	}
	var l ErrorList
	if errors.As(err, &l) && len(l) > 0 {
		s := l[0].Error()
		if len(l) > 1 {
			s += fmt.Sprintf(" (and %d more)", len(l)-1)
		}
		return strings.ReplaceAll(s, "\n", " ")
	}
	return strings.ReplaceAll(err.Error(), "\n", " ")
}
