package ota_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

const modulePath = "github.com/metaacademy/ota"

// moduleImports parses every non-test Go file of the module and returns,
// for each package directory (relative, "." for the root), the import
// paths of its files.
func moduleImports(t *testing.T) map[string]map[string]bool {
	t.Helper()
	pkgs := map[string]map[string]bool{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if path != "." && (name == "testdata" || name == "node_modules" || strings.HasPrefix(name, ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		dir := filepath.ToSlash(filepath.Dir(path))
		if pkgs[dir] == nil {
			pkgs[dir] = map[string]bool{}
		}
		for _, imp := range f.Imports {
			p, err := strconv.Unquote(imp.Path.Value)
			if err != nil {
				return err
			}
			pkgs[dir][p] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return pkgs
}

// local turns a module import path into its directory ("." for the root),
// or "" for a path outside the module.
func local(p string) string {
	switch {
	case p == modulePath:
		return "."
	case strings.HasPrefix(p, modulePath+"/"):
		return strings.TrimPrefix(p, modulePath+"/")
	}
	return ""
}

func under(dir, prefix string) bool { return dir == prefix || strings.HasPrefix(dir, prefix+"/") }

// TestArchitecture checks the import rules docs/architecture.md draws.
func TestArchitecture(t *testing.T) {
	pkgs := moduleImports(t)
	if len(pkgs) < 20 {
		t.Fatalf("found only %d packages: is the test running at the module root?", len(pkgs))
	}
	codecs := []string{"packaging/scorm", "packaging/cmi5", "packaging/bundle", "packaging/lesson", "packaging/lrmi", "packaging/xapi"}
	model := []string{".", "asset", "framework", "catalogue", "curriculum", "mapping"}
	// allowed codec → codec imports (cmi5 is an xAPI profile; the xAPI
	// sub-packages build on the statement model).
	allowed := map[[2]string]bool{
		{"packaging/cmi5", "packaging/xapi"}: true,
	}
	codecOf := func(dir string) string {
		for _, c := range codecs {
			if under(dir, c) {
				return c
			}
		}
		return ""
	}
	var dirs []string
	for dir := range pkgs {
		dirs = append(dirs, dir)
	}
	sort.Strings(dirs)
	for _, dir := range dirs {
		for imp := range pkgs[dir] {
			dep := local(imp)
			switch {
			case under(dir, "examples"):
				if dep != "" && under(dep, "internal") {
					t.Errorf("%s imports %s: examples must compile outside the module", dir, imp)
				}
			case dep == "":
				continue
			case under(dep, "platform") && !under(dir, "platform") && !under(dir, "internal") && !under(dir, "cmd"):
				t.Errorf("%s imports %s: only the platform, the CLI and internal tools build on the platform", dir, imp)
			}
			if dep == "" {
				continue
			}
			for _, m := range model {
				if (m == "." && dir == ".") || (m != "." && under(dir, m)) {
					if under(dep, "packaging") || under(dep, "platform") {
						t.Errorf("%s (the model) imports %s", dir, imp)
					}
				}
			}
			if c := codecOf(dir); c != "" {
				d := codecOf(dep)
				if dep == "packaging" {
					t.Errorf("%s imports the packaging root, which imports the codecs", dir)
				}
				if d != "" && d != c && !allowed[[2]string{c, d}] {
					t.Errorf("%s imports %s: codecs go through the model, not through each other", dir, imp)
				}
			}
			if under(dir, "internal/cli") && under(dep, "internal") {
				switch dep {
				case "internal/atomicfile", "internal/zipw":
				default:
					t.Errorf("internal/cli imports %s: the CLI uses public API for everything it reads", imp)
				}
			}
		}
	}
	// The schema generator is a build tool: only go generate's driver
	// runs it; the packages whose schemas it writes hand out the
	// committed copies (docs/schema).
	for _, dir := range dirs {
		if dir == "internal/schemagen" || dir == "internal/genschema" {
			continue
		}
		for imp := range pkgs[dir] {
			if imp == modulePath+"/internal/schemagen" || strings.Contains(imp, "invopop") {
				t.Errorf("%s imports %s: only internal/genschema generates schemas", dir, imp)
			}
		}
	}
	// asset stays light: nothing it pulls in from the module imports YAML
	// or the schema generator.
	seen := map[string]bool{}
	stack := []string{"asset"}
	for len(stack) > 0 {
		dir := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[dir] {
			continue
		}
		seen[dir] = true
		for imp := range pkgs[dir] {
			if strings.Contains(imp, "yaml") || strings.Contains(imp, "invopop") || strings.Contains(imp, "jsonschema") {
				t.Errorf("asset depends on %s (through %s)", imp, dir)
			}
			if dep := local(imp); dep != "" {
				stack = append(stack, dep)
			}
		}
	}
	if _, err := os.Stat("docs/architecture.md"); err != nil {
		t.Errorf("the picture these rules come from is missing: %v", err)
	}
}
