// Package casepkg reads and writes competency frameworks
// ([framework.Framework]) as 1EdTech CASE 1.1 packages (Competencies and
// Academic Standards Exchange).
//
// Frameworks published in 1EdTech CASE 1.1 (Competencies and Academic
// Standards Exchange) are read with [Read] and written with [Write],
// as the JSON a CASE provider serves for getCFPackage: a CFPackage object
// with a CFDocument, CFItems, CFAssociations, CFDefinitions and CFRubrics.
// The mapping, in both directions:
//
//   - CFDocument ↔ Framework: uri ↔ ID, title ↔ Title, description ↔
//     Description, publisher (else creator) ↔ Publisher, version ↔ Version,
//     language ↔ Language, officialSourceURL ↔ Source, lastChangeDateTime
//     ↔ Modified, notes ↔ Notes, licenseURI and its CFLicense ↔ License.
//   - CFItem ↔ Node: humanCodingScheme ↔ Code, uri ↔ ID, CFItemType (and
//     the typeCode of its CFItemType definition) ↔ Kind, abbreviatedStatement
//     and fullStatement ↔ Name and Description (a node with a description
//     is written as abbreviatedStatement = name, fullStatement =
//     description; one without as fullStatement = name), alternativeLabel ↔
//     the first of AltNames, language ↔ the language tag of the texts. An
//     item without a humanCodingScheme gets its identifier as code and is
//     marked Unofficial; a node without an ID is written with the uri
//     "urn:uuid:" and its identifier.
//   - isChildOf ↔ Parent: the first isChildOf of an item gives its parent
//     (a destination that is the CFDocument makes a top-level node) and the
//     sequenceNumbers order siblings; further isChildOf ↔ ChildOf;
//     precedes ↔ Precedes; isRelatedTo ↔ Related; exactMatchOf ↔ ExactMatch.
//     CASE has no close, broad or narrow match: those are written as
//     isRelatedTo with the OTA type in the OTA extension, and read back from
//     it or from the extension types "ext:closeMatch", "ext:broadMatch" and
//     "ext:narrowMatch". isPeerOf, isPartOf, replacedBy, exemplar,
//     isTranslationOf and other extension types have no OTA equivalent.
//   - Scale ↔ items: each Scale is written as an item of type "Proficiency
//     Scale" under the document and each Level as an item of type
//     "Proficiency Level" under its scale. When reading, items of those
//     types, items that are the destination of a hasSkillLevel association
//     and the items grouping them become scales and levels instead of nodes.
//
// Identifiers are UUIDs derived from the framework ID and codes with
// [asset.DeriveID] (UUIDv5), so writing the same framework twice gives the
// same bytes; the identifiers of a package that was read are kept under
// [ExtCASE] and written back. What CASE has and OTA does not model
// (CFRubrics, CFConcepts, CFSubjects, educationLevel, statusStartDate…) is
// reported as an [ota.Loss] when reading; what OTA has and CASE cannot say
// (texts in several languages, unofficial codes, unconfirmed names…) is
// reported as a loss when writing and kept in the [ExtOTA] extension, so
// that OTA reads its own CASE output back unchanged. Items and associations
// are written without CFDocumentURI, which the CFPackage binding of CASE 1.1
// does not allow inside a package; Read accepts it.
package casepkg
