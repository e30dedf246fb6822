package ota

import (
	"cmp"
	"slices"
)

// Loss records something a conversion could not carry over into its target
// format.
type Loss struct {
	// Code is a stable dotted identifier of what was lost, such as
	// "scorm.lost.relations": the codec, "lost", and the thing. Codes
	// never change meaning once published; docs/losses.md lists them. A
	// report groups its losses by code.
	Code string `json:"code"`
	// Pointer locates what was lost in the source: a JSON Pointer or a
	// manifest path.
	Pointer string `json:"pointer"`
	// AssetID is the ID of the asset the loss is about, when it is about
	// one.
	AssetID string `json:"asset,omitempty"`
	// What names what was lost ("sequencing rules", "objective alignments").
	What string `json:"what"`
	// Why says why the target cannot hold it.
	Why string `json:"why"`
}

// String formats the loss as "CODE at POINTER: WHAT: WHY", or
// "POINTER: WHAT: WHY" when it has no code.
func (l Loss) String() string {
	p := l.Pointer
	if p == "" {
		p = "/"
	}
	if l.Code != "" {
		p = l.Code + " at " + p
	}
	return p + ": " + l.What + ": " + l.Why
}

// LossGroup is the losses of a report that share a code.
type LossGroup struct {
	// Code is the code the losses share.
	Code string
	// Losses are the losses with that code, in report order.
	Losses []Loss
}

// LossGroups groups the report's losses by code, in the order each code
// first appears. Losses without a code form one group with the code "".
func (r Report) LossGroups() []LossGroup {
	var out []LossGroup
	at := map[string]int{}
	for _, l := range r.Losses {
		i, ok := at[l.Code]
		if !ok {
			i = len(out)
			at[l.Code] = i
			out = append(out, LossGroup{Code: l.Code})
		}
		out[i].Losses = append(out[i].Losses, l)
	}
	return out
}

// Report collects the issues found while reading, validating or converting
// an input, and the losses of a conversion. The zero value is ready to use.
type Report struct {
	// Issues are the findings, errors and warnings together, in the order
	// they were found.
	Issues []Issue `json:"issues"`
	// Losses are what a conversion could not carry over.
	Losses []Loss `json:"losses,omitempty"`
}

// Add appends issues to the report.
func (r *Report) Add(issues ...Issue) { r.Issues = append(r.Issues, issues...) }

// AddLoss appends losses to the report.
func (r *Report) AddLoss(losses ...Loss) { r.Losses = append(r.Losses, losses...) }

// Merge appends everything in o to r.
func (r *Report) Merge(o Report) {
	r.Issues = append(r.Issues, o.Issues...)
	r.Losses = append(r.Losses, o.Losses...)
}

// Errors returns the error-severity issues.
func (r Report) Errors() []Issue { return r.filter(Error) }

// Warnings returns the warning-severity issues.
func (r Report) Warnings() []Issue { return r.filter(Warning) }

func (r Report) filter(s Severity) []Issue {
	var out []Issue
	for _, is := range r.Issues {
		if is.Severity == s {
			out = append(out, is)
		}
	}
	return out
}

// HasErrors reports whether any issue has error severity.
func (r Report) HasErrors() bool {
	for _, is := range r.Issues {
		if is.Severity == Error {
			return true
		}
	}
	return false
}

// Err returns a *ValidationError holding every issue when at least one is
// an error, and nil otherwise.
func (r Report) Err() error {
	if !r.HasErrors() {
		return nil
	}
	return &ValidationError{Issues: slices.Clone(r.Issues)}
}

// Apply applies a severity policy to the report's issues in place.
func (r *Report) Apply(p Policy) { r.Issues = p.Apply(r.Issues) }

// Sort orders the issues by pointer, then line, then severity (errors
// first), then code, keeping the order of equal issues. The order of a
// sorted report does not depend on the order in which checks ran.
func (r *Report) Sort() {
	slices.SortStableFunc(r.Issues, func(a, b Issue) int {
		return cmp.Or(
			cmp.Compare(a.Pointer, b.Pointer),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Severity.rank(), b.Severity.rank()),
			cmp.Compare(a.Code, b.Code),
		)
	})
}
