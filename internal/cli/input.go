package cli

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/mapping"
	"github.com/metaacademy/ota/packaging/archive"
	"github.com/metaacademy/ota/packaging/xapi"
)

// input is one PATH named on the command line, opened lazily.
type input struct {
	path string // as given; "-" is standard input
	dir  bool
	size int64  // -1 when unknown (standard input)
	head []byte // the first bytes, for detection
	body io.Reader
	file *os.File
	// content is where the files the document's resources name are read
	// from, when the kind knows (a folder, a package, a bundle).
	content fs.FS
	// kind is the kind the input was read as, once detected.
	kind *kind
	// closers are run by Close, last first.
	closers []func()
	// detected caches which package a zip or folder input holds (see
	// input.pkg).
	detected *detected
}

const sniffLen = 4096

func openInput(env *Env, path string) (*input, error) {
	in := &input{path: path, size: -1}
	if path == "-" {
		br := bufio.NewReaderSize(env.Stdin, sniffLen)
		head, err := br.Peek(sniffLen)
		if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
			return nil, fmt.Errorf("reading standard input: %w", err)
		}
		in.head = bytes.Clone(head)
		in.body = br
		return in, nil
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		in.dir = true
		return in, nil
	}
	f, err := openRegular(path, st)
	if err != nil {
		return nil, err
	}
	in.file = f
	in.size = st.Size()
	br := bufio.NewReaderSize(f, sniffLen)
	head, err := br.Peek(sniffLen)
	if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
		f.Close()
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	in.head = bytes.Clone(head)
	in.body = br
	return in, nil
}

func (in *input) Close() {
	for i := len(in.closers) - 1; i >= 0; i-- {
		in.closers[i]()
	}
	in.closers = nil
	if in.file != nil {
		in.file.Close()
	}
}

// kind reads one kind of input. Later formats add themselves to kinds.
type kind struct {
	name   string
	detect func(in *input) bool
	// load reads the input into the model, with the issues found while
	// reading; validate adds the format's checks.
	load func(in *input, o *readOpts) (*asset.Document, ota.Report, error)
	// records, when set, validates the input record by record (a stream
	// of xAPI statements) for validate, instead of load (see xapi.go).
	records func(in *input, o *readOpts, r *fileResult)
	// folders is true for kinds that can be read from a folder.
	folders bool
	// fileIssues is true for folder kinds whose issues point at a file of
	// the folder (lessons): issue lines then name that file.
	fileIssues bool
	// inspect, when set, prints the input for inspect instead of the
	// asset tree load gives (for inputs that are not asset trees).
	inspect func(env *Env, in *input, o *readOpts, format string) int
	// convert, when set, converts the input for convert instead of the
	// asset tree load gives (for inputs that are not asset trees).
	convert func(env *Env, in *input, out, to string, o *convertOpts, ro *readOpts) int
}

// frameworks returns the registry of built-in frameworks, made once per
// process.
var frameworks = sync.OnceValue(mapping.Default)

// readOpts are the options every reading command shares.
type readOpts struct {
	policy   ota.Policy
	validate bool
	// verbose prints info lines too.
	verbose bool
	// xapiVersion is the xAPI version statements are validated against.
	xapiVersion xapi.Version
	// emit, when set, receives each issue of a record stream as it is
	// found, with the stream's result so far, instead of the issues being
	// collected.
	emit func(*fileResult, ota.Issue)
	// followLinks follows symbolic links that stay inside a folder read
	// (--follow-links).
	followLinks bool
	// checkData reads every file of a package through the archive's
	// checks (CRC-32, sizes), for commands that would not otherwise.
	checkData bool
}

var kinds = []*kind{
	{
		name:   "ota",
		detect: func(in *input) bool { return firstByte(in.head) == '{' },
		load: func(in *input, o *readOpts) (*asset.Document, ota.Report, error) {
			if in.size > asset.DefaultMaxBytes {
				return nil, ota.Report{}, fmt.Errorf("%w: the file is %d bytes, larger than the limit of %d bytes", asset.ErrTooLarge, in.size, asset.DefaultMaxBytes)
			}
			ro := asset.ReadOptions{Validate: o.validate, Check: asset.CheckOptions{Policy: o.policy}}
			if o.validate {
				ro.Check.Frameworks = frameworks()
			}
			if err := openBeside(in, o); err != nil {
				return nil, ota.Report{}, err
			}
			return asset.Read(in.body, ro)
		},
	},
}

// openBeside makes the folder of the file in the content its document
// names (an OTA document's resources, the AU files beside a cmi5.xml),
// read through a folder reader that refuses links (unless --follow-links,
// and then only those staying inside the folder) and anything that is not
// a regular file. Standard input has no folder.
func openBeside(in *input, o *readOpts) error {
	if in.path == "-" {
		return nil
	}
	folder, err := archive.OpenFolderFS(filepath.Dir(in.path), archive.FolderOptions{FollowLinks: o.followLinks})
	if err != nil {
		return err
	}
	in.closers = append(in.closers, func() { folder.Close() })
	in.content = folder
	return nil
}

func kindNames() string {
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = k.name
	}
	return strings.Join(names, ", ")
}

// firstByte returns the first byte that is not a BOM or JSON whitespace.
func firstByte(b []byte) byte {
	b = bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF"))
	b = bytes.TrimLeft(b, " \t\r\n")
	if len(b) == 0 {
		return 0
	}
	return b[0]
}

// detect returns the kind of in, or an error saying why it is not supported.
func detect(in *input, as string) (*kind, error) {
	if in.dir {
		for _, k := range kinds {
			if k.folders && (as == "" || as == k.name) && k.detect(in) {
				return k, nil
			}
		}
		return nil, errors.New("is a folder that holds no package or lesson; ota reads folders with an imsmanifest.xml (SCORM), a cmi5.xml, or a lesson (config.yaml and episodes, or Markdown files)")
	}
	if as != "" {
		for _, k := range kinds {
			if k.name == as {
				return k, nil
			}
		}
		return nil, fmt.Errorf("%w: --as %q is not a known input kind; use one of %s", errUsage, as, kindNames())
	}
	for _, k := range kinds {
		if k.detect(in) {
			return k, nil
		}
	}
	switch {
	case len(bytes.TrimSpace(in.head)) == 0:
		return nil, errors.New("is empty; expected an OTA document (a JSON object)")
	case bytes.HasPrefix(in.head, []byte("PK\x03\x04")):
		return nil, errors.New("is a zip archive that holds no package ota reads: no imsmanifest.xml (SCORM), no cmi5.xml (cmi5), no mimetype and manifest.json (OTA bundle)")
	case firstByte(in.head) == '[':
		return nil, errors.New("is a JSON array; an OTA document is a JSON object")
	}
	return nil, errors.New("is not an OTA document: it does not start with '{'")
}
