// Package isodur is OTA's one implementation of ISO 8601 durations
// (PnYnMnDTnHnMnS, PnW): the strict parser and canonical form of OTA
// documents ([Parse], [Format], behind asset.Duration), the syntax check
// xAPI applies ([Check]), an approximate reading into a time.Duration
// ([Approx]) and the hours-minutes-seconds form xAPI results use
// ([FormatHMS]).
package isodur

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Check returns why s is not an ISO 8601 duration, "" when it is. It
// checks an ISO 8601:2004 section 4.4.3.2 duration, the
// only form xAPI allows: PnYnMnDTnHnMnS with at least one component, or
// PnW alone. Only the last component written may carry a decimal fraction
// (with '.' or ','). The alternative format (P0003-01-29T04:35:59) is not
// allowed.
func Check(s string) string {
	if s == "" {
		return "it is empty"
	}
	if s[0] != 'P' {
		return "it does not start with 'P', as in PT1H30M"
	}
	const order = "YMDHMS" // designators in order; index 3 onwards needs T
	i, next, comps, inTime, fraction := 1, 0, 0, false, false
	if i == len(s) {
		return "it has no component after 'P'; write for example PT0S"
	}
	for i < len(s) {
		if s[i] == 'T' {
			if inTime {
				return "it has a second 'T'"
			}
			inTime, next = true, 3
			i++
			if i == len(s) {
				return "'T' is not followed by hours, minutes or seconds"
			}
			continue
		}
		if fraction {
			return "only the last component may have a decimal fraction"
		}
		start := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == start {
			return fmt.Sprintf("expected a number at character %d", start+1)
		}
		if i < len(s) && (s[i] == '.' || s[i] == ',') {
			i++
			f := i
			for i < len(s) && s[i] >= '0' && s[i] <= '9' {
				i++
			}
			if i == f {
				return "a decimal sign is not followed by digits"
			}
			fraction = true
		}
		if i == len(s) {
			return "the last number has no designator (Y, M, W, D, H or S)"
		}
		d := s[i]
		i++
		if d == 'W' {
			if inTime || comps > 0 || i != len(s) {
				return "weeks (nW) cannot be combined with other components; write days instead (P4W1D is P29D)"
			}
			return ""
		}
		k := strings.IndexByte(order[next:], d)
		if k < 0 || (!inTime && next+k >= 3) || (inTime && d == 'D') || (inTime && d == 'Y') {
			switch {
			case !inTime && (d == 'H' || d == 'S'):
				return fmt.Sprintf("%c needs a 'T' before the time components, as in PT1H", d)
			case strings.IndexByte(order, d) < 0:
				return fmt.Sprintf("%q is not a duration designator; use Y, M, W, D, H, M or S", rune(d))
			}
			return fmt.Sprintf("the designator %c is repeated or out of order; write Y, M, D, then T, H, M, S", d)
		}
		next += k + 1
		comps++
	}
	if comps == 0 {
		return "it has no component"
	}
	return ""
}

// Approx reads PnYnMnWnDTnHnMnS into a duration, counting a
// year as 365 days and a month as 30 (only the end timestamp depends on
// it). It does not check the syntax fully; [Check] does.
func Approx(s string) (time.Duration, bool) {
	if !strings.HasPrefix(s, "P") || len(s) < 3 {
		return 0, false
	}
	var total float64
	inTime := false
	num := ""
	for _, r := range s[1:] {
		switch {
		case r == 'T':
			inTime = true
			continue
		case r >= '0' && r <= '9' || r == '.' || r == ',':
			if r == ',' {
				r = '.'
			}
			num += string(r)
			continue
		}
		n, err := strconv.ParseFloat(num, 64)
		if err != nil {
			return 0, false
		}
		num = ""
		var unit float64
		switch {
		case r == 'Y' && !inTime:
			unit = 365 * 86400
		case r == 'M' && !inTime:
			unit = 30 * 86400
		case r == 'W' && !inTime:
			unit = 7 * 86400
		case r == 'D' && !inTime:
			unit = 86400
		case r == 'H' && inTime:
			unit = 3600
		case r == 'M' && inTime:
			unit = 60
		case r == 'S' && inTime:
			unit = 1
		default:
			return 0, false
		}
		total += n * unit
	}
	if num != "" || total > float64(math.MaxInt64/int64(time.Second)) {
		return 0, false
	}
	return time.Duration(total * float64(time.Second)), true
}

// FormatHMS writes d as an ISO 8601 duration of hours, minutes and
// seconds: "PT1H2M3.5S", "PT0S". Seconds keep up to hundredths; a negative
// d is written as its absolute value.
func FormatHMS(d time.Duration) string {
	if d < 0 {
		if d == math.MinInt64 {
			d++
		}
		d = -d
	}
	cs := d / (10 * time.Millisecond) // hundredths, rounded
	if d%(10*time.Millisecond) >= 5*time.Millisecond {
		cs++
	}
	h := cs / 360000
	cs -= h * 360000
	m := cs / 6000
	cs -= m * 6000
	var b strings.Builder
	b.WriteString("PT")
	if h > 0 {
		b.WriteString(strconv.FormatInt(int64(h), 10))
		b.WriteByte('H')
	}
	if m > 0 {
		b.WriteString(strconv.FormatInt(int64(m), 10))
		b.WriteByte('M')
	}
	if cs > 0 || h == 0 && m == 0 {
		b.WriteString(strconv.FormatInt(int64(cs/100), 10))
		if f := cs % 100; f != 0 {
			b.WriteByte('.')
			if f%10 == 0 {
				b.WriteString(strconv.FormatInt(int64(f/10), 10))
			} else {
				fmt.Fprintf(&b, "%02d", f)
			}
		}
		b.WriteByte('S')
	}
	return b.String()
}
