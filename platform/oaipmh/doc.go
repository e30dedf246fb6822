// Package oaipmh serves and harvests OTA catalogues over OAI-PMH 2.0, the
// Open Archives Initiative Protocol for Metadata Harvesting that OER
// repositories and library harvesters speak.
//
// [Handler] is an http.Handler answering the six verbs (Identify,
// ListMetadataFormats, ListSets, ListIdentifiers, ListRecords, GetRecord)
// over a [Repository]: a hub's store, or [NewCatalogueRepository] over a
// loaded catalogue. Records are disseminated in three formats:
//
//   - oai_dc ([PrefixDC]): simple Dublin Core, which every harvester reads;
//   - lom ([PrefixLOM]): IEEE LOM in its XML binding (the lom.xsd of SCORM
//     2004), with alignments as classifications as SCORM manifests carry
//     them;
//   - ota ([PrefixOTA]): the whole OTA document, canonical JSON inside one
//     XML element, so that one OTA hub harvesting another loses nothing.
//
// Lists are paged with resumption tokens that are opaque, signed with an
// HMAC key (a token changed by the harvester is refused as
// badResumptionToken) and hold the position of the last record sent, not an
// offset, so records added while a harvester pages through a list neither
// repeat nor shift the pages; the list's upper date bound is fixed when the
// list starts. from and until take dates or date-times in UTC ("Z") at the
// seconds granularity Identify declares.
//
// [Client] is the harvesting side: an iterator over ListRecords or
// ListIdentifiers that follows resumption tokens, with size limits on every
// response, for hubs harvesting other repositories.
package oaipmh

// The metadata formats a [Handler] disseminates.
const (
	// PrefixDC is the metadataPrefix of simple Dublin Core.
	PrefixDC = "oai_dc"
	// PrefixLOM is the metadataPrefix of IEEE LOM.
	PrefixLOM = "lom"
	// PrefixOTA is the metadataPrefix of the full OTA document.
	PrefixOTA = "ota"
)

// Namespaces and schemas of the protocol and the formats.
const (
	// NSOAI is the namespace of OAI-PMH 2.0 responses.
	NSOAI = "http://www.openarchives.org/OAI/2.0/"
	// SchemaOAI is the location of the OAI-PMH 2.0 schema.
	SchemaOAI = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
	// NSDC is the namespace of the oai_dc container element.
	NSDC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
	// SchemaDC is the location of the oai_dc schema.
	SchemaDC = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
	// NSDCElements is the namespace of the Dublin Core elements.
	NSDCElements = "http://purl.org/dc/elements/1.1/"
	// NSLOM is the namespace of IEEE LOM's XML binding.
	NSLOM = "http://ltsc.ieee.org/xsd/LOM"
	// SchemaLOM is the location of the LOM schema.
	SchemaLOM = "http://ltsc.ieee.org/xsd/lomv1.0/lom.xsd"
	// NSOTA is the namespace of the element that carries an OTA document.
	NSOTA = "https://w3id.org/ota/oai/1.0"
	// SchemaOTA is the location of its schema (docs/schema/ota-oai.xsd).
	SchemaOTA = "https://metaacademy.github.io/ota/schema/ota-oai-1.0.xsd"
)
