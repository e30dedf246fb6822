package xapi

import (
	"testing"
	"time"

	"github.com/metaacademy/ota/internal/isodur"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheckDuration(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{"PT1H0M0.1S", true},
		{"PT4H35M59.14S", true},
		{"PT16559.14S", true},
		{"P3Y1M29DT4H35M59.14S", true},
		{"P3Y", true},
		{"P4W", true},
		{"PT0S", true},
		{"P1DT12H", true},
		{"P0.5D", true},
		{"PT1,5S", true},
		{"PT36H", true},
		{"P1Y2M", true},
		{"PT1M", true},
		{"P1M", true},
		{"P4W1D", false},
		{"P1DT4W", false},
		{"PA1H0M0S", false},
		{"P", false},
		{"PT", false},
		{"P1DT", false},
		{"", false},
		{"1H", false},
		{"pt1h", false},
		{"P1H", false},
		{"PT1D", false},
		{"P1D1Y", false},
		{"PT1S1M", false},
		{"P1.5DT1H", false},
		{"PT1.S", false},
		{"PT.5S", false},
		{"P1", false},
		{"P-1D", false},
		{"PT1H1H", false},
		{"P0003-01-29T04:35:59", false},
		{"P1W ", false},
	} {
		t.Run(tc.in, func(t *testing.T) {
			r := isodur.Check(tc.in)
			if tc.ok {
				assert.Empty(t, r)
			} else {
				assert.NotEmpty(t, r)
			}
		})
	}
}

func TestParseTimestamp(t *testing.T) {
	for _, tc := range []struct {
		in       string
		ok       bool
		rfc3339  bool
		zone     bool
		unixNano int64
	}{
		{"2008-09-15T15:53:00.601+00:00", true, true, true, 1221493980601000000},
		{"2008-09-15T15:53:00.601Z", true, true, true, 1221493980601000000},
		{"2008-09-15T17:53:00.601+02:00", true, true, true, 1221493980601000000},
		{"2008-09-15t15:53:00.601z", true, true, true, 1221493980601000000},
		{"2031-11-27T01:59:20.106Z", true, true, true, 1953511160106000000},
		{"2008-09-15T15:53:00Z", true, true, true, 1221493980000000000},
		{"2008-09-15T15:53:00.123456789123Z", true, true, true, 1221493980123456789},
		{"2008-09-15T15:53Z", true, false, true, 1221493980000000000},
		{"2008-09-15T15:53:00", true, false, false, 1221493980000000000},
		{"2008-09-15T15:53:00+0000", true, false, true, 1221493980000000000},
		{"2008-09-15T15:53:00+00", true, false, true, 1221493980000000000},
		{"20080915T155300Z", true, false, true, 1221493980000000000},
		{"20080915T155300.5+0100", true, false, true, 1221490380500000000},
		{"2016-12-31T23:59:60Z", true, true, true, 1483228799999999999},
		{"2024-02-29T00:00:00Z", true, true, true, 1709164800000000000},
		{"2023-02-29T00:00:00Z", false, false, false, 0},
		{"2008-09-15T15:53:00.601-00", false, false, false, 0},
		{"2008-09-15T15:53:00.601-0000", false, false, false, 0},
		{"2008-09-15T15:53:00.601-00:00", false, false, false, 0},
		{"01/011/2015", false, false, false, 0},
		{"should fail", false, false, false, 0},
		{"2008-09-15", false, false, false, 0},
		{"2008-09-15 15:53:00Z", false, false, false, 0},
		{"2008-09-15T24:00:00Z", false, false, false, 0},
		{"2008-09-15T15:60:00Z", false, false, false, 0},
		{"2008-09-15T15:53:00.Z", false, false, false, 0},
		{"2008-09-15T15:53:00+25:00", false, false, false, 0},
		{"2008-09-15T15:53:00Z ", false, false, false, 0},
		{"2008-9-15T15:53:00Z", false, false, false, 0},
		{"", false, false, false, 0},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, info, reason := parseTimestamp(tc.in)
			if !tc.ok {
				assert.NotEmpty(t, reason)
				_, err := ParseTimestamp(tc.in)
				assert.Error(t, err)
				return
			}
			require.Empty(t, reason)
			assert.Equal(t, tc.rfc3339, info.rfc3339, "rfc3339")
			assert.Equal(t, tc.zone, info.zone, "zone")
			assert.Equal(t, tc.unixNano, got.UnixNano())
		})
	}
}

func TestFormatTimestamp(t *testing.T) {
	ts := time.Date(2024, 5, 31, 16, 2, 0, 120_400_000, time.FixedZone("CEST", 2*3600))
	s := FormatTimestamp(ts)
	assert.Equal(t, "2024-05-31T14:02:00.120Z", s)
	back, err := ParseTimestamp(s)
	require.NoError(t, err)
	assert.True(t, back.Equal(ts.Truncate(time.Millisecond)))
}

func TestCheckUUID(t *testing.T) {
	for _, tc := range []struct {
		in      string
		ok, rfc bool
	}{
		{"6f1e0c3e-9b7d-4c1a-8e2f-3a5b7c9d1e0f", true, true},
		{"AA97B177-9383-4934-8543-0F91A7A02836", true, true},
		{"12345678-1234-5678-1234-567812345678", true, false},
		{"00000000-0000-0000-0000-000000000000", true, false},
		{"AA97B177-9383-4934-8543-0F91A7A028368", false, false},
		{"MA97B177-9383-4934-8543-0F91A7A02836", false, false},
		{"aa97b1779383-4934-8543-0f91a7a028368", false, false},
		{"{6f1e0c3e-9b7d-4c1a-8e2f-3a5b7c9d1e0f}", false, false},
		{"6f1e0c3e9b7d4c1a8e2f3a5b7c9d1e0f", false, false},
		{"", false, false},
	} {
		t.Run(tc.in, func(t *testing.T) {
			reason, rfc := checkUUID(tc.in)
			assert.Equal(t, tc.ok, reason == "", reason)
			assert.Equal(t, tc.rfc, rfc)
		})
	}
}

func TestCheckMbox(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{"mailto:xapi@adlnet.gov", true},
		{"mailto:first.last+tag@sub.example.co.uk", true},
		{"mailto:o'brien@example.ie", true},
		{"mailto:user@localhost", true},
		{"mailto:用户@例子.中国", true},
		{"xapi@adlnet.gov", false},
		{"MAILTO:xapi@adlnet.gov", false},
		{"mailto:", false},
		{"mailto:xapi", false},
		{"mailto:@adlnet.gov", false},
		{"mailto:xapi@", false},
		{"mailto:xa pi@adlnet.gov", false},
		{"mailto:xapi@adl..net", false},
		{"mailto:.xapi@adlnet.gov", false},
		{"mailto:xapi@-adlnet.gov", false},
		{"mailto:xapi@adlnet_gov", false},
		{"http://adlnet.gov", false},
	} {
		t.Run(tc.in, func(t *testing.T) {
			assert.Equal(t, tc.ok, checkMbox(tc.in) == "", checkMbox(tc.in))
		})
	}
}

func TestCheckVersion(t *testing.T) {
	for _, tc := range []struct {
		in       string
		v        Version
		ok       bool
		otherVer bool
	}{
		{"1.0", Version103, true, false},
		{"1.0.0", Version103, true, false},
		{"1.0.3", Version103, true, false},
		{"1.0.9", Version103, true, false},
		{"1.0.9", Version200, true, false},
		{"2.0.0", Version200, true, false},
		{"2.0.1", Version200, true, false},
		{"2.0", Version200, false, false},
		{"2.0.0", Version103, false, true},
		{"1.1.0", Version103, false, true},
		{"1.1.0", Version200, false, true},
		{"0.9.9", Version103, false, true},
		{"0.95", Version103, false, true},
		{"1.0.03", Version103, false, false},
		{"1.0.x", Version103, false, false},
		{"1.0.3-beta", Version103, false, false},
		{"should fail", Version103, false, false},
		{"", Version103, false, false},
		{"1", Version103, false, false},
	} {
		t.Run(string(tc.v)+"/"+tc.in, func(t *testing.T) {
			reason, other := checkVersion(tc.in, tc.v)
			assert.Equal(t, tc.ok, reason == "", reason)
			assert.Equal(t, tc.otherVer, other)
		})
	}
}

func TestParseVersion(t *testing.T) {
	for in, want := range map[string]Version{"1.0.3": Version103, "1.0": Version103, "1.0.1": Version103, "2.0.0": Version200, "2.0": Version200} {
		got, err := ParseVersion(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{"", "0.9", "1.1", "3.0.0", "latest"} {
		_, err := ParseVersion(in)
		assert.Error(t, err, in)
	}
	assert.Equal(t, "1.0.3", Version("").String())
	assert.Error(t, Version("1.0.2").Check())
}

func TestCheckSHA(t *testing.T) {
	assert.Empty(t, checkSHA1Hex("cd9b00a5611f94eaa7b1661edab976068e364975"))
	assert.NotEmpty(t, checkSHA1Hex("cd9b00a5611f94eaa7b1661edab976068e36497"))
	assert.NotEmpty(t, checkSHA1Hex("zd9b00a5611f94eaa7b1661edab976068e364975"))
	assert.Empty(t, checkSHA2Hex("495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848a"))
	assert.NotEmpty(t, checkSHA2Hex("495395e777"))
	assert.Equal(t, "cd9b00a5611f94eaa7b1661edab976068e364975", MboxSHA1Sum("xapi@adlnet.gov"), "the corpus's mbox_sha1sum of mailto:xapi@adlnet.gov")
}
