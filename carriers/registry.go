package carriers

import (
	"fmt"
	"sort"
)

// Registry holds the adapters and their contact data by name.
type Registry struct {
	entries map[string]entry
	order   []string
}

type entry struct {
	carrier  Carrier
	contacts Contacts
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return &Registry{entries: map[string]entry{}} }

// Register adds an adapter and its contacts. It panics when the name is
// empty, when it differs from contacts.Carrier, or when it is already
// registered: all of these are programming errors.
func (r *Registry) Register(c Carrier, contacts Contacts) {
	name := c.Name()
	if name == "" {
		panic("carriers: Register with an empty name")
	}
	if contacts.Carrier != name {
		panic(fmt.Sprintf("carriers: contacts for %q registered under %q", contacts.Carrier, name))
	}
	if _, dup := r.entries[name]; dup {
		panic(fmt.Sprintf("carriers: Register called twice for %q", name))
	}
	r.entries[name] = entry{carrier: c, contacts: contacts}
	r.order = append(r.order, name)
}

// Get returns the adapter registered under name.
func (r *Registry) Get(name string) (Carrier, error) {
	e, ok := r.entries[name]
	if !ok {
		return nil, fmt.Errorf("carriers: %q: %w", name, ErrUnknownCarrier)
	}
	return e.carrier, nil
}

// Contacts returns the contact data of the named carrier.
func (r *Registry) Contacts(name string) (Contacts, bool) {
	e, ok := r.entries[name]
	return e.contacts, ok
}

// SetContacts replaces a carrier's contact data (config overrides).
func (r *Registry) SetContacts(c Contacts) error {
	e, ok := r.entries[c.Carrier]
	if !ok {
		return fmt.Errorf("carriers: %q: %w", c.Carrier, ErrUnknownCarrier)
	}
	e.contacts = c
	r.entries[c.Carrier] = e
	return nil
}

// Names lists the registered carriers in registration order.
func (r *Registry) Names() []string { return append([]string(nil), r.order...) }

// SortedNames lists the registered carriers alphabetically.
func (r *Registry) SortedNames() []string {
	n := r.Names()
	sort.Strings(n)
	return n
}
