package archive

// Default limits. The zero [Limits] value uses all of them.
const (
	// DefaultMaxEntries bounds the entries of an archive. Real SCORM and
	// cmi5 packages hold tens to a few thousand files; 50,000 leaves an
	// order of magnitude to spare while keeping the parsed central
	// directory to a few tens of megabytes.
	DefaultMaxEntries = 50_000
	// DefaultMaxTotalSize bounds the sum of the uncompressed sizes, 4 GiB:
	// video-heavy courses reach a few gigabytes; more is far more likely an
	// attempt to fill the disk than a course.
	DefaultMaxTotalSize = 4 << 30
	// DefaultMaxEntrySize bounds one entry's uncompressed size, 1 GiB: the
	// largest single media file a course plausibly carries.
	DefaultMaxEntrySize = 1 << 30
	// DefaultMaxRatio bounds uncompressed / compressed size. Deflate tops
	// out near 1032:1 and zip bombs sit there; HTML, scripts, XML and media
	// compress at most about 20:1, and highly repetitive data files reach
	// 100–200:1 (Apache POI's 100:1 default is known to trip on real
	// spreadsheets), so 200 keeps a margin on both sides.
	DefaultMaxRatio = 200
	// DefaultRatioFloor is the uncompressed size, 1 MiB, below which an
	// entry is not ratio-checked: a small file of spaces may compress
	// 500:1 yet cannot amplify much. The archive as a whole is still
	// ratio-checked once its total passes the floor, so many small
	// entries cannot add up to a bomb.
	DefaultRatioFloor = 1 << 20
	// DefaultMaxNameLength bounds a name's length in bytes: 1024 is far
	// beyond any real path in a package and well within PATH_MAX.
	DefaultMaxNameLength = 1024
	// DefaultMaxDepth bounds the number of segments of a name. Real
	// packages nest fewer than 15 levels.
	DefaultMaxDepth = 64
	// maxSegmentLength is NAME_MAX on common file systems (ext4, APFS,
	// NTFS in UTF-16 units is 255 too); a longer segment cannot be
	// extracted anywhere.
	maxSegmentLength = 255
	// directoryBudgetPerEntry is how many central-directory bytes
	// [Open] reads per allowed entry on average before giving up: real
	// entries take 46 fixed bytes plus a name and some extra fields, about
	// 150 bytes. The budget keeps a lying entry count from making Open
	// parse an unbounded directory.
	directoryBudgetPerEntry = 512
	// directoryBudgetBase covers the reads that locate the end of the
	// central directory (at most 66 KiB) plus one buffer of slack.
	directoryBudgetBase = 128 << 10
)

// Limits selects the checks applied by [Open], [OpenFile], [OpenDir] and
// [OpenFolder]. The zero value applies every check with the default
// limits. For each numeric limit, 0 means the default and a negative value
// means no limit.
type Limits struct {
	// MaxEntries caps the number of entries, junk included; 0 means
	// [DefaultMaxEntries].
	MaxEntries int
	// MaxTotalSize caps the sum of the entries' uncompressed sizes, both
	// as declared and as read; 0 means [DefaultMaxTotalSize].
	MaxTotalSize int64
	// MaxEntrySize caps one entry's uncompressed size, both as declared
	// and as read; 0 means [DefaultMaxEntrySize].
	MaxEntrySize int64
	// MaxRatio caps an entry's declared uncompressed size divided by its
	// compressed size, and the same for the whole archive (total declared
	// size divided by the archive's size); 0 means [DefaultMaxRatio].
	MaxRatio int
	// RatioFloor exempts entries smaller than this many bytes, and
	// archives whose total is smaller, from the ratio check; 0 means
	// [DefaultRatioFloor], a negative value exempts nothing.
	RatioFloor int64
	// MaxNameLength caps a name's length in bytes; 0 means
	// [DefaultMaxNameLength]. No segment may exceed 255 bytes whatever
	// the setting.
	MaxNameLength int
	// MaxDepth caps the number of segments in a name; 0 means
	// [DefaultMaxDepth].
	MaxDepth int
	// AllowBackslashes treats "\" as a folder separator instead of
	// rejecting it. Windows PowerShell 5's Compress-Archive writes such
	// names. The converted name is checked like any other, so "..\x" is
	// still rejected with [ErrPathEscape].
	AllowBackslashes bool
	// AllowCaseCollisions accepts names that differ only in case
	// ("a.html" and "A.HTML"). [Archive.Lookup] then declines to guess
	// between them, and [Extract] fails on a case-insensitive file system
	// rather than overwrite.
	AllowCaseCollisions bool
	// SkipSymlinks leaves symbolic links out (they are listed by
	// [Archive.Skipped]) instead of rejecting the archive. A link is never
	// followed and never extracted.
	SkipSymlinks bool
	// FollowLinks, for a folder opened with [OpenFolder], follows symbolic
	// links whose target lies inside the folder instead of rejecting
	// them; links leading outside it, or to a folder containing them, are
	// still rejected. Links in zip archives are never followed.
	FollowLinks bool
	// RejectLegacyNames rejects names that are not valid UTF-8. By default
	// such a name, which can only come from an archive without the UTF-8
	// flag, is decoded as code page 437 as the zip specification says
	// (see [Entry].LegacyName) and then checked like any other. A name
	// flagged UTF-8 that is not valid UTF-8 is rejected either way.
	RejectLegacyNames bool
	// KeepJunk keeps the entries that [IsJunk] recognises (__MACOSX/,
	// .DS_Store, Thumbs.db…). By default they are checked like every
	// other entry and then left out of the tree, listed by
	// [Archive.Skipped].
	KeepJunk bool
}

// noLimit stands for "no limit" in resolved options.
const noLimit = -1

// resolve fills in the defaults; a negative limit becomes noLimit.
func (o Limits) resolve() Limits {
	o.MaxEntries = pickInt(o.MaxEntries, DefaultMaxEntries)
	o.MaxTotalSize = pick64(o.MaxTotalSize, DefaultMaxTotalSize)
	o.MaxEntrySize = pick64(o.MaxEntrySize, DefaultMaxEntrySize)
	o.MaxRatio = pickInt(o.MaxRatio, DefaultMaxRatio)
	o.RatioFloor = pick64(o.RatioFloor, DefaultRatioFloor)
	o.MaxNameLength = pickInt(o.MaxNameLength, DefaultMaxNameLength)
	o.MaxDepth = pickInt(o.MaxDepth, DefaultMaxDepth)
	return o
}

func pickInt(v, def int) int {
	switch {
	case v == 0:
		return def
	case v < 0:
		return noLimit
	}
	return v
}

func pick64(v, def int64) int64 {
	switch {
	case v == 0:
		return def
	case v < 0:
		return noLimit
	}
	return v
}

// over reports whether v exceeds limit; noLimit is never exceeded.
func over(v uint64, limit int64) bool {
	return limit >= 0 && v > uint64(limit)
}

// DefaultLimits returns the default limits spelled out, every check on:
// the same checks as the zero value, as a starting point for a caller who
// raises or lowers one of them.
func DefaultLimits() Limits {
	return Limits{
		MaxEntries:    DefaultMaxEntries,
		MaxTotalSize:  DefaultMaxTotalSize,
		MaxEntrySize:  DefaultMaxEntrySize,
		MaxRatio:      DefaultMaxRatio,
		RatioFloor:    DefaultRatioFloor,
		MaxNameLength: DefaultMaxNameLength,
		MaxDepth:      DefaultMaxDepth,
	}
}
