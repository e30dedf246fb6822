package asset

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/metaacademy/ota/internal/isodur"
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
	if len(e.Input) > isodur.MaxLen {
		in = strconv.Quote(e.Input[:isodur.MaxLen]) + "..."
	}
	return fmt.Sprintf("%s %s at offset %d: %s", ErrInvalidDuration, in, e.Offset, e.Reason)
}

// Unwrap returns ErrInvalidDuration.
func (e *DurationError) Unwrap() error { return ErrInvalidDuration }

const (
	durSecsYear  = 31_556_952 // 365.2425 days
	durSecsMonth = 2_629_746  // 30.436875 days, a twelfth of a year
)

// ParseDuration parses a strict ISO 8601 duration such as P1DT2H30M, PT45M
// or PT1.5S. Designators must be uppercase and in the order Y, M, W, D, T,
// H, M, S, each at most once; numbers are unsigned ASCII digits that fit in
// an int64; only seconds may have a fraction (decimal point or comma, 1 to 9
// digits). Inputs longer than 64 bytes are rejected. Errors are
// *DurationError values.
func ParseDuration(s string) (Duration, error) {
	d, err := parseDuration(s)
	if err != nil {
		return Duration{}, err
	}
	return d, nil
}

// String returns the canonical form: 'P', then the non-zero components in
// order, with 'T' before any time component, and seconds with their fraction
// without trailing zeros (PT1.5S). The zero Duration is "PT0S". Fields out of
// the range ParseDuration produces give a string it rejects.
func (d Duration) String() string {
	return isodur.Format([8]int64{d.Years, d.Months, d.Weeks, d.Days, d.Hours, d.Minutes, d.Seconds, d.Nanoseconds})
}

// IsZero reports whether every component is zero.
func (d Duration) IsZero() bool { return d == Duration{} }

// Add returns the component-wise sum of d and o: P1D plus PT30M is P1DT30M,
// and PT45M plus PT30M is PT75M (no carrying between units). Each sum
// saturates at math.MaxInt64 (and math.MinInt64). Nanoseconds carry into
// seconds; if the seconds saturate upwards, Nanoseconds is set to 999_999_999.
func (d Duration) Add(o Duration) Duration {
	ns := isodur.SatAdd(d.Nanoseconds, o.Nanoseconds)
	carry := ns / isodur.NsPerSec
	if ns %= isodur.NsPerSec; ns < 0 {
		ns, carry = ns+isodur.NsPerSec, carry-1
	}
	up := o.Seconds > 0 // the direction of an overflow
	secs, ok := isodur.AddExact(d.Seconds, o.Seconds)
	if ok {
		up = carry > 0
		secs, ok = isodur.AddExact(secs, carry)
	}
	switch {
	case !ok && up:
		secs, ns = math.MaxInt64, isodur.NsPerSec-1
	case !ok:
		secs, ns = math.MinInt64, 0
	}
	return Duration{
		Years:       isodur.SatAdd(d.Years, o.Years),
		Months:      isodur.SatAdd(d.Months, o.Months),
		Weeks:       isodur.SatAdd(d.Weeks, o.Weeks),
		Days:        isodur.SatAdd(d.Days, o.Days),
		Hours:       isodur.SatAdd(d.Hours, o.Hours),
		Minutes:     isodur.SatAdd(d.Minutes, o.Minutes),
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
	d.Minutes = isodur.SatAdd(d.Minutes, d.Seconds/60)
	d.Seconds %= 60
	d.Hours = isodur.SatAdd(d.Hours, d.Minutes/60)
	d.Minutes %= 60
	return d
}

// Approx returns the nominal length of d, counting a week as 7 days, a day as
// 24 hours, a month as 30.436875 days and a year as 365.2425 days (the
// Gregorian averages). It saturates at math.MaxInt64 nanoseconds (about 292
// years) instead of overflowing.
func (d Duration) Approx() time.Duration {
	parts := [...]struct{ v, k int64 }{
		{d.Years, durSecsYear * isodur.NsPerSec},
		{d.Months, durSecsMonth * isodur.NsPerSec},
		{d.Weeks, int64(7 * 24 * time.Hour)},
		{d.Days, int64(24 * time.Hour)},
		{d.Hours, int64(time.Hour)},
		{d.Minutes, int64(time.Minute)},
		{d.Seconds, isodur.NsPerSec},
		{d.Nanoseconds, 1},
	}
	var total int64
	for _, p := range parts {
		total = isodur.SatAdd(total, isodur.SatMul(p.v, p.k))
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
			return fmt.Errorf("%w: %s is negative (%d)", ErrInvalidDuration, isodur.Names[comp], v)
		}
	}
	if d.Nanoseconds < 0 || d.Nanoseconds >= isodur.NsPerSec {
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
	case data[0] == '-' || isodur.IsDigit(data[0]):
		kind = "a number"
	default:
		kind = "invalid JSON"
	}
	return fmt.Errorf("%w: got %s in JSON, want a string such as \"PT30M\"", ErrInvalidDuration, kind)
}

// parseDuration parses s with isodur.Parse, the one ISO 8601 duration
// parser, into a Duration.
func parseDuration(s string) (Duration, *DurationError) {
	f, err := isodur.Parse(s)
	if err != nil {
		return Duration{}, &DurationError{Input: err.Input, Offset: err.Offset, Reason: err.Reason}
	}
	return Duration{f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7]}, nil
}
