// Package cmi5 reads cmi5 course structures (cmi5.xml) and turns them into
// OTA asset trees.
//
// [Parse] reads a course structure from a stream; [OpenFile] reads one
// from a zip, a folder or a standalone cmi5.xml. Both check the rules the
// XML Schema cannot express (unique and absolute IRIs, URLs, vocabularies,
// mastery scores, objective references, language tags) and report them as
// [ota.Issue] values with codes starting with "cmi5." and pointers such as
// "courseStructure/block[0]/au[1]". [Course.Asset] maps the course to an
// asset tree: the course to a course, blocks to modules and AUs to lessons
// (or assessments), keeping the cmi5 specifics under [ExtensionIRI].
//
// The AU side: [ParseLaunchURL] reads the launch parameters (endpoint,
// fetch, actor, registration, activityId), [ParseLaunchData] the
// LMS.LaunchData document, and a [Session] builds the cmi5-defined
// statements (initialized, completed, passed, failed, terminated, and the
// LMS's launched, satisfied, abandoned and waived) with the cmi5 context:
// the context template, the cmi5 and moveOn categories, the session id and
// mastery score extensions. [CheckStatements] checks a registration's
// statement sequence against the cmi5 rules.
//
// The parser reads the XML as a bounded token stream by namespace URI and
// refuses DOCTYPEs that declare entities.
package cmi5
