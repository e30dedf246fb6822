// Package mediatype gives the media type of a file from its extension,
// with one built-in table shared by every reader and writer of the
// module, so that the same file gets the same type everywhere and on every
// machine (the system's MIME database is not consulted).
package mediatype

import (
	"path"
	"strings"
)

// Unknown is the media type [OrOctetStream] gives a file whose extension
// is not in the table.
const Unknown = "application/octet-stream"

// table maps lower-case extensions to media types.
var table = map[string]string{
	// Web pages and their parts.
	".html": "text/html", ".htm": "text/html", ".xhtml": "application/xhtml+xml",
	".css": "text/css", ".js": "text/javascript", ".mjs": "text/javascript",
	".json": "application/json", ".xml": "application/xml", ".xsd": "application/xml", ".dtd": "application/xml-dtd",
	".swf": "application/x-shockwave-flash",
	// Text and data.
	".txt": "text/plain", ".md": "text/markdown", ".csv": "text/csv", ".tsv": "text/tab-separated-values",
	".vtt": "text/vtt", ".yaml": "application/yaml", ".yml": "application/yaml", ".sql": "application/sql",
	".r": "text/plain", ".sh": "text/plain", ".py": "text/x-python", ".ipynb": "application/x-ipynb+json",
	".parquet": "application/vnd.apache.parquet",
	// Images, audio, video.
	".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
	".gif": "image/gif", ".webp": "image/webp", ".avif": "image/avif", ".bmp": "image/bmp", ".ico": "image/vnd.microsoft.icon",
	".mp4": "video/mp4", ".webm": "video/webm", ".ogv": "video/ogg", ".mov": "video/quicktime",
	".mp3": "audio/mpeg", ".ogg": "audio/ogg", ".oga": "audio/ogg", ".m4a": "audio/mp4", ".wav": "audio/wav",
	// Fonts.
	".woff": "font/woff", ".woff2": "font/woff2", ".ttf": "font/ttf", ".otf": "font/otf",
	// Documents and archives.
	".pdf": "application/pdf", ".zip": "application/zip", ".gz": "application/gzip", ".epub": "application/epub+zip",
	".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xls": "application/vnd.ms-excel",
	".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
	".ods":  "application/vnd.oasis.opendocument.spreadsheet",
	".ota":  "application/vnd.ota.bundle+zip",
}

// Of returns the media type of the file name p from its extension, or ""
// when the table does not know it.
func Of(p string) string { return table[strings.ToLower(path.Ext(p))] }

// OrOctetStream returns [Of](p), or [Unknown] when the table does not know
// the extension.
func OrOctetStream(p string) string {
	if mt := Of(p); mt != "" {
		return mt
	}
	return Unknown
}
