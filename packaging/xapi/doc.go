// Package xapi models, reads, writes and validates xAPI statements, in
// xAPI 1.0.3 and xAPI 2.0.0 (IEEE 9274.1.1).
//
// # Model
//
// [Statement] and the types it is made of ([Actor], [Verb], [Object],
// [Activity], [Result], [Context], [Attachment], …) hold every property of
// both versions. Optional properties are zero when absent. Members a typed
// field cannot hold, such as properties xAPI does not define or values of
// the wrong JSON type, are kept verbatim in the Unknown field of the
// object they appear in, so that reading and writing a statement never
// loses anything, valid or not. Extension values are kept verbatim too
// ([Extensions]).
//
// Writing is deterministic: MarshalJSON writes members in the order of the
// specification, sorts map keys, and removes insignificant white space,
// so the same model always gives the same bytes (see encode.go for the
// details). A contextActivities value given as a single object is read as
// an array of one and written as an array, as an LRS must do.
//
// # Validation
//
// [Validate] (or a reusable [Validator]) checks one statement given as
// JSON against the version selected in [ValidateOptions] — 1.0.3 unless
// told otherwise — and reports every problem at once as [ota.Issue]
// values: the JSON Pointer and line of the value, a stable code such as
// "xapi.score.out-of-range", the ADL conformance requirement it breaks
// (such as "XAPI-00083") where there is one, and a message saying how to
// fix it. [Decode] validates and returns the model; [Statement.Check]
// validates a statement built in code. Severities can be changed per code
// with an [ota.Policy].
//
// The rules are the MUST rules of the data part of the specification:
// strict JSON (no duplicate keys, valid UTF-8), JSON types, no null outside
// extensions, no properties the specification does not define, case-exact
// keys and enumerated values, IRIs, UUIDs, RFC 5646 language tags, ISO 8601
// timestamps and durations, score ranges, mailto and SHA-1 forms,
// extension keys, objectType rules, exactly one identifier per Agent,
// Group rules (anonymous groups list their members, groups do not nest,
// an authority group is two agents), SubStatement restrictions, voiding,
// revision and platform only for Activity objects, interaction
// definitions and attachments. Some SHOULD rules are reported as
// warnings: UUIDs that are not RFC 4122 UUIDs, timestamps without a zone
// or not in RFC 3339 form (errors in 2.0), interaction components that do
// not belong to the interaction type, component ids with white space,
// sha2 values that do not look like a SHA-2 digest. Rules that need the
// state of an LRS, such as whether a voided statement exists, are not
// checked.
//
// docs/xapi-versions.md lists what differs between the two versions and
// how each rule was decided.
//
// # Versions
//
// [Version103] is the default and [Version200] is opt-in, always through
// an explicit [ValidateOptions] value. [Downgrade] converts a 2.0 statement
// for a 1.0.3 LRS and reports what it had to drop.
//
// # Related packages
//
// packaging/xapi/lrs is the client of a Learning Record Store (statements,
// attachments, documents); packaging/xapi/scormprofile turns SCORM run-time
// data into statements of the ADL SCORM profile.
package xapi
