package archive

import "strings"

// junkFolders are folders that operating systems add to archives and
// folders: macOS resource forks, Spotlight and Trash data.
var junkFolders = []string{"__MACOSX", ".Spotlight-V100", ".Trashes", ".fseventsd"}

// junkFiles are files, matched case-insensitively, that operating systems
// leave behind: Finder and Explorer view settings and thumbnail caches.
var junkFiles = []string{".DS_Store", "Thumbs.db", "ehthumbs.db", "desktop.ini"}

// IsJunk reports whether a cleaned, slash-separated name is operating
// system clutter that no package means to ship: anything under a
// __MACOSX/, .Spotlight-V100/, .Trashes/ or .fseventsd/ folder, an
// AppleDouble file ("._name"), .DS_Store, Thumbs.db, ehthumbs.db or
// desktop.ini. Such entries are left out unless [Limits].KeepJunk is set.
func IsJunk(name string) bool {
	base := name[strings.LastIndexByte(name, '/')+1:]
	if strings.HasPrefix(base, "._") {
		return true
	}
	for _, j := range junkFiles {
		if strings.EqualFold(base, j) {
			return true
		}
	}
	for rest := name; rest != ""; {
		var seg string
		seg, rest, _ = strings.Cut(rest, "/")
		if seg == "" || seg[0] != '_' && seg[0] != '.' {
			continue // every junk folder starts with one of these
		}
		for _, j := range junkFolders {
			if strings.EqualFold(seg, j) {
				return true
			}
		}
	}
	return false
}
