package jsontree

import (
	"strconv"
	"strings"
)

// DefaultMaxDepth is the nesting limit used when [Limits].MaxDepth is 0 or
// negative.
const DefaultMaxDepth = 512

// Limits bounds what [Parse] accepts. The zero value is the strict default.
type Limits struct {
	// MaxDepth is the maximum nesting of arrays and objects: "[]" has depth
	// 1, "[[]]" depth 2, a scalar depth 0. Zero or a negative value means
	// DefaultMaxDepth.
	MaxDepth int
	// MaxValues is the maximum number of values (objects, arrays,
	// strings, numbers, literals) in the input; zero or a negative value
	// means no limit. The tree costs about 100 bytes per value, so this
	// bounds its memory where a byte limit alone does not: a megabyte of
	// "[0,0,0,…]" is half a million values.
	MaxValues int
	// AllowDuplicateKeys accepts objects with repeated keys; all members
	// are kept in Members and Get returns the last one. By default
	// (false) a duplicate key is an ErrDuplicateKey error.
	AllowDuplicateKeys bool
}

// Parse parses data, which must hold exactly one JSON value surrounded only
// by JSON whitespace, and returns the root of its tree. A UTF-8 byte order
// mark at offset 0 is not skipped: callers that accept one strip it first.
//
// On failure the tree is discarded and the error is a [*SyntaxError]
// wrapping ErrSyntax, ErrTooDeep, ErrDuplicateKey or ErrInvalidUTF8; the
// first problem in document order is reported.
//
// Parse does not keep a reference to data; strings in the tree share one
// copy of it (see the package documentation). Memory use is proportional to
// the input: about 100 bytes per value plus that copy, so an array of
// one-digit numbers costs some 60 times its size. Bound the size of
// untrusted input before parsing it.
func Parse(data []byte, lim Limits) (*Node, error) {
	if len(data) == 0 {
		return nil, &SyntaxError{Err: ErrSyntax, Line: 1, Column: 1, Msg: "empty input; expected a JSON value"}
	}
	p := &parser{data: data, maxDepth: lim.MaxDepth, allowDup: lim.AllowDuplicateKeys, maxValues: lim.MaxValues}
	if p.maxDepth <= 0 {
		p.maxDepth = DefaultMaxDepth
	}
	p.init()
	root, err := p.run()
	if err != nil {
		return nil, err
	}
	return root, nil
}

// frame is one open array or object on the parser's explicit stack.
type frame struct {
	node     *Node
	base     int    // index of this container's first child in parser.elems or parser.members
	n        int    // number of children completed so far (= index of the one being parsed)
	key      string // objects: key of the member being parsed
	keyStart int
	keys     map[string]struct{} // objects: key set once the object gets large; reused across objects at this depth
	useKeys  bool
}

// dupScanLimit is the number of members up to which duplicate keys are found
// by a linear scan instead of a map.
const dupScanLimit = 16

type parser struct {
	data     []byte
	i        int // current offset
	maxDepth int
	allowDup bool
	// maxValues bounds values, the number seen so far; 0 for no limit.
	maxValues, values int

	src    string // copy of data that decoded strings and numbers share; made on first use
	hasSrc bool

	stack   []frame
	elems   []*Node  // children of the open arrays, innermost last
	members []Member // members of the open objects, innermost last

	nodes     chunks[Node]
	nodesMade int // number of nodes allocated so far
	ptrs      chunks[*Node]
	mems      chunks[Member]
	scratch   []byte          // an escaped string being decoded
	escaped   strings.Builder // decoded escaped strings, sliced without copying

	stackBuf [4]frame
	elemBuf  [16]*Node
	memBuf   [8]Member
}

// chunks hands out slices carved from larger allocations. Each slice is
// capped at its length, so appending to it never overwrites a neighbour.
type chunks[T any] struct {
	free []T // unused tail of the current chunk
	size int // size of the next chunk
	max  int // largest chunk size
}

// maxChunkBytes bounds the size of one chunk, and so the memory left unused
// at the end of a parse.
const maxChunkBytes = 256 << 10

// Approximate sizes in bytes of a Node and a Member on 64-bit platforms.
const (
	nodeSize   = 104
	memberSize = 32
)

func (c *chunks[T]) alloc(k int) []T {
	if k > len(c.free) {
		if k > c.size/4 {
			return make([]T, k)
		}
		c.free = make([]T, c.size)
		c.size = min(2*c.size, c.max)
	}
	s := c.free[:k:k]
	c.free = c.free[k:]
	return s
}

// addString returns a copy of b made in the p.escaped arena, which hands out
// strings from large buffers instead of allocating each one.
func (p *parser) addString(b []byte) string {
	const arenaSize = 16 << 10
	e := &p.escaped
	if e.Cap()-e.Len() < len(b) {
		if len(b) > arenaSize/4 {
			return string(b)
		}
		*e = strings.Builder{}
		e.Grow(min(arenaSize, 2*len(p.data)))
	}
	mark := e.Len()
	e.Write(b)
	return e.String()[mark:]
}

func (p *parser) init() {
	// Rough guesses of how many values the input holds, so that small
	// inputs make small allocations and large ones make few.
	guess := max(min(len(p.data)/16, 256), 4)
	p.nodes.size = guess
	p.ptrs.size = guess
	p.mems.size = guess
	p.nodes.max = maxChunkBytes / nodeSize
	p.ptrs.max = maxChunkBytes / 8
	p.mems.max = maxChunkBytes / memberSize
	p.stack = p.stackBuf[:0]
	p.elems = p.elemBuf[:0]
	p.members = p.memBuf[:0]
}

func (p *parser) newNode(k Kind, start int) *Node {
	if len(p.nodes.free) == 0 {
		p.growNodes()
	}
	n := &p.nodes.free[0]
	p.nodes.free = p.nodes.free[1:]
	n.Kind = k
	n.Start = start
	return n
}

// growNodes allocates the next chunk of nodes. Its size extrapolates the
// number of nodes made so far per input byte over the rest of the input,
// so that little is left unused at the end.
func (p *parser) growNodes() {
	size := p.nodes.size
	if p.nodesMade > 0 && p.i > 0 {
		perByte := float64(p.nodesMade) / float64(p.i)
		est := perByte*float64(len(p.data)-p.i)*1.125 + 4
		size = int(min(est, float64(p.nodes.max)))
	}
	p.nodes.free = make([]Node, size)
	p.nodesMade += size
}

// substr returns the input bytes [i:j] as a string sharing the input copy.
func (p *parser) substr(i, j int) string {
	if !p.hasSrc {
		p.src = string(p.data)
		p.hasSrc = true
	}
	return p.src[i:j]
}

func (p *parser) skipWS() { p.i = SkipSpace(p.data, p.i) }

// SkipSpace returns the offset of the first byte of data at or after i
// that is not JSON white space (space, tab, line feed, carriage return),
// or len(data).
func SkipSpace(data []byte, i int) int {
	for i < len(data) {
		switch data[i] {
		case ' ', '\t', '\n', '\r':
			i++
			continue
		}
		break
	}
	return i
}

func (p *parser) push(n *Node) {
	if len(p.stack) == cap(p.stack) {
		// Grow by doubling, but never past the depth limit.
		s := make([]frame, len(p.stack), min(2*cap(p.stack), p.maxDepth))
		copy(s, p.stack)
		p.stack = s
	}
	p.stack = p.stack[:len(p.stack)+1]
	f := &p.stack[len(p.stack)-1]
	f.node, f.n, f.key, f.keyStart, f.useKeys = n, 0, "", 0, false
	if n.Kind == Array {
		f.base = len(p.elems)
	} else {
		f.base = len(p.members)
	}
}

// run is the parser's main loop. The outer loop parses one value at p.i;
// after a value is complete the inner loop attaches it to the open
// container, consumes the following ',' (and key) or closes containers.
func (p *parser) run() (*Node, error) {
	data := p.data
value:
	for {
		p.skipWS()
		if p.i >= len(data) {
			return nil, p.unexpected(p.i, true, "", "a JSON value")
		}
		if p.values++; p.maxValues > 0 && p.values > p.maxValues {
			return nil, p.fail(ErrTooMany, p.i, true, "more than "+strconv.Itoa(p.maxValues)+" values", "the limit of values in one document")
		}
		var v *Node
		switch c := data[p.i]; c {
		case '{', '[':
			if len(p.stack) >= p.maxDepth {
				return nil, p.tooDeep()
			}
			kind := Array
			if c == '{' {
				kind = Object
			}
			v = p.newNode(kind, p.i)
			p.i++
			p.push(v)
			p.skipWS()
			if p.i < len(data) && data[p.i] == c+2 { // '[' + 2 == ']', '{' + 2 == '}'
				p.i++
				v.End = p.i
				p.stack = p.stack[:len(p.stack)-1]
				break
			}
			if kind == Object {
				if err := p.readKey(); err != nil {
					return nil, err
				}
			}
			continue value
		case '"':
			v = p.newNode(String, p.i)
			s, err := p.parseString(true)
			if err != nil {
				return nil, err
			}
			v.Str, v.End = s, p.i
		case 't':
			v = p.newNode(Bool, p.i)
			if err := p.literal("true"); err != nil {
				return nil, err
			}
			v.Bool, v.End = true, p.i
		case 'f':
			v = p.newNode(Bool, p.i)
			if err := p.literal("false"); err != nil {
				return nil, err
			}
			v.End = p.i
		case 'n':
			v = p.newNode(Null, p.i)
			if err := p.literal("null"); err != nil {
				return nil, err
			}
			v.End = p.i
		case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
			start := p.i
			if err := p.number(); err != nil {
				return nil, err
			}
			v = p.newNode(Number, start)
			v.Num, v.End = p.substr(start, p.i), p.i
		default:
			return nil, p.unexpected(p.i, true, "", p.expectedValue())
		}

		// v is complete: attach it to its container and move on.
		for {
			if len(p.stack) == 0 {
				p.skipWS()
				if p.i < len(data) {
					return nil, p.unexpected(p.i, false, " after the top-level value", "end of input")
				}
				return v, nil
			}
			f := &p.stack[len(p.stack)-1]
			p.skipWS()
			if f.node.Kind == Array {
				p.elems = append(p.elems, v)
				f.n++
				if p.i < len(data) {
					switch data[p.i] {
					case ',':
						p.i++
						continue value
					case ']':
						p.i++
						v = p.closeArray(f)
						continue
					}
				}
				return nil, p.unexpected(p.i, false, "", "',' or ']' after an array element")
			}
			p.members = append(p.members, Member{Key: f.key, KeyStart: f.keyStart, Value: v})
			f.n++
			if p.i < len(data) {
				switch data[p.i] {
				case ',':
					p.i++
					p.skipWS()
					if err := p.readKey(); err != nil {
						return nil, err
					}
					continue value
				case '}':
					p.i++
					v = p.closeObject(f)
					continue
				}
			}
			return nil, p.unexpected(p.i, false, "", "',' or '}' after an object member")
		}
	}
}

func (p *parser) closeArray(f *frame) *Node {
	n := f.node
	n.End = p.i
	if k := len(p.elems) - f.base; k > 0 {
		n.Elems = p.ptrs.alloc(k)
		copy(n.Elems, p.elems[f.base:])
		p.elems = p.elems[:f.base]
	}
	p.stack = p.stack[:len(p.stack)-1]
	return n
}

func (p *parser) closeObject(f *frame) *Node {
	n := f.node
	n.End = p.i
	if k := len(p.members) - f.base; k > 0 {
		n.Members = p.mems.alloc(k)
		copy(n.Members, p.members[f.base:])
		p.members = p.members[:f.base]
	}
	p.stack = p.stack[:len(p.stack)-1]
	return n
}

// readKey parses `"key" :` at p.i (whitespace already skipped) for the object
// on top of the stack and checks the key for duplicates.
func (p *parser) readKey() error {
	data := p.data
	if p.i >= len(data) || data[p.i] != '"' {
		want := "a string key in double quotes"
		if f := &p.stack[len(p.stack)-1]; f.n > 0 && p.i < len(data) && data[p.i] == '}' {
			want += " (trailing commas are not allowed)"
		}
		return p.unexpected(p.i, false, "", want)
	}
	keyStart := p.i
	k, err := p.parseString(false)
	if err != nil {
		return err
	}
	f := &p.stack[len(p.stack)-1]
	f.key, f.keyStart = k, keyStart
	if !p.allowDup && p.isDup(f, k) {
		return p.duplicate(f)
	}
	p.skipWS()
	if p.i >= len(data) || data[p.i] != ':' {
		return p.unexpected(p.i, true, "", "':' after the object key")
	}
	p.i++
	return nil
}

// isDup reports whether k is already a key of the object in f, and records
// k for later checks when the object is large enough to use a set.
func (p *parser) isDup(f *frame, k string) bool {
	if f.useKeys {
		if _, ok := f.keys[k]; ok {
			return true
		}
		f.keys[k] = struct{}{}
		return false
	}
	ms := p.members[f.base:]
	for i := range ms {
		if ms[i].Key == k {
			return true
		}
	}
	if len(ms) >= dupScanLimit {
		if f.keys == nil {
			f.keys = make(map[string]struct{}, 4*dupScanLimit)
		} else {
			clear(f.keys)
		}
		for i := range ms {
			f.keys[ms[i].Key] = struct{}{}
		}
		f.keys[k] = struct{}{}
		f.useKeys = true
	}
	return false
}

// expectedValue describes what was expected at p.i where a value was
// required but something else was found.
func (p *parser) expectedValue() string {
	if n := len(p.stack); n > 0 && p.stack[n-1].node.Kind == Array && p.stack[n-1].n > 0 && p.data[p.i] == ']' {
		return "a value (trailing commas are not allowed)"
	}
	switch p.data[p.i] {
	case '/', '#':
		return "a value (comments are not allowed)"
	case '\'':
		return "a value (strings must be in double quotes)"
	case '+', '.':
		return "a value (numbers start with '-' or a digit)"
	}
	return "a value"
}
