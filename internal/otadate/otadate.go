// Package otadate parses the dates OTA formats write: an RFC 3339
// full-date ("2024-05-01") or date-time ("2024-05-01T09:30:00Z"), as the
// asset schema's pattern has them.
package otadate

import (
	"regexp"
	"time"
)

// syntax is an RFC 3339 full-date, or a date-time with an upper-case "T"
// and "Z" and no leap second. Go's time.Parse alone accepts a few forms RFC
// 3339 does not (one-digit hours, offsets of +24:00).
var syntax = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}(?:T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]+)?(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9]))?$`)

// Parse parses s, and reports whether it is an OTA date. A full-date is
// midnight UTC of that day.
func Parse(s string) (time.Time, bool) {
	if !syntax.MatchString(s) {
		return time.Time{}, false
	}
	layout := time.RFC3339Nano
	if len(s) == len(time.DateOnly) {
		layout = time.DateOnly
	}
	t, err := time.Parse(layout, s)
	return t, err == nil
}
