package config

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"

	"gopkg.in/yaml.v3"

	"github.com/todoku/todoku/carriers"
)

// AddParcel appends a parcel to the config file at path and returns it as
// loaded. The number may be written in any pasted form; an order number or
// an invalid number is refused with carriers.Identify's explanation, and a
// number already in the file is refused with its line. carrier, if not "",
// pins the carrier and must be one the number can belong to.
//
// Edits of one file are serialised by a lock file beside it (lockEdit),
// and the file is read under the lock. Only the new lines are added:
// comments, blank lines and the rest of the layout stay as they were. The whole result is validated (except secrets,
// see Options.SkipSecrets) before it atomically replaces the file, keeping
// its mode.
func AddParcel(path string, number, label, carrier string) (Parcel, error) {
	id := carriers.Identify(number)
	if e := numberError(number, id); e != nil {
		return Parcel{}, fmt.Errorf("config: add: %w", e)
	}
	if carrier != "" {
		if e := carrierError(carrier, id); e != nil {
			e.Path = "carrier"
			return Parcel{}, fmt.Errorf("config: add: %w", e)
		}
	}
	if strings.ContainsAny(label, "\r\n") {
		return Parcel{}, fmt.Errorf("config: add: label %q: %w: must be one line", label, ErrInvalid)
	}
	unlock, err := lockEdit(path)
	if err != nil {
		return Parcel{}, fmt.Errorf("config: add: %w", err)
	}
	defer unlock()
	f, err := openEdit(path, true)
	if err != nil {
		return Parcel{}, fmt.Errorf("config: add: %w", err)
	}
	for _, p := range f.cfg.Parcels {
		if p.Number == id.Number {
			return Parcel{}, fmt.Errorf("config: add: %s is already in %s on line %d (label %q): %w", p.Input, f.path, p.Line, p.Label, ErrDuplicateParcel)
		}
	}
	shown := id.Display()
	if shown == "" {
		shown = id.Number
	}
	fields := [][2]string{{"number", shown}}
	if label != "" {
		fields = append(fields, [2]string{"label", label})
	}
	if carrier != "" {
		fields = append(fields, [2]string{"carrier", carrier})
	}
	if err := f.appendParcel(fields); err != nil {
		return Parcel{}, fmt.Errorf("config: add: %w", err)
	}
	cfg, err := f.check()
	if err != nil {
		return Parcel{}, fmt.Errorf("config: add: %w", err)
	}
	i := slices.IndexFunc(cfg.Parcels, func(p Parcel) bool { return p.Number == id.Number })
	if i < 0 || len(cfg.Parcels) != len(f.cfg.Parcels)+1 {
		return Parcel{}, fmt.Errorf("config: add: %s: the edited file does not hold the new parcel (file left unchanged)", f.path)
	}
	if err := f.write(); err != nil {
		return Parcel{}, fmt.Errorf("config: add: %w", err)
	}
	return cfg.Parcels[i], nil
}

// RemoveParcel deletes the parcel with the given number (in any pasted
// form) from the config file at path, keeping the rest of the file as it
// was. It returns an error wrapping ErrParcelNotFound when the number is
// not in the file. It works on a file that does not load, so removing a
// mistyped number repairs it, but the result must load.
func RemoveParcel(path string, number string) error {
	unlock, err := lockEdit(path)
	if err != nil {
		return fmt.Errorf("config: remove: %w", err)
	}
	defer unlock()
	f, err := openEdit(path, false)
	if err != nil {
		return fmt.Errorf("config: remove: %w", err)
	}
	_, val, _ := f.parcelsNode()
	want, _ := carriers.Normalize(number)
	i := -1
	if val != nil && val.Kind == yaml.SequenceNode {
		i = slices.IndexFunc(val.Content, func(item *yaml.Node) bool {
			in := itemNumber(item)
			n, _ := carriers.Normalize(in)
			return in == number || (n != "" && n == want)
		})
	}
	if i < 0 {
		return fmt.Errorf("config: remove: %q is not in %s: %w", number, f.path, ErrParcelNotFound)
	}
	count := len(val.Content)
	if err := f.deleteParcel(i); err != nil {
		return fmt.Errorf("config: remove: %w", err)
	}
	if count == 1 {
		// The last parcel: say "parcels: []", the way to have none on
		// purpose (a reload that loses every parcel otherwise is refused).
		f.markEmpty()
	}
	cfg, err := f.check()
	if err != nil {
		return fmt.Errorf("config: remove: %w", err)
	}
	if len(cfg.Parcels) != count-1 || slices.ContainsFunc(cfg.Parcels, func(p Parcel) bool { n, _ := carriers.Normalize(p.Input); return n == want }) {
		return fmt.Errorf("config: remove: %s: the edited file does not match the removal (file left unchanged)", f.path)
	}
	if err := f.write(); err != nil {
		return fmt.Errorf("config: remove: %w", err)
	}
	return nil
}

// itemNumber returns the number of a parcels list item as written.
func itemNumber(item *yaml.Node) string {
	switch item.Kind {
	case yaml.ScalarNode:
		return item.Value
	case yaml.MappingNode:
		for i := 0; i+1 < len(item.Content); i += 2 {
			if item.Content[i].Value == "number" && item.Content[i+1].Kind == yaml.ScalarNode {
				return item.Content[i+1].Value
			}
		}
	}
	return ""
}

// editFile is a config file being edited line by line.
type editFile struct {
	path  string // the real file (symlinks resolved)
	mode  os.FileMode
	stat  os.FileInfo
	nl    string   // line ending: "\n" or "\r\n"
	lines []string // without line endings
	root  *yaml.Node
	cfg   *Config // as loaded before the edit; nil if it did not load
}

func editLoadOptions(path string) loadOptions {
	return loadOptions{file: path, dir: filepath.Dir(path), getenv: os.Getenv, skipSecrets: true}
}

// openEdit reads the file to edit; with valid, it must load.
func openEdit(path string, valid bool) (*editFile, error) {
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return nil, err
	}
	fi, err := os.Stat(real)
	if err != nil {
		return nil, err
	}
	data, err := readConfig(real)
	if err != nil {
		return nil, err
	}
	cfg, err := load(data, editLoadOptions(path))
	if err != nil && valid {
		return nil, fmt.Errorf("fix the config first:\n%w", err)
	}
	root, err := parseYAML(data)
	if err != nil {
		return nil, err
	}
	f := &editFile{path: real, mode: fi.Mode().Perm(), stat: fi, nl: "\n", root: root, cfg: cfg}
	text := string(data)
	if strings.Contains(text, "\r\n") {
		f.nl = "\r\n"
		text = strings.ReplaceAll(text, "\r\n", "\n")
	}
	f.lines = strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if text == "" {
		f.lines = nil
	}
	return f, nil
}

func (f *editFile) bytes() []byte {
	if len(f.lines) == 0 {
		return nil
	}
	return []byte(strings.Join(f.lines, f.nl) + f.nl)
}

// check loads the edited text.
func (f *editFile) check() (*Config, error) {
	cfg, err := load(f.bytes(), editLoadOptions(f.path))
	if err != nil {
		return nil, fmt.Errorf("the edited file would not load (file left unchanged):\n%w", err)
	}
	return cfg, nil
}

// parcelsNode returns the root mapping's parcels key and value and the
// line of the key following it (0 when parcels is the last key).
func (f *editFile) parcelsNode() (key, val *yaml.Node, next int) {
	if f.root == nil || f.root.Kind != yaml.MappingNode {
		return nil, nil, 0
	}
	for i := 0; i+1 < len(f.root.Content); i += 2 {
		if f.root.Content[i].Value == "parcels" {
			if i+2 < len(f.root.Content) {
				next = f.root.Content[i+2].Line
			}
			return f.root.Content[i], f.root.Content[i+1], next
		}
	}
	return nil, nil, 0
}

// appendParcel adds a block list item with fields after the last parcel.
func (f *editFile) appendParcel(fields [][2]string) error {
	key, val, next := f.parcelsNode()
	switch {
	case key == nil:
		// No parcels key: append one at the end of the file.
		f.lines = append(f.lines, "parcels:")
		f.insert(len(f.lines), itemLines(fields, 3, 5))
		return nil
	case val.Kind == yaml.SequenceNode && val.Style&yaml.FlowStyle == 0 && len(val.Content) > 0:
		_, dash := f.dashLine(val.Content[0])
		col := val.Content[0].Column
		if val.Content[0].Kind != yaml.MappingNode || col <= dash {
			col = dash + 2
		}
		last, _ := f.dashLine(val.Content[len(val.Content)-1])
		f.insert(f.itemsEnd(last+1, next, dash), itemLines(fields, dash, col))
		return nil
	case isEmpty(val):
		// "parcels:", "parcels: ~" or "parcels: []": make it a block list.
		line := f.lines[key.Line-1]
		colon := strings.IndexByte(line[key.Column-1:], ':')
		if colon < 0 {
			return errFlowStyle
		}
		head := line[:key.Column-1+colon+1]
		if i := strings.Index(line[len(head):], " #"); i >= 0 {
			head += line[len(head)+i:]
		}
		f.lines[key.Line-1] = head
		f.insert(f.itemsEnd(key.Line, next, key.Column), itemLines(fields, key.Column+2, key.Column+4))
		return nil
	}
	return errFlowStyle
}

func isEmpty(n *yaml.Node) bool {
	return (n.Kind == yaml.ScalarNode && n.Tag == "!!null") || (n.Kind == yaml.SequenceNode && len(n.Content) == 0)
}

// itemLines formats one list item: the dash at column dash, keys at column col.
func itemLines(fields [][2]string, dash, col int) []string {
	out := make([]string, len(fields))
	for i, kv := range fields {
		prefix := strings.Repeat(" ", col-1)
		if i == 0 {
			prefix = strings.Repeat(" ", dash-1) + "-" + strings.Repeat(" ", max(col-dash-1, 1))
		}
		out[i] = prefix + kv[0] + ": " + scalar(kv[1])
	}
	return out
}

// scalar renders s as a one-line YAML string scalar, quoted when a YAML
// 1.1 or 1.2 reader could take it for something else (432109876542, yes).
func scalar(s string) string {
	b, err := yaml.Marshal(s)
	if err != nil {
		panic(fmt.Sprintf("config: marshal a string: %v", err))
	}
	out := strings.TrimSuffix(string(b), "\n")
	if strings.Contains(out, "\n") {
		return strconv.Quote(s)
	}
	return out
}

// itemsEnd returns the index (0-based, exclusive) of the line after the
// last line belonging to a list item that starts on line from (1-based),
// before line next (1-based; 0 = end of file). Trailing blank lines and
// comments indented no deeper than the dash (column dash) belong to
// what follows.
func (f *editFile) itemsEnd(from, next, dash int) int {
	stop := len(f.lines)
	if next > 0 {
		stop = next - 1
	}
	end := from
	for i := from; i < stop; i++ {
		line := strings.TrimRight(f.lines[i], " \t")
		trimmed := strings.TrimLeft(line, " ")
		if trimmed == "" {
			continue
		}
		indent := len(line) - len(trimmed)
		if strings.HasPrefix(trimmed, "#") && indent < dash {
			continue
		}
		if indent < dash-1 && !strings.HasPrefix(trimmed, "#") {
			break // less indented content: not part of the list
		}
		end = i + 1
	}
	return end
}

func (f *editFile) insert(at int, lines []string) {
	f.lines = slices.Insert(f.lines, at, lines...)
}

// deleteParcel removes the lines of parcel i.
func (f *editFile) deleteParcel(i int) error {
	_, val, next := f.parcelsNode()
	if val == nil || val.Kind != yaml.SequenceNode || val.Style&yaml.FlowStyle != 0 {
		return errFlowStyle
	}
	start, dash := f.dashLine(val.Content[i])
	stop := next // the line after the list, 1-based (0 = end of file)
	if i+1 < len(val.Content) {
		l, _ := f.dashLine(val.Content[i+1])
		stop = l + 1
	}
	end := max(f.itemsEnd(start+1, stop, dash), start+1)
	if i+1 < len(val.Content) {
		// Blank lines between this item and the next go with it.
		for end < len(f.lines) && strings.TrimSpace(f.lines[end]) == "" {
			end++
		}
	}
	f.lines = slices.Delete(f.lines, start, end)
	// Do not leave two blank lines where the item stood.
	if start > 0 && start < len(f.lines) && strings.TrimSpace(f.lines[start-1]) == "" && strings.TrimSpace(f.lines[start]) == "" {
		f.lines = slices.Delete(f.lines, start, start+1)
	}
	return nil
}

// markEmpty turns the "parcels:" line into "parcels: []", keeping a
// comment after it.
func (f *editFile) markEmpty() {
	key, _, _ := f.parcelsNode()
	if key == nil || key.Line < 1 || key.Line > len(f.lines) {
		return
	}
	line := f.lines[key.Line-1]
	colon := strings.IndexByte(line[min(key.Column-1, len(line)):], ':')
	if colon < 0 {
		return
	}
	head := line[:key.Column-1+colon+1]
	rest := strings.TrimSpace(line[len(head):])
	if rest != "" && !strings.HasPrefix(rest, "#") {
		return
	}
	f.lines[key.Line-1] = strings.TrimRight(head+" [] "+rest, " ")
}

// dashLine finds the "-" that starts a block list item: its 0-based line
// and 1-based column. It is usually on the item's first line, before its
// content, but may stand alone on a line above.
func (f *editFile) dashLine(item *yaml.Node) (line, col int) {
	for l := item.Line - 1; l >= 0; l-- {
		text := f.lines[l]
		if l == item.Line-1 {
			text = text[:min(item.Column-1, len(text))]
		}
		if j := strings.LastIndexByte(text, '-'); j >= 0 && strings.TrimSpace(text[:j]) == "" {
			return l, j + 1
		}
		if t := strings.TrimSpace(text); t != "" && !strings.HasPrefix(t, "#") {
			break
		}
	}
	return item.Line - 1, max(item.Column-2, 1)
}

// write replaces the file atomically: a temporary file in the same
// directory, synced, given the old mode (and owner, when permitted), then
// renamed over the old one.
func (f *editFile) write() error {
	dir := filepath.Dir(f.path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(f.path)+".tmp*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op after the rename
	if _, err := tmp.Write(f.bytes()); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(f.mode); err != nil {
		tmp.Close()
		return err
	}
	if st, ok := f.stat.Sys().(*syscall.Stat_t); ok {
		_ = tmp.Chown(int(st.Uid), int(st.Gid)) // best effort: only root may give files away
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), f.path); err != nil {
		return err
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync() // make the rename durable; not all file systems support it
		d.Close()
	}
	return nil
}
