package main

import (
	"encoding/json"
	"strings"
	"unicode"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/packaging/lesson"
)

// The lesson format has no place for alignments, so the example adds them
// in code: the course's own, which hold for any lesson on Git for official
// statistics, and each episode's, chosen by the words of its title and
// file name. The GSBPM codes are sub-processes of GSBPM 5.2; the DigComp
// codes are competences of DigComp 2.2, at proficiency level 3
// ("intermediate: on my own, well-defined and routine tasks"), which is
// what a short introductory lesson can claim.

func gsbpm(code string) asset.Alignment {
	return asset.Alignment{Framework: "gsbpm", Version: "5.2", Code: code, Relation: asset.Teaches}
}

func digcomp(code string) asset.Alignment {
	return asset.Alignment{Framework: "digcomp", Version: "2.2", Code: code, Relation: asset.Teaches, Level: "3"}
}

// courseAlignments hold for the whole course.
var courseAlignments = []asset.Alignment{
	// GSBPM 3.2 "Reuse or build processing and analysis components": the
	// code that edits, imputes, weights and aggregates is built in this
	// sub-process, and keeping it under version control is how it is
	// built, reviewed and reused.
	gsbpm("3.2"),
	// DigComp 3.4 "Programming": DigComp has no competence for software
	// engineering practice; version control is part of developing and
	// maintaining code, which is what 3.4 describes.
	digcomp("3.4"),
}

// episodeRules align an episode when a word of its title or file name
// starts with one of the words: "track" matches "Tracking" and
// "05-track_changes.md", "tag" matches "tags" but not "staging".
var episodeRules = []struct {
	words      []string
	alignments []asset.Alignment
}{
	// Recording changes and choosing what to record is organising and
	// storing digital content so that it can be retrieved: DigComp 1.3
	// "Managing data, information and digital content".
	{[]string{"track", "ignor"}, []asset.Alignment{digcomp("1.3")}},
	// The history of the production code says what changed in the process
	// and why: process metadata, an input of GSBPM 8.1 "Gather evaluation
	// inputs". Retrieving past versions is DigComp 1.3 again.
	{[]string{"history"}, []asset.Alignment{gsbpm("8.1"), digcomp("1.3")}},
	// Tagging the code that produced a release, and documenting it, is
	// part of GSBPM 3.7 "Finalise production systems" (putting components
	// into production, with their documentation).
	{[]string{"release", "tag", "document"}, []asset.Alignment{gsbpm("3.7")}},
	// A remote repository shares the code with the team: DigComp 2.2
	// "Sharing through digital technologies".
	{[]string{"remote"}, []asset.Alignment{digcomp("2.2")}},
	// Branches, reviews and merges are how a team builds the process
	// together: DigComp 2.4 "Collaborating through digital technologies".
	{[]string{"collaborat", "others", "conflict", "review"}, []asset.Alignment{digcomp("2.4")}},
	// Resolving a merge conflict is solving a technical problem: DigComp
	// 5.1 "Solving technical problems".
	{[]string{"conflict"}, []asset.Alignment{digcomp("5.1")}},
	// Citing code and choosing its licence: DigComp 3.3 "Copyright and
	// licences".
	{[]string{"citation", "licen"}, []asset.Alignment{digcomp("3.3")}},
}

// align adds the alignments to the course tree: the course's own, each
// episode's by the rules above, and on each challenge (an activity of an
// episode) its episode's alignments, or the course's when the episode has
// none, with the relation assesses: a challenge with a solution checks
// what the episode taught. It returns the number of alignments added.
func align(course *asset.Asset) int {
	course.Alignments = append(course.Alignments, courseAlignments...)
	n := len(courseAlignments)
	for i := range course.Parts {
		ep := &course.Parts[i]
		if ep.Kind != asset.KindLesson {
			continue
		}
		words := wordsOf(episodeFile(ep))
		for _, title := range ep.Title {
			words = append(words, wordsOf(title)...)
		}
		for _, r := range episodeRules {
			if startsAny(words, r.words) {
				for _, al := range r.alignments {
					if !hasAlignment(ep.Alignments, al) {
						ep.Alignments = append(ep.Alignments, al)
						n++
					}
				}
			}
		}
		assessed := ep.Alignments
		if len(assessed) == 0 {
			assessed = courseAlignments
		}
		for j := range ep.Parts {
			ch := &ep.Parts[j]
			for _, al := range assessed {
				al.Relation = asset.Assesses
				ch.Alignments = append(ch.Alignments, al)
				n++
			}
		}
	}
	return n
}

// episodeFile returns the source file of an episode the lesson package
// made ("episodes/03-git_setup.md"), or "".
func episodeFile(a *asset.Asset) string {
	var ext lesson.Ext
	if raw, ok := a.Extensions[lesson.ExtensionIRI]; !ok || json.Unmarshal(raw, &ext) != nil {
		return ""
	}
	return ext.File
}

// wordsOf splits s into lower-case words of letters.
func wordsOf(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) })
}

// startsAny reports whether a word starts with one of the prefixes.
func startsAny(words, prefixes []string) bool {
	for _, w := range words {
		for _, p := range prefixes {
			if strings.HasPrefix(w, p) {
				return true
			}
		}
	}
	return false
}

func hasAlignment(list []asset.Alignment, al asset.Alignment) bool {
	for _, x := range list {
		if x.Framework == al.Framework && x.Version == al.Version && x.Code == al.Code && x.Relation == al.Relation {
			return true
		}
	}
	return false
}
