// Package api is the todoku daemon's local HTTP interface: JSON endpoints
// used by the CLI, a health check for monitors, and a read-only status page
// for people.
//
// # Basics
//
// The daemon implements [Source] and serves [NewServer] on a listener from
// [Listen], which binds a loopback address (default 127.0.0.1:8347) or a
// unix socket ("unix:/path") and refuses other interfaces unless
// [AllowRemote] is given. The CLI talks to it through [Client].
//
// Endpoints:
//
//	GET  /healthz               200 "ok" or 503 with the reason (text)
//	GET  /api/health            HealthView (JSON)
//	GET  /api/parcels           []ParcelView without history (JSON)
//	GET  /api/parcels/{number}  ParcelView with history (JSON), 404 when unknown
//	POST /api/reload            200 {"ok":true} or 422 {"ok":false,"error":"…"}
//	POST /api/backup            the database, application/octet-stream
//	GET  /                      the status page (HTML)
//	GET  /parcel/{number}       one parcel with its full history (HTML)
//
// # Caveats
//
// A page in any browser on the same machine can reach a localhost port, so
// the server defends itself: POST requests need the header "X-Todoku: 1"
// (which a cross-site form cannot send and a cross-site fetch cannot send
// without a CORS preflight this server never grants) and pass
// net/http's CrossOriginProtection; every request must name a loopback Host
// (or one allowed with [AllowHosts]), which stops DNS-rebinding pages from
// reading parcels or the backup. The status page uses no JavaScript, is
// rendered with html/template so carrier text is always escaped, and is
// served with a Content-Security-Policy that forbids scripts outright.
package api
