package asset

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/metaacademy/ota/internal/isodur"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// durationRE is the pattern the published schema gives durations, which
// must accept what ParseDuration accepts.
var durationRE = regexp.MustCompile(schemaPattern("Duration", "pattern"))

// readDurationLines reads testdata/durations/name: one input per line, '#'
// lines and blank lines skipped, lines starting with '"' unquoted as Go
// string literals.
func readDurationLines(tb testing.TB, name string) []string {
	tb.Helper()
	f, err := os.Open(filepath.Join("testdata", "durations", name))
	require.NoError(tb, err)
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
			continue
		case strings.HasPrefix(line, `"`):
			u, err := strconv.Unquote(line)
			require.NoError(tb, err, "%s:%d", name, n)
			line = u
		case strings.TrimSpace(line) != line:
			tb.Fatalf("%s:%d: quote inputs with leading or trailing space", name, n)
		}
		lines = append(lines, line)
	}
	require.NoError(tb, sc.Err())
	require.NotEmpty(tb, lines)
	return lines
}

// isDurationOverflow reports whether err is ParseDuration's int64 overflow error.
func isDurationOverflow(err error) bool {
	var de *DurationError
	return errors.As(err, &de) && strings.Contains(de.Reason, "too large")
}

// checkDuration checks the properties every input must have; the fuzz
// target and the table tests share it.
func checkDuration(t *testing.T, s string) (Duration, error) {
	d, err := ParseDuration(s)
	matches := durationRE.MatchString(s)
	if err != nil {
		require.ErrorIs(t, err, ErrInvalidDuration)
		var de *DurationError
		require.ErrorAs(t, err, &de)
		assert.Equal(t, s, de.Input)
		assert.GreaterOrEqual(t, de.Offset, 0)
		assert.LessOrEqual(t, de.Offset, len(s))
		assert.NotEmpty(t, de.Reason)
		assert.True(t, strings.HasPrefix(err.Error(), "asset: invalid ISO 8601 duration "), err.Error())
		assert.Zero(t, d)
		if matches && len(s) <= isodur.MaxLen {
			assert.True(t, isDurationOverflow(err), "pattern accepts %q but: %v", s, err)
		}
		return d, err
	}
	assert.True(t, matches, "pattern rejects %q", s)
	assert.LessOrEqual(t, len(s), isodur.MaxLen)
	assert.GreaterOrEqual(t, d.Nanoseconds, int64(0))
	assert.Less(t, d.Nanoseconds, int64(time.Second))

	canon := d.String()
	d2, err2 := ParseDuration(canon)
	require.NoError(t, err2, "String() of %q = %q does not parse", s, canon)
	assert.Equal(t, d, d2, "String() of %q = %q", s, canon)
	assert.Equal(t, canon, d2.String(), "String() is not a fixed point")

	text, err := d.MarshalText()
	require.NoError(t, err)
	assert.Equal(t, canon, string(text))
	js, err := json.Marshal(d)
	require.NoError(t, err)
	var d3 Duration
	require.NoError(t, json.Unmarshal(js, &d3))
	assert.Equal(t, d, d3)
	return d, nil
}

func TestParseDurationValidFile(t *testing.T) {
	for _, s := range readDurationLines(t, "valid.txt") {
		t.Run(s, func(t *testing.T) {
			_, err := checkDuration(t, s)
			require.NoError(t, err)
		})
	}
}

func TestParseDurationInvalidFile(t *testing.T) {
	lines := readDurationLines(t, "invalid.txt")
	require.GreaterOrEqual(t, len(lines), 25)
	for _, s := range lines {
		t.Run(fmt.Sprintf("%q", s), func(t *testing.T) {
			_, err := checkDuration(t, s)
			require.Error(t, err)
			t.Log(err)
		})
	}
}

func TestDurationRoundTrip(t *testing.T) {
	for _, s := range []string{
		"P1DT2H30M", "PT45M", "P1Y2M3W4DT5H6M7.25S", "PT0S", "P2W", "PT90M",
		"P1Y", "PT1.5S", "PT0.000000001S", "P1W3D", "P1YT1S", "P30M", "PT30M",
	} {
		t.Run(s, func(t *testing.T) {
			d, err := ParseDuration(s)
			require.NoError(t, err)
			assert.Equal(t, s, d.String())
		})
	}
}

func TestParseDurationValues(t *testing.T) {
	tests := []struct {
		in   string
		want Duration
		str  string
	}{
		{"PT0S", Duration{}, "PT0S"},
		{"P0D", Duration{}, "PT0S"},
		{"PT90M", Duration{Minutes: 90}, "PT90M"},
		{"P30M", Duration{Months: 30}, "P30M"},
		{"P1Y2M3W4DT5H6M7.25S", Duration{1, 2, 3, 4, 5, 6, 7, 250_000_000}, "P1Y2M3W4DT5H6M7.25S"},
		{"PT1,5S", Duration{Seconds: 1, Nanoseconds: 500_000_000}, "PT1.5S"},
		{"PT0.123456789S", Duration{Nanoseconds: 123_456_789}, "PT0.123456789S"},
		{"PT2.010S", Duration{Seconds: 2, Nanoseconds: 10_000_000}, "PT2.01S"},
		{"P007D", Duration{Days: 7}, "P7D"},
		{"P1DT0H0M", Duration{Days: 1}, "P1D"},
		{"PT9223372036854775807H", Duration{Hours: math.MaxInt64}, "PT9223372036854775807H"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			d, err := ParseDuration(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, d)
			assert.Equal(t, tt.str, d.String())
		})
	}
}

func TestParseDurationErrors(t *testing.T) {
	tests := []struct {
		in     string
		offset int
		reason string // a substring of Reason
	}{
		{"", 0, "empty string"},
		{"P", 1, "no components after 'P'"},
		{"PT", 2, "'T' must be followed by"},
		{"P1DT", 4, "'T' must be followed by"},
		{"P1Y2X", 4, "unknown designator 'X'; expected M (months), W (weeks) or D (days)"},
		{"P1H", 2, "'H' (hours) must come after 'T'; write PT1H"},
		{"P1D2H", 4, "write P1DT2H"},
		{"PT1D", 3, "'D' (days) must come before 'T'"},
		{"P-1D", 1, "durations cannot be negative"},
		{"-P1D", 0, "durations cannot be negative"},
		{"P+1D", 1, "sign is not allowed"},
		{"PT1.5H", 3, "only seconds may have a fraction; write PT1H30M"},
		{"PT0.5H", 3, "write PT30M"},
		{"PT0.5H10M", 3, "write PT40M"},
		{"P1.5D", 2, "write P1DT12H"},
		{"P1.5W", 2, "write P1W3DT12H"},
		{"P0.5Y", 2, "write P6M"},
		{"P0.5M", 2, "write 0.5M in whole months or in smaller units"},
		{"PT0.001M", 3, "write PT0.06S"},
		{"PT0.0000001H", 3, "write PT0.00036S"},
		{"PT0.000000001M", 3, "write PT0.00000006S"},
		{"P0.1Y", 2, "write 0.1Y in whole years or in smaller units"}, // 1.2 months
		{"p1d", 0, "designators must be uppercase: write P1D"},
		{"P1d", 2, "lowercase 'd'"},
		{"pt1h", 0, "write PT1H"},
		{"PT1H1H", 5, "'H' (hours) appears twice"},
		{"P1M1Y", 4, "'Y' (years) must come before 'M' (months)"},
		{"P1D30M", 5, "for minutes write P1DT30M"},
		{"PT1S1M", 4, "nothing may follow the seconds"},
		{"PTT1H", 2, "'T' appears twice"},
		{"P1", 2, "number 1 has no designator; expected Y (years), M (months), W (weeks) or D (days)"},
		{"P1T", 2, "number 1 before 'T' has no designator"},
		{"PT1.S", 4, "at least one digit must follow the decimal sign"},
		{"PT.5S", 2, "a digit must come before the decimal sign"},
		{"PT1.1234567890S", 13, "more than 9 digits"},
		{"P1 D", 2, "whitespace"},
		{" P1D", 0, "whitespace"},
		{"P١D", 1, "only ASCII digits"},
		{"PT1١H", 3, "only ASCII digits"},
		{"P1\xffD", 2, "byte 0xFF (not UTF-8)"},
		{"XT1H", 0, "a duration starts with 'P'"},
		{"T1H", 0, "write PT1H"},
		{"PPT1H", 1, "'P' may only start the duration"},
		{"PX", 1, "unexpected 'X': expected a number"},
		{"PD", 1, "designator 'D' has no number before it"},
		{"P9223372036854775808D", 1, "number is too large"},
		{strings.Repeat("P", 65), 64, "longer than 64 bytes"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q", tt.in), func(t *testing.T) {
			_, err := ParseDuration(tt.in)
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrInvalidDuration)
			var de *DurationError
			require.ErrorAs(t, err, &de)
			assert.Equal(t, tt.offset, de.Offset, "%v", err)
			assert.Contains(t, de.Reason, tt.reason)
			assert.Contains(t, err.Error(), fmt.Sprintf("at offset %d: ", tt.offset))
		})
	}
}

func TestDurationErrorMessage(t *testing.T) {
	_, err := ParseDuration("P1Y2X")
	assert.EqualError(t, err, `asset: invalid ISO 8601 duration "P1Y2X" at offset 4: `+
		`unknown designator 'X'; expected M (months), W (weeks) or D (days)`)

	long := strings.Repeat("9", 100)
	_, err = ParseDuration(long)
	assert.Equal(t, "asset: invalid ISO 8601 duration \""+long[:64]+"\"... at offset 64: longer than 64 bytes", err.Error())
}

func TestDurationAdd(t *testing.T) {
	maxSecs := Duration{Seconds: math.MaxInt64, Nanoseconds: 999_999_999}
	tests := []struct {
		name    string
		a, b    Duration
		want    Duration
		wantStr string
	}{
		{"zero", Duration{}, Duration{}, Duration{}, "PT0S"},
		{"no carry between units", Duration{Minutes: 45}, Duration{Minutes: 30}, Duration{Minutes: 75}, "PT75M"},
		{"mixed", Duration{Days: 1}, Duration{Hours: 2, Minutes: 30}, Duration{Days: 1, Hours: 2, Minutes: 30}, "P1DT2H30M"},
		{"nanoseconds carry", Duration{Seconds: 1, Nanoseconds: 600_000_000}, Duration{Nanoseconds: 700_000_000},
			Duration{Seconds: 2, Nanoseconds: 300_000_000}, "PT2.3S"},
		{"nanoseconds to whole second", Duration{Nanoseconds: 500_000_000}, Duration{Nanoseconds: 500_000_000},
			Duration{Seconds: 1}, "PT1S"},
		{"saturates", Duration{Years: math.MaxInt64, Days: math.MaxInt64 - 1}, Duration{Years: 1, Days: 5},
			Duration{Years: math.MaxInt64, Days: math.MaxInt64}, "P9223372036854775807Y9223372036854775807D"},
		{"seconds saturate", Duration{Seconds: math.MaxInt64}, Duration{Seconds: 1}, maxSecs, ""},
		{"carry saturates", Duration{Seconds: math.MaxInt64, Nanoseconds: 500_000_000},
			Duration{Nanoseconds: 600_000_000}, maxSecs, ""},
		{"max stays max", maxSecs, maxSecs, maxSecs, "PT9223372036854775807.999999999S"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.a.Add(tt.b))
			assert.Equal(t, tt.want, tt.b.Add(tt.a), "Add is commutative")
			if tt.wantStr != "" {
				assert.Equal(t, tt.wantStr, tt.a.Add(tt.b).String())
			}
		})
	}
}

func TestDurationApprox(t *testing.T) {
	day := 24 * time.Hour
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"PT0S", 0},
		{"PT90M", 90 * time.Minute},
		{"PT1.5S", 1500 * time.Millisecond},
		{"P1D", day},
		{"P2W", 14 * day},
		{"P1M", 2_629_746 * time.Second},
		{"P12M", 31_556_952 * time.Second},
		{"P1Y", 31_556_952 * time.Second},
		{"P200Y", 73_048*day + 12*time.Hour}, // half a Gregorian cycle
		{"P1DT2H30M", day + 150*time.Minute},
		{"P292Y", 292 * 31_556_952 * time.Second},
		{"P293Y", math.MaxInt64},
		{"PT9223372036854775807H", math.MaxInt64},
		{"P9223372036854775807Y9223372036854775807M", math.MaxInt64},
		{"PT9223372036.854775807S", math.MaxInt64},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			d, err := ParseDuration(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, d.Approx())
		})
	}
	t.Run("one past max saturates", func(t *testing.T) {
		d := Duration{Seconds: 9_223_372_036, Nanoseconds: 854_775_807}
		assert.Equal(t, time.Duration(math.MaxInt64), d.Add(Duration{Nanoseconds: 1}).Approx())
	})
}

func TestDurationOf(t *testing.T) {
	tests := []struct {
		in   time.Duration
		want string
	}{
		{0, "PT0S"},
		{-time.Hour, "PT0S"},
		{90 * time.Minute, "PT1H30M"},
		{25 * time.Hour, "PT25H"},
		{1500 * time.Millisecond, "PT1.5S"},
		{time.Nanosecond, "PT0.000000001S"},
		{time.Hour + 2*time.Minute + 3*time.Second + 4*time.Millisecond, "PT1H2M3.004S"},
		{math.MaxInt64, "PT2562047H47M16.854775807S"},
	}
	for _, tt := range tests {
		t.Run(tt.in.String(), func(t *testing.T) {
			d := DurationOf(tt.in)
			assert.Equal(t, tt.want, d.String())
			if tt.in > 0 {
				assert.Equal(t, tt.in, d.Approx())
			}
		})
	}
}

func TestDurationCompare(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"PT1H", "PT60M", 0},
		{"PT59M", "PT1H", -1},
		{"P1D", "PT23H59M59.999999999S", 1},
		{"P1W", "P7D", 0},
		{"P1M", "P30D", 1},
		{"P1Y", "P12M", 0},
		{"P1000Y", "P2000Y", 0}, // both saturate
	}
	for _, tt := range tests {
		t.Run(tt.a+" vs "+tt.b, func(t *testing.T) {
			a, err := ParseDuration(tt.a)
			require.NoError(t, err)
			b, err := ParseDuration(tt.b)
			require.NoError(t, err)
			assert.Equal(t, tt.want, a.Compare(b))
			assert.Equal(t, -tt.want, b.Compare(a))
		})
	}
}

func TestDurationIsZero(t *testing.T) {
	assert.True(t, Duration{}.IsZero())
	assert.False(t, Duration{Nanoseconds: 1}.IsZero())
	assert.False(t, Duration{Years: 1}.IsZero())
}

func TestDurationStringOutOfRange(t *testing.T) {
	for _, d := range []Duration{
		{Days: -1},
		{Nanoseconds: -1},
		{Nanoseconds: int64(time.Second)},
		{Seconds: 1, Nanoseconds: 1_500_000_000},
	} {
		t.Run(fmt.Sprintf("%+v", d), func(t *testing.T) {
			_, err := ParseDuration(d.String())
			assert.Error(t, err, "String() = %q", d.String())
			_, err = d.MarshalText()
			assert.ErrorIs(t, err, ErrInvalidDuration)
			_, err = json.Marshal(d)
			assert.ErrorIs(t, err, ErrInvalidDuration)
		})
	}
}

func TestDurationJSON(t *testing.T) {
	type doc struct {
		Length Duration  `json:"length"`
		Max    *Duration `json:"max,omitempty"`
	}
	t.Run("marshal", func(t *testing.T) {
		b, err := json.Marshal(doc{Length: Duration{Minutes: 90}})
		require.NoError(t, err)
		assert.JSONEq(t, `{"length":"PT90M"}`, string(b))
		b, err = json.Marshal(Duration{})
		require.NoError(t, err)
		assert.Equal(t, `"PT0S"`, string(b))
	})
	t.Run("unmarshal", func(t *testing.T) {
		var v doc
		require.NoError(t, json.Unmarshal([]byte(`{"length":"P1DT2H30M","max":"PT1.5S"}`), &v))
		assert.Equal(t, Duration{Days: 1, Hours: 2, Minutes: 30}, v.Length)
		require.NotNil(t, v.Max)
		assert.Equal(t, Duration{Seconds: 1, Nanoseconds: 500_000_000}, *v.Max)
	})
	t.Run("escaped string", func(t *testing.T) {
		var d Duration
		require.NoError(t, json.Unmarshal([]byte(`"\u0050T1H"`), &d))
		assert.Equal(t, Duration{Hours: 1}, d)
	})
	t.Run("null is a no-op", func(t *testing.T) {
		d := Duration{Hours: 2}
		require.NoError(t, json.Unmarshal([]byte(`null`), &d))
		assert.Equal(t, Duration{Hours: 2}, d)
		var v doc
		require.NoError(t, json.Unmarshal([]byte(`{"length":null,"max":null}`), &v))
		assert.Zero(t, v.Length)
		assert.Nil(t, v.Max)
	})
	rejects := []struct {
		in, msg string
	}{
		{`30`, "got a number in JSON, want a string"},
		{`-1.5`, "got a number in JSON"},
		{`true`, "got a boolean in JSON"},
		{`{"hours":1}`, "got an object in JSON"},
		{`["PT1H"]`, "got an array in JSON"},
		{`"P1H"`, "'H' (hours) must come after 'T'"},
		{`"pt1h"`, "write PT1H"},
		{`""`, "empty string"},
		{`"PT1H`, "asset: invalid ISO 8601 duration"},
	}
	for _, tt := range rejects {
		t.Run("rejects "+tt.in, func(t *testing.T) {
			d := Duration{Days: 3}
			err := d.UnmarshalJSON([]byte(tt.in))
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrInvalidDuration)
			assert.Contains(t, err.Error(), tt.msg)
			assert.Equal(t, Duration{Days: 3}, d, "unchanged on error")

			var v doc
			err = json.Unmarshal([]byte(`{"length":`+tt.in+`}`), &v)
			assert.Error(t, err)
		})
	}
	t.Run("rejects in a document", func(t *testing.T) {
		var v doc
		err := json.Unmarshal([]byte(`{"length":90}`), &v)
		require.ErrorIs(t, err, ErrInvalidDuration)
		err = json.Unmarshal([]byte(`{"length":"P1D2H"}`), &v)
		var de *DurationError
		require.ErrorAs(t, err, &de)
		assert.Equal(t, 4, de.Offset)
	})
}

func TestDurationText(t *testing.T) {
	var d Duration
	require.NoError(t, d.UnmarshalText([]byte("P2W")))
	assert.Equal(t, Duration{Weeks: 2}, d)
	assert.ErrorIs(t, d.UnmarshalText([]byte("P2X")), ErrInvalidDuration)
	assert.Equal(t, Duration{Weeks: 2}, d, "unchanged on error")
	b, err := d.MarshalText()
	require.NoError(t, err)
	assert.Equal(t, "P2W", string(b))

	// As a map key, through encoding.TextMarshaler.
	m := map[Duration]int{{Minutes: 5}: 1}
	js, err := json.Marshal(m)
	require.NoError(t, err)
	assert.JSONEq(t, `{"PT5M":1}`, string(js))
}

func FuzzParseDuration(f *testing.F) {
	for _, name := range []string{"valid.txt", "invalid.txt"} {
		for _, s := range readDurationLines(f, name) {
			f.Add(s)
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkDuration(t, s)
	})
}

func ExampleParseDuration() {
	d, err := ParseDuration("PT90M")
	if err != nil {
		panic(err)
	}
	fmt.Println(d, d.Minutes, d.Approx())

	_, err = ParseDuration("PT1.5H")
	fmt.Println(err)
	// Output:
	// PT90M 90 1h30m0s
	// asset: invalid ISO 8601 duration "PT1.5H" at offset 3: only seconds may have a fraction; write PT1H30M
}

func ExampleDuration_Add() {
	lecture, _ := ParseDuration("PT45M")
	lab, _ := ParseDuration("PT1H30.5S")
	total := lecture.Add(lab).Add(lab)
	fmt.Println(total, total.Approx())
	// Output:
	// PT2H45M61S 2h46m1s
}

func TestDurationNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"PT90M", "PT1H30M"},
		{"PT3H60M", "PT4H"},
		{"PT125S", "PT2M5S"},
		{"PT3725.5S", "PT1H2M5.5S"},
		{"P1DT25H", "P1DT25H"}, // hours are not carried into days
		{"PT45M", "PT45M"},
		{"PT0S", "PT0S"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			d, err := ParseDuration(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			n := d.Normalize()
			if got := n.String(); got != tt.want {
				t.Fatalf("Normalize(%s) = %s, want %s", tt.in, got, tt.want)
			}
			if n.Approx() != d.Approx() {
				t.Fatalf("Normalize changed the length: %v vs %v", n.Approx(), d.Approx())
			}
		})
	}
}
