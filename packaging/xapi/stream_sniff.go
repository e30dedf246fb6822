package xapi

import (
	"bytes"
	"encoding/json"
)

// valueEnds reports whether the JSON value at the start of b ends within
// b, judging by brackets and strings only.
func valueEnds(b []byte) bool {
	return nesting(b, func(depth int) bool { return depth <= 0 })
}

// nesting walks the JSON text b, skipping strings, and calls step with
// the nesting depth after each bracket; it stops and returns true as soon
// as step does.
func nesting(b []byte, step func(depth int) bool) bool {
	depth, inStr, esc := 0, false, false
	for _, c := range b {
		switch {
		case inStr:
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"':
				inStr = false
			}
		case c == '"':
			inStr = true
		case c == '{' || c == '[':
			depth++
			if step(depth) {
				return true
			}
		case c == '}' || c == ']':
			depth--
			if step(depth) {
				return true
			}
		}
	}
	return false
}

// sniffLen is how much of a stream [Reader] looks at to recognise a
// StatementResult.
const sniffLen = 4096

// Sniff looks at the first bytes of a stream, head, which may be cut
// anywhere, and returns the layout a [Reader] with [StreamAuto] would
// most likely detect ([StreamAuto] when head holds nothing but white
// space) and the member names of the first JSON object: the stream's
// first record, or the StatementResult object. Names are those found
// within head, in order, and are only those at the top level of that
// object.
//
// Statements have an "actor", a "verb" and an "object"; a tool that must
// tell statements from other JSON can check for one of those names.
func Sniff(head []byte) (StreamFormat, []string) {
	b := bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF"))
	b = bytes.TrimLeft(b, " \t\r\n")
	if len(b) == 0 {
		return StreamAuto, nil
	}
	switch b[0] {
	case '[':
		if rest := bytes.TrimLeft(b[1:], " \t\r\n"); len(rest) > 0 && rest[0] == '{' {
			return StreamArray, topKeys(rest)
		}
		return StreamArray, nil
	case '{':
	default:
		return StreamNDJSON, nil
	}
	keys := topKeys(b)
	switch nl := bytes.IndexByte(b, '\n'); {
	case isStatementResult(keys):
		return StreamStatements, keys
	case nl >= 0 && !valueEnds(b[:nl]):
		return StreamSingle, keys
	}
	return StreamNDJSON, keys
}

// isStatementResult reports whether an object with these member names is
// a StatementResult rather than a statement.
func isStatementResult(keys []string) bool {
	found := false
	for _, k := range keys {
		switch k {
		case "statements":
			found = true
		case "actor", "verb", "object":
			return false
		}
	}
	return found
}

// topKeys returns the member names of the JSON object at the start of b,
// as far as b goes: the strings at the first level that a ':' follows.
func topKeys(b []byte) []string {
	var keys []string
	depth := 0
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '"':
			j := i + 1
			for j < len(b) && b[j] != '"' {
				if b[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(b) {
				return keys // cut within the string
			}
			if depth == 1 {
				rest := bytes.TrimLeft(b[j+1:], " \t\r\n")
				if len(rest) > 0 && rest[0] == ':' {
					var k string
					if json.Unmarshal(b[i:j+1], &k) != nil {
						k = string(b[i+1 : j])
					}
					keys = append(keys, k)
				}
			}
			i = j
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth <= 0 {
				return keys
			}
		}
	}
	return keys
}

// depthExceeds reports whether the JSON text b nests arrays and objects
// deeper than limit.
func depthExceeds(b []byte, limit int) bool {
	return nesting(b, func(depth int) bool { return depth > limit })
}
