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
//
// # Tracking-number formats
//
// [Identify] knows these formats (sources: shared/research/carriers.md and
// more-carriers.md; the check digits and published example numbers of
// jkeen/tracking_number_data, MIT: couriers/ups.json, fedex.json, dhl.json,
// s10.json and CHECKSUM_ALGORITHMS.md; the tests cite the examples):
//
//   - Yamato, Japan Post, Sagawa: 12 digits, the last the first 11 mod 7;
//     11-digit registered mail and Yamato numbers; Sagawa 10 and 11 digits.
//   - Seino (西濃運輸, カンガルー便): 10 digits, no documented check digit.
//   - DHL Express: 10 or 11 digits, the last the others mod 7.
//   - FedEx: Express 12 digits (weights 3,1,7; sum mod 11 mod 10); Ground
//     15 digits and 22 digits starting 96 (mod 10, every second digit of
//     the serial tripled); 34-digit barcodes starting 100 or 96 (weights
//     1,7,3 over the 13-digit serial; mod 11 mod 10).
//   - UPS: 1Z and 16 letters or digits (mod 10 over the 15 after 1Z, a
//     letter worth its ASCII code minus 3, every second one doubled);
//     waybills A/H/J/K/T/V and 10 digits (same rule; no real example has
//     confirmed it).
//   - UPU S10 (Japan Post international, EMS): 2 letters, 8 digits, a check
//     digit (weights 8,6,4,2,3,5,9,7), an ISO 3166-1 alpha-2 country code.
//   - Amazon: delivery IDs DA… and 99… (no public tracking); order numbers
//     3-7-7 digits, which are no tracking numbers.
//   - Fukuyama (福山通運): not confirmed; a candidate only when a text names
//     it next to a 10- to 12-digit number ([ExtractContext]).
//
// Where formats overlap (a 12-digit number may fit Yamato, Japan Post,
// Sagawa and FedEx) every fitting carrier is a candidate. [ExtractContext]
// ranks them by the carriers and shops a text names near the number.
// Candidates may include carriers with no adapter registered: callers
// that track must skip those.
package carriers
