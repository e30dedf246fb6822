package framework

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/internal/fwkit"
	"github.com/metaacademy/ota/internal/iri"
	"github.com/metaacademy/ota/internal/jsontree"
)

// Check validates f and returns every issue found, each with a JSON Pointer
// into the framework's canonical JSON form ("/nodes/3/parent") and a code
// starting with "framework.". It checks that the ID is an absolute IRI; the
// title and language; that every node has a code, a valid kind and a name,
// that codes are unique, that parents exist and form no cycle; that
// associations have a valid type and ends that resolve (local codes must
// exist, other references must parse); that scales have unique IDs and
// their levels unique codes; and that extension keys are absolute IRIs.
func (f *Framework) Check() ota.Report {
	c := &checker{}
	c.framework(f)
	return c.R
}

type checker struct {
	fwkit.Checker
}

func (c *checker) framework(f *Framework) {
	switch {
	case f.ID == "":
		c.Add("/id", "framework.id.missing", ota.Error, `the framework has no "id"; give it an absolute IRI, the publisher's or a "urn:uuid:" one`)
	default:
		if err := iri.CheckAbsolute(f.ID); err != nil {
			c.Add("/id", "framework.id.invalid", ota.Error, fmt.Sprintf("the framework ID %q %v; use an absolute IRI", f.ID, err))
		}
	}
	if f.Key != "" && !fwkit.IsKey(f.Key) {
		c.Add("/key", "framework.key.invalid", ota.Error, fmt.Sprintf("the key %q is not a registered-key form; use lower-case letters, digits and '-', starting with a letter, such as \"gsbpm\"", f.Key))
	}
	if len(f.Title) == 0 {
		c.Add("/title", "framework.title.missing", ota.Error, `the framework has no "title"; name it in at least one language`)
	}
	c.LangString(f.Title, "/title")
	c.LangString(f.Description, "/description")
	if f.Language != "" {
		if err := asset.CheckTag(f.Language); err != nil {
			c.Add("/language", "framework.language.invalid", ota.Error, err.Error())
		}
	}
	if f.Source != "" {
		if err := iri.CheckAbsolute(f.Source); err != nil {
			c.Add("/source", "framework.source.invalid", ota.Error, fmt.Sprintf("the source %q %v; give the URL of the publisher's text", f.Source, err))
		}
	}
	if f.Modified != "" && !fwkit.ValidDate(f.Modified) {
		c.Add("/modified", "framework.modified.invalid", ota.Error, fmt.Sprintf("%q is not an RFC 3339 date or date-time; write it as 2024-05-01 or 2024-05-01T12:00:00Z", f.Modified))
	}
	c.extensions(f.Extensions, "/extensions")
	c.nodes(f)
	c.associations(f)
	c.scales(f)
}

func (c *checker) nodes(f *Framework) {
	first := make(map[string]int, len(f.Nodes))
	ids := make(map[string]int)
	for i := range f.Nodes {
		n := &f.Nodes[i]
		p := "/nodes/" + strconv.Itoa(i)
		if n.Code == "" {
			c.Add(p+"/code", "framework.node.code-missing", ota.Error, `the node has no "code"; give the publisher's code, or assign one and mark the node unofficial`)
		} else if strings.TrimSpace(n.Code) != n.Code {
			c.Add(p+"/code", "framework.node.code-space", ota.Error, fmt.Sprintf("the code %q begins or ends with white space, which formats that trim texts lose; remove it", n.Code))
		} else if j, dup := first[n.Code]; dup {
			c.Add(p+"/code", "framework.node.code-duplicate", ota.Error, fmt.Sprintf("the code %q is already used by /nodes/%d; codes must be unique within a framework", n.Code, j))
		} else {
			first[n.Code] = i
		}
		if n.ID != "" {
			if err := iri.CheckAbsolute(n.ID); err != nil {
				c.Add(p+"/id", "framework.node.id-invalid", ota.Error, fmt.Sprintf("the node ID %q %v; use an absolute IRI or leave it out", n.ID, err))
			} else if j, dup := ids[n.ID]; dup {
				c.Add(p+"/id", "framework.node.id-duplicate", ota.Error, fmt.Sprintf("the node ID %q is already used by /nodes/%d", n.ID, j))
			} else {
				ids[n.ID] = i
			}
		}
		switch {
		case n.Kind == "":
			c.Add(p+"/kind", "framework.node.kind-missing", ota.Error, "the node has no \"kind\"; use one of "+kindList())
		case !n.Kind.Valid():
			c.Add(p+"/kind", "framework.node.kind-invalid", ota.Error, fmt.Sprintf("the kind %q is not known; use one of %s", n.Kind, kindList()))
		}
		if len(n.Name) == 0 {
			c.Add(p+"/name", "framework.node.name-missing", ota.Error, `the node has no "name"; name it in at least one language`)
		}
		c.LangString(n.Name, p+"/name")
		c.LangString(n.Description, p+"/description")
		for j, alt := range n.AltNames {
			if strings.TrimSpace(alt) == "" {
				c.Add(p+"/altNames/"+strconv.Itoa(j), "framework.node.altname-empty", ota.Error, "the alternative name is empty; remove it")
			}
		}
		if n.Parent != "" && n.Parent == n.Code {
			c.Add(p+"/parent", "framework.node.parent-self", ota.Error, fmt.Sprintf("the node %q is its own parent; give the code of another node or leave parent out", n.Code))
		}
		c.extensions(n.Extensions, p+"/extensions")
	}
	for i := range f.Nodes {
		n := &f.Nodes[i]
		if n.Parent != "" && n.Parent != n.Code {
			if _, ok := first[n.Parent]; !ok {
				c.Add("/nodes/"+strconv.Itoa(i)+"/parent", "framework.node.parent-unknown", ota.Error,
					fmt.Sprintf("the parent %q is not the code of a node of this framework; give an existing code or leave parent out for a top-level node", n.Parent))
			}
		}
	}
	c.cycles(f, first)
}

// cycles reports each parent cycle once, at the node of the cycle that
// comes first in Nodes, naming the cycle's codes.
func (c *checker) cycles(f *Framework, first map[string]int) {
	const (
		unvisited = iota
		active
		done
	)
	state := make([]int, len(f.Nodes))
	for start := range f.Nodes {
		if state[start] != unvisited {
			continue
		}
		var path []int
		i := start
		for {
			if state[i] == done {
				break
			}
			if state[i] == active {
				k := slices.Index(path, i)
				cyc := path[k:]
				low := slices.Min(cyc)
				codes := make([]string, 0, len(cyc)+1)
				// Name the cycle starting from its first node in Nodes.
				at := slices.Index(cyc, low)
				for j := range cyc {
					codes = append(codes, strconv.Quote(f.Nodes[cyc[(at+j)%len(cyc)]].Code))
				}
				codes = append(codes, codes[0])
				if len(cyc) > 1 {
					c.Add("/nodes/"+strconv.Itoa(low)+"/parent", "framework.node.parent-cycle", ota.Error,
						"the parents form a cycle: "+strings.Join(codes, " → ")+"; break it by making one of these nodes top-level or the child of another node")
				}
				break
			}
			state[i] = active
			path = append(path, i)
			n := &f.Nodes[i]
			if n.Parent == "" || n.Parent == n.Code {
				break
			}
			j, ok := first[n.Parent]
			if !ok {
				break
			}
			i = j
		}
		for _, j := range path {
			state[j] = done
		}
	}
}

func (c *checker) associations(f *Framework) {
	for i, a := range f.Associations {
		p := "/associations/" + strconv.Itoa(i)
		switch {
		case a.Type == "":
			c.Add(p+"/type", "framework.association.type-missing", ota.Error, "the association has no \"type\"; use one of "+assocList())
		case !a.Type.Valid():
			c.Add(p+"/type", "framework.association.type-invalid", ota.Error, fmt.Sprintf("the type %q is not known; use one of %s", a.Type, assocList()))
		}
		c.end(f, a.Source, p+"/source", "source")
		c.end(f, a.Target, p+"/target", "target")
		if a.Source != "" && a.Source == a.Target {
			c.Add(p, "framework.association.self", ota.Warning, fmt.Sprintf("the association links %q to itself; point the target at another node", a.Source))
		}
		c.extensions(a.Extensions, p+"/extensions")
	}
}

func (c *checker) end(f *Framework, ref, ptr, what string) {
	if ref == "" {
		c.Add(ptr, "framework.association."+what+"-missing", ota.Error, fmt.Sprintf("the association has no %q; give a node code, key@version:code or an absolute IRI", what))
		return
	}
	if f.Node(ref) != nil {
		return
	}
	r, err := ParseNodeRef(ref)
	switch {
	case err != nil:
		c.Add(ptr, "framework.association."+what+"-invalid", ota.Error, err.Error())
	case r.IsLocal():
		c.Add(ptr, "framework.association."+what+"-unknown", ota.Error,
			fmt.Sprintf("the %s %q is not the code of a node of this framework; give an existing code, key@version:code or an absolute IRI", what, ref))
	}
}

func (c *checker) scales(f *Framework) {
	seen := make(map[string]int)
	for i, s := range f.Scales {
		p := "/scales/" + strconv.Itoa(i)
		if s.ID == "" {
			c.Add(p+"/id", "framework.scale.id-missing", ota.Error, `the scale has no "id"; give it a short key or an absolute IRI`)
		} else if j, dup := seen[s.ID]; dup {
			c.Add(p+"/id", "framework.scale.id-duplicate", ota.Error, fmt.Sprintf("the scale ID %q is already used by /scales/%d", s.ID, j))
		} else {
			seen[s.ID] = i
		}
		c.LangString(s.Name, p+"/name")
		c.LangString(s.Description, p+"/description")
		if len(s.Levels) == 0 {
			c.Add(p+"/levels", "framework.scale.levels-missing", ota.Error, "the scale has no levels; list them from the lowest to the highest")
		}
		codes := make(map[string]int)
		ranks := make(map[int]int)
		for j, l := range s.Levels {
			lp := p + "/levels/" + strconv.Itoa(j)
			if l.Code == "" {
				c.Add(lp+"/code", "framework.scale.level.code-missing", ota.Error, `the level has no "code"; give it a short code such as "basic" or "4"`)
			} else if k, dup := codes[l.Code]; dup {
				c.Add(lp+"/code", "framework.scale.level.code-duplicate", ota.Error, fmt.Sprintf("the level code %q is already used by %s/levels/%d", l.Code, p, k))
			} else {
				codes[l.Code] = j
			}
			if k, dup := ranks[l.Rank]; dup {
				c.Add(lp+"/rank", "framework.scale.level.rank-duplicate", ota.Warning, fmt.Sprintf("the rank %d is already used by %s/levels/%d; give each level its own rank", l.Rank, p, k))
			} else {
				ranks[l.Rank] = j
			}
			c.LangString(l.Name, lp+"/name")
			c.LangString(l.Description, lp+"/description")
			c.extensions(l.Extensions, lp+"/extensions")
		}
		c.extensions(s.Extensions, p+"/extensions")
	}
}

func (c *checker) extensions(m map[string]json.RawMessage, ptr string) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if err := iri.CheckAbsolute(k); err != nil {
			c.Add(jsontree.AppendPointerToken(ptr, k), "framework.extension.key-not-iri", ota.Error,
				fmt.Sprintf("extension key %q %v; key extensions by an absolute IRI you control", k, err))
		}
		if !json.Valid(m[k]) {
			c.Add(jsontree.AppendPointerToken(ptr, k), "framework.extension.invalid-json", ota.Error, "the extension value is not valid JSON")
		}
	}
}

func kindList() string {
	s := make([]string, len(nodeKinds))
	for i, k := range nodeKinds {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}

func assocList() string {
	s := make([]string, len(associationTypes))
	for i, t := range associationTypes {
		s[i] = string(t)
	}
	return strings.Join(s, ", ")
}
