package cmi5

import (
	"testing"

	"github.com/metaacademy/ota/internal/imported"
)

// TestExtensionIRI: the exported IRI, spelled out so that go doc shows
// it, is the one the other packages read through internal/imported.
func TestExtensionIRI(t *testing.T) {
	if ExtensionIRI != imported.CMI5Extension {
		t.Errorf("ExtensionIRI is %q, internal/imported says %q", ExtensionIRI, imported.CMI5Extension)
	}
}
