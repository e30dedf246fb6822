package asset

import (
	"encoding/json"
	"errors"
	"testing"
)

// TestDurationErrorKeepsTheCause: a duration that is not even a JSON string
// gives an error that is both ErrInvalidDuration and the decoder's own.
func TestDurationErrorKeepsTheCause(t *testing.T) {
	var d Duration
	err := d.UnmarshalJSON([]byte(`"PT1H\q"`))
	if !errors.Is(err, ErrInvalidDuration) {
		t.Fatalf("%v is not ErrInvalidDuration", err)
	}
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		t.Errorf("%v does not keep the *json.SyntaxError", err)
	}
}

// TestKindsIsACopy: changing the list a caller gets does not change the
// kinds Check knows.
func TestKindsIsACopy(t *testing.T) {
	k := Kinds()
	k[0] = "made-up"
	if Kinds()[0] != KindProgramme || kindRank(KindProgramme) != 0 {
		t.Error("Kinds returned the package's own slice")
	}
}
