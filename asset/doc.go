// Package asset is the core of the OTA (Open Training Asset) standard: the
// [Asset] record that describes training of any size — programme, course,
// module, lesson, activity, assessment or resource — with its multilingual
// text, licence, provenance, learning objectives, alignments to competency
// and capability frameworks, prerequisites, parts and files.
//
// An asset tree is serialised as an OTA document: canonical JSON whose root
// object is the root asset plus the member "ota" giving the format version
// (see [FormatVersion] and docs/spec/asset.md). [Read] decodes a document
// strictly — duplicate keys, invalid UTF-8 and oversized or over-deep input
// are refused; unknown members are reported as warnings and kept — and
// [Write] encodes one deterministically, so the same model always gives the
// same bytes. [Check] and [Validate] apply every rule of the format and
// return all issues at once as [ota.Issue] values.
//
// Every codec under packaging converts to and from this model; the helpers
// here ([Asset.Walk], [Asset.Find], [Asset.Leaves], [Asset.TotalDuration],
// [Asset.Clone], [DeriveID]) are what they share.
package asset

// The JSON Schema of OTA documents is generated from the types of this
// package by internal/schemagen and published in docs/schema (package
// github.com/metaacademy/ota/docs/schema embeds it).
//go:generate go run ../internal/genschema
