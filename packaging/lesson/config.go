package lesson

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/github/go-spdx/v2/spdxexp"
	"go.yaml.in/yaml/v3"

	"github.com/metaacademy/ota"
)

// config is what the package reads from a Workbench config.yaml.
type config struct {
	title, created, lifeCycle, license, source, branch string
	contact, lang, carpentry, url                      string
	keywords                                           []string
	// The page lists; nil means "every page of the folder" (the
	// Workbench's rule for a key left blank).
	episodes, learners, instructors, profiles []string
	// line is the line of each key, for issues about its value.
	line map[string]int
}

// parseConfig reads config.yaml. A document that is not YAML, or not a
// mapping, is an error: without it nothing about the lesson is known.
// Values of the wrong type are warnings and are ignored.
func parseConfig(b []byte) (config, []ota.Issue, error) {
	const file = "config.yaml"
	c := config{line: map[string]int{}}
	var issues []ota.Issue
	pairs, root, err := parseYAMLMap(b)
	if err != nil {
		is := yamlIssue(file, 1, "", err)
		return c, nil, &configError{line: is.Line, msg: strings.TrimSuffix(is.Message, "; fix its syntax")}
	}
	if root != nil && root.Kind != yaml.MappingNode {
		return c, nil, &configError{line: root.Line, msg: "the file is not a YAML mapping of keys to values"}
	}
	bad := func(k *yaml.Node, what string) {
		issues = append(issues, ota.Issue{Pointer: file, Line: k.Line, Code: "lesson.config.type", Severity: ota.Warning,
			Message: "key " + strconv.Quote(k.Value) + " should be " + what + "; it is ignored"})
	}
	str := map[string]*string{
		"title": &c.title, "created": &c.created, "life_cycle": &c.lifeCycle, "license": &c.license,
		"source": &c.source, "branch": &c.branch, "contact": &c.contact, "lang": &c.lang,
		"carpentry": &c.carpentry, "url": &c.url,
	}
	lists := map[string]*[]string{"episodes": &c.episodes, "learners": &c.learners, "instructors": &c.instructors, "profiles": &c.profiles}
	for _, kv := range pairs {
		k, v := kv[0], kv[1]
		c.line[k.Value] = k.Line
		if p, ok := str[k.Value]; ok {
			s, ok := scalar(v)
			if !ok {
				bad(k, "a string")
				continue
			}
			*p = strings.TrimSpace(s)
			continue
		}
		if p, ok := lists[k.Value]; ok {
			l, ok := stringList(v, false)
			if !ok {
				bad(k, "a list of file names")
				continue
			}
			*p = l
			continue
		}
		if k.Value == "keywords" {
			l, ok := stringList(v, true)
			if !ok {
				bad(k, "a comma-separated string or a list")
				continue
			}
			c.keywords = l
		}
	}
	return c, issues, nil
}

// configError is a config.yaml that cannot be read; it wraps [ErrConfig].
type configError struct {
	line int
	msg  string
}

func (e *configError) Error() string {
	return "lesson: config.yaml:" + strconv.Itoa(e.line) + ": " + e.msg
}

func (e *configError) Unwrap() error { return ErrConfig }

var (
	ccURL     = regexp.MustCompile(`(?i)creativecommons\.org/licenses/((?:by|nc|sa|nd)(?:-(?:by|nc|sa|nd))*)/(\d(?:\.\d)?)`)
	ccZeroURL = regexp.MustCompile(`(?i)creativecommons\.org/publicdomain/zero/1\.0`)
	spaces    = regexp.MustCompile(`[\s_]+`)
)

// spdxLicense turns a licence as lessons write it ("CC-BY 4.0", "CC BY-SA
// 4.0", "CC0", a Creative Commons URL, "MIT") into an SPDX expression, or
// "" when it recognises none.
func spdxLicense(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if ok, id := spdxexp.ActiveLicense(s); ok {
		return id
	}
	if m := ccURL.FindStringSubmatch(s); m != nil {
		v := m[2]
		if !strings.Contains(v, ".") {
			v += ".0"
		}
		if ok, id := spdxexp.ActiveLicense("CC-" + strings.ToUpper(m[1]) + "-" + v); ok {
			return id
		}
	}
	if ccZeroURL.MatchString(s) {
		return "CC0-1.0"
	}
	t := strings.Trim(spaces.ReplaceAllString(s, "-"), "-")
	for strings.Contains(t, "--") {
		t = strings.ReplaceAll(t, "--", "-")
	}
	for _, cand := range []string{t, t + ".0", t + "-1.0"} {
		if ok, id := spdxexp.ActiveLicense(cand); ok {
			return id
		}
	}
	if strings.ContainsAny(s, " ") && len(s) < 200 {
		if ok, _ := spdxexp.ValidateLicenses([]string{s}); ok {
			return s // an expression such as "CC-BY-4.0 OR MIT"
		}
	}
	return ""
}

// licenseFromText finds a Creative Commons licence URL in a licence page
// (LICENSE.md), for lessons whose config.yaml names none.
func licenseFromText(b []byte) string {
	if m := ccURL.Find(b); m != nil {
		return spdxLicense(string(m))
	}
	if ccZeroURL.Match(b) {
		return "CC0-1.0"
	}
	return ""
}

var authorLine = regexp.MustCompile(`^\s*[-*]?\s*([^<>]*?)\s*(?:<([^<>\s]+@[^<>\s]+)>)?\s*$`)

// parseAuthors reads an AUTHORS file: one "Name <email>" per line. The
// Workbench template's placeholder ("FIXME: …") gives nothing.
func parseAuthors(b []byte) (names, emails []string) {
	for _, l := range strings.Split(string(b), "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.Contains(l, "FIXME") || strings.HasPrefix(l, "#") || len(l) > 300 {
			continue
		}
		m := authorLine.FindStringSubmatch(l)
		if m == nil || m[1] == "" {
			continue
		}
		names = append(names, m[1])
		emails = append(emails, m[2])
	}
	return names, emails
}
