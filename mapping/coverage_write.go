package mapping

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
)

// WriteCSV writes one row per framework node, in hierarchy order, after a
// header row:
//
//	code,name,kind,parent,depth,leaf,teaches,assesses,requires,total_teaches,total_assesses,total_requires,direct_assets,assets,gap
//
// teaches, assesses and requires are the node's direct counts (hours when
// weighted); the total_ columns include every node below it; assets counts
// the assets covering the node or a node below it, and gap is true when
// there are none. [Coverage.WriteCellsCSV] writes the matrix itself.
func (c *Coverage) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"code", "name", "kind", "parent", "depth", "leaf",
		"teaches", "assesses", "requires", "total_teaches", "total_assesses", "total_requires",
		"direct_assets", "assets", "gap"})
	for i := range c.Nodes {
		n := &c.Nodes[i]
		_ = cw.Write([]string{n.Code, n.Name, string(n.Kind), n.Parent, strconv.Itoa(n.Depth), strconv.FormatBool(n.Leaf),
			num(n.Direct.Teaches), num(n.Direct.Assesses), num(n.Direct.Requires),
			num(n.Total.Teaches), num(n.Total.Assesses), num(n.Total.Requires),
			strconv.Itoa(n.DirectAssets), strconv.Itoa(n.Assets), strconv.FormatBool(n.Gap())})
	}
	cw.Flush()
	return cw.Error()
}

// WriteCellsCSV writes the non-empty cells of the node × asset matrix, one
// row each, ordered by asset and then by node, after a header row:
//
//	asset,publisher,code,teaches,assesses,requires
func (c *Coverage) WriteCellsCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"asset", "publisher", "code", "teaches", "assesses", "requires"})
	for _, x := range c.Cells {
		a := &c.Assets[x.Asset]
		if err := cw.Write([]string{a.ID, a.Publisher, c.Nodes[x.Node].Code,
			num(x.Teaches), num(x.Assesses), num(x.Requires)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// coverageFramework names the framework in the JSON form.
type coverageFramework struct {
	Key     string `json:"key,omitempty"`
	ID      string `json:"id"`
	Version string `json:"version,omitempty"`
	Title   string `json:"title,omitempty"`
}

// jsonCell is a Cell with the node named by code.
type jsonCell struct {
	Node  string `json:"node"`
	Asset int    `json:"asset"`
	Counts
}

// WriteJSON writes the coverage as one indented JSON object with the
// members framework (key, id, version, title), weighted, covering, nodes,
// assets, cells (each naming its node by code and its asset by index into
// assets), gaps, publishers, leaves, leavesCovered and unresolved. The
// output is deterministic.
func (c *Coverage) WriteJSON(w io.Writer) error {
	cells := make([]jsonCell, len(c.Cells))
	for i, x := range c.Cells {
		cells[i] = jsonCell{Node: c.Nodes[x.Node].Code, Asset: x.Asset, Counts: x.Counts}
	}
	var fw coverageFramework
	if c.Framework != nil {
		fw = coverageFramework{Key: c.Framework.Key, ID: c.Framework.ID, Version: c.Framework.Version, Title: c.Framework.Title.String()}
	}
	v := struct {
		Framework coverageFramework `json:"framework"`
		*Coverage
		Cells []jsonCell `json:"cells"`
	}{fw, c, cells}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
