package otadate

import "testing"

func TestParse(t *testing.T) {
	for _, tt := range []struct {
		in string
		ok bool
	}{
		{"2024-05-01", true}, {"2024-05-01T09:30:00Z", true}, {"2024-05-01T09:30:00.5+02:00", true},
		{"2024-02-30", false}, {"2024-05-01T9:30:00Z", false}, {"2024-05-01t09:30:00z", false},
		{"2024-05-01T24:00:00Z", false}, {"2024-05-01T09:30:00+24:00", false}, {"", false}, {"yesterday", false},
	} {
		if _, ok := Parse(tt.in); ok != tt.ok {
			t.Errorf("Parse(%q) ok = %v, want %v", tt.in, ok, tt.ok)
		}
	}
}
