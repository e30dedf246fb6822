package mapping_test

import (
	"fmt"
	"os"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/mapping"
)

func ExampleRegistry_Lookup() {
	r := mapping.Default()
	fmt.Println(r.Versions("gsbpm"))

	fw, _ := r.Lookup("gsbpm", "") // the newest version
	n := fw.Node("7.3")
	fmt.Printf("%s %s: %s %s (was %q)\n", r.Label("gsbpm", ""), n.Code, n.Kind, n.Name, n.PreviousName)

	old, _ := r.Lookup("http://id.unece.org/activities/gsbpm", "5.1") // by IRI
	fmt.Println(old.Version, old.Node("7.3").Name)

	for _, fw := range r.List() {
		fmt.Printf("%-10s %-6s %2d nodes  %s\n", fw.Key, fw.Version, len(fw.Nodes), fw.ID)
	}
	// Output:
	// [5.1 5.2]
	// GSBPM 5.2 7.3: subprocess Release dissemination products (was "Manage release of dissemination products")
	// 5.1 Manage release of dissemination products
	// digcomp    2.2    26 nodes  https://w3id.org/ota/frameworks/digcomp
	// gamso      1.2    21 nodes  http://id.unece.org/activities/gamso
	// gsbpm      5.1    58 nodes  http://id.unece.org/activities/gsbpm
	// gsbpm      5.2    58 nodes  http://id.unece.org/activities/gsbpm
	// un-bigdata ota-1   9 nodes  https://w3id.org/ota/frameworks/un-bigdata
}

func ExampleCheckAlignments() {
	course := &asset.Asset{
		ID:    "urn:uuid:6f1c2b9e-3a57-4c1e-9d3b-2f4b8a1c0e11",
		Kind:  asset.KindCourse,
		Title: asset.LangString{"en": "Data editing for official statistics"},
		Alignments: []asset.Alignment{
			{Framework: "gsbpm", Version: "5.2", Code: "5.4"},
			{Framework: "gsbpm", Code: "7.3"},
		},
		Parts: []asset.Asset{{
			ID:    "urn:uuid:0b9e1d57-8c2a-4f6e-a1d3-5e7f9b2c4d60",
			Kind:  asset.KindLesson,
			Title: asset.LangString{"en": "Selective editing"},
			Objectives: []asset.Objective{{
				ID:   "obj-1",
				Text: asset.LangString{"en": "Rank records by their impact on estimates."},
				Alignments: []asset.Alignment{
					{Framework: "gsbpm", Version: "5.2", Code: "5.9"},
					{Framework: "digcomp", Code: "1.2", Level: "9"},
				},
			}},
		}},
	}
	rep := mapping.CheckAlignments(course)
	for _, is := range rep.Issues {
		fmt.Println(is.Error())
	}
	// Output:
	// warning mapping.alignment.name-changed at /alignments/1/version: GSBPM 7.3 is "Release dissemination products" in GSBPM 5.2 but "Manage release of dissemination products" in GSBPM 5.1, and the alignment states no version; add "version" to say which one you mean
	// error mapping.alignment.unknown-code at /parts/0/objectives/0/alignments/0/code: code "5.9" is not a node of GSBPM 5.2; did you mean "5.8" (Finalise data files) or "5.7" (Calculate aggregates)?
	// error mapping.alignment.unknown-level at /parts/0/objectives/0/alignments/1/level: level "9" is not on the scale of DigComp 2.2; use one of 1, 2, 3, 4, 5, 6, 7, 8
}

func ExampleNewCoverage() {
	lesson := func(id, code string, rel asset.AlignmentRelation) *asset.Asset {
		return &asset.Asset{ID: id, Kind: asset.KindLesson, Alignments: []asset.Alignment{
			{Framework: "gsbpm", Version: "5.2", Code: code, Relation: rel},
		}}
	}
	catalogue := []mapping.Entry{
		{Asset: lesson("urn:x:edit", "5.4", asset.Teaches), Publisher: "Statistics Canada"},
		{Asset: lesson("urn:x:validate", "5.3", asset.Teaches), Publisher: "ISTAT"},
		{Asset: lesson("urn:x:quiz", "5.3", asset.Assesses), Publisher: "ISTAT"},
		{Asset: lesson("urn:x:sdc", "6.4", asset.Requires), Publisher: "ISTAT"},
	}
	cov, err := mapping.Default().Coverage("gsbpm", "", catalogue, mapping.CoverageOptions{})
	if err != nil {
		panic(err)
	}
	for _, code := range []string{"5", "5.3", "5.4", "6", "6.4"} {
		n := cov.Nodes[cov.NodeIndex(code)]
		fmt.Printf("%-3s %-22s assets %d  teaches %v assesses %v requires %v  gap %v\n",
			n.Code, n.Name, n.Assets, n.Total.Teaches, n.Total.Assesses, n.Total.Requires, n.Gap())
	}
	fmt.Printf("leaves covered: %d of %d; phases with no coverage: %v\n", cov.LeavesCovered, cov.Leaves, cov.Gaps.Parents)
	for _, p := range cov.Publishers {
		fmt.Printf("%s: %v (%.0f%%)\n", p.Publisher, p.Covered, 100*p.Fraction)
	}
	if err := cov.WriteCellsCSV(os.Stdout); err != nil {
		panic(err)
	}
	// Output:
	// 5   Process                assets 3  teaches 2 assesses 1 requires 0  gap false
	// 5.3 Review and validate    assets 2  teaches 1 assesses 1 requires 0  gap false
	// 5.4 Edit and impute        assets 1  teaches 1 assesses 0 requires 0  gap false
	// 6   Analyse                assets 0  teaches 0 assesses 0 requires 1  gap true
	// 6.4 Apply disclosure control assets 0  teaches 0 assesses 0 requires 1  gap true
	// leaves covered: 2 of 50; phases with no coverage: [1 2 3 4 6 7 8]
	// ISTAT: [5.3] (2%)
	// Statistics Canada: [5.4] (2%)
	// asset,publisher,code,teaches,assesses,requires
	// urn:x:edit,Statistics Canada,5.4,1,0,0
	// urn:x:validate,ISTAT,5.3,1,0,0
	// urn:x:quiz,ISTAT,5.3,0,1,0
	// urn:x:sdc,ISTAT,6.4,0,0,1
}

func ExampleCoverageBuilder() {
	// A catalogue read one asset tree at a time, as from a large file or a
	// database cursor: each tree can be dropped once it has been added.
	next := func(i int) mapping.Entry {
		codes := []string{"5.3", "5.4", "7.5", "OA-QM"}
		pubs := []string{"ISTAT", "Statistics Canada"}
		return mapping.Entry{
			Asset: &asset.Asset{
				ID: fmt.Sprintf("urn:x:lesson:%d", i), Kind: asset.KindLesson,
				Alignments: []asset.Alignment{{Framework: "gsbpm", Code: codes[i%len(codes)]}},
			},
			Publisher: pubs[i%len(pubs)],
		}
	}
	b, err := mapping.Default().CoverageBuilder("gsbpm", "", mapping.CoverageOptions{Totals: true})
	if err != nil {
		panic(err)
	}
	for i := range 1000 {
		b.Add(next(i))
	}
	cov := b.Coverage()

	fmt.Printf("%d assets, %d in the matrix\n", cov.AssetCount(), len(cov.Assets))
	for _, code := range []string{"5", "5.3", "7.5", "8"} {
		n := cov.Nodes[cov.NodeIndex(code)]
		fmt.Printf("%-3s %-28s assets %d\n", n.Code, n.Name, n.Assets)
	}
	fmt.Printf("leaves covered: %d of %d\n", cov.LeavesCovered, cov.Leaves)
	for _, p := range cov.Publishers {
		fmt.Printf("%s: %d assets, %v\n", p.Publisher, p.Assets, p.Covered)
	}
	// Output:
	// 1000 assets, 0 in the matrix
	// 5   Process                      assets 500
	// 5.3 Review and validate          assets 250
	// 7.5 Provide user support         assets 250
	// 8   Evaluate                     assets 0
	// leaves covered: 4 of 50
	// ISTAT: 500 assets, [5.3 7.5]
	// Statistics Canada: 500 assets, [5.4 OA-QM]
}
