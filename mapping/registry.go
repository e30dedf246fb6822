package mapping

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/framework"
)

// Errors returned by [Registry.Resolve] and [Registry.Add], for use with
// errors.Is. Each is wrapped with the details.
var (
	// ErrUnknownFramework means no framework is registered under the key
	// or IRI an alignment names.
	ErrUnknownFramework = errors.New("mapping: unknown framework")
	// ErrUnknownVersion means the framework is registered but not in the
	// version asked for.
	ErrUnknownVersion = errors.New("mapping: unknown framework version")
	// ErrUnknownCode means the framework has no node with the code.
	ErrUnknownCode = errors.New("mapping: unknown code")
	// ErrDuplicate means a framework with the same key (or ID) and version
	// is already registered.
	ErrDuplicate = errors.New("mapping: framework already registered")
)

// Registry holds frameworks by key and version, so that alignments can be
// resolved to nodes. A framework is registered under its Key, or under its
// ID when it has no key, and can be looked up by either. Versions of the
// same framework share a key.
//
// [Default] returns a registry holding the built-in frameworks; [Registry.Add]
// adds others. The zero Registry is empty and ready to use. A Registry is safe
// for concurrent use. Frameworks must not be changed once added.
type Registry struct {
	mu       sync.RWMutex
	families map[string]*family // by key (the ID for key-less frameworks)
	ids      map[string]string  // framework ID → family key
}

// family is every version of one framework.
type family struct {
	key   string
	label string // short display name: "GSBPM"
	// shared is true when codes name the same node in every version, as
	// GSBPM's do from 5.1 to 5.2.
	shared   bool
	versions []*entry // oldest first
}

type entry struct {
	fw  *framework.Framework
	idx *framework.Index
}

// Default returns a new registry holding the built-in frameworks: GSBPM 5.1
// and 5.2 (key "gsbpm"), GAMSO 1.2 ("gamso"), DigComp 2.2 ("digcomp") and
// the UN big-data competency framework ("un-bigdata", version
// [VersionUNBigData]). Each call returns new Framework values, which the
// caller may use freely but must not change while they are registered.
func Default() *Registry {
	r := &Registry{}
	files, err := loadData()
	if err != nil {
		// The data is embedded and tested; failing here is a build defect.
		panic(err)
	}
	for _, d := range files {
		for _, fw := range d.build() {
			r.add(fw, d.Abbreviation, d.SharedCodes)
		}
	}
	return r
}

// shared is the registry behind the package-level functions; it is never
// changed after it is built.
var shared = sync.OnceValue(Default)

// Add registers fw under its Key, or under its ID when it has no key. A
// framework whose key is already registered in other versions joins them,
// so adding GSBPM 5.3 with key "gsbpm" makes it the newest GSBPM. Add
// returns an error wrapping [ErrDuplicate] when the key (or ID) and version
// are already registered, when the ID already belongs to a framework of
// another key, and a *[ota.ValidationError] when fw.Check finds errors.
func (r *Registry) Add(fw *framework.Framework) error {
	if fw == nil {
		return errors.New("mapping: Add: nil framework")
	}
	if err := fw.Check().Err(); err != nil {
		return fmt.Errorf("mapping: framework %q %s cannot be registered: %w", cmp.Or(fw.Key, fw.ID), fw.Version, err)
	}
	key := cmp.Or(fw.Key, fw.ID)
	r.mu.Lock()
	defer r.mu.Unlock()
	if k, ok := r.ids[fw.ID]; ok && k != key {
		return fmt.Errorf("%w: the ID %s already belongs to the framework registered as %q", ErrDuplicate, fw.ID, k)
	}
	if f := r.families[key]; f != nil {
		for _, e := range f.versions {
			if e.fw.Version == fw.Version {
				return fmt.Errorf("%w: %q version %q", ErrDuplicate, key, fw.Version)
			}
		}
	}
	r.addLocked(fw, "", false)
	return nil
}

func (r *Registry) add(fw *framework.Framework, label string, sharedCodes bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.addLocked(fw, label, sharedCodes)
}

func (r *Registry) addLocked(fw *framework.Framework, label string, sharedCodes bool) {
	if r.families == nil {
		r.families = make(map[string]*family)
		r.ids = make(map[string]string)
	}
	key := cmp.Or(fw.Key, fw.ID)
	f := r.families[key]
	if f == nil {
		f = &family{key: key, label: label, shared: sharedCodes}
		if f.label == "" {
			f.label = cmp.Or(fw.Title.String(), key)
		}
		r.families[key] = f
	}
	f.versions = append(f.versions, &entry{fw: fw, idx: fw.Index()})
	slices.SortStableFunc(f.versions, func(a, b *entry) int { return CompareVersions(a.fw.Version, b.fw.Version) })
	r.ids[fw.ID] = key
}

// family returns the family registered under name, a key or an ID.
// The caller holds r.mu.
func (r *Registry) family(name string) *family {
	if f := r.families[name]; f != nil {
		return f
	}
	if k, ok := r.ids[name]; ok {
		return r.families[k]
	}
	return nil
}

// find returns the version of f named by version, the newest when version
// is empty, or nil.
func (f *family) find(version string) *entry {
	if len(f.versions) == 0 {
		return nil
	}
	if version == "" {
		return f.versions[len(f.versions)-1]
	}
	for _, e := range f.versions {
		if e.fw.Version == version {
			return e
		}
	}
	return nil
}

func (f *family) versionList() []string {
	out := make([]string, len(f.versions))
	for i, e := range f.versions {
		out[i] = e.fw.Version
	}
	return out
}

// Lookup returns the framework registered under key (a key such as "gsbpm"
// or a framework ID IRI) in the given version, or in its newest version
// when version is empty.
func (r *Registry) Lookup(key, version string) (*framework.Framework, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if f := r.family(key); f != nil {
		if e := f.find(version); e != nil {
			return e.fw, true
		}
	}
	return nil, false
}

// Versions returns the registered versions of the framework registered
// under key (a key or an ID), oldest first, or nil when there is none.
func (r *Registry) Versions(key string) []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if f := r.family(key); f != nil {
		return f.versionList()
	}
	return nil
}

// List returns every registered framework, ordered by key (the ID for
// frameworks without one) and then by version, oldest first.
func (r *Registry) List() []*framework.Framework {
	r.mu.RLock()
	defer r.mu.RUnlock()
	keys := make([]string, 0, len(r.families))
	for k := range r.families {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var out []*framework.Framework
	for _, k := range keys {
		for _, e := range r.families[k].versions {
			out = append(out, e.fw)
		}
	}
	return out
}

// Label returns a short display name for the framework registered under
// key with its version, such as "GSBPM 5.2", or "" when there is none.
func (r *Registry) Label(key, version string) string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	f := r.family(key)
	if f == nil {
		return ""
	}
	e := f.find(version)
	if e == nil {
		return ""
	}
	return f.label + " " + e.fw.Version
}

// SharedCodes reports whether codes of the framework registered under key
// name the same node in every registered version, so that an alignment
// written against one version is valid for the others. It is true for
// GSBPM, whose codes did not change from 5.1 to 5.2.
func (r *Registry) SharedCodes(key string) bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	f := r.family(key)
	return f != nil && (f.shared || len(f.versions) == 1)
}

// Resolve finds the framework and node an alignment points at. An empty
// Version means the newest registered version. The error wraps
// [ErrUnknownFramework], [ErrUnknownVersion] or [ErrUnknownCode]; with
// ErrUnknownCode the framework is returned with a nil node.
func (r *Registry) Resolve(al asset.Alignment) (*framework.Framework, *framework.Node, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	f, e, n, err := r.resolve(al)
	if f == nil || e == nil {
		return nil, nil, err
	}
	return e.fw, n, err
}

func (r *Registry) resolve(al asset.Alignment) (*family, *entry, *framework.Node, error) {
	f := r.family(al.Framework)
	if f == nil {
		return nil, nil, nil, fmt.Errorf("%w %q", ErrUnknownFramework, al.Framework)
	}
	e := f.find(al.Version)
	if e == nil {
		return f, nil, nil, fmt.Errorf("%w: %s has no version %q (known: %s)", ErrUnknownVersion, f.label, al.Version, strings.Join(f.versionList(), ", "))
	}
	n := e.idx.Node(al.Code)
	if n == nil {
		return f, e, nil, fmt.Errorf("%w: %s %s has no node %q", ErrUnknownCode, f.label, e.fw.Version, al.Code)
	}
	return f, e, n, nil
}

// Resolve resolves al against the built-in frameworks; see
// [Registry.Resolve].
func Resolve(al asset.Alignment) (*framework.Framework, *framework.Node, error) {
	return shared().Resolve(al)
}

// CompareVersions orders two version strings: dot-separated parts are
// compared numerically when both are numbers ("5.10" after "5.2") and as
// text otherwise; a version that is a prefix of another comes first. It
// returns -1, 0 or +1.
func CompareVersions(a, b string) int {
	for a != "" || b != "" {
		var pa, pb string
		pa, a, _ = strings.Cut(a, ".")
		pb, b, _ = strings.Cut(b, ".")
		switch {
		case pa == "" && pb != "":
			return -1
		case pb == "" && pa != "":
			return +1
		}
		na, ea := strconv.ParseUint(pa, 10, 64)
		nb, eb := strconv.ParseUint(pb, 10, 64)
		var c int
		if ea == nil && eb == nil {
			c = cmp.Compare(na, nb)
		} else {
			c = cmp.Compare(pa, pb)
		}
		if c != 0 {
			return c
		}
	}
	return 0
}
