package asset

import (
	"errors"
	"fmt"
	"math/big"
	"strconv"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/internal/jsondec"
	"github.com/metaacademy/ota/internal/jsontree"
)

func (d *decoder) contributor(n *jsontree.Node, ptr string) Contributor {
	var c Contributor
	if !d.object(n, ptr, "a contributor object") {
		return c
	}
	for _, m := range n.Members {
		p := jsontree.AppendPointerToken(ptr, m.Key)
		switch m.Key {
		case "name":
			c.Name = d.str(m.Value, p)
		case "type":
			c.Type = ContributorType(d.opt(m.Value, p))
		case "roles":
			for _, s := range d.strs(m.Value, p) {
				c.Roles = append(c.Roles, Role(s))
			}
		case "id":
			c.ID = d.opt(m.Value, p)
		case "email":
			c.Email = d.opt(m.Value, p)
		case "affiliation":
			c.Affiliation = d.opt(m.Value, p)
		default:
			d.unknown(m, p, &c.Unknown, "a contributor")
		}
	}
	return c
}

func (d *decoder) objective(n *jsontree.Node, ptr string) Objective {
	var o Objective
	if !d.object(n, ptr, "an objective object") {
		return o
	}
	for _, m := range n.Members {
		p := jsontree.AppendPointerToken(ptr, m.Key)
		switch m.Key {
		case "id":
			o.ID = d.str(m.Value, p)
		case "text":
			o.Text = d.langString(m.Value, p)
		case "alignments":
			o.Alignments = d.alignments(m.Value, p)
		default:
			d.unknown(m, p, &o.Unknown, "an objective")
		}
	}
	return o
}

func (d *decoder) alignments(n *jsontree.Node, ptr string) []Alignment {
	if !d.array(n, ptr, "an array of alignment objects") {
		return nil
	}
	out := make([]Alignment, len(n.Elems))
	for i, e := range n.Elems {
		p := ptr + "/" + strconv.Itoa(i)
		if !d.object(e, p, "an alignment object") {
			continue
		}
		al := &out[i]
		for _, m := range e.Members {
			mp := jsontree.AppendPointerToken(p, m.Key)
			switch m.Key {
			case "framework":
				al.Framework = d.str(m.Value, mp)
			case "version":
				al.Version = d.opt(m.Value, mp)
			case "code":
				al.Code = d.str(m.Value, mp)
			case "relation":
				al.Relation = AlignmentRelation(d.opt(m.Value, mp))
			case "level":
				al.Level = d.opt(m.Value, mp)
			default:
				d.unknown(m, mp, &al.Unknown, "an alignment")
			}
		}
	}
	return out
}

func (d *decoder) resource(n *jsontree.Node, ptr string) Resource {
	var r Resource
	if !d.object(n, ptr, "a resource object") {
		return r
	}
	for _, m := range n.Members {
		p := jsontree.AppendPointerToken(ptr, m.Key)
		switch m.Key {
		case "path":
			r.Path = d.str(m.Value, p)
		case "mediaType":
			r.MediaType = d.opt(m.Value, p)
		case "size":
			if m.Value.Kind != jsontree.Number {
				d.wrongType(m.Value, p, "a number of bytes")
				continue
			}
			size, err := wholeNumber(m.Value.Num)
			if err != nil {
				d.add(m.Value, p, "asset.resource.size-invalid", ota.Error,
					fmt.Sprintf("size %s is not a whole number of bytes that fits in 63 bits", m.Value.Num))
				continue
			}
			r.Size = size
		case "sha256":
			r.SHA256 = d.opt(m.Value, p)
		case "role":
			r.Role = ResourceRole(d.opt(m.Value, p))
		case "title":
			r.Title = d.langString(m.Value, p)
		default:
			d.unknown(m, p, &r.Unknown, "a resource")
		}
	}
	return r
}

func (d *decoder) relation(n *jsontree.Node, ptr string) Relation {
	var r Relation
	if !d.object(n, ptr, "a relation object") {
		return r
	}
	for _, m := range n.Members {
		p := jsontree.AppendPointerToken(ptr, m.Key)
		switch m.Key {
		case "type":
			r.Type = RelationType(d.str(m.Value, p))
		case "target":
			r.Target = d.str(m.Value, p)
		default:
			d.unknown(m, p, &r.Unknown, "a relation")
		}
	}
	return r
}

// UnmarshalJSON decodes an asset object (not a whole document: the "ota"
// member is not expected), keeping unknown members. It fails with a
// *[ota.ValidationError] when a member has the wrong type.
func (a *Asset) UnmarshalJSON(data []byte) error {
	root, err := parseTree(data, DefaultMaxDepth)
	if err != nil {
		return err
	}
	d := &decoder{data: data, lines: jsondec.NewLines(data)}
	*a = d.asset(root, "")
	return d.err()
}

// UnmarshalJSON decodes a whole document, as [Unmarshal] does with default
// options; issues that are not errors are dropped.
func (doc *Document) UnmarshalJSON(data []byte) error {
	got, rep, err := Unmarshal(data, ReadOptions{})
	if err != nil {
		return err
	}
	if err := rep.Err(); err != nil {
		return err
	}
	*doc = *got
	return nil
}

func (d *decoder) err() error {
	return ota.Report{Issues: d.issues}.Err()
}

// wholeNumber parses a JSON number that denotes a whole number fitting in
// an int64, in any notation ("2048", "2.048e3", "2048.0").
func wholeNumber(num string) (int64, error) {
	if n, err := strconv.ParseInt(num, 10, 64); err == nil {
		return n, nil
	}
	f, _, err := big.ParseFloat(num, 10, 256, big.ToNearestEven)
	if err != nil {
		return 0, err
	}
	if !f.IsInt() {
		return 0, errors.New("not a whole number")
	}
	n, acc := f.Int64()
	if acc != big.Exact {
		return 0, errors.New("out of range")
	}
	return n, nil
}
