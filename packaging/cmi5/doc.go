// Package cmi5 reads and writes cmi5 course structures (cmi5.xml) and
// packages, maps them to and from OTA asset trees, and builds the
// statements of cmi5 sessions.
//
// Import: [Open] reads a package from a zip in an io.ReaderAt, [OpenFS] from
// a folder tree and [OpenFile] from a zip, a folder or a standalone
// cmi5.xml at a path, each into a [Package] (the [Course], its asset tree,
// its files); [Parse] reads a course structure alone from a stream. All
// check the rules
// the XML Schema cannot express (unique and absolute IRIs, URLs,
// vocabularies, mastery scores, objective references, language tags) and
// report them as [ota.Issue] values with codes starting with "cmi5." and
// pointers such as "courseStructure/block[0]/au[1]". [Course.Asset] maps
// the course to an asset tree: the course to a course, blocks to modules
// and AUs to lessons (or assessments), keeping the cmi5 specifics under
// [ExtensionIRI].
//
// Extensions — elements and attributes in other namespaces, which the XML
// Schema allows on most elements — are kept as read on the element that
// holds them ([Extensions]), carried in the [Ext] of its asset, and
// written back where they were: nothing a course structure holds in its
// extensions is lost through import and export.
//
// Export: [FromAsset] maps an asset tree back to a [Course] (assets
// with parts become blocks, leaves with a launch resource AUs; what cmi5
// cannot carry is reported as losses), [Course.Write] writes it as
// cmi5.xml, token by token, valid against the cmi5 XML Schema, and
// [Export] (and [ExportContext], [ExportFile]) write a deterministic package: cmi5.xml first,
// then the content the tree's resources name. A tree imported from cmi5
// exports to the course it came from (cmi5 → model → cmi5 → model gives
// the same model). Content that is not already an AU is launched through
// the package's own launch page, [LaunchPage], which does the AU's part of
// cmi5 for it: it reads the launch parameters, fetches the auth token,
// reads LMS.LaunchData, and sends initialized, completed, passed or failed
// (when the content posts a score) and terminated.
//
// The AU side in Go: [ParseLaunchURL] reads the launch parameters
// (endpoint, fetch, actor, registration, activityId), [ParseLaunchData]
// the LMS.LaunchData document, and a [Session] builds the cmi5-defined
// statements (initialized, completed, passed, failed, terminated, and the
// LMS's launched, satisfied, abandoned and waived) with the cmi5 context:
// the context template, the cmi5 and moveOn categories, the session id and
// mastery score extensions. [CheckStatements] checks a registration's
// statement sequence against the cmi5 rules.
//
// The parser reads the XML as a bounded token stream by namespace URI and
// refuses DOCTYPEs that declare entities.
package cmi5
