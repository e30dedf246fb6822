package scorm

import (
	"regexp"
	"strings"

	"github.com/github/go-spdx/v2/spdxexp"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/packaging/xmlnode"
)

var (
	ccURL     = regexp.MustCompile(`(?i)creativecommons\.org/licenses/(by(?:-nc)?(?:-sa|-nd)?)/(\d\.\d)(?:/([a-z]{2}))?`)
	ccName    = regexp.MustCompile(`(?i)creative\s+commons\s+(attribution(?:[\s-]+(?:non-?commercial|share-?alike|no-?deriv(?:s|atives)))*)[\s-]+(?:license\s+)?v?(\d\.\d)(?:\s+(united states|unported|international))?`)
	ccShort   = regexp.MustCompile(`(?i)\bCC[\s-](BY(?:[\s-]NC)?(?:[\s-]SA|[\s-]ND)?)[\s-]v?(\d\.\d)\b`)
	oglUK3    = regexp.MustCompile(`(?i)open\s+government\s+licen[cs]e\s+v?(?:ersion\s+)?3(?:\.0)?`)
	ccCountry = map[string]string{"united states": "US"}
	// spdxLine is the REUSE-style tag this package writes into LOM rights.
	spdxLine = regexp.MustCompile(`SPDX-License-Identifier:\s*([^\r\n]+)`)
)

// licenseFromText recognises a Creative Commons or UK Open Government
// licence in a rights statement and returns its SPDX identifier, or ""
// when it recognises none or the identifier is not on the SPDX list.
func licenseFromText(s string) string {
	if m := spdxLine.FindStringSubmatch(s); m != nil {
		if ok, _ := spdxexp.ValidateLicenses(spdxIDs(m[1])); ok {
			return strings.TrimSpace(m[1])
		}
	}
	var id string
	switch {
	case ccURL.MatchString(s):
		m := ccURL.FindStringSubmatch(s)
		id = "CC-" + strings.ToUpper(m[1]) + "-" + m[2]
		if m[3] != "" {
			id += "-" + strings.ToUpper(m[3])
		}
	case ccName.MatchString(s):
		m := ccName.FindStringSubmatch(s)
		words := strings.ToLower(m[1])
		id = "CC-BY"
		if strings.Contains(words, "commercial") {
			id += "-NC"
		}
		switch {
		case strings.Contains(words, "share"):
			id += "-SA"
		case strings.Contains(words, "deriv"):
			id += "-ND"
		}
		id += "-" + m[2]
		if c := ccCountry[strings.ToLower(m[3])]; c != "" {
			id += "-" + c
		}
	case ccShort.MatchString(s):
		m := ccShort.FindStringSubmatch(s)
		code := strings.NewReplacer(" ", "-").Replace(strings.ToUpper(m[1]))
		id = "CC-" + code + "-" + m[2]
	case oglUK3.MatchString(s):
		id = "OGL-UK-3.0"
	default:
		return ""
	}
	if ok, _ := spdxexp.ValidateLicenses([]string{id}); !ok {
		return ""
	}
	return id
}

// lomRoles maps LOM lifeCycle contribute roles onto asset roles; roles
// not listed are not carried over.
var lomRoles = map[string]asset.Role{
	"author":                asset.RoleAuthor,
	"publisher":             asset.RolePublisher,
	"editor":                asset.RoleEditor,
	"validator":             asset.RoleReviewer,
	"technical validator":   asset.RoleReviewer,
	"educational validator": asset.RoleReviewer,
}

// contributorsOf reads lifeCycle/contribute elements: the role and each
// entity's vCard (FN, ORG, EMAIL).
func contributorsOf(lifeCycle *xmlnode.Node) []asset.Contributor {
	var out []asset.Contributor
	for _, c := range lifeCycle.Children {
		if c.Local != "contribute" {
			continue
		}
		var role asset.Role
		if r := childLocal(c, "role"); r != nil {
			if v := childLocal(r, "value"); v != nil {
				role = lomRoles[strings.ToLower(strings.TrimSpace(langOrText(v)))]
			}
		}
		for _, e := range c.Children {
			text := e.Text
			switch e.Local {
			case "entity": // IEEE LOM
			case "centity": // IMS MD 1.2: <centity><vcard>
				if v := childLocal(e, "vcard"); v != nil {
					text = v.Text
				}
			default:
				continue
			}
			ct, ok := parseVCard(text)
			if !ok {
				continue
			}
			if role != "" {
				ct.Roles = []asset.Role{role}
			}
			out = append(out, ct)
		}
	}
	return out
}

// langOrText returns a LOM 1.2 value's langstring or the element's text.
func langOrText(n *xmlnode.Node) string {
	if ls := childLocal(n, "langstring"); ls != nil {
		return ls.Text
	}
	return n.Text
}

// vcardProp matches the start of a vCard property in a one-line vCard.
var vcardProp = regexp.MustCompile(`(?i)^(BEGIN|END|VERSION|FN|N|ORG|EMAIL|TEL|ADR|TITLE|URL|NOTE|ROLE)(;[^:]*)?:`)

// vcardLines splits a vCard into property lines. IMS MD 1.2 examples
// often write the whole vCard on one line ("BEGIN:vCard FN:Joe END:vCard").
func vcardLines(s string) []string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	if strings.Contains(strings.TrimSpace(s), "\n") {
		return strings.Split(s, "\n")
	}
	var lines []string
	for _, f := range strings.Fields(s) {
		if vcardProp.MatchString(f) || len(lines) == 0 {
			lines = append(lines, f)
		} else {
			lines[len(lines)-1] += " " + f
		}
	}
	return lines
}

// parseVCard reads the FN, ORG and EMAIL properties of a vCard.
func parseVCard(s string) (asset.Contributor, bool) {
	var fn, org, email string
	for _, line := range vcardLines(s) {
		line = strings.TrimSpace(line)
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		prop, _, _ := strings.Cut(strings.ToUpper(name), ";")
		value = strings.TrimSpace(value)
		switch prop {
		case "FN":
			fn = value
		case "ORG":
			org = strings.TrimRight(strings.ReplaceAll(value, ";", ", "), ", ")
		case "EMAIL":
			if email == "" && strings.Count(value, "@") == 1 && !strings.ContainsAny(value, " <>") {
				email = value
			}
		}
	}
	switch {
	case fn != "":
		return asset.Contributor{Name: fn, Type: asset.Person, Affiliation: org, Email: email}, true
	case org != "":
		return asset.Contributor{Name: org, Type: asset.Organization, Email: email}, true
	}
	return asset.Contributor{}, false
}

// spdxIDs returns the licence identifiers of an SPDX expression, for
// validation.
func spdxIDs(expr string) []string {
	var ids []string
	for _, f := range strings.FieldsFunc(expr, func(r rune) bool { return r == ' ' || r == '(' || r == ')' }) {
		switch strings.ToUpper(f) {
		case "AND", "OR", "WITH":
			continue
		}
		ids = append(ids, f)
	}
	return ids
}
