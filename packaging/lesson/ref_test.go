package lesson

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
)

// The numbers below were counted in the reference lesson's files with
// grep and awk, not with this package: front matter title, teaching and
// exercises; the "- " items of each objectives / questions / keypoints
// div; the opening fences (lines of colons followed by a class).
var gitEpisodes = []struct {
	file                             string
	title                            string
	teaching, exercises              int
	objectives, questions, keypoints int
	divs                             int
	kinds                            map[string]int
	challenges                       []string
}{
	{"01-introduction.md", "Introduction", 10, 0, 1, 1, 0, 4,
		map[string]int{"objectives": 1, "questions": 1, "challenge": 1, "solution": 1}, []string{"Version Control Systems"}},
	{"02-version_control.md", "Version Control", 10, 0, 1, 3, 1, 3, map[string]int{"objectives": 1, "questions": 1, "keypoints": 1}, nil},
	{"03-git_setup.md", "Setting up Git", 5, 0, 1, 1, 2, 5,
		map[string]int{"objectives": 1, "questions": 1, "keypoints": 1, "callout": 2}, nil},
	{"04-create_repo.md", "Creating a Repository", 10, 0, 1, 1, 1, 3, nil, nil},
	{"05-track_changes.md", "Tracking Changes", 20, 0, 3, 3, 0, 16,
		map[string]int{"objectives": 1, "questions": 1, "callout": 6, "challenge": 4, "solution": 4},
		[]string{"Choosing a Commit Message", "Committing Changes to Git", "Committing Multiple Files", "bio Repository"}},
	{"06-exploring_history.md", "Exploring History", 25, 0, 2, 3, 1, 3, nil, nil},
	{"07-ignoring_things.md", "Ignoring Things", 10, 0, 2, 2, 1, 3, nil, nil},
	{"08-remotes.md", "Remotes in GitLab/GitHub", 45, 0, 1, 1, 1, 3, nil, nil},
	{"09-collaborating.md", "Collaborating", 35, 0, 1, 1, 1, 3, nil, nil},
	{"10-conflicts.md", "Conflicts", 15, 0, 1, 1, 1, 3, nil, nil},
	{"11-working_remotes.md", "Working with Others in GitHub/GitLab", 20, 0, 2, 3, 1, 3, nil, nil},
	{"12-documentation.md", "Documenting in GitHub/GitLab for official statistics", 10, 0, 2, 2, 1, 3, nil, nil},
	{"13-citation.md", "Citation", 5, 0, 1, 1, 1, 3, nil, nil},
}

// gitFigures are the figures the episodes show, with the episode showing
// them; episodes/fig/git_staging.svg is in the folder but shown nowhere.
var gitFigures = map[string]string{
	"episodes/fig/phd_comic_versions.gif": "01-introduction.md",
	"episodes/fig/git-staging-area.svg":   "05-track_changes.md",
	"episodes/fig/git-committing.svg":     "05-track_changes.md",
}

var openingFence = regexp.MustCompile(`^:{3,}\s*[{A-Za-z]`)

// countFences counts opening fences in a file, line by line.
func countFences(t *testing.T, path string) int {
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if openingFence.MatchString(sc.Text()) {
			n++
		}
	}
	return n
}

func TestGitLesson(t *testing.T) {
	fsys := gitLesson(t)
	l, rep, err := OpenFS(fsys, Options{})
	require.NoError(t, err)
	assert.False(t, rep.HasErrors(), "%v", rep.Errors())

	t.Run("metadata", func(t *testing.T) {
		assert.True(t, l.Workbench)
		assert.Equal(t, "Git for Official Statistics", l.Title)
		assert.Equal(t, "CC-BY-4.0", l.License)
		assert.Equal(t, "CC-BY 4.0", l.LicenseText)
		assert.Equal(t, "en", l.Language)
		assert.Equal(t, "2023-03-07", l.Created)
		assert.Equal(t, "https://github.com/UNECE/ModernStats_Git", l.Source)
		assert.Equal(t, "pre-alpha", l.LifeCycle)
		assert.Equal(t, []string{"software", "data", "lesson", "The Carpentries"}, l.Keywords)
		assert.Equal(t, []string{"https://software-carpentry.org/"}, l.BasedOn, "index.md: modified from Software Carpentries")
		assert.Equal(t, []string{"Installation of Git and a GitHub account."}, l.Prerequisites)
		assert.Empty(t, l.Audience, "the learner profile is the template's placeholder")
		assert.Empty(t, l.Authors, "AUTHORS is the template's FIXME")
		assert.Contains(t, l.Description, "UNECE HLG-MOS ModernStats Carpentries project")
		require.Len(t, l.Episodes, len(gitEpisodes))
	})

	for i, want := range gitEpisodes {
		t.Run(want.file, func(t *testing.T) {
			ep := l.Episodes[i]
			assert.Equal(t, "episodes/"+want.file, ep.File)
			assert.Equal(t, want.title, ep.Title)
			assert.Equal(t, want.teaching, ep.Teaching)
			assert.Equal(t, want.exercises, ep.Exercises)
			assert.Len(t, ep.Objectives, want.objectives)
			assert.Len(t, ep.Questions, want.questions)
			assert.Len(t, ep.Keypoints, want.keypoints)
			assert.Equal(t, want.divs, countFences(t, gitLessonDir+"/"+ep.File), "independent count of opening fences")

			page, err := l.Render(ep)
			require.NoError(t, err)
			kinds, total, lang, title := sections(t, page)
			assert.Equal(t, want.divs, total, "every fenced div is a section")
			assert.Equal(t, "en", lang)
			assert.Equal(t, want.title+" – Git for Official Statistics", title)
			wantKinds := want.kinds
			if wantKinds == nil {
				wantKinds = map[string]int{"objectives": 1, "questions": 1, "keypoints": 1}
			}
			assert.Equal(t, wantKinds, kinds)

			var titles []string
			for _, b := range ep.challenges {
				titles = append(titles, b.Title)
			}
			assert.Equal(t, want.challenges, titles)
		})
	}

	t.Run("asset", func(t *testing.T) {
		a, arep := l.convert()
		assert.Empty(t, arep.Issues)
		assert.Equal(t, asset.KindCourse, a.Kind)
		assert.Equal(t, "CC-BY-4.0", a.License)
		assert.Equal(t, asset.LangString{"en": "Git for Official Statistics"}, a.Title)
		assert.Equal(t, "PT3H40M", a.Duration.String(), "10+10+5+10+20+25+10+45+35+15+20+10+5 minutes")
		assert.Equal(t, asset.DeriveID("lesson", "https://github.com/UNECE/ModernStats_Git"), a.ID)
		assert.Contains(t, a.Relations, asset.Relation{Type: asset.IsBasedOn, Target: "https://software-carpentry.org/"})
		require.Len(t, a.Parts, 13)
		ep5 := a.Parts[4]
		assert.Equal(t, asset.KindLesson, ep5.Kind)
		assert.Equal(t, "PT20M", ep5.Duration.String())
		assert.Equal(t, []asset.Relation{{Type: asset.IsBasedOn, Target: "https://swcarpentry.github.io/git-novice/04-changes.html"}}, ep5.Relations)
		assert.Equal(t, "obj-3", ep5.Objectives[2].ID)
		assert.Equal(t, asset.LangString{"en": "Create commit messages that are descriptive"}, ep5.Objectives[2].Text)
		require.Len(t, ep5.Parts, 4)
		assert.Equal(t, asset.KindActivity, ep5.Parts[3].Kind)
		assert.Equal(t, asset.LangString{"en": "bio Repository"}, ep5.Parts[3].Title)

		check := asset.Check(a, asset.CheckOptions{})
		assert.Empty(t, check.Issues)

		// Figures are media resources of the episode that shows them, with
		// the size and digest of the file.
		found := map[string]bool{}
		for i, p := range a.Parts {
			for _, r := range p.Resources {
				if r.Role != asset.RoleMedia {
					continue
				}
				found[r.Path] = true
				assert.Equal(t, gitFigures[r.Path], gitEpisodes[i].file, r.Path)
				b, err := fs.ReadFile(fsys, r.Path)
				require.NoError(t, err)
				sum := sha256.Sum256(b)
				assert.Equal(t, hex.EncodeToString(sum[:]), r.SHA256, r.Path)
				assert.Equal(t, int64(len(b)), r.Size, r.Path)
			}
		}
		assert.Len(t, found, len(gitFigures))
		assert.Equal(t, "image/gif", mediaType("episodes/fig/phd_comic_versions.gif"))
	})

	t.Run("warnings", func(t *testing.T) {
		// The real lesson links to glossary entries that reference.md does
		// not have yet, and to two reference links it never defines.
		got := codes(rep, "episodes/05-track_changes.md")
		assert.Equal(t, []string{"lesson.link.undefined-reference", "lesson.link.undefined-reference",
			"lesson.link.anchor", "lesson.link.anchor", "lesson.link.anchor"}, got)
		for _, is := range rep.Issues {
			assert.NotEqual(t, ota.Error, is.Severity, is.Error())
		}
	})
}
