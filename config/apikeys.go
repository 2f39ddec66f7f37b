package config

import (
	"errors"
	"slices"
	"strings"
	"time"
)

// The credentials of the carriers todoku asks through their official APIs.
//
// carriers.dhl.api_key, carriers.fedex.client_id / client_secret and
// carriers.ups.client_id / client_secret each come, in order, from the
// inline value, its *_file, the environment ($TODOKU_DHL_API_KEY,
// $TODOKU_FEDEX_CLIENT_ID, $TODOKU_FEDEX_CLIENT_SECRET,
// $TODOKU_UPS_CLIENT_ID, $TODOKU_UPS_CLIENT_SECRET) and the systemd
// credentials dhl_api_key, fedex_client_id, fedex_client_secret,
// ups_client_id and ups_client_secret in $CREDENTIALS_DIRECTORY. A
// carrier without credentials is valid: it is simply not asked, and
// parcels that only it could know say so ("UPS: add an API key in the
// config"). Half a pair (a client ID without its secret) is an error.
// Values are Secrets: printed as "<secret>" and never shown in errors.

// MinAPIInterval is the fastest an API carrier is asked (DHL's free level
// allows one call a second); every default is slower.
const MinAPIInterval = time.Second

// APICarrierNames returns the carriers asked through official APIs with
// the user's own credentials.
func APICarrierNames() []string { return []string{"dhl", "fedex", "ups"} }

// HasCredentials reports whether cc holds what its carrier's API needs.
// It is false for the carriers that need none.
func (cc CarrierConfig) HasCredentials(name string) bool {
	switch name {
	case "dhl":
		return cc.APIKey != ""
	case "fedex", "ups":
		return cc.ClientID != "" && cc.ClientSecret != ""
	}
	return false
}

// apiKey is one credential field of an API carrier.
type apiKey struct {
	key     string // yaml key, e.g. api_key
	inline  *Secret
	file    *string
	fileKey string
}

func apiKeysOf(cc *CarrierConfig) []apiKey {
	return []apiKey{
		{"api_key", &cc.APIKey, &cc.APIKeyFile, "api_key_file"},
		{"client_id", &cc.ClientID, &cc.ClientIDFile, "client_id_file"},
		{"client_secret", &cc.ClientSecret, &cc.ClientSecretFile, "client_secret_file"},
	}
}

// wantKeys lists the credential keys each API carrier takes.
var wantKeys = map[string][]string{
	"dhl":   {"api_key"},
	"fedex": {"client_id", "client_secret"},
	"ups":   {"client_id", "client_secret"},
}

// apiKeys checks and resolves the API carriers' credentials. With
// skipSecrets, sources that cannot be read are left unresolved without an
// error (checking the file outside the service).
func (v *validator) apiKeys() {
	for _, name := range sortedKeys(v.cfg.Carriers) {
		if !slices.Contains(CarrierNames(), name) {
			continue // reported by carriers()
		}
		cc := v.cfg.Carriers[name]
		p := "carriers." + name
		want := wantKeys[name]
		for _, k := range apiKeysOf(&cc) {
			if !slices.Contains(want, k.key) {
				if *k.inline != "" || *k.file != "" {
					v.fail(p+"."+k.key, "", ErrInvalid, "%s", notTaken(name, k.key))
				}
				continue
			}
			*k.file = resolvePath(*k.file, v.dir, v.getenv)
			v.resolveKey(name, p, k)
		}
		if cc.TransactionSrc != "" && name != "ups" {
			v.fail(p+".transaction_src", "", ErrInvalid, "only carriers.ups takes transaction_src")
		}
		if len(want) == 2 && (cc.ClientID == "") != (cc.ClientSecret == "") {
			missing := "client_secret"
			if cc.ClientID == "" {
				missing = "client_id"
			}
			if !v.skipSecrets {
				v.fail(p+"."+missing, "", ErrMissingSecret, "missing: %s needs both client_id and client_secret (or neither, to leave %s out)", name, name)
			}
		}
		v.cfg.Carriers[name] = cc
	}
}

// resolveKey resolves one credential of carrier name in place.
func (v *validator) resolveKey(name, section string, k apiKey) {
	env := "TODOKU_" + strings.ToUpper(name) + "_" + strings.ToUpper(k.key)
	src := secretSource{path: section + "." + k.key, inline: *k.inline, file: *k.file, fileKey: k.fileKey,
		env: env, credential: name + "_" + k.key}
	val, _, err := src.resolve(v.getenv)
	switch {
	case err != nil && v.skipSecrets:
		return
	case errors.Is(err, errSecretFile):
		v.fail(section+"."+k.fileKey, "", ErrMissingSecret, "%v", err)
		return
	case err != nil:
		v.fail(section+"."+k.key, "", ErrMissingSecret, "%v", err)
		return
	}
	*k.inline = val
}

func notTaken(carrier, key string) string {
	if want, ok := wantKeys[carrier]; ok {
		return "carriers." + carrier + " takes " + strings.Join(want, " and ") + ", not " + key
	}
	return "only carriers.dhl, fedex and ups take API credentials; " + carrier + " is asked through its public page"
}
