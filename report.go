package ota

import (
	"cmp"
	"slices"
)

// Loss records something a conversion could not carry over into its target
// format.
type Loss struct {
	// Pointer locates what was lost in the source: a JSON Pointer or a
	// manifest path.
	Pointer string `json:"pointer"`
	// What names what was lost ("sequencing rules", "objective alignments").
	What string `json:"what"`
	// Why says why the target cannot hold it.
	Why string `json:"why"`
}

// String formats the loss as "POINTER: WHAT: WHY".
func (l Loss) String() string {
	p := l.Pointer
	if p == "" {
		p = "/"
	}
	return p + ": " + l.What + ": " + l.Why
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
