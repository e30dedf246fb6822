package curriculum

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/metaacademy/ota/internal/fwkit"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/internal/iri"
)

// Check validates the pathway on its own, without looking its assets up:
// the ID is an absolute IRI, there is a title, steps name assets and no
// asset twice, at least one step is required, the pathway's prerequisites
// name two different assets, and entry requirements are well formed. Every
// issue has a JSON Pointer into the pathway's JSON form and a code starting
// with "framework.pathway.". [Plan.Check] checks the resolved pathway too.
func (p *Pathway) Check() ota.Report {
	c := &fwkit.Checker{}
	switch {
	case p.ID == "":
		c.Add("/id", "framework.pathway.id.missing", ota.Error, `the pathway has no "id"; give it an absolute IRI such as "urn:uuid:" and a UUID`)
	default:
		if err := iri.CheckAbsolute(p.ID); err != nil {
			c.Add("/id", "framework.pathway.id.invalid", ota.Error, fmt.Sprintf("the pathway ID %q %v; use an absolute IRI", p.ID, err))
		}
	}
	if len(p.Title) == 0 {
		c.Add("/title", "framework.pathway.title.missing", ota.Error, `the pathway has no "title"; name it in at least one language`)
	}
	c.LangString(p.Title, "/title")
	c.LangString(p.Description, "/description")
	c.LangString(p.Audience, "/audience")
	if len(p.Steps) == 0 {
		c.Add("/steps", "framework.pathway.steps.empty", ota.Warning, "the pathway has no steps; add the assets a learner should take")
	}
	first := make(map[string]int)
	required := 0
	for i, s := range p.Steps {
		ptr := "/steps/" + strconv.Itoa(i)
		if s.Required {
			required++
		}
		c.LangString(s.Note, ptr+"/note")
		if s.AssetID == "" {
			c.Add(ptr+"/assetId", "framework.pathway.step.asset-missing", ota.Error, `the step has no "assetId"; give the ID of the asset to take`)
			continue
		}
		if j, dup := first[s.AssetID]; dup {
			c.Add(ptr+"/assetId", "framework.pathway.step.duplicate", ota.Error,
				fmt.Sprintf("asset %q is already step %d; take each asset once", s.AssetID, j))
			continue
		}
		first[s.AssetID] = i
	}
	if len(p.Steps) > 0 && required == 0 {
		c.Add("/steps", "framework.pathway.steps.none-required", ota.Warning,
			`every step is optional; set "required" on the steps a learner must take`)
	}
	for k, pr := range p.Prerequisites {
		ptr := "/prerequisites/" + strconv.Itoa(k)
		switch {
		case pr.Asset == "" || pr.Requires == "":
			c.Add(ptr, "framework.pathway.prerequisite.missing", ota.Error, `the prerequisite needs both "asset" and "requires", each the asset ID of a step`)
		case pr.Asset == pr.Requires:
			c.Add(ptr, "framework.pathway.prerequisite.self", ota.Error, fmt.Sprintf("asset %q is made its own prerequisite; remove the entry", pr.Asset))
		}
	}
	entryRequirements(c, p, first)
	return c.R
}

func entryRequirements(c *fwkit.Checker, p *Pathway, steps map[string]int) {
	for k, al := range p.EntryRequirements.Alignments {
		ptr := "/entryRequirements/alignments/" + strconv.Itoa(k)
		if strings.TrimSpace(al.Framework) == "" || strings.TrimSpace(al.Code) == "" {
			c.Add(ptr, "framework.pathway.entry.alignment-incomplete", ota.Error,
				`the entry requirement needs a "framework" and a "code", such as {"framework": "gsbpm", "code": "5.3", "relation": "requires"}`)
		}
		if al.Relation != "" && al.Relation != asset.Requires {
			c.Add(ptr+"/relation", "framework.pathway.entry.relation", ota.Warning,
				fmt.Sprintf("an entry requirement has the relation %q; what a learner must already master is \"requires\"", al.Relation))
		}
	}
	for k, id := range p.EntryRequirements.Assets {
		ptr := "/entryRequirements/assets/" + strconv.Itoa(k)
		if id == "" {
			c.Add(ptr, "framework.pathway.entry.asset-missing", ota.Error, "the required asset is empty; give its ID")
		} else if j, ok := steps[id]; ok {
			c.Add(ptr, "framework.pathway.entry.is-step", ota.Warning,
				fmt.Sprintf("asset %q is required before the pathway but is also step %d; keep one of the two", id, j))
		}
	}
}

// Check validates the resolved pathway: everything [Pathway.Check] checks,
// and that every step's asset is known, that the pathway's prerequisites
// name assets of its steps, that the prerequisites form no cycle (an error
// "framework.pathway.cycle" naming it), that no step comes before a step it
// requires (a warning: [Plan.Order] reorders them), that required steps do
// not require optional ones, that no step's asset is a part of another
// step, that prerequisites outside the pathway are declared as entry
// requirements, and it notes steps without a duration.
func (pl *Plan) Check() ota.Report {
	rep := pl.Pathway.Check()
	c := &fwkit.Checker{R: rep}
	for _, s := range pl.Steps {
		ptr := "/steps/" + strconv.Itoa(s.Index)
		switch {
		case s.AssetID == "":
		case s.Asset == nil:
			c.Add(ptr+"/assetId", "framework.pathway.step.unknown", ota.Error,
				fmt.Sprintf("no asset has the ID %q; check the ID, or add the asset to the catalogue", s.AssetID))
		case s.Duration.IsZero():
			c.Add(ptr+"/assetId", "framework.pathway.step.no-duration", ota.Info,
				fmt.Sprintf("asset %q states no duration, so the pathway's total leaves it out", s.AssetID))
		}
	}
	for _, u := range pl.unknowns {
		pr := pl.Pathway.Prerequisites[u.index]
		id := pr.Asset
		if u.field == "requires" {
			id = pr.Requires
		}
		if id == "" {
			continue // reported by Pathway.Check
		}
		c.Add("/prerequisites/"+strconv.Itoa(u.index)+"/"+u.field, "framework.pathway.prerequisite.unknown-step", ota.Error,
			fmt.Sprintf("%q is not the asset of a step, nor part of one; add it as a step or correct the ID", id))
	}
	for _, n := range pl.nested {
		c.Add("/steps/"+strconv.Itoa(n[0])+"/assetId", "framework.pathway.step.nested", ota.Warning,
			fmt.Sprintf("asset %q is also a part of step %d (%s), so the learner meets it twice and the total counts it twice; drop one of the two steps",
				pl.Steps[n[0]].AssetID, n[1], pl.Steps[n[1]].AssetID))
	}
	c.R.Add(pl.cycleIssues()...)
	for _, d := range pl.Dependencies {
		s, r := pl.Steps[d.Step], pl.Steps[d.Requires]
		if len(pl.cycles) == 0 && d.Requires > d.Step {
			c.Add("/steps/"+strconv.Itoa(d.Step), "framework.pathway.step.order", ota.Warning,
				fmt.Sprintf("step %d (%s) requires step %d (%s), which comes after it; move it earlier — Order puts it first", d.Step, s.AssetID, d.Requires, r.AssetID))
		}
		if s.Required && !r.Required {
			c.Add("/steps/"+strconv.Itoa(d.Requires)+"/required", "framework.pathway.step.optional-prerequisite", ota.Warning,
				fmt.Sprintf("optional step %d (%s) is a prerequisite of required step %d (%s), so it is not really optional; make it required or drop the prerequisite", d.Requires, r.AssetID, d.Step, s.AssetID))
		}
	}
	declared := pl.Pathway.EntryRequirements.Assets
	for _, o := range pl.Outside {
		if slices.Contains(declared, o.Requires) {
			continue
		}
		c.Add("/steps/"+strconv.Itoa(o.Step), "framework.pathway.prerequisite.outside", ota.Warning,
			fmt.Sprintf("%s requires %q, which no step holds: the learner must have it already; add it as a step or list it in entryRequirements.assets", o.By, o.Requires))
	}
	return c.R
}
