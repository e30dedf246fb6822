package xapi

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/metaacademy/ota/internal/iri"
)

// This file holds the syntax checks of the xAPI string formats. Each check
// returns "" when the value is well-formed and otherwise a short reason
// that fits after `"VALUE" is not …: `. None of them allocates on success.

// checkUUID checks the standard string form of a UUID: 32 hexadecimal
// digits in groups of 8-4-4-4-12 separated by hyphens, in either case.
// rfc4122 reports whether the version and variant bits are those of an RFC
// 4122 UUID (version 1 to 8, variant 10xx); the nil UUID is not.
func checkUUID(s string) (reason string, rfc4122 bool) {
	if len(s) != 36 {
		return fmt.Sprintf("it has %d characters; a UUID has 36 (8-4-4-4-12 hexadecimal digits)", utf8.RuneCountInString(s)), false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return fmt.Sprintf("character %d should be '-'; a UUID is written 8-4-4-4-12", i+1), false
			}
		default:
			if !isHex(c) {
				return fmt.Sprintf("character %d (%q) is not a hexadecimal digit", i+1, rune(c)), false
			}
		}
	}
	v := s[14]
	variant := s[19]
	rfc4122 = v >= '1' && v <= '8' && strings.IndexByte("89abAB", variant) >= 0
	return "", rfc4122
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// checkSHA1Hex checks a hexadecimal SHA-1 digest: exactly 40 hex digits.
func checkSHA1Hex(s string) string {
	if len(s) != 40 {
		return fmt.Sprintf("it has %d characters; a SHA-1 digest is 40 hexadecimal digits", len(s))
	}
	for i := 0; i < len(s); i++ {
		if !isHex(s[i]) {
			return fmt.Sprintf("character %d (%q) is not a hexadecimal digit", i+1, rune(s[i]))
		}
	}
	return ""
}

// checkSHA2Hex checks a hexadecimal SHA-2 digest: 56, 64, 96 or 128 hex
// digits (SHA-224, SHA-256, SHA-384, SHA-512).
func checkSHA2Hex(s string) string {
	switch len(s) {
	case 56, 64, 96, 128:
	default:
		return fmt.Sprintf("it has %d characters; a hexadecimal SHA-2 digest has 56, 64, 96 or 128", len(s))
	}
	for i := 0; i < len(s); i++ {
		if !isHex(s[i]) {
			return fmt.Sprintf("character %d (%q) is not a hexadecimal digit", i+1, rune(s[i]))
		}
	}
	return ""
}

// checkIRI checks an absolute IRI (RFC 3987), as xAPI requires for every
// IRI and IRL.
func checkIRI(s string) string {
	if err := iri.CheckAbsolute(s); err != nil {
		return "it " + err.Error()
	}
	return ""
}

// checkURI checks an absolute URI: an absolute IRI made of ASCII only.
func checkURI(s string) string {
	if r := checkIRI(s); r != "" {
		return r
	}
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return "it contains non-ASCII characters, which a URI cannot hold; percent-encode them"
		}
	}
	return ""
}

// checkMbox checks a "mailto:" IRI holding one e-mail address.
func checkMbox(s string) string {
	const scheme = "mailto:"
	if !strings.HasPrefix(s, scheme) {
		if len(s) >= len(scheme) && strings.EqualFold(s[:len(scheme)], scheme) {
			return `write the scheme in lower case, "mailto:"`
		}
		if strings.Contains(s, "@") {
			return `it lacks the "mailto:" scheme; write "mailto:` + s + `"`
		}
		return `it is not a "mailto:" IRI holding an e-mail address, such as "mailto:learner@example.org"`
	}
	addr := s[len(scheme):]
	if r := checkEmail(addr); r != "" {
		return r
	}
	if r := checkIRI(s); r != "" {
		return r
	}
	return ""
}

// checkEmail checks an addr-spec (RFC 5322 section 3.4.1, without
// comments or folding white space): local-part "@" domain.
func checkEmail(a string) string {
	at := strings.LastIndexByte(a, '@')
	if at < 0 {
		return `it has no '@'; an e-mail address is written local-part@domain`
	}
	local, domain := a[:at], a[at+1:]
	if local == "" {
		return "the part before '@' is empty"
	}
	if domain == "" {
		return "the domain after '@' is empty"
	}
	if len(local) >= 2 && local[0] == '"' && local[len(local)-1] == '"' {
		for i := 1; i < len(local)-1; i++ {
			if c := local[i]; c < 0x20 || c == 0x7f {
				return "the quoted local part contains a control character"
			}
		}
	} else {
		if local[0] == '.' || local[len(local)-1] == '.' || strings.Contains(local, "..") {
			return "the local part starts or ends with '.' or holds \"..\""
		}
		for i := 0; i < len(local); i++ {
			c := local[i]
			if c >= utf8.RuneSelf || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$%&'*+-/=?^_`{|}~.", c) >= 0 {
				continue
			}
			return fmt.Sprintf("the local part contains %q, which an unquoted address cannot hold", rune(c))
		}
	}
	if domain[0] == '[' {
		if domain[len(domain)-1] != ']' {
			return "the domain literal is not closed with ']'"
		}
		return ""
	}
	for label := range strings.SplitSeq(domain, ".") {
		if label == "" {
			return "the domain has an empty label"
		}
		if label[0] == '-' || label[len(label)-1] == '-' {
			return "a domain label starts or ends with '-'"
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if c >= utf8.RuneSelf || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' {
				continue
			}
			return fmt.Sprintf("the domain contains %q", rune(c))
		}
	}
	return ""
}

// Timestamp forms, as found by parseTimestamp.
type tsInfo struct {
	rfc3339 bool // extended format, seconds present, zone Z or ±hh:mm
	zone    bool // a zone designator is present
}

// errNegativeZero marks the "-00:00" offsets that RFC 3339 reserves for an
// unknown local offset and the ADL test suite rejects.
var errNegativeZero = errors.New("negative zero offset")

// parseTimestamp parses an ISO 8601 date and time of day: the extended
// format YYYY-MM-DDThh:mm[:ss[.f]] or the basic format YYYYMMDDThhmm[ss[.f]],
// followed by an optional zone: Z, ±hh, ±hh:mm or ±hhmm (either offset form
// is accepted with either format, as producers mix them; info.rfc3339 is
// false then). 'T' and 'Z' may be lower case, as RFC 3339 allows. Calendar
// fields are range-checked; a second of 60 is accepted (leap second) and
// read as 59.999999999. Without a zone the time is read as UTC. Offsets of
// negative zero are rejected with errNegativeZero's text.
func parseTimestamp(s string) (time.Time, tsInfo, string) {
	var info tsInfo
	p := tsParser{s: s}
	year, ok := p.digits(4)
	if !ok {
		return time.Time{}, info, "it does not start with a four-digit year, as in 2024-05-31T14:02:00Z"
	}
	ext := p.peek('-')
	if ext {
		p.i++
	}
	month, ok1 := p.digits(2)
	if ext && !p.eat('-') {
		ok1 = false
	}
	day, ok2 := p.digits(2)
	if !ok1 || !ok2 {
		return time.Time{}, info, "the date is not YYYY-MM-DD"
	}
	if !p.eat('T') && !p.eat('t') {
		if p.i == len(s) {
			return time.Time{}, info, "it is a date without a time; add the time of day and a zone, as in 2024-05-31T14:02:00Z"
		}
		return time.Time{}, info, "the date is not followed by 'T' and the time of day"
	}
	hour, okh := p.digits(2)
	if ext && !p.eat(':') {
		okh = false
	}
	minute, okm := p.digits(2)
	if !okh || !okm {
		return time.Time{}, info, "the time of day is not hh:mm[:ss]"
	}
	sec, nsec, hasSec := 0, 0, false
	if (ext && p.peek(':')) || (!ext && p.i < len(s) && isDigit(s[p.i])) {
		if ext {
			p.i++
		}
		var oks bool
		sec, oks = p.digits(2)
		if !oks {
			return time.Time{}, info, "the seconds are not two digits"
		}
		hasSec = true
		if p.peek('.') || p.peek(',') {
			p.i++
			start := p.i
			for p.i < len(s) && isDigit(s[p.i]) {
				if p.i-start < 9 {
					nsec = nsec*10 + int(s[p.i]-'0')
				}
				p.i++
			}
			if p.i == start {
				return time.Time{}, info, "the decimal sign after the seconds is not followed by digits"
			}
			for k := p.i - start; k < 9; k++ {
				nsec *= 10
			}
		}
	}
	switch {
	case month < 1 || month > 12:
		return time.Time{}, info, fmt.Sprintf("month %02d does not exist", month)
	case day < 1 || day > daysIn(time.Month(month), year):
		return time.Time{}, info, fmt.Sprintf("day %02d does not exist in %04d-%02d", day, year, month)
	case hour > 23:
		return time.Time{}, info, fmt.Sprintf("hour %02d is out of range (00 to 23)", hour)
	case minute > 59:
		return time.Time{}, info, fmt.Sprintf("minute %02d is out of range (00 to 59)", minute)
	case sec > 60:
		return time.Time{}, info, fmt.Sprintf("second %02d is out of range (00 to 60)", sec)
	}
	if sec == 60 {
		sec, nsec = 59, 999999999
	}
	loc := time.UTC
	zoneExt := false
	if p.i < len(s) {
		info.zone = true
		switch c := s[p.i]; c {
		case 'Z', 'z':
			p.i++
			zoneExt = true
		case '+', '-':
			p.i++
			zh, okz := p.digits(2)
			zm := 0
			colon := false
			if okz && p.peek(':') {
				p.i++
				colon = true
				zm, okz = p.digits(2)
			} else if okz && p.i < len(s) && isDigit(s[p.i]) {
				zm, okz = p.digits(2)
			}
			if !okz || zh > 23 || zm > 59 {
				return time.Time{}, info, "the zone offset is not ±hh:mm"
			}
			if c == '-' && zh == 0 && zm == 0 {
				return time.Time{}, info, errNegativeZero.Error()
			}
			zoneExt = colon
			off := zh*3600 + zm*60
			if c == '-' {
				off = -off
			}
			loc = time.FixedZone("", off)
		default:
			return time.Time{}, info, fmt.Sprintf("unexpected %q after the time of day; expected a zone such as Z or +02:00", rune(c))
		}
		if p.i != len(s) {
			return time.Time{}, info, "unexpected text after the zone"
		}
	}
	info.rfc3339 = ext && hasSec && info.zone && zoneExt
	return time.Date(year, time.Month(month), day, hour, minute, sec, nsec, loc), info, ""
}

type tsParser struct {
	s string
	i int
}

func (p *tsParser) digits(n int) (int, bool) {
	if p.i+n > len(p.s) {
		return 0, false
	}
	v := 0
	for k := 0; k < n; k++ {
		c := p.s[p.i+k]
		if !isDigit(c) {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	p.i += n
	return v, true
}

func (p *tsParser) peek(c byte) bool { return p.i < len(p.s) && p.s[p.i] == c }

func (p *tsParser) eat(c byte) bool {
	if p.peek(c) {
		p.i++
		return true
	}
	return false
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func daysIn(m time.Month, year int) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// ParseTimestamp parses an xAPI timestamp as xAPI 1.0.3 accepts it (an ISO
// 8601 date and time, extended or basic format, with an optional zone; a
// missing zone is read as UTC) and returns the instant it denotes. Offsets
// of negative zero ("-00:00") are rejected. Use [FormatTimestamp] to write
// one.
func ParseTimestamp(s string) (time.Time, error) {
	t, _, reason := parseTimestamp(s)
	if reason != "" {
		return time.Time{}, fmt.Errorf("xapi: %q is not an ISO 8601 timestamp: %s", s, reason)
	}
	return t, nil
}

// FormatTimestamp writes t in the form both xAPI versions accept and
// cmi5 requires: RFC 3339 in UTC with millisecond precision, such as
// "2024-05-31T14:02:00.000Z".
func FormatTimestamp(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000Z07:00")
}

// checkVersion checks the statement "version" property for version v.
// It returns the reason it is rejected and whether it names a version of
// xAPI that v does not accept (rather than no version at all).
func checkVersion(s string, v Version) (reason string, other bool) {
	major, minor, patch, ok := splitVersion(s)
	if !ok {
		return `it is not a version number such as "` + v.String() + `"`, false
	}
	switch {
	case major == 1 && minor == 0:
		return "", false
	case major == 2 && minor == 0 && v == Version200:
		if patch < 0 {
			return `xAPI 2.0 names itself "2.0.0"; write the full version`, false
		}
		return "", false
	case major == 2 && minor == 0:
		return "it is an xAPI 2.0 statement; validate it as 2.0.0, or downgrade it to 1.0.3 (which drops what 1.0.3 lacks and writes version 1.0.3)", true
	}
	if v == Version200 {
		return `xAPI 2.0 accepts "1.0", "1.0.x" and "2.0.x" only`, true
	}
	return `xAPI 1.0.3 accepts "1.0" and "1.0.x" only`, true
}

// splitVersion splits "M.N" or "M.N.P" into numbers without leading zeros;
// patch is -1 when absent.
func splitVersion(s string) (major, minor, patch int, ok bool) {
	var parts [3]string
	n := 0
	for rest := s; ; n++ {
		if n == len(parts) {
			return 0, 0, 0, false
		}
		p, after, more := strings.Cut(rest, ".")
		parts[n] = p
		if !more {
			n++
			break
		}
		rest = after
	}
	if n < 2 {
		return 0, 0, 0, false
	}
	nums := [3]int{0, 0, -1}
	for i, p := range parts[:n] {
		if p == "" || len(p) > 9 || (len(p) > 1 && p[0] == '0') {
			return 0, 0, 0, false
		}
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || p[0] == '+' || p[0] == '-' {
			return 0, 0, 0, false
		}
		nums[i] = n
	}
	return nums[0], nums[1], nums[2], true
}
