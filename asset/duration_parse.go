package asset

import (
	"fmt"
	"math"
	"strings"
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
