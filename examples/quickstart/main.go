// Quickstart builds a small course in code — "Git for Official Statistics",
// the kind of lesson the Meta Academy shares between statistical offices —
// validates it, and writes its canonical OTA JSON.
//
//	go run ./examples/quickstart            # writes quickstart.ota.json in a temporary folder
//	go run ./examples/quickstart -o my.ota.json
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/metaacademy/ota/asset"
)

func main() {
	out := flag.String("o", "", "where to write the document (default: a new temporary folder)")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func run(out string) error {
	course := buildCourse()

	// Validate returns every issue at once; warnings do not make it fail.
	rep := asset.Check(&course, asset.CheckOptions{})
	for _, is := range rep.Issues {
		fmt.Println("  ", is.Error())
	}
	if err := rep.Err(); err != nil {
		return err
	}
	fmt.Printf("%q is valid: %d assets, %d leaves, %s in all, %d warnings\n",
		course.Title["en"], course.Count(), course.CountLeaves(), course.TotalDuration(), len(rep.Warnings()))

	// The canonical JSON: the same model always gives the same bytes.
	doc := asset.NewDocument(course)
	data, err := asset.Marshal(doc)
	if err != nil {
		return err
	}
	if out == "" {
		dir, err := os.MkdirTemp("", "ota-quickstart-")
		if err != nil {
			return err
		}
		out = filepath.Join(dir, "quickstart.ota.json")
	}
	if err := os.WriteFile(out, data, 0o644); err != nil {
		return err
	}

	// Read it back, as any OTA reader would, and check nothing changed.
	back, readRep, err := asset.Read(bytes.NewReader(data), asset.ReadOptions{Validate: true})
	if err != nil {
		return err
	}
	again, _ := asset.Marshal(back)
	if !bytes.Equal(again, data) || readRep.HasErrors() {
		return fmt.Errorf("round trip changed the document")
	}
	fmt.Printf("wrote %s (%d bytes, %s); read back identical\n", out, len(data), asset.MediaType)
	fmt.Printf("next: go run ./cmd/ota inspect %s\n", out)
	return nil
}

// buildCourse models a three-module course with objectives aligned to GSBPM
// and DigComp. IDs are derived from a stable source identity, so running the
// example twice gives the same document.
func buildCourse() asset.Asset {
	id := func(parts ...string) string { return asset.DeriveID(append([]string{"quickstart"}, parts...)...) }
	hour := func(h, m int64) asset.Duration { return asset.Duration{Hours: h, Minutes: m} }
	lesson := func(key, en, fr string, d asset.Duration, gsbpm string) asset.Asset {
		return asset.Asset{
			ID:       id("lesson", key),
			Kind:     asset.KindLesson,
			Title:    asset.LangString{"en": en, "fr": fr},
			Duration: d,
			Alignments: []asset.Alignment{
				{Framework: "gsbpm", Version: "5.1", Code: gsbpm, Relation: asset.Teaches},
			},
			Resources: []asset.Resource{
				{Path: "lessons/" + key + "/index.html", MediaType: "text/html", Role: asset.RoleLaunch},
			},
		}
	}
	setup := lesson("setup", "Setting up Git", "Installer Git", hour(0, 30), "2.6")
	basics := lesson("basics", "Tracking changes", "Suivre les modifications", hour(1, 0), "5.3")
	branches := lesson("branches", "Branches and merging", "Branches et fusion", hour(1, 0), "5.3")
	branches.Prerequisites = []string{basics.ID}
	collab := lesson("collaborate", "Collaborating on a shared repository", "Collaborer sur un dépôt partagé", hour(1, 30), "8.2")
	collab.Prerequisites = []string{branches.ID}

	return asset.Asset{
		ID:      id("course", "git-for-official-statistics"),
		Version: "1.0.0",
		Kind:    asset.KindCourse,
		Title: asset.LangString{
			"en": "Git for Official Statistics",
			"fr": "Git pour la statistique officielle",
		},
		Description: asset.LangString{
			"en": "Version control for the people who produce official statistics: track, share and review the code behind every release.",
		},
		Keywords:      asset.LangList{"en": {"git", "version control", "reproducibility"}},
		Languages:     []string{"en"},
		License:       "CC-BY-4.0",
		Level:         asset.LevelBasic,
		DeliveryModes: []asset.DeliveryMode{asset.DeliverySelfPaced},
		Contributors: []asset.Contributor{
			{Name: "UNECE", Type: asset.Organization, Roles: []asset.Role{asset.RolePublisher}, ID: "https://unece.org"},
		},
		Objectives: []asset.Objective{{
			ID:   "obj-1",
			Text: asset.LangString{"en": "Keep the code of a statistical production process under version control."},
			Alignments: []asset.Alignment{
				{Framework: "digcomp", Version: "2.2", Code: "3.4", Relation: asset.Teaches, Level: "4"},
			},
		}},
		Duration: hour(4, 0),
		Parts: []asset.Asset{
			{ID: id("module", "start"), Kind: asset.KindModule, Title: asset.LangString{"en": "Getting started"}, Parts: []asset.Asset{setup, basics}},
			{ID: id("module", "work"), Kind: asset.KindModule, Title: asset.LangString{"en": "Working together"}, Parts: []asset.Asset{branches, collab}},
		},
		Created: "2024-03-01",
	}
}
