package oaipmh_test

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/metaacademy/ota/catalogue"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/platform/oaipmh"
)

func ExampleNewHandler() {
	cat := &catalogue.Catalogue{}
	cat.Add("Statistics Canada", &asset.Asset{
		ID: "https://example.org/courses/sampling", Kind: asset.KindCourse, Modified: "2025-03-01",
		Title:      asset.LangString{"en": "Sampling for surveys", "fr": "L'échantillonnage"},
		Languages:  []string{"en"},
		License:    "CC-BY-4.0",
		Alignments: []asset.Alignment{{Framework: "gsbpm", Version: "5.2", Code: "4.1"}},
	})
	repo := oaipmh.NewCatalogueRepository(cat, oaipmh.CatalogueOptions{Name: "Example", AdminEmails: []string{"oai@example.org"}})
	h := oaipmh.NewHandler(repo, oaipmh.HandlerOptions{
		BaseURL: "https://example.org/oai",
		Now:     func() time.Time { return time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC) },
	})
	args := url.Values{"verb": {"GetRecord"}, "metadataPrefix": {"oai_dc"}, "identifier": {"https://example.org/courses/sampling"}}
	body, err := h.Respond(context.Background(), args, "https://example.org/oai")
	if err != nil {
		panic(err)
	}
	fmt.Print(string(body))
	// Output:
	// <?xml version="1.0" encoding="UTF-8"?>
	// <OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/ http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd">
	//   <responseDate>2025-06-01T12:00:00Z</responseDate>
	//   <request verb="GetRecord" identifier="https://example.org/courses/sampling" metadataPrefix="oai_dc">https://example.org/oai</request>
	//   <GetRecord>
	//     <record>
	//       <header>
	//         <identifier>https://example.org/courses/sampling</identifier>
	//         <datestamp>2025-03-01T00:00:00Z</datestamp>
	//         <setSpec>framework:gsbpm:4.1</setSpec>
	//         <setSpec>kind:course</setSpec>
	//         <setSpec>publisher:statistics-canada</setSpec>
	//       </header>
	//       <metadata>
	//         <oai_dc:dc xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/oai_dc/ http://www.openarchives.org/OAI/2.0/oai_dc.xsd">
	//           <dc:title xml:lang="en">Sampling for surveys</dc:title>
	//           <dc:title xml:lang="fr">L'échantillonnage</dc:title>
	//           <dc:subject>GSBPM 5.2 4.1 Create frame and select sample</dc:subject>
	//           <dc:date>2025-03-01</dc:date>
	//           <dc:type>InteractiveResource</dc:type>
	//           <dc:type>course</dc:type>
	//           <dc:identifier>https://example.org/courses/sampling</dc:identifier>
	//           <dc:language>en</dc:language>
	//           <dc:rights>CC-BY-4.0</dc:rights>
	//           <dc:rights>https://creativecommons.org/licenses/by/4.0/</dc:rights>
	//         </oai_dc:dc>
	//       </metadata>
	//     </record>
	//   </GetRecord>
	// </OAI-PMH>
}
