// Package mapping holds the reference frameworks that statistical
// organisations align their training to, and the tools to work with those
// alignments: a registry that resolves and validates them, crosswalks that
// re-express them in another framework, and coverage analysis that shows
// what a catalogue of assets covers, and where the gaps are, as Go values,
// CSV, JSON or an SVG heatmap.
//
// # Built-in frameworks
//
// [Default] returns a [Registry] holding, as *framework.Framework values
// built from data embedded in the package:
//
//   - "gsbpm" 5.1 and 5.2: the Generic Statistical Business Process Model
//     (UNECE): 8 phases, 44 sub-processes and 6 overarching processes
//     ("overarching activities" in 5.2). Phase and sub-process codes are
//     GSBPM's and are the same in both versions; names are per version, and
//     the six renamed in 5.2 carry their 5.1 name as PreviousName. GSBPM
//     numbers no overarching process, so they have OTA codes (OA-QM, OA-MM,
//     OA-DM, OA-PDM, OA-KM, OA-PM) marked Unofficial; OA-PM is "Provider
//     management" in 5.1 and "Data Supplier Management" in 5.2.
//   - "gamso" 1.2: the Generic Activity Model for Statistical
//     Organisations: 4 activity areas and 17 activities. Activities 2.3, 2.4
//     and 3.1 are marked Unconfirmed (their names could not be checked
//     against the GAMSO 1.2 text; other wordings are in AltNames). Area 4,
//     Production, is the GSBPM: it carries an exactMatch association to the
//     statistical production process of the UNECE ontology and a narrowMatch
//     to each GSBPM 5.1 phase and overarching process, from which
//     [GAMSOToGSBPM] is built.
//   - "digcomp" 2.2: the European Digital Competence Framework for
//     Citizens: 5 areas, 21 competences and the eight proficiency levels in
//     four groups, as the scale "digcomp-proficiency".
//   - "un-bigdata" version [VersionUNBigData]: the top level of the UN
//     competency framework for big data acquisition and processing: two
//     groups (the core competencies and the generic skills) and the seven
//     core areas, all with Unofficial codes.
//
// # Identifiers
//
// GSBPM and GAMSO use the IRIs of the UNECE Core Ontology for Official
// Statistics (COOS): the frameworks are the concept schemes
// http://id.unece.org/activities/gsbpm and http://id.unece.org/activities/gamso,
// and nodes are http://id.unece.org/activities/phase/5,
// …/subProcess/5.3, …/activityArea/4, …/activity/3.2 and
// …/overarchingActivity/0.1 to 0.3 (quality, metadata and data
// management). Both GSBPM versions share the scheme IRI: a framework is
// identified by ID and version together. Where no publisher IRI exists —
// the other three overarching processes, DigComp and the UN framework —
// OTA mints https://w3id.org/ota/frameworks/KEY and
// https://w3id.org/ota/frameworks/KEY/CODE.
//
// # Sources
//
// Codes and names are facts taken from the publishers' texts (GSBPM 5.1 on
// the UNECE wiki, GSBPM 5.2 at https://unece.github.io/GSBPM-5.2, GAMSO on
// the UNECE wiki and in COOS, DigComp 2.2 as JRC report EUR 31006 EN, the UN
// framework from the UN-CEBD training task team); the descriptions are
// OTA's own words. Each framework's Notes name its sources and what could
// not be confirmed.
//
// # Alignments
//
// An asset.Alignment names a framework by key ("gsbpm") or ID IRI, a
// version (empty for the newest), a code and optionally a level.
// [Registry.Resolve] finds its node and [Registry.CheckAlignments] checks
// every alignment of an asset tree, reporting unknown frameworks, versions,
// codes (with the closest codes suggested) and levels, codes OTA assigned,
// unconfirmed nodes, and version-less alignments to a node whose name
// changed between versions.
package mapping
