package xapi

import (
	"encoding/binary"
	"math/bits"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"

	"github.com/metaacademy/ota/internal/jsontree"
)

// This file holds the JSON scanner the checker reads statements with. It
// makes one pass over the bytes, checking them as strictly as
// internal/jsontree does (RFC 8259, valid UTF-8, no duplicate keys after
// decoding, at most MaxDepth levels), while the checker of the other
// check_*.go files judges each value as it is read. Nothing is
// allocated for a well-formed statement: strings are views of the input,
// or of the checker's scratch buffer when they hold escapes.
//
// On the first syntax error the scanner poisons itself (bad is set and the
// input is consumed), every read then comes back empty, every loop ends,
// and validate reports the error as jsontree describes it instead of
// what the checker found.

// val is a value the checker has read: its kind, where it starts, and for
// scalars their text. Arrays and objects read by value are skipped.
type val struct {
	kind  jsontree.Kind
	b     bool   // the value, when kind is Bool
	start int    // offset of its first byte
	text  string // a string decoded (a view; see view), or a number's literal
}

// view returns b as a string without copying it. The string is valid only
// while b is not overwritten: the statement being checked, or the scratch
// buffer until the next statement. Nothing the checker keeps (issues,
// cached verdicts) may hold one: it copies what it keeps.
func view(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// fail poisons the scanner after a syntax error.
func (c *checker) fail() {
	c.bad = true
	c.i = len(c.data)
}

// ws skips JSON white space.
func (c *checker) ws() {
	data, i := c.data, c.i
	if i < len(data) && data[i] > ' ' {
		return // compact JSON: nothing to skip
	}
	for i < len(data) {
		switch data[i] {
		case ' ', '\t', '\n', '\r':
			i++
			continue
		}
		break
	}
	c.i = i
}

// kindAt returns the kind of the value at c.i after white space, without
// reading it; ok is false (and the scanner poisoned) when no value starts
// there.
func (c *checker) kindAt() (k jsontree.Kind, ok bool) {
	c.ws()
	if c.i >= len(c.data) {
		c.fail()
		return jsontree.Null, false
	}
	switch c.data[c.i] {
	case '{':
		return jsontree.Object, true
	case '[':
		return jsontree.Array, true
	case '"':
		return jsontree.String, true
	case 't', 'f':
		return jsontree.Bool, true
	case 'n':
		return jsontree.Null, true
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return jsontree.Number, true
	}
	c.fail()
	return jsontree.Null, false
}

// value reads the value at c.i: a scalar with its text, an array or object
// skipped (checked for syntax only).
func (c *checker) value() val {
	k, ok := c.kindAt()
	v := val{kind: k, start: c.i}
	if !ok {
		return v
	}
	switch k {
	case jsontree.String:
		v.text = c.readString()
	case jsontree.Number:
		v.text = c.readNumber()
	case jsontree.Bool:
		if c.data[c.i] == 't' {
			v.b = true
			c.literal("true")
		} else {
			c.literal("false")
		}
	case jsontree.Null:
		c.literal("null")
	default:
		c.skipContainer()
	}
	return v
}

// skip reads and discards the value at c.i, checking its syntax.
func (c *checker) skip() {
	k, ok := c.kindAt()
	if !ok {
		return
	}
	switch k {
	case jsontree.String:
		c.skipString()
	case jsontree.Number:
		c.readNumber()
	case jsontree.Bool:
		if c.data[c.i] == 't' {
			c.literal("true")
		} else {
			c.literal("false")
		}
	case jsontree.Null:
		c.literal("null")
	default:
		c.skipContainer()
	}
}

// skipContainer skips the array or object at c.i.
func (c *checker) skipContainer() {
	if c.data[c.i] == '[' {
		a := c.openArray()
		for c.nextElem(&a) {
			c.skip()
		}
		return
	}
	o := c.openObject()
	for c.nextMember(&o) {
		c.skip()
	}
}

// literal reads true, false or null at c.i.
func (c *checker) literal(lit string) {
	if len(c.data)-c.i < len(lit) || view(c.data[c.i:c.i+len(lit)]) != lit {
		c.fail()
		return
	}
	c.i += len(lit)
}

// readNumber reads the number at c.i (RFC 8259 grammar) and returns its
// literal.
func (c *checker) readNumber() string {
	data, start := c.data, c.i
	i := start
	if data[i] == '-' {
		i++
	}
	switch {
	case i >= len(data) || !isDigit(data[i]):
		c.fail()
		return ""
	case data[i] == '0':
		i++
		if i < len(data) && isDigit(data[i]) {
			c.fail()
			return ""
		}
	default:
		for i < len(data) && isDigit(data[i]) {
			i++
		}
	}
	if i < len(data) && data[i] == '.' {
		i++
		if i >= len(data) || !isDigit(data[i]) {
			c.fail()
			return ""
		}
		for i < len(data) && isDigit(data[i]) {
			i++
		}
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		i++
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		if i >= len(data) || !isDigit(data[i]) {
			c.fail()
			return ""
		}
		for i < len(data) && isDigit(data[i]) {
			i++
		}
	}
	c.i = i
	return view(data[start:i])
}

// plainByte[c] is true for the ASCII bytes that stand for themselves
// inside a string: ' ' to DEL except '"' and '\\'.
var plainByte = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

const (
	lsb = 0x0101010101010101
	msb = 0x8080808080808080
)

// notPlain returns a word whose lowest set bit (if any) is the top bit of
// the first byte of w, in memory order, that is not a plain ASCII string
// byte (see plainByte): a control, '"', '\\', or a byte of a non-ASCII
// character. Bits above it may be set too (borrows), but none below: the
// bytes before it are plain, so no subtraction borrows from them.
func notPlain(w uint64) uint64 {
	q := w ^ ('"' * lsb)
	b := w ^ ('\\' * lsb)
	return (w | (w-0x20*lsb)&^w | (q-lsb)&^q | (b-lsb)&^b) & msb
}

// scanPlain returns the end of the run of bytes from i that stand for
// themselves in a string (plain ASCII and valid UTF-8 sequences); it
// poisons the scanner on invalid UTF-8.
func (c *checker) scanPlain(i int) int {
	data := c.data
	for {
		for i+8 <= len(data) {
			if m := notPlain(binary.LittleEndian.Uint64(data[i:])); m != 0 {
				i += bits.TrailingZeros64(m) >> 3
				break
			}
			i += 8
		}
		if i >= len(data) {
			return i
		}
		b := data[i]
		if b < utf8.RuneSelf {
			if !plainByte[b] {
				return i
			}
			i++
			continue
		}
		_, size := utf8.DecodeRune(data[i:])
		if size == 1 {
			c.fail()
			return len(data)
		}
		i += size
	}
}

// readString reads the string at c.i and returns it decoded.
func (c *checker) readString() string {
	start := c.i + 1
	i := c.scanPlain(start)
	if i >= len(c.data) {
		c.fail()
		return ""
	}
	if c.data[i] == '"' {
		c.i = i + 1
		return view(c.data[start:i])
	}
	if c.data[i] != '\\' {
		c.fail() // a control character
		return ""
	}
	mark := len(c.scratch)
	c.scratch = append(c.scratch, c.data[start:i]...)
	if !c.unescape(i) {
		return ""
	}
	return view(c.scratch[mark:])
}

// skipString reads the string at c.i without decoding it.
func (c *checker) skipString() {
	i := c.i + 1
	for {
		i = c.scanPlain(i)
		if i >= len(c.data) {
			c.fail()
			return
		}
		switch c.data[i] {
		case '"':
			c.i = i + 1
			return
		case '\\':
			n, ok := escapeLen(c.data, i)
			if !ok {
				c.fail()
				return
			}
			i += n
		default:
			c.fail()
			return
		}
	}
}

// escapeLen returns the length of the escape at data[i] ('\\'), checking
// it as unescape does.
func escapeLen(data []byte, i int) (int, bool) {
	if i+1 >= len(data) {
		return 0, false
	}
	switch data[i+1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return 2, true
	case 'u':
		if _, ok := hex4(data, i+2); ok {
			return 6, true
		}
	}
	return 0, false
}

// unescape goes on decoding the string whose first backslash is at i,
// appending to c.scratch, and leaves c.i after the closing quote. It
// decodes as jsontree does: a lone or mismatched UTF-16 surrogate escape
// becomes U+FFFD.
func (c *checker) unescape(i int) bool {
	data := c.data
	b := c.scratch
	defer func() { c.scratch = b }()
	for {
		if i >= len(data) {
			c.fail()
			return false
		}
		switch ch := data[i]; {
		case ch == '"':
			c.i = i + 1
			return true
		case ch != '\\':
			c.fail()
			return false
		}
		if i+1 >= len(data) {
			c.fail()
			return false
		}
		switch e := data[i+1]; e {
		case '"', '\\', '/':
			b = append(b, e)
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'u':
			r, ok := hex4(data, i+2)
			if !ok {
				c.fail()
				return false
			}
			i += 6
			if utf16.IsSurrogate(r) {
				r2, ok := rune(-1), false
				if r < 0xDC00 && i+1 < len(data) && data[i] == '\\' && data[i+1] == 'u' {
					r2, ok = hex4(data, i+2)
				}
				if ok && r2 >= 0xDC00 && r2 <= 0xDFFF {
					r = utf16.DecodeRune(r, r2)
					i += 6
				} else {
					r = utf8.RuneError
				}
			}
			b = utf8.AppendRune(b, r)
			j := c.scanPlain(i)
			if c.bad {
				return false
			}
			b = append(b, data[i:j]...)
			i = j
			continue
		default:
			c.fail()
			return false
		}
		i += 2
		j := c.scanPlain(i)
		if c.bad {
			return false
		}
		b = append(b, data[i:j]...)
		i = j
	}
}

// hex4 decodes the four hexadecimal digits at data[i:i+4].
func hex4(data []byte, i int) (rune, bool) {
	if i+4 > len(data) {
		return 0, false
	}
	var r rune
	for _, ch := range data[i : i+4] {
		var v byte
		switch {
		case ch >= '0' && ch <= '9':
			v = ch - '0'
		case ch >= 'a' && ch <= 'f':
			v = ch - 'a' + 10
		case ch >= 'A' && ch <= 'F':
			v = ch - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(v)
	}
	return r, true
}

// objIter walks the members of an object: open it with openObject, then
// call nextMember before each member, which reads the member's key into
// c.key (and its offset into c.keyStart) and leaves c.i at its value.
// The caller must read or skip each value.
type objIter struct {
	base   int  // where this object's keys start in c.keys
	n      int  // members read
	useSet bool // its keys are in c.keySets[depth] (a large object)
	depth  int
	bloom  uint64 // a bit per hash of the keys read (see keyBit)
}

// dupScanLimit is the number of members up to which duplicate keys are
// found by comparing with each earlier key, rather than with a set.
const dupScanLimit = 16

// openObject enters the object at c.i ('{').
func (c *checker) openObject() objIter {
	if c.depth >= MaxDepth {
		c.fail()
		return objIter{}
	}
	c.depth++
	c.i++
	return objIter{base: len(c.keys), depth: c.depth}
}

// nextMember reads the next member's key, or the end of the object, and
// reports whether there is a member.
func (c *checker) nextMember(o *objIter) bool {
	if c.bad {
		return false
	}
	c.ws()
	data := c.data
	if c.i >= len(data) {
		c.fail()
		return false
	}
	if ch := data[c.i]; ch == '}' {
		c.i++
		c.depth--
		c.keys = c.keys[:o.base]
		return false
	} else if o.n > 0 {
		if ch != ',' {
			c.fail()
			return false
		}
		c.i++
		c.ws()
		if c.i >= len(data) {
			c.fail()
			return false
		}
	}
	if data[c.i] != '"' {
		c.fail()
		return false
	}
	c.keyStart = c.i
	k := c.readString()
	if c.bad || c.isDup(o, k) {
		c.fail()
		return false
	}
	c.ws()
	if c.i >= len(data) || data[c.i] != ':' {
		c.fail()
		return false
	}
	c.i++
	o.n++
	c.key = k
	return true
}

// isDup reports whether k is already a key of the object o, and records
// it.
func (c *checker) isDup(o *objIter, k string) bool {
	if o.useSet {
		set := c.keySets[o.depth]
		if _, ok := set[k]; ok {
			return true
		}
		set[k] = struct{}{}
		return false
	}
	prev := c.keys[o.base:]
	if bit := keyBit(k); o.bloom&bit == 0 {
		o.bloom |= bit // no earlier key has this hash
	} else {
		for _, p := range prev {
			if p == k {
				return true
			}
		}
	}
	c.keys = append(c.keys, k)
	if len(prev) >= dupScanLimit {
		for len(c.keySets) <= o.depth {
			c.keySets = append(c.keySets, nil)
		}
		set := c.keySets[o.depth]
		if set == nil {
			set = make(map[string]struct{}, 4*dupScanLimit)
			c.keySets[o.depth] = set
		} else {
			clear(set)
		}
		for _, p := range c.keys[o.base:] {
			set[p] = struct{}{}
		}
		o.useSet = true
	}
	return false
}

// keyBit returns the bit of key k in an objIter's bloom: a cheap hash
// that lets most keys skip the comparison with every earlier key.
func keyBit(k string) uint64 {
	if k == "" {
		return 1
	}
	return 1 << ((uint(len(k))*7 + uint(k[0]) + uint(k[len(k)-1])*3) & 63)
}

// arrIter walks the elements of an array: open it with openArray, then
// call nextElem before each element; the caller reads or skips each one.
type arrIter struct {
	n int // elements begun
}

// openArray enters the array at c.i ('[').
func (c *checker) openArray() arrIter {
	if c.depth >= MaxDepth {
		c.fail()
		return arrIter{}
	}
	c.depth++
	c.i++
	return arrIter{}
}

// nextElem reads up to the next element, or the end of the array, and
// reports whether there is an element; its index is a.n-1.
func (c *checker) nextElem(a *arrIter) bool {
	if c.bad {
		return false
	}
	c.ws()
	if c.i >= len(c.data) {
		c.fail()
		return false
	}
	if ch := c.data[c.i]; ch == ']' {
		c.i++
		c.depth--
		return false
	} else if a.n > 0 {
		if ch != ',' {
			c.fail()
			return false
		}
		c.i++
	}
	a.n++
	return true
}

// scanMark is a point of the scan the checker can return to, to read an
// object again once it knows what the object is (see object and actor).
type scanMark struct {
	i, depth, keys, scratch, path, issues int
}

func (c *checker) mark() scanMark {
	return scanMark{c.i, c.depth, len(c.keys), len(c.scratch), len(c.path), len(c.issues)}
}

// rewind returns to m, forgetting what was read and reported since.
func (c *checker) rewind(m scanMark) {
	c.i, c.depth = m.i, m.depth
	c.keys = c.keys[:m.keys]
	c.scratch = c.scratch[:m.scratch]
	c.path = c.path[:m.path]
	c.issues = c.issues[:m.issues]
}
