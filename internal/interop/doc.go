// Package interop holds test helpers that judge what the library exports with
// third-party tools, for tests anywhere in the repository:
//
//   - [Reference] finds the read-only reference material in
//     ../shared/reference (packages, XSDs, cmi5 examples) beside the
//     repository, and skips the test when it is absent.
//   - [XMLLint] validates an XML file with libxml2's xmllint and the official
//     XSDs; [SCORMSchema] and [CMI5Schema] name the schemas for SCORM 1.2,
//     SCORM 2004 3rd and 4th Edition manifests and cmi5 course structures.
//   - [Browser.RunSCORM] launches every SCO of an unpacked SCORM package in
//     headless Chromium against scorm-again, a third-party SCORM runtime, and
//     reports every API call ([SCORun.Problems] says why a SCO fails the bar);
//     [Browser.Open] opens a loopback URL (a cmi5 AU launch page, say) and
//     reports what the page did. Both run Node scripts of this folder
//     (scorm-run.mjs, browse.mjs) with the packages of package.json, which
//     `npm ci` installs here.
//
// Missing tools make a test skip with a message saying how to install them,
// except under CI (the CI environment variable set), where .ci/run installs
// them and a missing tool fails the test. Nothing here is shipped; see
// README.md in this folder.
package interop
