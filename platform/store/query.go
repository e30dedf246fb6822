package store

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits of the search syntax.
const (
	// MaxQueryBytes is the longest search text accepted.
	MaxQueryBytes = 1000
	// MaxQueryTerms is the most terms (words, phrases) a search may hold.
	MaxQueryTerms = 24
	// MaxLimit is the most hits one page may ask for.
	MaxLimit = 200
)

// Query is a search of a store.
type Query struct {
	// Terms are what the text must match; see [ParseQuery]. Empty matches
	// every live record.
	Terms []Term
	// Filters narrow the results.
	Filters Filters
	// Sort orders the hits; the zero value is by relevance when there are
	// terms, else by title.
	Sort Sort
	// Offset and Limit page the hits; Limit 0 means 20, at most MaxLimit.
	Offset, Limit int
	// Facets asks for counts of the matching records by language, licence,
	// level, kind, publisher and framework.
	Facets bool
}

// Sort is the order of search hits.
type Sort string

// The orders of search hits. Ties are broken by key.
const (
	SortRelevance Sort = ""         // best match first (title over body)
	SortTitle     Sort = "title"    // by folded title
	SortModified  Sort = "modified" // newest publisher date first
)

// Filters narrow a search. Empty fields do not filter.
type Filters struct {
	// Framework and Node keep records covering or aligned to a framework
	// node, or a node below it ("gsbpm", "5" keeps every record of phase
	// 5). Framework alone keeps records aligned to the framework.
	Framework, Node string
	// Language keeps records teaching in a language (primary subtag,
	// "fr"; a full tag is reduced to its primary subtag).
	Language string
	// License keeps records under this SPDX expression (case-insensitive).
	License string
	// Level and Kind keep records of this proficiency level and kind.
	Level, Kind string
	// Source keeps the records of one publisher.
	Source string
	// MinDuration and MaxDuration bound the tree's total duration; a
	// record with no duration is kept only when neither is set.
	MinDuration, MaxDuration time.Duration
}

// Term is one element of a search: a word, a word prefix or a phrase, and
// whether it must be absent.
type Term struct {
	// Words are the folded words; more than one for a phrase.
	Words []string
	// Prefix: the last word matches any word it begins ("stat*").
	Prefix bool
	// Not: records matching the term are left out ("-survey").
	Not bool
}

// String writes the term back in the search syntax.
func (t Term) String() string {
	s := strings.Join(t.Words, " ")
	if len(t.Words) > 1 {
		s = `"` + s + `"`
	}
	if t.Prefix {
		s += "*"
	}
	if t.Not {
		s = "-" + s
	}
	return s
}

// QueryError says what is wrong with a search text, and where.
type QueryError struct {
	// Offset is the byte offset in the text.
	Offset int
	Msg    string
}

func (e *QueryError) Error() string { return fmt.Sprintf("search at byte %d: %s", e.Offset, e.Msg) }

// Is reports whether target is ErrInvalid.
func (e *QueryError) Is(target error) bool { return target == ErrInvalid }

// filterFields are the field:value filters the syntax accepts.
var filterFields = map[string]func(f *Filters, v string) error{
	"lang":      func(f *Filters, v string) error { f.Language = v; return nil },
	"language":  func(f *Filters, v string) error { f.Language = v; return nil },
	"license":   func(f *Filters, v string) error { f.License = v; return nil },
	"licence":   func(f *Filters, v string) error { f.License = v; return nil },
	"level":     func(f *Filters, v string) error { f.Level = v; return nil },
	"kind":      func(f *Filters, v string) error { f.Kind = v; return nil },
	"publisher": func(f *Filters, v string) error { f.Source = v; return nil },
	"framework": func(f *Filters, v string) error { f.Framework = v; return nil },
	"node": func(f *Filters, v string) error {
		fw, code, ok := strings.Cut(v, "/")
		if !ok || fw == "" || code == "" {
			return fmt.Errorf("node:%s: write node:FRAMEWORK/CODE, e.g. node:gsbpm/5.3", v)
		}
		f.Framework, f.Node = fw, code
		return nil
	},
}

// ParseQuery reads a search text into terms and filters. The syntax:
//
//	word           records containing the word (case and accents ignored)
//	"two words"    the words next to each other
//	stat*          words beginning with "stat"
//	-word          records without the word (also -"a phrase")
//	field:value    a filter: lang:fr, licence:CC-BY-4.0, level:basic,
//	               kind:course, publisher:SOURCE, framework:gsbpm,
//	               node:gsbpm/5.3
//
// Every term must match (AND). Punctuation inside a word splits it, as the
// index does ("e-learning" is the phrase "e learning"). Filters in the text
// override those in base. The text must be valid UTF-8, at most
// MaxQueryBytes long with at most MaxQueryTerms terms, and must not hold
// only excluded terms; otherwise the error is a *QueryError.
func ParseQuery(text string, base Filters) ([]Term, Filters, error) {
	f := base
	if len(text) > MaxQueryBytes {
		return nil, f, &QueryError{Offset: MaxQueryBytes, Msg: fmt.Sprintf("the search is longer than %d bytes", MaxQueryBytes)}
	}
	if !utf8.ValidString(text) {
		return nil, f, &QueryError{Msg: "the search is not valid UTF-8"}
	}
	var terms []Term
	positive := false
	i := 0
	for i < len(text) {
		c := text[i]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
			i++
			continue
		}
		start := i
		not := false
		if c == '-' && i+1 < len(text) && text[i+1] != ' ' {
			not = true
			i++
		}
		var raw string
		prefix := false
		if i < len(text) && text[i] == '"' {
			end := strings.IndexByte(text[i+1:], '"')
			if end < 0 {
				return nil, f, &QueryError{Offset: i, Msg: "a phrase opened with \" is not closed"}
			}
			raw = text[i+1 : i+1+end]
			i += end + 2
			if i < len(text) && text[i] == '*' {
				prefix = true
				i++
			}
		} else {
			end := strings.IndexAny(text[i:], " \t\r\n")
			if end < 0 {
				end = len(text) - i
			}
			raw = text[i : i+end]
			i += end
			if field, value, ok := strings.Cut(raw, ":"); ok && !not {
				if set, known := filterFields[strings.ToLower(field)]; known {
					if value == "" {
						return nil, f, &QueryError{Offset: start, Msg: fmt.Sprintf("%s: has no value", field)}
					}
					if err := set(&f, value); err != nil {
						return nil, f, &QueryError{Offset: start, Msg: err.Error()}
					}
					continue
				}
			}
			if strings.HasSuffix(raw, "*") {
				prefix = true
				raw = strings.TrimRight(raw, "*")
			}
		}
		words := strings.Fields(Fold(raw))
		if len(words) == 0 {
			continue
		}
		terms = append(terms, Term{Words: words, Prefix: prefix, Not: not})
		if len(terms) > MaxQueryTerms {
			return nil, f, &QueryError{Offset: start, Msg: fmt.Sprintf("the search has more than %d terms", MaxQueryTerms)}
		}
		if !not {
			positive = true
		}
	}
	if len(terms) > 0 && !positive {
		return nil, f, &QueryError{Msg: "every term is excluded: add a word to search for"}
	}
	return terms, f, nil
}

// Results is one page of search hits.
type Results struct {
	// Total is the number of matching records, at most MaxTotal.
	Total int `json:"total"`
	// Capped: more than MaxTotal records match (Total is MaxTotal); a
	// page shows "1,000+". Relevance then orders the MaxTotal matches
	// stored last, and pages end there.
	Capped bool `json:"capped,omitempty"`
	// Hits is the page asked for.
	Hits []Hit `json:"hits"`
	// Facets counts the matching records by value, when asked for.
	Facets *Facets `json:"facets,omitempty"`
}

// Hit is one search result.
type Hit struct {
	Key
	Publisher   string   `json:"publisher"`
	Version     string   `json:"version,omitempty"`
	Kind        string   `json:"kind"`
	Level       string   `json:"level,omitempty"`
	License     string   `json:"license,omitempty"`
	Languages   []string `json:"languages,omitempty"`
	Modified    string   `json:"modified,omitempty"`
	Duration    time.Duration
	Title       map[string]string `json:"title"`
	Description map[string]string `json:"description,omitempty"`
}

// Facets count matching records per value of each filter field, most
// frequent first (then by value), at most MaxFacetValues each. When more
// than MaxFacetRows records match, the counts are of the first
// MaxFacetRows of them (in storage order) and Partial is set: exact
// facets of a hub-wide match would cost a pass over the whole hub per
// search.
type Facets struct {
	Partial    bool         `json:"partial,omitempty"`
	Languages  []FacetValue `json:"languages"`
	Licenses   []FacetValue `json:"licenses"`
	Levels     []FacetValue `json:"levels"`
	Kinds      []FacetValue `json:"kinds"`
	Sources    []FacetValue `json:"sources"`
	Frameworks []FacetValue `json:"frameworks"`
}

// MaxFacetValues is the most values a facet lists.
const MaxFacetValues = 30

// MaxTotal is the most matching records a search counts (Results.Capped
// says there are more) and ranks by relevance: the cost of a search then
// does not grow with the hub.
const MaxTotal = 1000

// MaxFacetRows is the most matching records facets are counted over.
const MaxFacetRows = MaxTotal

// FacetValue is one value of a facet and how many records have it.
type FacetValue struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// Normalize checks q and fills its defaults: Limit, the filters' case.
func (q *Query) Normalize() error {
	if q.Limit <= 0 {
		q.Limit = 20
	}
	if q.Limit > MaxLimit {
		q.Limit = MaxLimit
	}
	if q.Offset < 0 {
		return fmt.Errorf("%w: negative offset %d", ErrInvalid, q.Offset)
	}
	if len(q.Terms) > MaxQueryTerms {
		return fmt.Errorf("%w: %d terms, at most %d", ErrInvalid, len(q.Terms), MaxQueryTerms)
	}
	positive := false
	for i, t := range q.Terms {
		if len(t.Words) == 0 {
			return fmt.Errorf("%w: term %d has no words", ErrInvalid, i)
		}
		for _, w := range t.Words {
			if w == "" || Fold(w) != w || strings.Contains(w, " ") {
				return fmt.Errorf("%w: term %d: %q is not a folded word (use ParseQuery)", ErrInvalid, i, w)
			}
		}
		if !t.Not {
			positive = true
		}
	}
	if len(q.Terms) > 0 && !positive {
		return fmt.Errorf("%w: every term is excluded", ErrInvalid)
	}
	switch q.Sort {
	case SortRelevance, SortTitle, SortModified:
	default:
		return fmt.Errorf("%w: unknown sort %q", ErrInvalid, q.Sort)
	}
	f := &q.Filters
	if f.Language != "" {
		if b := LanguageBase(f.Language); b != "" {
			f.Language = b
		} else {
			f.Language = strings.ToLower(f.Language)
		}
	}
	f.License = strings.ToLower(f.License)
	if f.Node != "" && f.Framework == "" {
		return fmt.Errorf("%w: a node filter needs its framework", ErrInvalid)
	}
	if f.MinDuration < 0 || f.MaxDuration < 0 || (f.MaxDuration > 0 && f.MinDuration > f.MaxDuration) {
		return fmt.Errorf("%w: duration bounds %v..%v", ErrInvalid, f.MinDuration, f.MaxDuration)
	}
	return nil
}
