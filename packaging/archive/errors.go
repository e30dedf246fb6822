package archive

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Error classes. Every violation is an [*Error] whose Kind is one of these,
// so errors.Is(err, ErrPathEscape) and the like work on the error returned
// by [Open], [OpenDir], [Extract] and by reads.
var (
	// ErrCorrupt is the class of input that is not a zip archive, is
	// truncated, or whose headers contradict each other or the data.
	ErrCorrupt = errors.New("archive: corrupt or not a zip archive")
	// ErrChecksum is the class of an entry whose data does not match the
	// CRC-32 recorded in the central directory.
	ErrChecksum = errors.New("archive: checksum mismatch")
	// ErrPathEscape is the class of a name with a ".." segment (or one that
	// Windows reads as "..", such as ".. " or "..."): it could leave the
	// extraction folder.
	ErrPathEscape = errors.New("archive: path leaves the root")
	// ErrAbsolutePath is the class of a name that starts with "/" or "\"
	// (including UNC names such as "//server/share") or with a drive
	// letter ("C:").
	ErrAbsolutePath = errors.New("archive: absolute path")
	// ErrBackslash is the class of a name that contains "\", which Windows
	// treats as a separator; see [Limits].AllowBackslashes.
	ErrBackslash = errors.New("archive: backslash in name")
	// ErrBadName is the class of a name that is empty, holds NUL or other
	// control characters or a colon, has a segment ending in a dot or a
	// space, is not valid UTF-8 although flagged so, or names the root.
	ErrBadName = errors.New("archive: bad name")
	// ErrNameTooLong is the class of a name longer than
	// [Limits].MaxNameLength bytes or with a segment longer than 255
	// bytes.
	ErrNameTooLong = errors.New("archive: name too long")
	// ErrTooDeep is the class of a name with more segments than
	// [Limits].MaxDepth.
	ErrTooDeep = errors.New("archive: path too deep")
	// ErrSymlink is the class of a symbolic link entry; see
	// [Limits].SkipSymlinks.
	ErrSymlink = errors.New("archive: symbolic link")
	// ErrSpecialFile is the class of a device, named pipe or socket entry.
	ErrSpecialFile = errors.New("archive: special file")
	// ErrEncrypted is the class of an encrypted entry.
	ErrEncrypted = errors.New("archive: encrypted entry")
	// ErrUnsupportedMethod is the class of an entry compressed with a
	// method other than store (0) or deflate (8).
	ErrUnsupportedMethod = errors.New("archive: unsupported compression method")
	// ErrDuplicate is the class of a file name that appears more than once.
	ErrDuplicate = errors.New("archive: duplicate name")
	// ErrCaseCollision is the class of two names that differ only in case
	// and so collide on case-insensitive file systems; see
	// [Limits].AllowCaseCollisions.
	ErrCaseCollision = errors.New("archive: names differ only in case")
	// ErrConflict is the class of a name used both as a file and as a
	// folder (a file "x" and a file "x/y").
	ErrConflict = errors.New("archive: file and folder with the same name")
	// ErrTooManyEntries is the class of an archive with more entries than
	// [Limits].MaxEntries.
	ErrTooManyEntries = errors.New("archive: too many entries")
	// ErrTooLarge is the class of an archive whose entries add up to more
	// than [Limits].MaxTotalSize bytes, declared or read.
	ErrTooLarge = errors.New("archive: total size too large")
	// ErrEntryTooLarge is the class of an entry larger than
	// [Limits].MaxEntrySize, or one that yields more bytes than it
	// declares.
	ErrEntryTooLarge = errors.New("archive: entry too large")
	// ErrRatio is the class of an entry, or a whole archive, whose declared
	// size exceeds its compressed size more than [Limits].MaxRatio times.
	ErrRatio = errors.New("archive: compression ratio too high")
	// ErrAmbiguous is returned by [Archive.FindFile] when the file is not at
	// the root and more than one sub-folder holds it.
	ErrAmbiguous = errors.New("archive: more than one match")
	// ErrTargetNotEmpty is returned by [Extract] when the target folder
	// exists and is not empty.
	ErrTargetNotEmpty = errors.New("archive: target folder is not empty")
)

// Error is one violation found in an archive or folder, or a failure while
// reading one of its entries. errors.Is(err, Kind) holds, and so does
// errors.Is(err, Err) when Err is set.
type Error struct {
	// Kind is the class of the violation: one of the Err… variables of
	// this package.
	Kind error
	// Name is the entry's name as stored in the archive (not cleaned, not
	// decoded); empty for a violation of the whole archive.
	Name string
	// Index is the entry's position in the central directory (for a
	// folder, in the walk), counting from 0; -1 for a violation of the
	// whole archive.
	Index int
	// Detail says what exactly is wrong and, where a limit was hit, which
	// option raises it.
	Detail string
	// Err is the underlying cause, if any (for example a flate error or
	// zip.ErrChecksum).
	Err error
}

// Error returns "archive: entry 3 \"../evil\": path leaves the root: …",
// with the name quoted so that control characters cannot disturb logs.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("archive: ")
	if e.Index >= 0 {
		b.WriteString("entry ")
		b.WriteString(strconv.Itoa(e.Index))
		b.WriteString(" ")
		b.WriteString(strconv.QuoteToASCII(e.Name))
		b.WriteString(": ")
	}
	if e.Kind != nil {
		b.WriteString(strings.TrimPrefix(e.Kind.Error(), "archive: "))
	} else {
		b.WriteString("error")
	}
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns Kind and, when set, Err.
func (e *Error) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Err}
}

// maxReported bounds the problems kept in a [CheckError]: an archive of
// 50,000 bad names needs no 50,000-line report.
const maxReported = 100

// CheckError lists every violation found when an archive or folder was
// checked. errors.Is(err, ErrX) is true when any of the problems is of
// class ErrX, and errors.As(err, &e) with e an *Error gives the first.
type CheckError struct {
	// Problems are the violations in the order found: per entry in
	// central-directory order first, then those between entries, then
	// those of the whole archive. At most 100 are kept.
	Problems []*Error
	// Omitted counts the violations found beyond the first 100.
	Omitted int
}

// Error returns a summary line followed by one line per problem.
func (e *CheckError) Error() string {
	if len(e.Problems) == 1 && e.Omitted == 0 {
		return e.Problems[0].Error()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "archive: rejected: %d problems", len(e.Problems)+e.Omitted)
	for _, p := range e.Problems {
		b.WriteString("\n")
		b.WriteString(p.Error())
	}
	if e.Omitted > 0 {
		fmt.Fprintf(&b, "\n(and %d more)", e.Omitted)
	}
	return b.String()
}

// Unwrap returns the problems, so that errors.Is and errors.As look at
// each of them.
func (e *CheckError) Unwrap() []error {
	errs := make([]error, len(e.Problems))
	for i, p := range e.Problems {
		errs[i] = p
	}
	return errs
}

// collector gathers the problems of one check run.
type collector struct {
	problems []*Error
	omitted  int
}

// add records a problem.
func (c *collector) add(kind error, index int, name, format string, args ...any) {
	if len(c.problems) >= maxReported {
		c.omitted++
		return
	}
	c.problems = append(c.problems, &Error{Kind: kind, Name: name, Index: index, Detail: fmt.Sprintf(format, args...)})
}

// err returns the problems as a *CheckError, or nil when there are none.
func (c *collector) err() error {
	if len(c.problems) == 0 {
		return nil
	}
	return &CheckError{Problems: c.problems, Omitted: c.omitted}
}
