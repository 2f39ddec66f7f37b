// Package all lists every carrier adapter todoku ships. It is the one
// place a new carrier is registered.
package all

import (
	"io"
	"time"

	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/carriers/amazon"
	"github.com/todoku/todoku/carriers/dhl"
	"github.com/todoku/todoku/carriers/fake"
	"github.com/todoku/todoku/carriers/fedex"
	"github.com/todoku/todoku/carriers/fukuyama"
	"github.com/todoku/todoku/carriers/japanpost"
	"github.com/todoku/todoku/carriers/sagawa"
	"github.com/todoku/todoku/carriers/seino"
	"github.com/todoku/todoku/carriers/ups"
	"github.com/todoku/todoku/carriers/yamato"
)

// Registry builds the registry of every adapter. opts applies to all of
// them; perCarrier, when it has an entry for a carrier's name, replaces
// opts for that carrier (endpoint overrides, timeouts).
func Registry(opts carriers.Options, perCarrier map[string]carriers.Options) *carriers.Registry {
	pick := func(name string) carriers.Options {
		if o, ok := perCarrier[name]; ok {
			return o
		}
		return opts
	}
	r := carriers.NewRegistry()
	r.Register(yamato.New(pick("yamato")), yamato.Contacts())
	r.Register(japanpost.New(pick("japanpost")), japanpost.Contacts())
	r.Register(sagawa.New(pick("sagawa")), sagawa.Contacts())
	r.Register(amazon.New(pick("amazon")), amazon.Contacts())
	r.Register(seino.New(pick("seino")), seino.Contacts())
	r.Register(fukuyama.New(pick("fukuyama")), fukuyama.Contacts())
	return r
}

// Contacts returns every carrier's built-in contact data.
func Contacts() []carriers.Contacts {
	return []carriers.Contacts{yamato.Contacts(), japanpost.Contacts(), sagawa.Contacts(), amazon.Contacts(), seino.Contacts(), fukuyama.Contacts()}
}

// Parsers returns the pure page parser of every carrier that has a public
// result page, by registry name (`todoku parse`).
func Parsers() map[string]func(io.Reader, time.Time) ([]carriers.Result, error) {
	return map[string]func(io.Reader, time.Time) ([]carriers.Result, error){
		yamato.Name:    yamato.Parse,
		japanpost.Name: japanpost.Parse,
		sagawa.Name:    sagawa.Parse,
		seino.Name:     seino.Parse,
		fukuyama.Name:  fukuyama.Parse,
	}
}

// Sites returns the fake sites of every carrier that has a public
// tracking page, for the fake server.
func Sites() []fake.Site {
	return []fake.Site{fake.Yamato{}, fake.JapanPost{}, fake.Sagawa{}, fake.Seino{}, fake.Fukuyama{}}
}

// APIKeys are the credentials of the carriers todoku asks through their
// official APIs (DHL, FedEx, UPS). A carrier whose credentials are empty
// is not registered: it is never polled without a key.
type APIKeys struct {
	DHL   dhl.Config
	FedEx fedex.Config
	UPS   ups.Config
}

// RegistryWithAPIs is Registry plus each API carrier whose credentials
// keys holds. perCarrier applies to them as to the others.
func RegistryWithAPIs(opts carriers.Options, perCarrier map[string]carriers.Options, keys APIKeys) *carriers.Registry {
	pick := func(name string) carriers.Options {
		if o, ok := perCarrier[name]; ok {
			return o
		}
		return opts
	}
	r := Registry(opts, perCarrier)
	// New fails only without credentials: such a carrier stays out.
	if c, err := dhl.New(keys.DHL, pick(dhl.Name)); err == nil {
		r.Register(c, dhl.Contacts())
	}
	if c, err := fedex.New(keys.FedEx, pick(fedex.Name)); err == nil {
		r.Register(c, fedex.Contacts())
	}
	if c, err := ups.New(keys.UPS, pick(ups.Name)); err == nil {
		r.Register(c, ups.Contacts())
	}
	return r
}

// APIContacts returns the built-in contact data of the API carriers,
// registered or not (whois, and telling the user which key is missing).
func APIContacts() []carriers.Contacts {
	return []carriers.Contacts{dhl.Contacts(), fedex.Contacts(), ups.Contacts()}
}

// APIParsers returns the parsers of the API carriers' JSON answers, by
// registry name (`todoku parse --carrier dhl|fedex|ups`).
func APIParsers() map[string]func(io.Reader, time.Time) ([]carriers.Result, error) {
	return map[string]func(io.Reader, time.Time) ([]carriers.Result, error){
		dhl.Name:   dhl.Parse,
		fedex.Name: fedex.Parse,
		ups.Name:   ups.Parse,
	}
}
