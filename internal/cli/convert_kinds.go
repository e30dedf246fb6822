package cli

import (
	"fmt"
	"strings"
)

// targetNames names the output formats in messages.
var targetNames = map[string]string{
	"json": "an OTA document", "ota": "an OTA bundle", "cmi5": "a cmi5 course",
	"scorm12": "a SCORM package", "scorm2004-3": "a SCORM package", "scorm2004-4": "a SCORM package",
}

// kindNames names the input kinds in messages.
var kindTitles = map[string]string{
	"case": "a CASE framework", "ota": "an OTA document", "bundle": "an OTA bundle", "scorm": "a SCORM package",
	"cmi5": "a cmi5 course", "lesson": "a lesson", "xapi": "xAPI statements",
}

// notAnAssetTree refuses to convert an input that was read but holds no
// asset tree (a CASE framework): exit 2, one line saying so.
func notAnAssetTree(env *Env, src string, in *input, to string) int {
	what := "the input"
	if in != nil && in.kind != nil {
		what = kindTitles[in.kind.name]
	}
	fmt.Fprintf(env.Stderr, "ota convert: %s: %s cannot become %s; it holds no asset tree\n",
		displayPath(src), capitalised(what), targetNames[to])
	return ExitUsage
}

func capitalised(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
