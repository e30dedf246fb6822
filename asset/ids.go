package asset

import (
	"strconv"
	"strings"

	"github.com/google/uuid"
)

// Namespace is the fixed UUID namespace of OTA's derived identifiers: the
// UUIDv5 of the URL "https://github.com/metaacademy/ota" in the RFC 9562 URL
// namespace. It never changes; changing it would change every derived ID.
var Namespace = uuid.MustParse("87566d0e-a902-5636-ad1a-79d8123fb27b")

// NewID returns a new random asset ID: "urn:uuid:" and a version 4 UUID.
func NewID() string { return "urn:uuid:" + uuid.NewString() }

// DeriveID returns the ID of an asset imported from a source, derived
// deterministically from the source's own identity: "urn:uuid:" and the
// UUIDv5, in [Namespace], of the parts. Importers pass what identifies the
// thing in its source format — for a SCORM item the manifest identifier and
// the item identifier; for a lesson episode the lesson's source and the
// episode's file — so that importing the same input twice gives the same
// IDs, and learner records stay attached.
//
// The parts are length-prefixed before hashing, so ("ab", "c") and
// ("a", "bc") give different IDs. The first part should name the source
// format ("scorm", "lesson", "cmi5") so that equal identifiers in different
// formats do not collide.
func DeriveID(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(strconv.Itoa(len(p)))
		b.WriteByte(':')
		b.WriteString(p)
		b.WriteByte(';')
	}
	return "urn:uuid:" + uuid.NewSHA1(Namespace, []byte(b.String())).String()
}
