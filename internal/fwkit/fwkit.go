// Package fwkit holds the small helpers the framework, catalogue,
// curriculum and CASE packages share: node keys, alignment walks, the order
// of node codes, date checks and the issue collector of their checks.
package fwkit

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/internal/jsontree"
)

// Checker collects the issues of a check.
type Checker struct {
	// R is the report the issues go to.
	R ota.Report
}

// Add records an issue at the JSON Pointer ptr.
func (c *Checker) Add(ptr, code string, sev ota.Severity, msg string) {
	c.R.Add(ota.Issue{Pointer: ptr, Code: code, Severity: sev, Message: msg})
}

// LangString checks the language tags and texts of s, at ptr.
func (c *Checker) LangString(s asset.LangString, ptr string) {
	for _, tag := range s.Tags() {
		p := jsontree.AppendPointerToken(ptr, tag)
		if err := asset.CheckTag(tag); err != nil {
			c.Add(p, "framework.langstring.invalid-tag", ota.Error, err.Error())
		}
		if strings.TrimSpace(s[tag]) == "" {
			c.Add(p, "framework.langstring.empty", ota.Error, fmt.Sprintf("the %q text is empty; remove the entry or write the text", tag))
		}
	}
}

// NodeKey is the index key of a framework node: framework and code, without
// the version.
func NodeKey(framework, code string) string {
	return strings.TrimSpace(framework) + "\x00" + strings.TrimSpace(code)
}

// RelationOf returns an alignment's relation, teaches when it is empty.
func RelationOf(al asset.Alignment) asset.AlignmentRelation {
	if al.Relation == "" {
		return asset.Teaches
	}
	return al.Relation
}

// EachAlignment calls fn for each alignment of the asset and of its
// objectives.
func EachAlignment(a *asset.Asset, fn func(asset.Alignment)) {
	for _, al := range a.Alignments {
		fn(al)
	}
	for _, o := range a.Objectives {
		for _, al := range o.Alignments {
			fn(al)
		}
	}
}

// CompareCodes orders node codes segment by segment, numerically where
// both segments are numbers, a code before its own sub-codes: "5" < "5.2"
// < "5.10" < "6" < "OA-DM".
func CompareCodes(a, b string) int {
	for a != "" || b != "" {
		if a == "" {
			return -1
		}
		if b == "" {
			return 1
		}
		var sa, sb string
		sa, a, _ = strings.Cut(a, ".")
		sb, b, _ = strings.Cut(b, ".")
		na, errA := strconv.Atoi(sa)
		nb, errB := strconv.Atoi(sb)
		var c int
		switch {
		case errA == nil && errB == nil:
			c = cmp.Compare(na, nb)
		case errA == nil:
			c = -1
		case errB == nil:
			c = 1
		default:
			c = cmp.Compare(sa, sb)
		}
		if c != 0 {
			return c
		}
	}
	return 0
}

// ValidDate reports whether s is an RFC 3339 full-date or date-time.
func ValidDate(s string) bool {
	if _, err := time.Parse(time.DateOnly, s); err == nil {
		return true
	}
	_, err := time.Parse(time.RFC3339Nano, s)
	return err == nil
}

// IsKey reports whether s is a registered framework key: a lower-case
// letter followed by lower-case letters, digits, '-', '_' or '.'.
func IsKey(s string) bool {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' && c != '_' && c != '.' {
			return false
		}
	}
	return true
}
