package asset

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Duration is an ISO 8601 duration (PnYnMnWnDTnHnMnS) as training material
// states it: how long an asset takes. Components are kept as written (PT90M
// stays PT90M, it is not turned into PT1H30M), so a document round-trips
// unchanged. The zero value is the empty duration, written PT0S.
//
// ParseDuration only produces values whose fields are non-negative and whose
// Nanoseconds is below one second; MarshalText and MarshalJSON refuse other
// values.
type Duration struct {
	// Years is the number of calendar years (designator Y).
	Years int64
	// Months is the number of calendar months (designator M before T).
	Months int64
	// Weeks is the number of weeks (designator W).
	Weeks int64
	// Days is the number of days (designator D).
	Days int64
	// Hours is the number of hours (designator H).
	Hours int64
	// Minutes is the number of minutes (designator M after T).
	Minutes int64
	// Seconds is the whole number of seconds (designator S).
	Seconds int64
	// Nanoseconds is the fraction of a second written after the seconds'
	// decimal sign, in nanoseconds: 0 to 999_999_999.
	Nanoseconds int64
}

// ErrInvalidDuration is reported (through errors.Is) by every error that
// ParseDuration, UnmarshalText and UnmarshalJSON return.
var ErrInvalidDuration = errors.New("asset: invalid ISO 8601 duration")

// DurationError describes why a string is not a valid ISO 8601 duration.
// errors.Is(err, ErrInvalidDuration) holds for it.
type DurationError struct {
	// Input is the rejected string, in full.
	Input string
	// Offset is the byte offset in Input where the problem was found; it is
	// len(Input) when the input ends too early.
	Offset int
	// Reason says what is wrong and, where possible, how to write it instead.
	Reason string
}

// Error formats the error as `asset: invalid ISO 8601 duration "P1Y2X" at
// offset 4: <reason>`, quoting at most the first 64 bytes of the input.
func (e *DurationError) Error() string {
	in := strconv.Quote(e.Input)
	if len(e.Input) > maxDurationLen {
		in = strconv.Quote(e.Input[:maxDurationLen]) + "..."
	}
	return fmt.Sprintf("%s %s at offset %d: %s", ErrInvalidDuration, in, e.Offset, e.Reason)
}

// Unwrap returns ErrInvalidDuration.
func (e *DurationError) Unwrap() error { return ErrInvalidDuration }

// maxDurationLen is the longest input ParseDuration looks at, in bytes.
const maxDurationLen = 64

const (
	durNsPerSec  = int64(time.Second)
	durSecsYear  = 31_556_952 // 365.2425 days
	durSecsMonth = 2_629_746  // 30.436875 days, a twelfth of a year
)

// Component indexes, in the order ISO 8601 requires; nanoseconds comes last.
const (
	compYear = iota
	compMonth
	compWeek
	compDay
	compHour
	compMinute
	compSecond
	compNano
)

var (
	durLetter   = [...]byte{'Y', 'M', 'W', 'D', 'H', 'M', 'S'}
	durCompName = [...]string{"years", "months", "weeks", "days", "hours", "minutes", "seconds"}
	// durNextUnit[c] is the unit a fraction of unit c is carried into when
	// suggesting a fix, durUnitFactor[c] how many of it make one c; -1 means
	// there is no exact smaller unit.
	durNextUnit   = [...]int{compMonth, -1, compDay, compHour, compMinute, compSecond, compNano, -1}
	durUnitFactor = [...]int64{12, 0, 7, 24, 60, 60, durNsPerSec, 0}
)

// ParseDuration parses a strict ISO 8601 duration such as P1DT2H30M, PT45M
// or PT1.5S. Designators must be uppercase and in the order Y, M, W, D, T,
// H, M, S, each at most once; numbers are unsigned ASCII digits that fit in
// an int64; only seconds may have a fraction (decimal point or comma, 1 to 9
// digits). Inputs longer than 64 bytes are rejected. Errors are
// *DurationError values.
func ParseDuration(s string) (Duration, error) {
	d, err := parseDuration(s, false, true)
	if err != nil {
		return Duration{}, err
	}
	return d, nil
}

// durationParser walks one input. lenient turns a fraction on a component
// other than seconds into smaller units instead of failing (to build a
// suggestion); suggest allows the (recursive) search for a corrected input.
type durationParser struct {
	s                string
	lenient, suggest bool
}

func parseDuration(s string, lenient, suggest bool) (Duration, *DurationError) {
	p := durationParser{s: s, lenient: lenient, suggest: suggest}
	var f [8]int64
	if err := p.parse(&f); err != nil {
		return Duration{}, err
	}
	return Duration{f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7]}, nil
}

func (p *durationParser) fail(at int, format string, args ...any) *DurationError {
	return &DurationError{Input: p.s, Offset: at, Reason: fmt.Sprintf(format, args...)}
}

func (p *durationParser) parse(f *[8]int64) *DurationError {
	s := p.s
	switch {
	case s == "":
		return p.fail(0, "empty string; a duration starts with 'P', as in PT30M")
	case len(s) > maxDurationLen:
		return p.fail(maxDurationLen, "longer than %d bytes", maxDurationLen)
	case s[0] == 'p':
		return p.fail(0, "lowercase 'p'; %s", p.upperHint())
	case s[0] == '-':
		return p.fail(0, "durations cannot be negative")
	case durIsSpace(s[0]):
		return p.fail(0, "whitespace is not allowed")
	case s[0] != 'P':
		hint := "a duration starts with 'P', as in PT30M"
		if p.suggest && isValidDuration("P"+s) {
			hint += "; write P" + s
		}
		return p.fail(0, "%s: %s", p.unexpected(0), hint)
	case len(s) == 1:
		return p.fail(1, "no components after 'P'; write at least one, as in P1D or PT30M")
	}
	inTime, last := false, -1
	for i := 1; i < len(s); {
		switch c := s[i]; {
		case c == 'T':
			if inTime {
				return p.fail(i, "'T' appears twice")
			}
			inTime, last = true, compDay
			if i++; i == len(s) {
				return p.fail(i, "'T' must be followed by hours (H), minutes (M) or seconds (S)")
			}
			continue
		case c == 't':
			return p.fail(i, "lowercase 't'; %s", p.upperHint())
		case last == compSecond:
			return p.fail(i, "nothing may follow the seconds (S)")
		}
		start := i
		n, end, err := p.number(i)
		if err != nil {
			return err
		}
		i = end
		frac, fracDigits, dot := int64(0), 0, -1
		if i < len(s) && (s[i] == '.' || s[i] == ',') {
			dot = i
			for i++; i < len(s) && durIsDigit(s[i]); i++ {
				if fracDigits++; fracDigits <= 9 {
					frac = frac*10 + int64(s[i]-'0')
				}
			}
			switch {
			case fracDigits == 0:
				return p.fail(i, "at least one digit must follow the decimal sign")
			case fracDigits > 9:
				return p.fail(dot+10, "more than 9 digits after the decimal sign; nanoseconds are the finest unit")
			}
		}
		if i == len(s) {
			return p.fail(i, "number %s has no designator; expected %s", s[start:i], durExpected(inTime, last))
		}
		comp, err := p.designator(i, start, inTime, last)
		if err != nil {
			return err
		}
		// f[comp] is zero here unless lenient spilled a fraction into it.
		var ok bool
		if f[comp], ok = durAddExact(f[comp], n); !ok {
			return p.fail(start, "number is too large (the limit is %d)", int64(math.MaxInt64))
		}
		last = comp
		if dot >= 0 {
			den := durPow10(fracDigits)
			switch {
			case comp == compSecond:
				f[compNano] += frac * (durNsPerSec / den)
			case !p.lenient:
				return p.fail(dot, "only seconds may have a fraction; %s", p.fractionHint(s[start:i+1], durCompName[comp]))
			case !durSpill(f, comp, frac, den):
				return p.fail(dot, "the fraction does not convert exactly into smaller units")
			}
		}
		i++
	}
	if f[compNano] >= durNsPerSec { // only when lenient spilled into nanoseconds
		var ok bool
		if f[compSecond], ok = durAddExact(f[compSecond], f[compNano]/durNsPerSec); !ok {
			return p.fail(len(s), "seconds overflow")
		}
		f[compNano] %= durNsPerSec
	}
	return nil
}

// number reads the digits at s[i:], reporting what is there instead if there
// are none, or that the value does not fit in an int64.
func (p *durationParser) number(i int) (n int64, end int, err *DurationError) {
	s := p.s
	for end = i; end < len(s) && durIsDigit(s[end]); end++ {
		d := int64(s[end] - '0')
		if n > (math.MaxInt64-d)/10 {
			return 0, 0, p.fail(i, "number is too large (the limit is %d)", int64(math.MaxInt64))
		}
		n = n*10 + d
	}
	if end > i {
		return n, end, nil
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	switch c := s[i]; {
	case c == '-':
		return 0, 0, p.fail(i, "durations cannot be negative")
	case c == '+':
		return 0, 0, p.fail(i, "a sign is not allowed; write the digits alone")
	case c == '.' || c == ',':
		return 0, 0, p.fail(i, "a digit must come before the decimal sign, as in PT0.5S")
	case durIsSpace(c):
		return 0, 0, p.fail(i, "whitespace is not allowed")
	case unicode.IsDigit(r):
		return 0, 0, p.fail(i, "%s: only ASCII digits 0-9 are allowed", p.unexpected(i))
	case c == 'P':
		return 0, 0, p.fail(i, "'P' may only start the duration")
	case strings.IndexByte("YMWDHS", c) >= 0:
		return 0, 0, p.fail(i, "designator '%c' has no number before it", c)
	}
	return 0, 0, p.fail(i, "%s: expected a number", p.unexpected(i))
}

// designator checks the designator at s[i] for the number starting at start
// and returns its component index.
func (p *durationParser) designator(i, start int, inTime bool, last int) (int, *DurationError) {
	c := p.s[i]
	first, end := compYear, compHour
	if inTime {
		first, end = compHour, compNano
	}
	for comp := first; comp < end; comp++ {
		if durLetter[comp] != c {
			continue
		}
		switch {
		case comp == last:
			return 0, p.fail(i, "'%c' (%s) appears twice", c, durCompName[comp])
		case comp < last:
			hint := ""
			if fixed := p.s[:start] + "T" + p.s[start:]; c == 'M' && p.suggest && isValidDuration(fixed) {
				hint = "; for minutes write " + fixed
			}
			return 0, p.fail(i, "'%c' (%s) must come before '%c' (%s); the order is Y, M, W, D, T, H, M, S%s",
				c, durCompName[comp], durLetter[last], durCompName[last], hint)
		}
		return comp, nil
	}
	switch {
	case c == 'H' || c == 'S':
		hint := "the time part starts with 'T', as in P1DT2H"
		if fixed := p.s[:start] + "T" + p.s[start:]; p.suggest && isValidDuration(fixed) {
			hint = "write " + fixed
		}
		return 0, p.fail(i, "'%c' (%s) must come after 'T'; %s", c, durCompName[strings.IndexByte("HMS", c)+compHour], hint)
	case c == 'Y' || c == 'W' || c == 'D':
		return 0, p.fail(i, "'%c' (%s) must come before 'T'", c, durCompName[strings.IndexByte("YMWD", c)])
	case strings.IndexByte("ymwdhs", c) >= 0:
		return 0, p.fail(i, "lowercase '%c'; %s", c, p.upperHint())
	case c == 'T':
		return 0, p.fail(i, "number %s before 'T' has no designator; expected %s", p.s[start:i], durExpected(inTime, last))
	case 'A' <= c && c <= 'Z':
		return 0, p.fail(i, "unknown designator '%c'; expected %s", c, durExpected(inTime, last))
	case durIsSpace(c):
		return 0, p.fail(i, "whitespace is not allowed")
	}
	if r, _ := utf8.DecodeRuneInString(p.s[i:]); unicode.IsDigit(r) {
		return 0, p.fail(i, "%s: only ASCII digits 0-9 are allowed", p.unexpected(i))
	}
	return 0, p.fail(i, "%s after number %s; expected a designator: %s", p.unexpected(i), p.s[start:i], durExpected(inTime, last))
}

// durExpected lists the designators that may follow a number at this point.
func durExpected(inTime bool, last int) string {
	var names []string
	end := compHour
	if inTime {
		end = compNano
	}
	for comp := last + 1; comp < end; comp++ {
		names = append(names, fmt.Sprintf("%c (%s)", durLetter[comp], durCompName[comp]))
	}
	switch len(names) {
	case 0:
		return "'T' before hours, minutes and seconds"
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// unexpected describes the character at s[i] for an error message.
func (p *durationParser) unexpected(i int) string {
	r, size := utf8.DecodeRuneInString(p.s[i:])
	switch {
	case r == utf8.RuneError && size <= 1:
		return fmt.Sprintf("byte 0x%02X (not UTF-8)", p.s[i])
	case r == ' ':
		return "space"
	case r < utf8.RuneSelf && unicode.IsPrint(r):
		return fmt.Sprintf("unexpected '%c'", r)
	}
	return fmt.Sprintf("unexpected %q (%U)", r, r)
}

// upperHint suggests the input with ASCII letters uppercased if that parses.
func (p *durationParser) upperHint() string {
	up := strings.Map(func(r rune) rune {
		if 'a' <= r && r <= 'z' {
			return r - 'a' + 'A'
		}
		return r
	}, p.s)
	if p.suggest && isValidDuration(up) {
		return "designators must be uppercase: write " + up
	}
	return "designators must be uppercase"
}

// fractionHint suggests the whole input rewritten in smaller units when the
// fraction converts exactly.
func (p *durationParser) fractionHint(comp, name string) string {
	if p.suggest {
		if d, err := parseDuration(p.s, true, false); err == nil {
			return "write " + d.String()
		}
	}
	return "write " + comp + " in whole " + name + " or in smaller units"
}

func isValidDuration(s string) bool {
	_, err := parseDuration(s, false, false)
	return err == nil
}

// durSpill adds the fraction num/den of component comp to smaller units,
// as exactly as they can hold it; it reports false if that is not exact or
// a sum overflows.
func durSpill(f *[8]int64, comp int, num, den int64) bool {
	for num != 0 {
		next := durNextUnit[comp]
		if next < 0 {
			return false
		}
		v := num * durUnitFactor[comp] // num < den <= 1e9, so no overflow
		sum, ok := durAddExact(f[next], v/den)
		if !ok {
			return false
		}
		f[next], num, comp = sum, v%den, next
	}
	return true
}

func durIsDigit(c byte) bool { return '0' <= c && c <= '9' }

func durIsSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func durPow10(n int) int64 {
	p := int64(1)
	for range n {
		p *= 10
	}
	return p
}

func durAddExact(a, b int64) (int64, bool) {
	s := a + b
	return s, (s > a) == (b > 0)
}

func durSatAdd(a, b int64) int64 {
	s, ok := durAddExact(a, b)
	switch {
	case ok:
		return s
	case b > 0:
		return math.MaxInt64
	}
	return math.MinInt64
}

// durSatMul multiplies a by the positive constant k, saturating.
func durSatMul(a, k int64) int64 {
	switch {
	case a > math.MaxInt64/k:
		return math.MaxInt64
	case a < math.MinInt64/k:
		return math.MinInt64
	}
	return a * k
}

// String returns the canonical form: 'P', then the non-zero components in
// order, with 'T' before any time component, and seconds with their fraction
// without trailing zeros (PT1.5S). The zero Duration is "PT0S". Fields out of
// the range ParseDuration produces give a string it rejects.
func (d Duration) String() string {
	if d.IsZero() {
		return "PT0S"
	}
	b := make([]byte, 0, 32)
	b = append(b, 'P')
	f := [...]int64{d.Years, d.Months, d.Weeks, d.Days, d.Hours, d.Minutes, d.Seconds}
	for comp, v := range f {
		if comp == compHour && (d.Hours != 0 || d.Minutes != 0 || d.Seconds != 0 || d.Nanoseconds != 0) {
			b = append(b, 'T')
		}
		if v == 0 && (comp != compSecond || d.Nanoseconds == 0) {
			continue
		}
		b = strconv.AppendInt(b, v, 10)
		if comp == compSecond && d.Nanoseconds != 0 {
			b = append(b, '.')
			if d.Nanoseconds > 0 && d.Nanoseconds < durNsPerSec {
				b = append(b, strings.TrimRight(fmt.Sprintf("%09d", d.Nanoseconds), "0")...)
			} else {
				b = strconv.AppendInt(b, d.Nanoseconds, 10) // ten digits or a sign: never valid
			}
		}
		b = append(b, durLetter[comp])
	}
	return string(b)
}

// IsZero reports whether every component is zero.
func (d Duration) IsZero() bool { return d == Duration{} }

// Add returns the component-wise sum of d and o: P1D plus PT30M is P1DT30M,
// and PT45M plus PT30M is PT75M (no carrying between units). Each sum
// saturates at math.MaxInt64 (and math.MinInt64). Nanoseconds carry into
// seconds; if the seconds saturate upwards, Nanoseconds is set to 999_999_999.
func (d Duration) Add(o Duration) Duration {
	ns := durSatAdd(d.Nanoseconds, o.Nanoseconds)
	carry := ns / durNsPerSec
	if ns %= durNsPerSec; ns < 0 {
		ns, carry = ns+durNsPerSec, carry-1
	}
	up := o.Seconds > 0 // the direction of an overflow
	secs, ok := durAddExact(d.Seconds, o.Seconds)
	if ok {
		up = carry > 0
		secs, ok = durAddExact(secs, carry)
	}
	switch {
	case !ok && up:
		secs, ns = math.MaxInt64, durNsPerSec-1
	case !ok:
		secs, ns = math.MinInt64, 0
	}
	return Duration{
		Years:       durSatAdd(d.Years, o.Years),
		Months:      durSatAdd(d.Months, o.Months),
		Weeks:       durSatAdd(d.Weeks, o.Weeks),
		Days:        durSatAdd(d.Days, o.Days),
		Hours:       durSatAdd(d.Hours, o.Hours),
		Minutes:     durSatAdd(d.Minutes, o.Minutes),
		Seconds:     secs,
		Nanoseconds: ns,
	}
}

// Normalize carries whole minutes out of Seconds and whole hours out of
// Minutes (PT90M becomes PT1H30M). These carries are exact, so the
// duration's meaning does not change; days, weeks, months and years are left
// alone because their length in hours is nominal. Invalid values (negative
// components) are returned unchanged.
func (d Duration) Normalize() Duration {
	if d.Seconds < 0 || d.Minutes < 0 || d.Hours < 0 {
		return d
	}
	d.Minutes = durSatAdd(d.Minutes, d.Seconds/60)
	d.Seconds %= 60
	d.Hours = durSatAdd(d.Hours, d.Minutes/60)
	d.Minutes %= 60
	return d
}

// Approx returns the nominal length of d, counting a week as 7 days, a day as
// 24 hours, a month as 30.436875 days and a year as 365.2425 days (the
// Gregorian averages). It saturates at math.MaxInt64 nanoseconds (about 292
// years) instead of overflowing.
func (d Duration) Approx() time.Duration {
	parts := [...]struct{ v, k int64 }{
		{d.Years, durSecsYear * durNsPerSec},
		{d.Months, durSecsMonth * durNsPerSec},
		{d.Weeks, int64(7 * 24 * time.Hour)},
		{d.Days, int64(24 * time.Hour)},
		{d.Hours, int64(time.Hour)},
		{d.Minutes, int64(time.Minute)},
		{d.Seconds, durNsPerSec},
		{d.Nanoseconds, 1},
	}
	var total int64
	for _, p := range parts {
		total = durSatAdd(total, durSatMul(p.v, p.k))
	}
	return time.Duration(total)
}

// DurationOf returns t as hours, minutes, seconds and nanoseconds, each
// normalised (PT1H30M, not PT90M). A negative t gives the zero Duration.
func DurationOf(t time.Duration) Duration {
	if t <= 0 {
		return Duration{}
	}
	return Duration{
		Hours:       int64(t / time.Hour),
		Minutes:     int64(t % time.Hour / time.Minute),
		Seconds:     int64(t % time.Minute / time.Second),
		Nanoseconds: int64(t % time.Second),
	}
}

// Compare returns -1, 0 or +1 as d is nominally shorter than, as long as, or
// longer than o, comparing Approx values: PT60M and PT1H compare equal, and
// so do durations that both saturate.
func (d Duration) Compare(o Duration) int { return cmp.Compare(d.Approx(), o.Approx()) }

// validate reports fields that ParseDuration would never produce.
func (d Duration) validate() error {
	f := [...]int64{d.Years, d.Months, d.Weeks, d.Days, d.Hours, d.Minutes, d.Seconds}
	for comp, v := range f {
		if v < 0 {
			return fmt.Errorf("%w: %s is negative (%d)", ErrInvalidDuration, durCompName[comp], v)
		}
	}
	if d.Nanoseconds < 0 || d.Nanoseconds >= durNsPerSec {
		return fmt.Errorf("%w: nanoseconds %d not in 0..999999999", ErrInvalidDuration, d.Nanoseconds)
	}
	return nil
}

// MarshalText returns String's form; it fails for negative fields or
// Nanoseconds outside 0..999_999_999.
func (d Duration) MarshalText() ([]byte, error) {
	if err := d.validate(); err != nil {
		return nil, err
	}
	return []byte(d.String()), nil
}

// UnmarshalText parses text with ParseDuration; on error d is unchanged.
func (d *Duration) UnmarshalText(text []byte) error {
	v, err := ParseDuration(string(text))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MarshalJSON writes d as a JSON string such as "PT30M"; it fails where
// MarshalText does.
func (d Duration) MarshalJSON() ([]byte, error) {
	text, err := d.MarshalText()
	if err != nil {
		return nil, err
	}
	return append(append([]byte{'"'}, text...), '"'), nil
}

// UnmarshalJSON reads a JSON string holding an ISO 8601 duration. Following
// the encoding/json convention, JSON null is a no-op: d keeps its value (the
// zero Duration for a fresh field). Numbers, booleans, objects and arrays are
// rejected with an error that wraps ErrInvalidDuration.
func (d *Duration) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	var kind string
	switch {
	case len(data) == 0:
		kind = "nothing"
	case data[0] == '"':
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return fmt.Errorf("%w: %w", ErrInvalidDuration, err)
		}
		return d.UnmarshalText([]byte(s))
	case string(data) == "null":
		return nil
	case data[0] == '{':
		kind = "an object"
	case data[0] == '[':
		kind = "an array"
	case data[0] == 't' || data[0] == 'f':
		kind = "a boolean"
	case data[0] == '-' || durIsDigit(data[0]):
		kind = "a number"
	default:
		kind = "invalid JSON"
	}
	return fmt.Errorf("%w: got %s in JSON, want a string such as \"PT30M\"", ErrInvalidDuration, kind)
}
