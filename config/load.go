package config

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// maxConfigSize bounds the config file; a larger one is certainly a mistake.
const maxConfigSize = 4 << 20

// Load decodes and validates a config from bytes. Relative paths are
// relative to the working directory. The error, if any, is an ErrorList
// whose entries name line:col, the key and the offending value.
func Load(data []byte) (*Config, error) {
	return load(data, loadOptions{getenv: os.Getenv})
}

// LoadFile reads, decodes and validates the config file at path. Errors
// name file:line:col. Relative paths in the file are relative to its
// directory.
func LoadFile(path string) (*Config, error) {
	return LoadFileWith(path, Options{})
}

// Options change what LoadFileWith checks.
type Options struct {
	// SkipSecrets leaves the Pushover token and user unresolved and
	// unchecked: for checking or editing the file outside the service,
	// where systemd credentials are not available. A daemon never sets it.
	SkipSecrets bool
	// MinSchedule replaces the one-minute minimum of an @every schedule
	// (MinSchedule) and of mail.poll_interval; 0 keeps them. Only tests
	// that need fast ticks set it.
	MinSchedule time.Duration
}

// LoadFileWith is LoadFile with options.
func LoadFileWith(path string, o Options) (*Config, error) {
	data, err := readConfig(path)
	if err != nil {
		return nil, err
	}
	return load(data, loadOptions{file: path, dir: filepath.Dir(path), getenv: os.Getenv, skipSecrets: o.SkipSecrets, minSchedule: o.MinSchedule})
}

// loadOptions are the inputs of load besides the bytes.
type loadOptions struct {
	file        string              // file name for messages ("" for Load)
	dir         string              // relative paths are resolved against it
	getenv      func(string) string // the environment
	skipSecrets bool
	minSchedule time.Duration
}

func readConfig(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("config: read: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxConfigSize+1))
	if err != nil {
		return nil, fmt.Errorf("config: read %s: %w", path, err)
	}
	if len(data) > maxConfigSize {
		return nil, fmt.Errorf("config: read %s: larger than %d bytes", path, maxConfigSize)
	}
	return data, nil
}

// load decodes and validates data.
func load(data []byte, o loadOptions) (*Config, error) {
	file := o.file
	if len(data) > maxConfigSize {
		return nil, ErrorList{{File: file, Msg: fmt.Sprintf("larger than %d bytes", maxConfigSize), Err: ErrInvalid}}
	}
	if e := checkText(data); e != nil {
		return nil, withFile(ErrorList{e}, file)
	}
	root, err := parseYAML(data)
	if err != nil {
		return nil, withFile(err, file)
	}
	c := defaults()
	d := newDecoder()
	if root != nil {
		d.decode("", root, reflect.ValueOf(c).Elem())
	}
	if d.errs == nil {
		v := &validator{cfg: c, nodes: d.nodes, dir: o.dir, getenv: o.getenv, skipSecrets: o.skipSecrets, minSchedule: o.minSchedule}
		v.validate()
		d.errs = v.errs
	}
	if len(d.errs) > 0 {
		return nil, withFile(sorted(d.errs), file)
	}
	c.Path = file
	c.sum = sha256.Sum256(data)
	if n := d.nodes["parcels"]; n != nil && n.Kind == yaml.SequenceNode && len(n.Content) == 0 {
		c.NoParcels = true
	}
	return c, nil
}

func sorted(l ErrorList) ErrorList {
	sort.SliceStable(l, func(i, j int) bool {
		if l[i].Line != l[j].Line {
			return l[i].Line < l[j].Line
		}
		return l[i].Column < l[j].Column
	})
	return l
}

func withFile(err error, file string) error {
	var l ErrorList
	if errors.As(err, &l) {
		for _, e := range l {
			e.File = file
		}
	}
	return err
}

// parseYAML parses one YAML document into its root node (nil when empty).
func parseYAML(data []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, ErrorList{syntaxError(data, err)}
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		e := &Error{Msg: "more than one YAML document (remove the extra ---)", Err: ErrSyntax}
		if err == nil {
			e.Line, e.Column = extra.Line, extra.Column
		} else {
			e = syntaxError(data, err)
		}
		return nil, ErrorList{e}
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	return doc.Content[0], nil
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// syntaxError turns a yaml.v3 parse error into an *Error with its line,
// explaining tabs, which YAML does not allow for indentation.
func syntaxError(data []byte, err error) *Error {
	msg := err.Error()
	e := &Error{Msg: "syntax error: " + strings.TrimPrefix(msg, "yaml: "), Err: ErrSyntax}
	m := yamlLine.FindStringSubmatch(msg)
	if m == nil {
		// yaml.v3 leaves the line out when its position is on the first
		// line (such as "exceeded max depth" in a one-line file); the
		// encoding errors it reports without a position are caught
		// before parsing (checkText).
		e.Line = 1
		return e
	}
	line, _ := strconv.Atoi(m[1])
	e.Line, e.Msg = line, "syntax error: "+m[2]
	// yaml.v3 may report the line after the tab; look at both.
	lines := strings.Split(string(data), "\n")
	for _, l := range []int{line, line + 1} {
		if l < 1 || l > len(lines) {
			continue
		}
		text := lines[l-1]
		indent := text[:len(text)-len(strings.TrimLeft(text, " \t"))]
		if i := strings.IndexByte(indent, '\t'); i >= 0 {
			e.Line, e.Column = l, i+1
			e.Msg = "tab character in indentation: YAML indents with spaces only (yaml: " + m[2] + ")"
			return e
		}
	}
	return e
}
