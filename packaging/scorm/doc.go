// Package scorm reads SCORM 1.2 and SCORM 2004 (2nd, 3rd and 4th edition)
// content packages and writes SCORM 1.2, 2004 3rd and 2004 4th Edition
// ones.
//
// [Open] (a zip in an io.ReaderAt), [OpenFS] (a folder tree) and
// [OpenFile] (a zip or a folder at a path) check the archive or folder as
// hostile input (through package [archive], whose [archive.Limits] the
// [Options] embed: no path leaves the package, no links, size and ratio
// caps), find imsmanifest.xml at the root or, with a
// warning, in one sub-folder, and parse it as a token stream by namespace
// URI with caps on size and depth. DOCTYPE declarations that declare
// entities are refused, so entity expansion cannot happen.
//
// The result is a [Package]: the faithful manifest (organizations, nested
// items, resources, files, dependencies, metadata) with every launch URL
// resolved (xml:base chain, href, item parameters). Sequencing, shared
// data maps, navigation presentation and any element this package does
// not model are kept as raw [xmlnode.Node] trees, so nothing is dropped.
// Reference checks the XSDs cannot make (default organization,
// identifierref, launched resources with an href, listed files present)
// and the known real-world deviations are reported as [ota.Issue]s with
// stable "scorm.*" codes and manifest-path pointers such as
// "manifest/organizations/organization[0]/item[2]".
//
// Opening also converts the package into an [asset.Asset] tree, which
// [Package.Asset] returns, the package's files being [Package.Content]:
// organization → course, aggregating items → modules, leaf items →
// lessons (SCO) or activities (asset). IDs are derived with
// [asset.DeriveID]("scorm", manifest identifier, item identifier), so
// importing twice gives the same output; what the model cannot hold is
// kept in the extension [ExtensionIRI].
//
// [FromAsset] goes the other way, from an asset tree to a [Package] for a
// target version, and [Package.WriteManifest] writes imsmanifest.xml token
// by token with fixed prefixes (the content-packaging namespace as the
// default; adlcp, adlseq, adlnav, imsss, lom or imsmd). [Export] (and
// [ExportContext], [ExportFile]) write the whole package as a
// deterministic zip. A tree
// imported from SCORM gets back what it was: identifiers, SCOs and assets,
// parameters, ADL item elements, sequencing and LOM records, converted
// where the target version differs (masteryscore ↔ the primary
// objective's minimum measure, maxtimeallowed ↔ attemptAbsoluteDurationLimit,
// the two completionThreshold forms), and what the target cannot carry is
// reported as a loss. Other content is made a SCO by a small launch page
// of this package (ota-scorm/launch.html), which finds the LMS API,
// records completion when the content has been shown and a score the
// content posts, and terminates when the learner leaves; the same page
// can show a whole course as one SCO ([ExportOptions.SingleSCO]). A
// third-party SCO exported to the other SCORM family runs behind an API
// adapter (ota-scorm/adapter.html) that offers it the API it was written
// for.
package scorm
