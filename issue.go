package ota

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Severity says how much an [Issue] matters.
type Severity string

const (
	// Error means the input breaks a rule of its format: it is invalid.
	Error Severity = "error"
	// Warning means the input is valid but probably not what its author
	// meant, or deviates from the specification in a way readers survive.
	Warning Severity = "warning"
	// Info is a remark that needs no action.
	Info Severity = "info"
	// Ignore is used only in a [Policy]: issues mapped to it are dropped.
	Ignore Severity = "ignore"
)

// Valid reports whether s is one of the defined severities.
func (s Severity) Valid() bool {
	switch s {
	case Error, Warning, Info, Ignore:
		return true
	}
	return false
}

// rank orders severities from the most to the least serious.
func (s Severity) rank() int {
	switch s {
	case Error:
		return 0
	case Warning:
		return 1
	case Info:
		return 2
	}
	return 3
}

// Issue is one finding about an input: a rule it breaks or a deviation it
// shows. Issues are values; every package reports them the same way.
type Issue struct {
	// Pointer locates the finding: an RFC 6901 JSON Pointer into a JSON
	// document ("/parts/0/title"), or a manifest path for XML packages
	// ("manifest/organizations/organization[0]/item[2]"). Empty means the
	// whole input.
	Pointer string `json:"pointer"`
	// Line is the 1-based line of the input where the finding is, when the
	// reader knows it (record streams, syntax errors); 0 when unknown.
	Line int `json:"line,omitempty"`
	// Code is a stable dotted identifier of the rule, such as
	// "asset.title.missing". Codes never change meaning once published.
	Code string `json:"code"`
	// Severity says how much the finding matters.
	Severity Severity `json:"severity"`
	// Message says what is wrong and how to fix it, in one sentence.
	Message string `json:"message"`
	// Requirement is the identifier of the requirement broken in an
	// external specification, when there is one (for example the ADL
	// xAPI conformance id "XAPI-00083").
	Requirement string `json:"requirement,omitempty"`
}

// Error formats the issue as "SEVERITY CODE at POINTER: MESSAGE", which is
// the tail of the line the ota command prints for it.
func (i Issue) Error() string {
	var b strings.Builder
	b.WriteString(string(i.Severity))
	b.WriteByte(' ')
	b.WriteString(i.Code)
	b.WriteString(" at ")
	if i.Pointer == "" {
		b.WriteString("/")
	} else {
		b.WriteString(i.Pointer)
	}
	if i.Line > 0 {
		b.WriteString(" (line ")
		b.WriteString(strconv.Itoa(i.Line))
		b.WriteByte(')')
	}
	b.WriteString(": ")
	b.WriteString(i.Message)
	if i.Requirement != "" {
		b.WriteString(" [")
		b.WriteString(i.Requirement)
		b.WriteByte(']')
	}
	return b.String()
}

// Policy changes the severity of issues by code. A key matches a code
// exactly or as a dotted prefix: "asset.license" matches
// "asset.license.missing" and "asset.license.invalid". The longest matching
// key wins. Mapping a code to [Ignore] drops its issues. A nil Policy
// changes nothing.
type Policy map[string]Severity

// SeverityOf returns the severity the policy gives code, or def when no key
// matches.
func (p Policy) SeverityOf(code string, def Severity) Severity {
	if len(p) == 0 {
		return def
	}
	for c := code; c != ""; {
		if s, ok := p[c]; ok {
			return s
		}
		i := strings.LastIndexByte(c, '.')
		if i < 0 {
			break
		}
		c = c[:i]
	}
	return def
}

// Apply returns issues with the policy's severities applied and ignored
// issues removed. The input slice is not modified.
func (p Policy) Apply(issues []Issue) []Issue {
	if len(p) == 0 {
		return issues
	}
	out := make([]Issue, 0, len(issues))
	for _, is := range issues {
		is.Severity = p.SeverityOf(is.Code, is.Severity)
		if is.Severity == Ignore {
			continue
		}
		out = append(out, is)
	}
	return out
}

// Check reports an error naming the first key or severity that is not
// valid, so that a typo in a configuration file does not pass silently.
func (p Policy) Check() error {
	for k, s := range p {
		if k == "" || strings.HasPrefix(k, ".") || strings.HasSuffix(k, ".") {
			return fmt.Errorf("ota: policy key %q is not a dotted issue code", k)
		}
		if !s.Valid() {
			return fmt.Errorf("ota: policy gives %q the unknown severity %q; use error, warning, info or ignore", k, s)
		}
	}
	return nil
}

// ValidationError is returned when an input breaks at least one rule. It
// carries every issue found, errors and warnings alike, so that a caller
// gets all of them at once. Use errors.As to reach it; errors.Is and
// errors.As also see each error-severity issue through Unwrap.
type ValidationError struct {
	// Issues are every finding, in the order they were found.
	Issues []Issue
}

// Error summarises the issues: the first error and how many more there are.
func (e *ValidationError) Error() string {
	var first *Issue
	n := 0
	for i := range e.Issues {
		if e.Issues[i].Severity == Error {
			if first == nil {
				first = &e.Issues[i]
			}
			n++
		}
	}
	if first == nil {
		return "ota: validation failed"
	}
	if n == 1 {
		return "ota: invalid: " + first.Error()
	}
	return fmt.Sprintf("ota: invalid: %s (and %d more errors)", first.Error(), n-1)
}

// Unwrap returns each error-severity issue as an error.
func (e *ValidationError) Unwrap() []error {
	var errs []error
	for _, is := range e.Issues {
		if is.Severity == Error {
			errs = append(errs, is)
		}
	}
	return errs
}

// IssuesOf returns the issues carried by err when it is or wraps a
// *ValidationError, and nil otherwise.
func IssuesOf(err error) []Issue {
	var ve *ValidationError
	if errors.As(err, &ve) {
		return ve.Issues
	}
	return nil
}
