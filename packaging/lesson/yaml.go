package lesson

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/metaacademy/ota"
)

// frontMatter is what the package reads from a page's YAML front matter.
type frontMatter struct {
	title     string
	teaching  int
	exercises int
	lang      string
}

// splitFrontMatter separates a YAML front matter block ("---" on the first
// line, up to a line "---" or "...") from the Markdown body. It returns the
// YAML text, the body, the 1-based line of the source where the body
// starts, and whether a front matter block was found. An opening "---"
// without a closing line is not front matter (Pandoc reads it as a
// thematic break); unterminated reports that case.
func splitFrontMatter(src []byte) (fm, body []byte, bodyLine int, found, unterminated bool) {
	first, rest, ok := cutLine(src)
	if !ok || !isFenceLine(first, "---") {
		return nil, src, 1, false, false
	}
	line := 2
	start := len(src) - len(rest)
	for off := start; off < len(src); {
		l, _, _ := cutLine(src[off:])
		next := off + len(l)
		if next < len(src) {
			next++ // the newline
		}
		if isFenceLine(l, "---") || isFenceLine(l, "...") {
			return src[start:off], src[next:], line + 1, true, false
		}
		off = next
		line++
	}
	return nil, src, 1, false, true
}

// cutLine returns the first line of b without its line ending, the rest
// after it, and whether there was a line at all.
func cutLine(b []byte) (line, rest []byte, ok bool) {
	if len(b) == 0 {
		return nil, nil, false
	}
	i := bytes.IndexByte(b, '\n')
	if i < 0 {
		return b, nil, true
	}
	return bytes.TrimSuffix(b[:i], []byte("\r")), b[i+1:], true
}

func isFenceLine(l []byte, fence string) bool {
	return string(bytes.TrimRight(l, " \t\r")) == fence
}

var yamlLine = regexp.MustCompile(`line (\d+)`)

// yamlIssue turns a YAML error into an issue at the right line of the file:
// firstLine is the file line where the YAML text starts.
func yamlIssue(file string, firstLine int, code string, err error) ota.Issue {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := firstLine
	if m := yamlLine.FindStringSubmatchIndex(msg); m != nil {
		if n, e := strconv.Atoi(msg[m[2]:m[3]]); e == nil && n > 0 {
			line = firstLine + n - 1
			msg = strings.TrimSpace(strings.TrimPrefix(msg[:m[0]]+msg[m[1]:], ":"))
		}
	}
	return ota.Issue{Pointer: file, Line: line, Code: code, Severity: ota.Warning,
		Message: "the YAML does not parse (" + msg + "); fix its syntax"}
}

// parseYAMLMap parses a YAML document that must be a mapping and returns
// its key and value nodes in order (aliases resolved one level). A
// document that is empty gives no pairs and no error.
func parseYAMLMap(b []byte) ([][2]*yaml.Node, *yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, nil, err
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, nil, nil
	}
	root := deref(doc.Content[0])
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return nil, nil, nil
	}
	if root.Kind != yaml.MappingNode {
		return nil, root, nil
	}
	var out [][2]*yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		out = append(out, [2]*yaml.Node{deref(root.Content[i]), deref(root.Content[i+1])})
	}
	return out, root, nil
}

func deref(n *yaml.Node) *yaml.Node {
	for range 8 {
		if n == nil || n.Kind != yaml.AliasNode || n.Alias == nil {
			break
		}
		n = n.Alias
	}
	return n
}

// scalar returns a scalar node's text; ok is false for other nodes. A
// null scalar gives "" and true.
func scalar(n *yaml.Node) (string, bool) {
	if n == nil || n.Kind != yaml.ScalarNode {
		return "", false
	}
	if n.Tag == "!!null" {
		return "", true
	}
	return n.Value, true
}

// stringList returns the scalars of a sequence, or the items of a
// comma-separated scalar when commaList is set. ok is false when the node
// is neither.
func stringList(n *yaml.Node, commaList bool) ([]string, bool) {
	if s, ok := scalar(n); ok {
		if s == "" {
			return nil, true
		}
		if !commaList {
			return []string{strings.TrimSpace(s)}, true
		}
		var out []string
		for _, p := range strings.Split(s, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
		return out, true
	}
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil, false
	}
	var out []string
	for _, c := range n.Content {
		s, ok := scalar(deref(c))
		if !ok {
			return nil, false
		}
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out, true
}

// parseFrontMatter reads the keys OTA uses from a page's front matter:
// title, teaching and exercises (minutes) and lang. Other keys are
// ignored. firstLine is the file line where the YAML starts.
func parseFrontMatter(file string, b []byte, firstLine int) (frontMatter, []ota.Issue) {
	var fm frontMatter
	var issues []ota.Issue
	pairs, root, err := parseYAMLMap(b)
	if err != nil {
		return fm, []ota.Issue{yamlIssue(file, firstLine, "lesson.frontmatter.invalid", err)}
	}
	if root != nil && root.Kind != yaml.MappingNode {
		return fm, []ota.Issue{{Pointer: file, Line: firstLine, Code: "lesson.frontmatter.invalid", Severity: ota.Warning,
			Message: "the front matter is not a YAML mapping; write key: value lines such as \"title: Introduction\""}}
	}
	bad := func(k *yaml.Node, what string) {
		issues = append(issues, ota.Issue{Pointer: file, Line: firstLine + k.Line - 1, Code: "lesson.frontmatter.type", Severity: ota.Warning,
			Message: "front matter key " + strconv.Quote(k.Value) + " should be " + what + "; it is ignored"})
	}
	for _, kv := range pairs {
		k, v := kv[0], kv[1]
		switch k.Value {
		case "title":
			if s, ok := scalar(v); ok {
				fm.title = strings.Join(strings.Fields(s), " ")
			} else {
				bad(k, "a string")
			}
		case "teaching", "exercises":
			s, ok := scalar(v)
			n, err := strconv.Atoi(strings.TrimSpace(s))
			if !ok || err != nil || n < 0 || n > 100000 {
				if s != "" || !ok {
					bad(k, "a whole number of minutes")
				}
				continue
			}
			if k.Value == "teaching" {
				fm.teaching = n
			} else {
				fm.exercises = n
			}
		case "lang":
			if s, ok := scalar(v); ok {
				fm.lang = strings.TrimSpace(s)
			}
		}
	}
	return fm, issues
}
