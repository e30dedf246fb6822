package mapping

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"strings"
	"sync"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/framework"
)

// The built-in frameworks are OTA's own transcription of the publishers'
// codes and names (facts), with descriptions written for OTA. Each file
// names its sources. One file holds every version of a framework: a node's
// Name is its name in the first version and Names overrides it for later
// ones, so that codes shared across versions are written once.
//
//go:embed data/*.json
var dataFS embed.FS

// dataFile is the shape of a file under data/.
type dataFile struct {
	Key          string        `json:"key"`
	ID           string        `json:"id"`
	Title        string        `json:"title"`
	Abbreviation string        `json:"abbreviation"`
	Publisher    string        `json:"publisher"`
	Licence      string        `json:"licence"`
	Language     string        `json:"language"`
	Sources      []string      `json:"sources"`
	Note         string        `json:"note"`
	SharedCodes  bool          `json:"sharedCodes"`
	Versions     []dataVersion `json:"versions"`
	// IRIs maps a node kind to a template for the IRIs of nodes of that
	// kind; "{code}" stands for the node's code.
	IRIs         map[string]string `json:"iris"`
	Scale        *dataScale        `json:"scale"`
	Nodes        []dataNode        `json:"nodes"`
	Associations []dataAssoc       `json:"associations"`
}

type dataVersion struct {
	Version string `json:"version"`
	Issued  string `json:"issued"`
	Source  string `json:"source"`
}

type dataScale struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Levels []struct {
		Code  string `json:"code"`
		Name  string `json:"name"`
		Group string `json:"group"`
	} `json:"levels"`
}

type dataNode struct {
	Code        string            `json:"code"`
	Parent      string            `json:"parent"`
	Kind        string            `json:"kind"`
	Name        string            `json:"name"`
	Names       map[string]string `json:"names"`
	Description string            `json:"description"`
	IRI         string            `json:"iri"`
	Unofficial  bool              `json:"unofficial"`
	Unconfirmed bool              `json:"unconfirmed"`
	AltNames    []string          `json:"altNames"`
	Note        string            `json:"note"`
}

type dataAssoc struct {
	Type   string `json:"type"`
	Source string `json:"source"`
	Target string `json:"target"`
}

// The keys of the built-in frameworks.
const (
	// KeyGSBPM is the Generic Statistical Business Process Model, versions
	// 5.1 and 5.2.
	KeyGSBPM = "gsbpm"
	// KeyGAMSO is the Generic Activity Model for Statistical
	// Organisations, version 1.2.
	KeyGAMSO = "gamso"
	// KeyDigComp is the Digital Competence Framework for Citizens,
	// version 2.2.
	KeyDigComp = "digcomp"
	// KeyUNBigData is the UN competency framework for big data acquisition
	// and processing, top level only, version [VersionUNBigData].
	KeyUNBigData = "un-bigdata"
)

// VersionUNBigData is the version OTA gives its transcription of the UN
// big-data competency framework. The document is undated and unnumbered;
// "ota-1" says that this is OTA's first edition of its top level, not a
// version of the publisher's.
const VersionUNBigData = "ota-1"

var builtinFiles = []string{"gsbpm.json", "gamso.json", "digcomp.json", "un-bigdata.json"}

var loadData = sync.OnceValues(func() ([]*dataFile, error) {
	var out []*dataFile
	for _, name := range builtinFiles {
		b, err := fs.ReadFile(dataFS, "data/"+name)
		if err != nil {
			return nil, err
		}
		d := new(dataFile)
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(d); err != nil {
			return nil, fmt.Errorf("mapping: embedded %s: %w", name, err)
		}
		out = append(out, d)
	}
	return out, nil
})

// build returns a new Framework for each version in d, oldest first.
func (d *dataFile) build() []*framework.Framework {
	var out []*framework.Framework
	for vi, v := range d.Versions {
		fw := &framework.Framework{
			ID:        d.ID,
			Key:       d.Key,
			Version:   v.Version,
			Title:     asset.LangString{d.Language: d.Title},
			Publisher: d.Publisher,
			License:   d.Licence,
			Language:  d.Language,
			Source:    v.Source,
		}
		if d.Note != "" {
			fw.Notes = append(fw.Notes, d.Note)
		}
		if v.Issued != "" {
			fw.Notes = append(fw.Notes, "Issued: "+v.Issued+".")
		}
		fw.Notes = append(fw.Notes, "Sources: "+strings.Join(d.Sources, "; ")+".")
		fw.Nodes = make([]framework.Node, 0, len(d.Nodes))
		for _, n := range d.Nodes {
			node := framework.Node{
				ID:          n.IRI,
				Code:        n.Code,
				Kind:        framework.NodeKind(n.Kind),
				Name:        asset.LangString{d.Language: n.nameIn(v.Version)},
				Parent:      n.Parent,
				Unofficial:  n.Unofficial,
				Unconfirmed: n.Unconfirmed,
			}
			if node.ID == "" {
				if t := d.IRIs[n.Kind]; t != "" {
					node.ID = strings.ReplaceAll(t, "{code}", n.Code)
				}
			}
			if n.Description != "" {
				node.Description = asset.LangString{d.Language: n.Description}
			}
			if len(n.AltNames) > 0 {
				node.AltNames = append([]string(nil), n.AltNames...)
			}
			if vi > 0 {
				prev := n.nameIn(d.Versions[vi-1].Version)
				if !strings.EqualFold(prev, n.nameIn(v.Version)) {
					node.PreviousName = prev
				}
			}
			if n.Note != "" {
				fw.Notes = append(fw.Notes, n.Code+": "+n.Note)
			}
			fw.Nodes = append(fw.Nodes, node)
		}
		if d.Scale != nil {
			s := framework.Scale{ID: d.Scale.ID, Name: asset.LangString{d.Language: d.Scale.Name}}
			for i, l := range d.Scale.Levels {
				s.Levels = append(s.Levels, framework.Level{
					Code:  l.Code,
					Name:  asset.LangString{d.Language: l.Name},
					Group: l.Group,
					Rank:  i + 1,
				})
			}
			fw.Scales = []framework.Scale{s}
		}
		for _, a := range d.Associations {
			fw.Associations = append(fw.Associations, framework.Association{
				Type: framework.AssociationType(a.Type), Source: a.Source, Target: a.Target,
			})
		}
		out = append(out, fw)
	}
	return out
}

// nameIn returns the node's name in the given version.
func (n *dataNode) nameIn(version string) string {
	if s, ok := n.Names[version]; ok {
		return s
	}
	return n.Name
}
