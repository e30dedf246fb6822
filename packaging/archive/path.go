package archive

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/metaacademy/ota"
)

// OpenPath opens what is at path: a folder with [OpenFolder], anything else
// as a zip file with [OpenFile]. Archive.Close releases it.
func OpenPath(path string, opts Limits) (*Archive, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if fi.IsDir() {
		return OpenFolder(path, opts)
	}
	return OpenFile(path, opts)
}

// Verify reads every file of a through [Archive.CheckData] and returns one
// issue of the given code, of severity error, for each file an extraction
// would trip on (a CRC-32 or a size that does not match the data), its
// pointer the file's name; none when every file reads. A cancelled ctx
// gives one issue holding ctx's error.
func Verify(ctx context.Context, a *Archive, code string) []ota.Issue {
	err := a.CheckData(ctx)
	if err == nil {
		return nil
	}
	var ce *CheckError
	if !errors.As(err, &ce) {
		return []ota.Issue{{Code: code, Severity: ota.Error, Message: err.Error()}}
	}
	var out []ota.Issue
	for _, p := range ce.Problems {
		out = append(out, ota.Issue{Pointer: p.Name, Code: code, Severity: ota.Error, Message: p.Error()})
	}
	switch {
	case ce.Omitted == 1:
		out = append(out, ota.Issue{Code: code, Severity: ota.Error, Message: "1 more file cannot be read either"})
	case ce.Omitted > 1:
		out = append(out, ota.Issue{Code: code, Severity: ota.Error, Message: fmt.Sprintf("%d more files cannot be read either", ce.Omitted)})
	}
	return out
}
