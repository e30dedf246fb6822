package isodur

import (
	"strings"
	"testing"
	"time"
)

func TestParseFormat(t *testing.T) {
	for _, s := range []string{"PT0S", "P1Y2M3W4DT5H6M7.5S", "PT45M", "P2W", "PT0.000000001S"} {
		f, err := Parse(s)
		if err != nil {
			t.Fatalf("Parse(%q): %v", s, err)
		}
		if got := Format(f); got != s {
			t.Errorf("Format(Parse(%q)) = %q", s, got)
		}
	}
	for _, s := range []string{"", "P", "pT1H", "PT1.5H", "P1H", "PT1S2M"} {
		if _, err := Parse(s); err == nil {
			t.Errorf("Parse(%q) accepted", s)
		} else if err.Reason == "" {
			t.Errorf("Parse(%q): no reason", s)
		}
	}
	if _, err := Parse("PT1.5H"); err == nil || !strings.Contains(err.Reason, "PT1H30M") {
		t.Errorf("Parse(PT1.5H) does not suggest PT1H30M: %v", err)
	}
}

func TestCheckApproxFormatHMS(t *testing.T) {
	if r := Check("PT1.5H"); r != "" {
		t.Errorf("xAPI allows a fraction on the last component: %s", r)
	}
	if r := Check("PT1.5H2M"); r == "" {
		t.Error("Check accepted a fraction before the last component")
	}
	if d, ok := Approx("PT1H30M"); !ok || d != 90*time.Minute {
		t.Errorf("Approx(PT1H30M) = %v, %v", d, ok)
	}
	if got := FormatHMS(90*time.Minute + 1500*time.Millisecond); got != "PT1H30M1.5S" {
		t.Errorf("FormatHMS = %q", got)
	}
}
