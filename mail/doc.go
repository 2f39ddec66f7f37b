// Package mail finds tracking numbers in shipping e-mails, from files or
// from an IMAP mailbox.
//
// # Basics
//
// [Decode] reads one RFC 5322 message (go-message) into a [Message]: its
// subject, senders and the visible text of its body. [Find] returns the
// tracking numbers in a Message as [Found] values — number, ranked
// carriers, a label, the shop — using carriers.ExtractContext, which
// leaves out order and member numbers and ranks a carrier named near a
// number first.
// A [Poller] reads an IMAP account (go-imap v2) and hands each Found to a
// callback; a [State] (bbolt: [NewBoltState]) remembers per folder the
// UIDVALIDITY and the last UID handled, so that a restart reads nothing
// twice and misses nothing.
//
// The poller never changes a mailbox: folders are opened with EXAMINE and
// messages fetched with BODY.PEEK[], so no \Seen flag is set and no
// message moves (RFC 9051 §6.3.3 and §6.4.5). Plain-text connections are
// refused unless the host is loopback.
//
// # Caveats
//
// A message is handed over at least once: when the callback fails, or the
// process stops between the callback and saving the progress, it is read
// again. Callers deduplicate (the engine does, against every parcel).
//
// When a server renumbers a folder (a new UIDVALIDITY, RFC 9051 §2.3.1.1)
// the look-back window is read again.
//
// IDLE (RFC 2177) watches only the first folder; the others are read at
// each poll interval.
//
// A server that refuses the login (a revoked app password) is retried
// with a backoff of up to 15 minutes, each failure logged; Run does not
// give up.
//
// Japanese mail is decoded from UTF-8, ISO-2022-JP (RFC 1468), Shift_JIS
// and EUC-JP, with the WHATWG tables of golang.org/x/text (which include
// the NEC and IBM extensions Windows mailers use), in bodies and in RFC
// 2047 encoded words; undeclared or raw ISO-2022-JP and Shift_JIS are
// recognised too. HTML is reduced to its visible text (no script, style,
// head or display:none elements).
//
// Sources: RFC 9051 and RFC 3501 (IMAP), RFC 2177 (IDLE), RFC 5092 (IMAP
// URLs, used for Found.File), RFC 2045–2047 (MIME), RFC 1468
// (ISO-2022-JP), the WHATWG Encoding Standard (Shift_JIS, ISO-2022-JP),
// and Mercari's help pages for らくらくメルカリ便 (Yamato) and ゆうゆう
// メルカリ便 (Japan Post).
package mail
