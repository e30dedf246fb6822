package scorm

import (
	"strings"

	"github.com/metaacademy/ota/packaging/xmlnode"
)

// Namespace URIs read by this package.
const (
	// NSCP12 is the IMS CP 1.1.2 namespace of SCORM 1.2 manifests.
	NSCP12 = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
	// NSCP2004 is the IMS CP 1.1.4 namespace of SCORM 2004 manifests.
	NSCP2004 = "http://www.imsglobal.org/xsd/imscp_v1p1"
	// NSADLCP12 is the ADL CP namespace of SCORM 1.2.
	NSADLCP12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
	// NSADLCP2004 is the ADL CP namespace of SCORM 2004.
	NSADLCP2004 = "http://www.adlnet.org/xsd/adlcp_v1p3"
	// NSADLSeq is the ADL sequencing namespace of SCORM 2004.
	NSADLSeq = "http://www.adlnet.org/xsd/adlseq_v1p3"
	// NSADLNav is the ADL navigation namespace of SCORM 2004.
	NSADLNav = "http://www.adlnet.org/xsd/adlnav_v1p3"
	// NSIMSSS is the IMS Simple Sequencing namespace.
	NSIMSSS = "http://www.imsglobal.org/xsd/imsss"
	// NSLOM is the IEEE LOM namespace used by SCORM 2004.
	NSLOM = "http://ltsc.ieee.org/xsd/LOM"
	// NSIMSMD is the IMS metadata namespace used by SCORM 1.2.
	NSIMSMD = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"
)

// cpSpaces are the namespaces accepted for content-packaging elements; ""
// accepts manifests that forgot their namespace.
var cpSpaces = []string{NSCP12, NSCP2004, ""}

// adlcpSpaces are the namespaces accepted for ADL CP elements and
// attributes.
var adlcpSpaces = []string{NSADLCP12, NSADLCP2004}

func isCP(n *xmlnode.Node) bool    { return contains(cpSpaces, n.Space) }
func isADLCP(n *xmlnode.Node) bool { return contains(adlcpSpaces, n.Space) }

// isLOMSpace reports whether space is a LOM binding: IEEE LOM or any IMS
// metadata namespace.
func isLOMSpace(space string) bool {
	return space == NSLOM || strings.HasPrefix(space, "http://www.imsglobal.org/xsd/imsmd")
}
