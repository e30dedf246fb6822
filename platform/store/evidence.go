package store

// Evidence is what the hub records of why two assets overlap: the JSON a
// harvest stores in Overlap.Evidence, from catalogue.Overlap.
type Evidence struct {
	// Alignments are the framework nodes both are aligned to, when both
	// have alignments.
	Alignments *NodeEvidence `json:"alignments,omitempty"`
	// Title, Keywords and Objectives are the words both share, when both
	// have text of that kind.
	Title      *TextEvidence `json:"title,omitempty"`
	Keywords   *TextEvidence `json:"keywords,omitempty"`
	Objectives *TextEvidence `json:"objectives,omitempty"`
}

// NodeEvidence is the shared alignments of an overlap.
type NodeEvidence struct {
	Similarity float64      `json:"similarity"`
	Shared     []SharedNode `json:"shared"`
}

// SharedNode is one framework node two assets are both aligned to.
type SharedNode struct {
	Framework string `json:"framework"`
	Code      string `json:"code"`
}

// TextEvidence is the shared words of one kind of text.
type TextEvidence struct {
	Similarity float64  `json:"similarity"`
	Language   string   `json:"language,omitempty"`
	Shared     []string `json:"shared"`
}
