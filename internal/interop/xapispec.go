package interop

import (
	"encoding/json"
	"fmt"
)

// specSkeleton is a minimal valid statement that fragments of the xAPI
// specification are placed into.
const specSkeleton = `{"actor": {"mbox": "mailto:learner@example.org"},
 "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
 "object": {"id": "https://example.org/activities/skeleton"}}`

// XAPISpecStatement returns an example of the xAPI 1.0.3 specification
// (a file of ../shared/reference/xapi/spec-1.0.3-examples, of the kind
// its index.json gives) as a statement: a statement as it is, a fragment
// (an activity, an agent, an interaction definition, …) placed into a
// minimal valid statement. It returns nil for what is not statement data
// (a JWS header), and an error when raw is not a JSON object.
func XAPISpecStatement(kind string, raw []byte) ([]byte, error) {
	var st, v map[string]any
	if err := json.Unmarshal([]byte(specSkeleton), &st); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, fmt.Errorf("a %s example: %w", kind, err)
	}
	switch kind {
	case "statement":
		return raw, nil
	case "substatement", "activity":
		st["object"] = v
	case "agent-or-group":
		st["actor"] = v
	case "verb":
		st["verb"] = v
	case "context-activities":
		st["context"] = map[string]any{"contextActivities": v}
	case "authority":
		st["authority"] = v["authority"]
	case "interaction-definition":
		st["object"] = map[string]any{"id": "https://example.org/activities/q1", "definition": v["definition"]}
	case "correct-responses-pattern":
		// The spec shows the pattern syntax on its own; an interaction
		// needs an interactionType, so "other" is supplied.
		v["interactionType"] = "other"
		st["object"] = map[string]any{"id": "https://example.org/activities/q1", "definition": v}
	default: // jws-header: a JWS header, not xAPI data
		return nil, nil
	}
	return json.Marshal(st)
}
