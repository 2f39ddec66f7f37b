package carriers

import "bytes"

// EndsHTML reports whether a page closes its document: after trailing
// white space and comments, it ends with </html> (any case). A response
// cut off in transit does not; a complete page does whatever its footer
// looks like, so adapters accept either their footer landmark or this —
// a missing footer alone is never a layout change.
func EndsHTML(data []byte) bool {
	t := bytes.TrimSpace(data)
	for bytes.HasSuffix(t, []byte("-->")) {
		i := bytes.LastIndex(t, []byte("<!--"))
		if i < 0 {
			return false
		}
		t = bytes.TrimSpace(t[:i])
	}
	const end = "</html>"
	return len(t) >= len(end) && bytes.EqualFold(t[len(t)-len(end):], []byte(end))
}
