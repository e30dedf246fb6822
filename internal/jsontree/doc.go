// Package jsontree parses JSON text into a tree of [Node] values that keep
// the byte offsets of every value in the original input.
//
// The parser is meant for untrusted input. It makes a single pass over the
// bytes, never recurses (nesting is tracked on an explicit, depth-bounded
// stack), never panics and allocates nodes, element slices and member slices
// from a few large chunks instead of one allocation per value.
//
// It is strict about RFC 8259:
//
//   - exactly one value, surrounded only by JSON whitespace (space, tab,
//     line feed, carriage return); a UTF-8 byte order mark is not skipped;
//   - the input must be valid UTF-8 everywhere, including inside strings;
//   - control characters (U+0000 to U+001F) must be escaped inside strings,
//     and only the escapes \" \\ \/ \b \f \n \r \t and \uXXXX are accepted;
//   - numbers follow the RFC grammar: no leading zeros, no '+' sign, no
//     leading or trailing '.', no NaN or Infinity;
//   - the literals true, false and null must be spelled exactly;
//   - no trailing commas and no comments;
//   - duplicate object keys are an error unless [Limits].AllowDuplicateKeys
//     is set; keys are compared after decoding, so "a" and "\u0061" collide;
//   - arrays and objects may nest at most [Limits].MaxDepth levels
//     ([DefaultMaxDepth] by default); the limit is checked before a level is
//     entered, so a megabyte of '[' fails after a few hundred bytes.
//
// Escaped UTF-16 surrogates are decoded the same way encoding/json decodes
// them: a valid \uD8xx\uDCxx pair becomes one code point, and a lone or
// mismatched surrogate escape becomes U+FFFD (the Unicode replacement
// character) rather than an error. The original text is always available
// through [Node.Raw] for callers that need to see exactly what was written.
//
// Every failure is reported as a [*SyntaxError] carrying the byte offset,
// the 1-based line and column, the RFC 6901 JSON Pointer of the value being
// parsed and a human readable message. The error wraps one of [ErrSyntax],
// [ErrTooDeep], [ErrDuplicateKey] or [ErrInvalidUTF8], so callers can test
// the class with [errors.Is].
//
// Strings without escapes, keys and number literals are substrings of a
// single copy of the input made during parsing, and strings with escapes
// are decoded into shared buffers, so keeping any one of them alive keeps
// that memory alive. Copy a string (for example with strings.Clone) if it
// must outlive the tree and the input is large.
package jsontree
