package lang

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"runtime"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/json"

	"github.com/journeyhq/journey/lang/kinds"
)

// File name suffixes of campaign files.
const (
	SuffixHCL  = ".journey.hcl"
	SuffixJSON = ".journey.json"
)

// MaxFileSize is the largest campaign file Load reads; larger files are
// reported, not read, so that a stray dump cannot exhaust memory.
const MaxFileSize = 64 << 20

// ErrNoFiles is returned by Load for a directory without campaign files.
var ErrNoFiles = errors.New("no campaign files")

// IsCampaignFile reports whether a file name is a campaign file. Hidden
// files and editor lock files (".#main.journey.hcl", "#main.journey.hcl#")
// are not, as in Terraform.
func IsCampaignFile(name string) bool {
	if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "#") {
		return false
	}
	return strings.HasSuffix(name, SuffixHCL) || strings.HasSuffix(name, SuffixJSON)
}

// Load reads every campaign file directly in dir of fsys, parses and decodes
// them in parallel, and returns the workspace with every diagnostic found.
// File names in the workspace and its diagnostics are dir-relative paths
// joined to dir ("main.journey.hcl" for dir ".", "sub/main.journey.hcl" for
// "sub"). An error is returned only when the directory cannot be listed or
// holds no campaign files.
func Load(fsys fs.FS, dir string) (*Workspace, hcl.Diagnostics, error) {
	sources, err := campaignSources(fsys, dir)
	if err != nil {
		return nil, nil, err
	}
	if len(sources) == 0 {
		return nil, nil, fmt.Errorf("%w in %s: journey reads *%s and *%s files", ErrNoFiles, dir, SuffixHCL, SuffixJSON)
	}
	return load(fsys, dir, sources, kinds.Declarations())
}

// SuffixTest is the suffix of scenario files (journey test).
const SuffixTest = ".journeytest.hcl"

// IsTestFile reports whether a file name is a scenario file; hidden files
// and editor lock files are not, as for campaign files.
func IsTestFile(name string) bool {
	if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "#") {
		return false
	}
	return strings.HasSuffix(name, SuffixTest)
}

// TestFiles lists the scenario files directly in dir, sorted, as paths
// joined to dir.
func TestFiles(fsys fs.FS, dir string) ([]string, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	return namesOf(sourcesOf(dir, entries, IsTestFile)), nil
}

// LoadTests reads the scenario files (*.journeytest.hcl) directly in dir;
// a directory without any gives an empty workspace.
func LoadTests(fsys fs.FS, dir string) (*Workspace, hcl.Diagnostics, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, nil, err
	}
	return load(fsys, dir, sourcesOf(dir, entries, IsTestFile), []*kinds.Kind{kinds.Scenario()})
}

// source is a file to load. regular is set when the directory listing
// showed a regular file: it is then opened without a Stat first.
type source struct {
	name    string
	regular bool
}

// sourcesOf are the entries of dir that are files with wanted names,
// sorted by name.
func sourcesOf(dir string, entries []fs.DirEntry, wanted func(name string) bool) []source {
	var out []source
	for _, e := range entries {
		if e.IsDir() || !wanted(e.Name()) {
			continue
		}
		out = append(out, source{name: path.Join(dir, e.Name()), regular: e.Type().IsRegular()})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// namesOf are the sources' paths, in order.
func namesOf(sources []source) []string {
	names := make([]string, len(sources))
	for i, src := range sources {
		names[i] = src.name
	}
	return names
}

func load(fsys fs.FS, dir string, sources []source, top []*kinds.Kind) (*Workspace, hcl.Diagnostics, error) {
	names := namesOf(sources)
	ws := &Workspace{Dir: dir, Files: map[string]*File{}, FileNames: names}
	results := make([]fileResult, len(names))
	cache := newSpecs()
	var wg sync.WaitGroup
	work := make(chan int)
	for w := 0; w < min(runtime.GOMAXPROCS(0), len(names)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				results[i] = loadFile(fsys, dir, sources[i], top, cache)
			}
		}()
	}
	for i := range names {
		work <- i
	}
	close(work)
	wg.Wait()

	var diags hcl.Diagnostics
	for _, r := range results {
		ws.Incomplete = ws.Incomplete || r.incomplete
		for _, f := range r.files {
			ws.Files[f.Name] = f
		}
		ws.Blocks = append(ws.Blocks, r.blocks...)
		diags = append(diags, r.diags...)
	}
	return ws, diags, nil
}

// CampaignFiles lists the campaign files directly in dir, sorted, as paths
// joined to dir.
func CampaignFiles(fsys fs.FS, dir string) ([]string, error) {
	sources, err := campaignSources(fsys, dir)
	if err != nil {
		return nil, err
	}
	return namesOf(sources), nil
}

func campaignSources(fsys fs.FS, dir string) ([]source, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	return sourcesOf(dir, entries, IsCampaignFile), nil
}

type fileResult struct {
	incomplete bool
	files      []*File
	blocks     []*Block
	diags      hcl.Diagnostics
}

func loadFile(fsys fs.FS, dir string, source source, top []*kinds.Kind, cache *specs) fileResult {
	name := source.name
	src, diag := readSource(fsys, name, source.regular)
	file := &File{Name: name, Src: src}
	if diag != nil {
		return fileResult{incomplete: true, files: []*File{file}, diags: hcl.Diagnostics{diag}}
	}
	if diag := parseNestingError(src, name, hcl.InitialPos, fileSyntax(name)); diag != nil {
		return fileResult{incomplete: true, files: []*File{file}, diags: hcl.Diagnostics{diag}}
	}
	var syntax *hcl.File
	var diags hcl.Diagnostics
	if strings.HasSuffix(name, SuffixJSON) {
		syntax, diags = json.Parse(src, name)
	} else {
		syntax, diags = hclsyntax.ParseConfig(src, name, hcl.InitialPos)
	}
	diags = tagRule(diags, RuleSyntax)
	res := fileResult{files: []*File{file}, diags: diags}
	if diags.HasErrors() || syntax == nil || syntax.Body == nil {
		// A partial parse would add guesses to the real findings.
		res.incomplete = true
		return res
	}
	d := &decoder{fsys: fsys, dir: dir, src: src, top: top, specs: cache}
	res.blocks = d.decodeFile(syntax.Body)
	res.diags = append(res.diags, d.diags...)
	res.files = append(res.files, d.templates...)
	return res
}

// readSource reads a source file and refuses what is not text, with a
// diagnostic that names the file and the place. listedRegular says the
// directory listing showed a regular file.
func readSource(fsys fs.FS, name string, listedRegular bool) ([]byte, *hcl.Diagnostic) {
	at := hcl.Range{Filename: name, Start: hcl.InitialPos, End: hcl.InitialPos}
	cannot := func(err error) *hcl.Diagnostic {
		return Errorf(RuleSyntax, at, fmt.Sprintf("cannot read %s: %v", name, unwrapPathError(err)),
			"check that the file exists, is readable and is not a broken or looping symlink")
	}
	tooLarge := func() *hcl.Diagnostic {
		return Errorf(RuleSyntax, at, fmt.Sprintf("%s is larger than the %d MB journey reads", name, MaxFileSize>>20),
			"split the workspace into smaller files")
	}
	notRegular := func(info fs.FileInfo) *hcl.Diagnostic {
		return Errorf(RuleSyntax, at, fmt.Sprintf("%s is not a regular file (%s)", name, modeName(info.Mode())),
			"campaign files are ordinary text files; remove or rename this one")
	}
	// Opening a named pipe would wait for a writer for ever: what the
	// listing did not show as a regular file (a symlink, say) is looked at
	// before it is opened.
	var info fs.FileInfo
	if !listedRegular {
		var err error
		if info, err = fs.Stat(fsys, name); err != nil {
			return nil, cannot(err)
		}
		if !info.Mode().IsRegular() {
			return nil, notRegular(info)
		}
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, cannot(err)
	}
	defer f.Close()
	if info == nil {
		if info, err = f.Stat(); err != nil {
			return nil, cannot(err)
		}
		if !info.Mode().IsRegular() {
			return nil, notRegular(info)
		}
	}
	if info.Size() > MaxFileSize {
		return nil, tooLarge()
	}
	// Read at most the limit: a size the file system reports is not a
	// promise (a device says 0 and never ends).
	buf := bytes.NewBuffer(make([]byte, 0, info.Size()+bytes.MinRead))
	if _, err := buf.ReadFrom(io.LimitReader(f, MaxFileSize+1)); err != nil {
		return nil, cannot(err)
	}
	src := buf.Bytes()
	if len(src) > MaxFileSize {
		return nil, tooLarge()
	}
	return src, encodingProblem(name, src)
}

func modeName(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0 || m&fs.ModeCharDevice != 0:
		return "a device"
	case m.IsDir():
		return "a directory"
	}
	return "not a plain file"
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// posAt returns the position of byte offset i in src.
func posAt(src []byte, i int) hcl.Pos {
	line := 1 + bytes.Count(src[:i], []byte{'\n'})
	lineStart := bytes.LastIndexByte(src[:i], '\n') + 1
	return hcl.Pos{Line: line, Column: 1 + utf8.RuneCount(src[lineStart:i]), Byte: i}
}
