// Package carriers defines what todoku knows about parcel carriers: the
// Carrier contract every adapter implements, the canonical status model,
// the errors that separate a transient fetch failure from a changed page
// layout, the registry of adapters, the contact directory (phone numbers,
// opening hours, official links), and tracking-number normalisation,
// identification and extraction.
//
// # Basics
//
// An adapter lives in its own folder (carriers/yamato, carriers/sagawa, …).
// It fetches a result page through a [Fetcher] and parses it with a pure
// function over an io.Reader into [Result] values. Each [Event] keeps the
// carrier's own words in Raw and maps them to a [Status] and, for failed
// deliveries and exceptions, a [Reason].
//
// # Caveats
//
// Format alone cannot tell Yamato, Sagawa and Japan Post apart: their
// 12-digit numbers share the same mod-7 check digit. [Identify] therefore
// returns ranked candidates and the tracker asks them in turn.
//
// A page that arrives but lacks the landmarks an adapter relies on is a
// [LayoutError], never "not found" and never any other status.
package carriers
