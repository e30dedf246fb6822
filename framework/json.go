package framework

import (
	"encoding/json"
	"fmt"
	"io"
)

// WriteJSON writes f as OTA's framework JSON: the members of [Framework]
// under their JSON names, indented by two spaces, with '<', '>' and '&'
// written as themselves, and a final newline. Map members (texts in
// several languages, extensions) are written with sorted keys, so the
// same framework always gives the same bytes. json.Unmarshal into a
// Framework reads it back.
func WriteJSON(w io.Writer, f *Framework) error {
	if f == nil {
		return fmt.Errorf("framework: WriteJSON: no framework")
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(f); err != nil {
		return fmt.Errorf("framework: writing JSON: %w", err)
	}
	return nil
}
