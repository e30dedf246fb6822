package jsondec

import (
	"errors"
	"strings"
	"testing"

	"github.com/metaacademy/ota/internal/jsontree"
)

var (
	errSyntax = errors.New("x: syntax")
	errLarge  = errors.New("x: too large")
)

func TestReadAllLimit(t *testing.T) {
	if _, err := ReadAll(strings.NewReader("12345"), 4, errLarge, "Options.MaxBytes", "x"); !errors.Is(err, errLarge) {
		t.Errorf("5 bytes over a limit of 4: %v", err)
	}
	b, err := ReadAll(strings.NewReader("1234"), 4, errLarge, "Options.MaxBytes", "x")
	if err != nil || string(b) != "1234" {
		t.Errorf("4 bytes at a limit of 4: %q, %v", b, err)
	}
}

func TestParseErrorsKeepTheirCause(t *testing.T) {
	_, err := Parse([]byte("[1,2,3]"), jsontree.Limits{MaxValues: 2}, errLarge, "Options.MaxValues")
	if !errors.Is(err, errLarge) {
		t.Errorf("too many values: %v", err)
	}
	_, err = Parse([]byte("{\n\"a\": }"), jsontree.Limits{}, errLarge, "")
	err = Syntax(errSyntax, err)
	if !errors.Is(err, errSyntax) || !errors.Is(err, jsontree.ErrSyntax) {
		t.Errorf("%v does not reach both the sentinel and the parser's class", err)
	}
	if !strings.Contains(err.Error(), "line 2") {
		t.Errorf("%v has no line", err)
	}
}

func TestLinesAndAt(t *testing.T) {
	data := []byte("{\n \"a\": [\n  1,\n  {\"b\": 2}\n ]\n}")
	root, err := jsontree.Parse(data, jsontree.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	l := NewLines(data)
	if got := l.Line(At(root, "/a/1/b").Start); got != 4 {
		t.Errorf("/a/1/b on line %d, want 4", got)
	}
	if got := l.Line(At(root, "/a/9").Start); got != 2 {
		t.Errorf("a pointer past the end stops at /a (line 2), got %d", got)
	}
}
