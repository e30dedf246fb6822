// Package lrmi writes OTA assets as schema.org JSON-LD with the LRMI
// (Learning Resource Metadata Initiative) terms, in the AMB profile that OER
// search services such as OERSI harvest, and that training catalogues such
// as ELIXIR TeSS read from web pages.
//
// [Marshal] writes one asset as a LearningResource (and a Course for
// programmes and courses): its texts per language, licence, contributors,
// durations, dates, framework alignments as teaches / assesses /
// competencyRequired with DefinedTerm nodes of their frameworks and as
// educationalAlignment, lineage as isBasedOn, parts as hasPart, and
// downloads as encoding. The output validates against the AMB JSON Schema
// (version 2023-10-19): its @context is AMB's context, then an object with
// the document's @language, then OTA's few added terms when needed (see
// [TermNameByLanguage]); AMB allows added terms, and each one is another
// name for a schema.org property. The report says what schema.org or the
// profile cannot carry.
package lrmi
