package xmltree

import (
	"errors"
	"strings"
	"testing"
)

func TestSentinelsWrapKeepsTheCause(t *testing.T) {
	s := Sentinels{Syntax: errors.New("x: syntax"), Limit: errors.New("x: limit"), Entities: errors.New("x: entities")}
	for _, tc := range []struct {
		in          string
		lim         Limits
		class, want error
	}{
		{"<a><b></a>", Limits{}, ErrSyntax, s.Syntax},
		{"<a><b/><b/></a>", Limits{MaxElements: 2}, ErrLimit, s.Limit},
		{`<!DOCTYPE a [<!ENTITY e "x">]><a/>`, Limits{}, ErrEntities, s.Entities},
	} {
		_, _, err := Parse(strings.NewReader(tc.in), tc.lim)
		got := s.Wrap(err)
		if !errors.Is(got, tc.want) || !errors.Is(got, tc.class) {
			t.Errorf("%s: %v does not reach both %v and %v", tc.in, got, tc.want, tc.class)
		}
		var xe *Error
		if !errors.As(got, &xe) {
			t.Errorf("%s: %v does not keep the *Error", tc.in, got)
		}
	}
	if s.Wrap(nil) != nil {
		t.Error("Wrap(nil) is not nil")
	}
}
