package xapi

import (
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
	if c.i < len(c.data) && c.data[c.i] > ' ' {
		return // compact JSON: nothing to skip
	}
	c.i = jsontree.SkipSpace(c.data, c.i)
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
	return c.read(true)
}

// skip reads and discards the value at c.i, checking its syntax.
func (c *checker) skip() {
	c.read(false)
}

// read reads the value at c.i, decoding a string only when decode is set.
func (c *checker) read(decode bool) val {
	k, ok := c.kindAt()
	v := val{kind: k, start: c.i}
	if !ok {
		return v
	}
	switch k {
	case jsontree.String:
		if decode {
			v.text = c.readString()
		} else {
			c.skipString()
		}
	case jsontree.Number:
		v.text = c.readNumber()
	case jsontree.Bool:
		v.b = c.data[c.i] == 't'
		if v.b {
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
	start := c.i
	end, ok := jsontree.NumberEnd(c.data, start)
	if !ok {
		c.fail()
		return ""
	}
	c.i = end
	return view(c.data[start:end])
}

// readString reads the string at c.i and returns it decoded.
func (c *checker) readString() string {
	data := c.data
	start := c.i + 1
	i := jsontree.PlainRun(data, start)
	if i < len(data) && data[i] == '"' {
		c.i = i + 1
		return view(data[start:i])
	}
	mark := len(c.scratch)
	b := append(c.scratch, data[start:i]...)
	defer func() { c.scratch = b }()
	for {
		if i+1 >= len(data) || data[i] != '\\' {
			c.fail() // the end of the input, a control character or invalid UTF-8
			return ""
		}
		var ok bool
		if b, i, ok = jsontree.AppendEscape(b, data, i); !ok {
			c.fail()
			return ""
		}
		j := jsontree.PlainRun(data, i)
		b = append(b, data[i:j]...)
		i = j
		if i < len(data) && data[i] == '"' {
			c.i = i + 1
			return view(b[mark:])
		}
	}
}

// skipString reads the string at c.i without decoding it.
func (c *checker) skipString() {
	data := c.data
	i := c.i + 1
	var tmp [utf8.UTFMax]byte
	for {
		i = jsontree.PlainRun(data, i)
		switch {
		case i < len(data) && data[i] == '"':
			c.i = i + 1
			return
		case i+1 >= len(data) || data[i] != '\\':
			c.fail()
			return
		}
		var ok bool
		if _, i, ok = jsontree.AppendEscape(tmp[:0], data, i); !ok {
			c.fail()
			return
		}
	}
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
