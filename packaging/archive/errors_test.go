package archive

import (
	"archive/zip"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestErrorMessage(t *testing.T) {
	tests := []struct {
		name string
		err  *Error
		want string
	}{
		{"entry", &Error{Kind: ErrPathEscape, Name: "../evil", Index: 3, Detail: `".." segment`},
			`archive: entry 3 "../evil": path leaves the root: ".." segment`},
		{"control characters quoted", &Error{Kind: ErrBadName, Name: "a\x00\x1b", Index: 0},
			`archive: entry 0 "a\x00\x1b": bad name`},
		{"whole archive", &Error{Kind: ErrTooManyEntries, Index: -1, Detail: "100000 entries"},
			"archive: too many entries: 100000 entries"},
		{"with cause", &Error{Kind: ErrChecksum, Name: "a", Index: 1, Err: zip.ErrChecksum},
			`archive: entry 1 "a": checksum mismatch: zip: checksum error`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.err.Error())
			assert.ErrorIs(t, tt.err, tt.err.Kind)
			if tt.err.Err != nil {
				assert.ErrorIs(t, tt.err, tt.err.Err)
			}
		})
	}
}

func TestCheckErrorListsEverything(t *testing.T) {
	var ents []zent
	for i := range 150 {
		ents = append(ents, zf(fmt.Sprintf("../evil%03d", i), "x"))
	}
	ents = append(ents, link("link", "/etc"))
	_, err := openData(buildZip(t, ents...), Limits{})
	var ce *CheckError
	require.ErrorAs(t, err, &ce)
	assert.Len(t, ce.Problems, maxReported)
	assert.Equal(t, 51, ce.Omitted)
	assert.ErrorIs(t, err, ErrPathEscape)
	assert.NotErrorIs(t, err, ErrSymlink, "the link is beyond the first 100 problems")
	assert.Contains(t, err.Error(), "archive: rejected: 151 problems\n")
	assert.True(t, strings.HasSuffix(err.Error(), "(and 51 more)"))
	var first *Error
	require.ErrorAs(t, err, &first)
	assert.Equal(t, 0, first.Index)
}

func TestCheckErrorSeveralClasses(t *testing.T) {
	_, err := openData(buildZip(t,
		zf("a.html", "a"), zf("A.html", "b"), link("l", "/"), zf("/abs", "c"), zf("a.html", "d"),
	), Limits{})
	for _, want := range []error{ErrCaseCollision, ErrSymlink, ErrAbsolutePath, ErrDuplicate} {
		assert.ErrorIs(t, err, want)
	}
	assert.False(t, errors.Is(err, ErrEncrypted))
}
