package config

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// decoder decodes a yaml.Node tree into the Config structs strictly: every
// key must be known, every value of the right type. It records the node of
// every path it decodes, so validation can name positions.
type decoder struct {
	nodes  map[string]*yaml.Node // key path → value node
	secret map[string]bool       // key paths decoded into a Secret
	errs   ErrorList
}

var (
	durationType = reflect.TypeFor[time.Duration]()
	windowType   = reflect.TypeFor[Window]()
	parcelType   = reflect.TypeFor[Parcel]()
	secretType   = reflect.TypeFor[Secret]()
)

func newDecoder() *decoder {
	return &decoder{nodes: map[string]*yaml.Node{}, secret: map[string]bool{}}
}

// fail records an error. value is what the file says, for the message; it
// is shown as "<secret>" at or under notify.pushover and for a Secret.
func (d *decoder) fail(n *yaml.Node, path, value string, sentinel error, format string, args ...any) {
	e := &Error{Path: path, Value: shownValue(path, value, d.secret[path]), Msg: fmt.Sprintf(format, args...), Err: sentinel}
	if n != nil {
		e.Line, e.Column = n.Line, n.Column
	}
	d.errs = append(d.errs, e)
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	if n.Tag == "!!null" {
		return "nothing"
	}
	return "a scalar"
}

// decode stores n into v (addressable). path names v for messages.
func (d *decoder) decode(path string, n *yaml.Node, v reflect.Value) {
	d.nodes[path] = n
	if v.Type() == secretType {
		d.secret[path] = true
	}
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		d.fail(n, path, "", ErrType, "YAML anchors and aliases are not supported in todoku's config")
		return
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		// A key with no value (or ~, null) empties a Window, a list or an
		// optional section, and keeps the default of anything else, so
		// that commenting out every line of a section restores its defaults.
		switch {
		case v.Type() == windowType, v.Kind() == reflect.Slice, v.Kind() == reflect.Pointer:
			v.Set(reflect.Zero(v.Type()))
		}
		return
	}
	if v.Type() == parcelType && n.Kind == yaml.ScalarNode {
		// Shorthand: a parcel given as just its number.
		v.Set(reflect.ValueOf(Parcel{Input: n.Value}))
		d.nodes[path+".number"] = n
		return
	}
	if v.Type() == durationType {
		d.duration(path, n, v)
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		if !v.IsNil() {
			p.Elem().Set(v.Elem())
		}
		d.decode(path, n, p.Elem())
		v.Set(p)
	case reflect.Struct:
		d.structure(path, n, v)
	case reflect.Map:
		d.mapping(path, n, v)
	case reflect.Slice:
		d.sequence(path, n, v)
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			d.fail(n, path, "", ErrType, "want a string, got %s", kindName(n))
			return
		}
		v.SetString(n.Value)
	case reflect.Bool:
		b, ok := scalarBool(n)
		if !ok {
			d.fail(n, path, scalarText(n), ErrType, "want true or false")
			return
		}
		v.SetBool(b)
	case reflect.Int:
		i, ok := scalarInt(n)
		if !ok {
			d.fail(n, path, scalarText(n), ErrType, "want a whole number")
			return
		}
		v.SetInt(int64(i))
	default:
		panic(fmt.Sprintf("config: decode: unsupported type %s", v.Type()))
	}
}

func scalarText(n *yaml.Node) string {
	if n.Kind == yaml.ScalarNode {
		return n.Value
	}
	return ""
}

func scalarBool(n *yaml.Node) (bool, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
		return false, false
	}
	var b bool
	if err := n.Decode(&b); err != nil {
		return false, false
	}
	return b, true
}

func scalarInt(n *yaml.Node) (int, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!int" {
		return 0, false
	}
	i, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, 32)
	if err != nil {
		return 0, false
	}
	return int(i), true
}

func (d *decoder) duration(path string, n *yaml.Node, v reflect.Value) {
	if n.Kind != yaml.ScalarNode {
		d.fail(n, path, "", ErrType, "want a duration like 90s, 15m or 2h, got %s", kindName(n))
		return
	}
	if n.Value == "0" {
		v.SetInt(0)
		return
	}
	dur, err := time.ParseDuration(n.Value)
	if err != nil {
		d.fail(n, path, n.Value, ErrType, "want a duration like 90s, 15m or 2h (units are required)")
		return
	}
	v.SetInt(int64(dur))
}

// fieldsOf maps yaml key names to field indexes of a struct type.
func fieldsOf(t reflect.Type) (map[string]int, []string) {
	m := map[string]int{}
	var names []string
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "" || name == "-" {
			continue
		}
		m[name] = i
		names = append(names, name)
	}
	sort.Strings(names)
	return m, names
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// keys walks a mapping node's pairs, reporting non-string and duplicate keys.
// known, when not nil, tells the keys of a struct: at or under
// notify.pushover only those are named in messages (an unknown key there
// may be a Pushover key written in the wrong place).
func (d *decoder) keys(path string, n *yaml.Node, known func(string) bool, each func(key string, k, val *yaml.Node)) {
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			d.fail(k, path, "", ErrType, "keys must be plain words, got %s", kindName(k))
			continue
		}
		if line, dup := seen[k.Value]; dup {
			if secretPath(path) && (known == nil || !known(k.Value)) {
				d.fail(k, path, "", ErrInvalid, "key repeated (first at line %d), not shown", line)
			} else {
				d.fail(k, join(path, k.Value), "", ErrInvalid, "key repeated (first at line %d)", line)
			}
			continue
		}
		seen[k.Value] = k.Line
		each(k.Value, k, val)
	}
}

func (d *decoder) structure(path string, n *yaml.Node, v reflect.Value) {
	if n.Kind != yaml.MappingNode {
		d.fail(n, path, scalarText(n), ErrType, "want a mapping of keys, got %s", kindName(n))
		return
	}
	fields, names := fieldsOf(v.Type())
	known := func(key string) bool { _, ok := fields[key]; return ok }
	d.keys(path, n, known, func(key string, k, val *yaml.Node) {
		i, ok := fields[key]
		switch {
		case !ok && secretPath(path):
			d.fail(k, path, "", ErrUnknownKey, "unknown key, not shown (known here: %s)", strings.Join(names, ", "))
			return
		case !ok:
			d.fail(k, join(path, key), "", ErrUnknownKey, "unknown key (known here: %s)", strings.Join(names, ", "))
			return
		}
		d.decode(join(path, key), val, v.Field(i))
	})
}

func (d *decoder) mapping(path string, n *yaml.Node, v reflect.Value) {
	if n.Kind != yaml.MappingNode {
		d.fail(n, path, scalarText(n), ErrType, "want a mapping of keys, got %s", kindName(n))
		return
	}
	if v.IsNil() {
		v.Set(reflect.MakeMap(v.Type()))
	}
	d.keys(path, n, nil, func(key string, k, val *yaml.Node) {
		elem := reflect.New(v.Type().Elem()).Elem()
		if old := v.MapIndex(reflect.ValueOf(key)); old.IsValid() {
			elem.Set(old)
		}
		p := join(path, key)
		d.nodes[p+"#key"] = k
		d.decode(p, val, elem)
		v.SetMapIndex(reflect.ValueOf(key), elem)
	})
}

func (d *decoder) sequence(path string, n *yaml.Node, v reflect.Value) {
	if n.Kind != yaml.SequenceNode {
		d.fail(n, path, scalarText(n), ErrType, "want a list, got %s", kindName(n))
		return
	}
	s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
	for i, item := range n.Content {
		d.decode(fmt.Sprintf("%s[%d]", path, i), item, s.Index(i))
	}
	v.Set(s)
}
