package isodur

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// durationParser walks one input. lenient turns a fraction on a component
// other than seconds into smaller units instead of failing (to build a
// suggestion); suggest allows the (recursive) search for a corrected input.
type durationParser struct {
	s                string
	lenient, suggest bool
}

// Error says why a string is not a duration [Parse] accepts.
type Error struct {
	// Input is the rejected string, in full.
	Input string
	// Offset is the byte offset in Input where the problem was found; it
	// is len(Input) when the input ends too early.
	Offset int
	// Reason says what is wrong and, where possible, how to write it
	// instead.
	Reason string
}

// Error returns the reason with its offset.
func (e *Error) Error() string { return fmt.Sprintf("at offset %d: %s", e.Offset, e.Reason) }

// Parse parses a strict ISO 8601 duration such as P1DT2H30M, PT45M or
// PT1.5S into its components, indexed by [Year] … [Nano]. Designators must
// be uppercase and in the order Y, M, W, D, T, H, M, S, each at most once;
// numbers are unsigned ASCII digits that fit in an int64; only seconds may
// have a fraction (decimal point or comma, 1 to 9 digits). Inputs longer
// than [MaxLen] bytes are rejected. The reason of an error suggests a
// corrected input where it can.
func Parse(s string) ([8]int64, *Error) { return parse(s, false, true) }

func parse(s string, lenient, suggest bool) ([8]int64, *Error) {
	p := durationParser{s: s, lenient: lenient, suggest: suggest}
	var f [8]int64
	if err := p.parse(&f); err != nil {
		return [8]int64{}, err
	}
	return f, nil
}

func (p *durationParser) fail(at int, format string, args ...any) *Error {
	return &Error{Input: p.s, Offset: at, Reason: fmt.Sprintf(format, args...)}
}

func (p *durationParser) parse(f *[8]int64) *Error {
	s := p.s
	switch {
	case s == "":
		return p.fail(0, "empty string; a duration starts with 'P', as in PT30M")
	case len(s) > MaxLen:
		return p.fail(MaxLen, "longer than %d bytes", MaxLen)
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
			inTime, last = true, Day
			if i++; i == len(s) {
				return p.fail(i, "'T' must be followed by hours (H), minutes (M) or seconds (S)")
			}
			continue
		case c == 't':
			return p.fail(i, "lowercase 't'; %s", p.upperHint())
		case last == Second:
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
			for i++; i < len(s) && IsDigit(s[i]); i++ {
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
		if f[comp], ok = AddExact(f[comp], n); !ok {
			return p.fail(start, "number is too large (the limit is %d)", int64(math.MaxInt64))
		}
		last = comp
		if dot >= 0 {
			den := durPow10(fracDigits)
			switch {
			case comp == Second:
				f[Nano] += frac * (NsPerSec / den)
			case !p.lenient:
				return p.fail(dot, "only seconds may have a fraction; %s", p.fractionHint(s[start:i+1], Names[comp]))
			case !durSpill(f, comp, frac, den):
				return p.fail(dot, "the fraction does not convert exactly into smaller units")
			}
		}
		i++
	}
	if f[Nano] >= NsPerSec { // only when lenient spilled into nanoseconds
		var ok bool
		if f[Second], ok = AddExact(f[Second], f[Nano]/NsPerSec); !ok {
			return p.fail(len(s), "seconds overflow")
		}
		f[Nano] %= NsPerSec
	}
	return nil
}

// number reads the digits at s[i:], reporting what is there instead if there
// are none, or that the value does not fit in an int64.
func (p *durationParser) number(i int) (n int64, end int, err *Error) {
	s := p.s
	for end = i; end < len(s) && IsDigit(s[end]); end++ {
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
func (p *durationParser) designator(i, start int, inTime bool, last int) (int, *Error) {
	c := p.s[i]
	first, end := Year, Hour
	if inTime {
		first, end = Hour, Nano
	}
	for comp := first; comp < end; comp++ {
		if Letters[comp] != c {
			continue
		}
		switch {
		case comp == last:
			return 0, p.fail(i, "'%c' (%s) appears twice", c, Names[comp])
		case comp < last:
			hint := ""
			if fixed := p.s[:start] + "T" + p.s[start:]; c == 'M' && p.suggest && isValidDuration(fixed) {
				hint = "; for minutes write " + fixed
			}
			return 0, p.fail(i, "'%c' (%s) must come before '%c' (%s); the order is Y, M, W, D, T, H, M, S%s",
				c, Names[comp], Letters[last], Names[last], hint)
		}
		return comp, nil
	}
	switch {
	case c == 'H' || c == 'S':
		hint := "the time part starts with 'T', as in P1DT2H"
		if fixed := p.s[:start] + "T" + p.s[start:]; p.suggest && isValidDuration(fixed) {
			hint = "write " + fixed
		}
		return 0, p.fail(i, "'%c' (%s) must come after 'T'; %s", c, Names[strings.IndexByte("HMS", c)+Hour], hint)
	case c == 'Y' || c == 'W' || c == 'D':
		return 0, p.fail(i, "'%c' (%s) must come before 'T'", c, Names[strings.IndexByte("YMWD", c)])
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
	end := Hour
	if inTime {
		end = Nano
	}
	for comp := last + 1; comp < end; comp++ {
		names = append(names, fmt.Sprintf("%c (%s)", Letters[comp], Names[comp]))
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
		if f, err := parse(p.s, true, false); err == nil {
			return "write " + Format(f)
		}
	}
	return "write " + comp + " in whole " + name + " or in smaller units"
}

func isValidDuration(s string) bool {
	_, err := parse(s, false, false)
	return err == nil
}

// durSpill adds the fraction num/den of component comp to smaller units,
// as exactly as they can hold it; it reports false if that is not exact or
// a sum overflows.
func durSpill(f *[8]int64, comp int, num, den int64) bool {
	for num != 0 {
		next := NextUnit[comp]
		if next < 0 {
			return false
		}
		v := num * UnitFactor[comp] // num < den <= 1e9, so no overflow
		sum, ok := AddExact(f[next], v/den)
		if !ok {
			return false
		}
		f[next], num, comp = sum, v%den, next
	}
	return true
}

// IsDigit reports whether c is an ASCII digit.
func IsDigit(c byte) bool { return '0' <= c && c <= '9' }

func durIsSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func durPow10(n int) int64 {
	p := int64(1)
	for range n {
		p *= 10
	}
	return p
}

// AddExact returns a+b and whether it did not overflow.
func AddExact(a, b int64) (int64, bool) {
	s := a + b
	return s, (s > a) == (b > 0)
}

// SatAdd returns a+b, saturating at the int64 limits.
func SatAdd(a, b int64) int64 {
	s, ok := AddExact(a, b)
	switch {
	case ok:
		return s
	case b > 0:
		return math.MaxInt64
	}
	return math.MinInt64
}

// SatMul multiplies a by the positive constant k, saturating.
func SatMul(a, k int64) int64 {
	switch {
	case a > math.MaxInt64/k:
		return math.MaxInt64
	case a < math.MinInt64/k:
		return math.MinInt64
	}
	return a * k
}

// MaxLen is the longest input Parse looks at, in bytes.
const MaxLen = 64

// NsPerSec is the number of nanoseconds in a second.
const NsPerSec = int64(time.Second)

// Component indexes, in the order ISO 8601 requires; nanoseconds comes last.
const (
	Year = iota
	Month
	Week
	Day
	Hour
	Minute
	Second
	Nano
)

// Letters are the designators of the components, Names their names, both
// indexed by [Year] … [Second].
var (
	Letters = [...]byte{'Y', 'M', 'W', 'D', 'H', 'M', 'S'}
	Names   = [...]string{"years", "months", "weeks", "days", "hours", "minutes", "seconds"}
	// NextUnit[c] is the unit a fraction of unit c is carried into when
	// suggesting a fix, UnitFactor[c] how many of it make one c; -1 means
	// there is no exact smaller unit.
	NextUnit   = [...]int{Month, -1, Day, Hour, Minute, Second, Nano, -1}
	UnitFactor = [...]int64{12, 0, 7, 24, 60, 60, NsPerSec, 0}
)

// Format writes the components f (indexed by [Year] … [Nano]) in the
// canonical form: 'P', then the non-zero components in order, with 'T'
// before any time component, and seconds with their fraction without
// trailing zeros (PT1.5S). All zero is "PT0S". Components out of the range
// [Parse] gives make a string it rejects.
func Format(f [8]int64) string {
	if f == [8]int64{} {
		return "PT0S"
	}
	nanos := f[Nano]
	b := make([]byte, 0, 32)
	b = append(b, 'P')
	for comp, v := range f[:Nano] {
		if comp == Hour && (f[Hour] != 0 || f[Minute] != 0 || f[Second] != 0 || nanos != 0) {
			b = append(b, 'T')
		}
		if v == 0 && (comp != Second || nanos == 0) {
			continue
		}
		b = strconv.AppendInt(b, v, 10)
		if comp == Second && nanos != 0 {
			b = append(b, '.')
			if nanos > 0 && nanos < NsPerSec {
				b = append(b, strings.TrimRight(fmt.Sprintf("%09d", nanos), "0")...)
			} else {
				b = strconv.AppendInt(b, nanos, 10) // ten digits or a sign: never valid
			}
		}
		b = append(b, Letters[comp])
	}
	return string(b)
}
