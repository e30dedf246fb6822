package jsontree

import "strconv"

// Kind is the type of a JSON value.
type Kind uint8

// The JSON value kinds.
const (
	Null   Kind = iota // the literal null
	Bool               // the literal true or false
	Number             // a number
	String             // a string
	Array              // an array
	Object             // an object
)

// String returns the JSON name of the kind: "null", "boolean", "number",
// "string", "array" or "object".
func (k Kind) String() string {
	switch k {
	case Null:
		return "null"
	case Bool:
		return "boolean"
	case Number:
		return "number"
	case String:
		return "string"
	case Array:
		return "array"
	case Object:
		return "object"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Node is one JSON value.
type Node struct {
	// Kind is the type of the value; it says which of the fields below are
	// meaningful.
	Kind Kind
	// Bool is the value when Kind is Bool.
	Bool bool
	// Start and End are the byte offsets of the value in the input, End
	// exclusive: data[Start:End] is the value's exact original text.
	Start, End int
	// Str is the decoded string when Kind is String.
	Str string
	// Num is the literal text as written when Kind is Number.
	Num string
	// Members are the members of an object, in document order, when Kind is
	// Object. It is nil for an empty object.
	Members []Member
	// Elems are the elements of an array, in order, when Kind is Array. It
	// is nil for an empty array.
	Elems []*Node
}

// Member is one name/value pair of an object.
type Member struct {
	// Key is the decoded member name.
	Key string
	// KeyStart is the byte offset of the key's opening quote.
	KeyStart int
	// Value is the member's value.
	Value *Node
}

// Get returns the value of the member named key, or nil if there is none or
// n is not an object. Keys are compared after decoding. If the object has
// duplicate keys (only possible with [Limits].AllowDuplicateKeys), the last
// one wins, as in encoding/json.
func (n *Node) Get(key string) *Node {
	if n == nil || n.Kind != Object {
		return nil
	}
	for i := len(n.Members) - 1; i >= 0; i-- {
		if n.Members[i].Key == key {
			return n.Members[i].Value
		}
	}
	return nil
}

// Raw returns data[n.Start:n.End], the exact original text of the value.
// data must be the input that was given to [Parse]. Raw returns nil if n is
// nil or its offsets do not fit in data.
func (n *Node) Raw(data []byte) []byte {
	if n == nil || n.Start < 0 || n.Start > n.End || n.End > len(data) {
		return nil
	}
	return data[n.Start:n.End]
}
