package interop

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// VisitPlan is a walk through a site for [Browser.Visit].
type VisitPlan struct {
	// Origin is the site's loopback origin ("http://127.0.0.1:8080"); Allow
	// lists further loopback origins its pages may reach.
	Origin string   `json:"origin"`
	Allow  []string `json:"allow,omitempty"`
	// Timeout bounds each navigation and action (default 20 s).
	Timeout time.Duration `json:"-"`
	Steps   []VisitStep   `json:"steps"`
}

// VisitStep is one step: go to a page, act on it, press Tab, screenshot.
type VisitStep struct {
	Name string `json:"name"`
	// Goto is a path (relative to Origin) or URL to open; empty stays on
	// the current page.
	Goto string `json:"goto,omitempty"`
	// Actions run in order after Goto.
	Actions []VisitAction `json:"actions,omitempty"`
	// Tabs presses Tab this many times, recording where the focus goes.
	Tabs int `json:"tabs,omitempty"`
	// Screenshot, when set, is the PNG file the full page is saved to.
	Screenshot string `json:"screenshot,omitempty"`
}

// VisitAction is one action: exactly one of Fill, Select, Click or Press.
type VisitAction struct {
	Fill   string `json:"fill,omitempty"`   // CSS selector of an input to type Value into
	Select string `json:"select,omitempty"` // CSS selector of a select to choose Value in
	Click  string `json:"click,omitempty"`  // CSS selector to click (a submit button, a link)
	Press  string `json:"press,omitempty"`  // a key to press ("Enter")
	Value  string `json:"value,omitempty"`
}

// VisitReport is what [Browser.Visit] found.
type VisitReport struct {
	Steps   []VisitResult     `json:"steps"`
	Blocked []string          `json:"blocked"` // requests to origins not allowed, aborted
	Tools   map[string]string `json:"tools"`
}

// VisitResult is the state of the page after one step.
type VisitResult struct {
	Name           string   `json:"name"`
	URL            string   `json:"url"`
	Status         int      `json:"status"` // of the last navigation
	Title          string   `json:"title"`
	H1             string   `json:"h1"`
	Text           string   `json:"text"`   // the page's visible text (first 50,000 characters)
	JSONLD         []string `json:"jsonld"` // the text of each script type="application/ld+json"
	Console        []string `json:"console"`
	PageErrors     []string `json:"pageErrors"`
	FailedRequests []string `json:"failedRequests"`
	Focus          []string `json:"focus"` // the focused element after each Tab
	Error          string   `json:"error"`
}

// Visit walks a site with visit.mjs in one headless Chromium page and
// reports each step. It judges nothing; an error means the walk could not
// happen (a plan that is not loopback, a browser that did not start).
func (b *Browser) Visit(ctx context.Context, plan VisitPlan) (*VisitReport, error) {
	data, err := json.Marshal(struct {
		VisitPlan
		Timeout float64 `json:"timeout,omitempty"`
	}{plan, plan.Timeout.Seconds()})
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "ota-visit-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "plan.json")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		return nil, err
	}
	out, err := b.run(ctx, "visit.mjs", "--chromium", b.chromium, "--", path)
	if err != nil {
		return nil, err
	}
	var r VisitReport
	if err := json.Unmarshal(out, &r); err != nil {
		return nil, fmt.Errorf("visit.mjs: cannot read its report: %w", err)
	}
	return &r, nil
}
