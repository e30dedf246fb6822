// Package archive reads zip archives and folders that arrive from outside —
// SCORM and cmi5 packages, OTA bundles — treating each as hostile until it
// has been checked. The SCORM, cmi5, bundle and lesson readers use it and
// embed its [Limits] in their options, so one value sets the archive limits
// of every format, and its error classes ([ErrSymlink], [ErrRatio]…) are
// what errors.Is finds in the errors they return.
//
// [Open] and [OpenFile] parse the central directory only and check every
// entry before any entry's data is read; [OpenDir] and [OpenFolder] apply
// the same checks to a folder. The checks:
//
//   - names: no ".." segment ([ErrPathEscape]); no leading "/" or "\", UNC
//     prefix or drive letter ([ErrAbsolutePath]); no "\" unless
//     [Limits].AllowBackslashes ([ErrBackslash]); not empty, no control
//     characters (NUL included), no colon, no segment ending in a dot or a
//     space, valid UTF-8 when flagged so ([ErrBadName]); at most
//     [Limits].MaxNameLength bytes with segments of at most 255 bytes
//     ([ErrNameTooLong]) and [Limits].MaxDepth segments ([ErrTooDeep]);
//   - names that are not valid UTF-8 and carry no UTF-8 flag are decoded as
//     code page 437, as the zip specification says, and then checked like
//     any other; [Limits].RejectLegacyNames refuses them instead;
//   - entry types: symbolic links ([ErrSymlink]; [Limits].SkipSymlinks
//     leaves them out instead) and devices, pipes and sockets
//     ([ErrSpecialFile]), judged from the Unix mode in the external
//     attributes whatever system the archive claims to come from;
//   - encryption ([ErrEncrypted]) and compression methods other than store
//     and deflate ([ErrUnsupportedMethod]);
//   - the tree: the same file twice ([ErrDuplicate]), names that differ
//     only in case, folders included ([ErrCaseCollision]), a name used as
//     both file and folder ([ErrConflict]);
//   - sizes: [Limits].MaxEntries, MaxTotalSize, MaxEntrySize and MaxRatio
//     ([ErrTooManyEntries], [ErrTooLarge], [ErrEntryTooLarge], [ErrRatio]),
//     the ratio checked per entry above [Limits].RatioFloor and for the
//     whole archive; headers that contradict each other or the archive's
//     size (a stored entry whose sizes differ, entries claiming more
//     compressed bytes than the archive holds) are [ErrCorrupt].
//
// Every violation is an [*Error] carrying the class, the entry's name and
// index and a detail; all of them are returned together in a
// [*CheckError], so errors.Is(err, ErrSymlink) tells whether any entry was
// a link. A rejected archive's data is never read.
//
// Headers are not trusted while reading either: an entry stops with
// [ErrEntryTooLarge] at the first byte beyond its declared size, with
// [ErrCorrupt] when it ends early, with [ErrChecksum] when its CRC-32 does
// not match, and the bytes read across all entries are held to
// [Limits].MaxTotalSize.
//
// An [Archive] is an fs.FS (with ReadDir, Stat and ReadFile), so fs.WalkDir
// and fs.ReadFile work on it; names are clean slash paths. Junk that
// operating systems add ([IsJunk]) is left out unless [Limits].KeepJunk.
// [Extract] writes an archive into an empty folder through an os.Root, so
// nothing can land outside it, and removes what it wrote if it fails.
//
// Not detected: names that differ only in Unicode normalisation (NFC
// against NFD), which collide on macOS; [Extract]'s exclusive creates
// turn such a collision into an error instead of an overwrite. The
// Info-ZIP Unicode path extra field is ignored: the central directory name
// is the only name.
package archive
