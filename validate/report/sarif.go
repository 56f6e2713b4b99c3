package report

import (
	"io"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/journeyhq/journey/validate"
)

// repoURL is journey's home: the sarif driver's informationUri and the
// base of every rule's helpUri.
const repoURL = "https://github.com/journeyhq/journey"

// ruleHelpURI is where a rule is documented.
func ruleHelpURI(rule string) string {
	return repoURL + "/blob/main/docs/rules.md#" + rule
}

// srcRoot is the uriBaseId of every artifact location: the root of the
// repository, which is what GitHub code scanning resolves relative URIs
// against (it ignores originalUriBaseIds, so none are written).
const srcRoot = "%SRCROOT%"

// writeSARIF prints the report as a SARIF 2.1.0 log that GitHub code
// scanning accepts: one run, every rule described, every result located
// (GitHub rejects the whole upload when one result has no location), every
// region with lines and columns of 1 or more, and primaryLocationLineHash
// fingerprints computed as github/codeql-action's upload-sarif does.
func writeSARIF(w io.Writer, r *Report) error {
	log, err := sarif.New(sarif.Version210)
	if err != nil {
		return err
	}
	driver := sarif.NewDriver("journey").WithInformationURI(repoURL)
	if r.ToolVersion != "" {
		driver.WithVersion(r.ToolVersion)
	}
	run := sarif.NewRun(*sarif.NewTool(driver))
	run.WithColumnKind("unicodeCodePoints")

	known := map[string]bool{}
	for _, rule := range validate.Rules() {
		known[rule.Name] = true
		driver.AddRule(sarifRule(rule))
	}
	// A finding of a rule Rules() does not list (there should be none)
	// still needs a rule to point at: an unknown ruleIndex breaks the log.
	var extra []validate.Rule
	for _, f := range r.Findings {
		if !known[f.Rule] {
			known[f.Rule] = true
			extra = append(extra, validate.Rule{Name: f.Rule, Severity: f.Severity, Summary: f.Rule})
		}
	}
	sort.Slice(extra, func(i, j int) bool { return extra[i].Name < extra[j].Name })
	for _, rule := range extra {
		driver.AddRule(sarifRule(rule))
	}

	hashes := map[string][]string{}
	for _, f := range r.Findings {
		res := sarif.NewRuleResult(f.Rule).
			WithLevel(sarifLevel(f.Severity)).
			WithMessage(sarif.NewTextMessage(resultText(f)))
		at := primaryRange(f, r)
		res.AddLocation(sarif.NewLocationWithPhysicalLocation(r.physicalLocation(at)))
		if src, ok := r.Sources[at.Filename]; ok && at.Filename != "" {
			lh, ok := hashes[at.Filename]
			if !ok {
				lh = lineHashes(src)
				hashes[at.Filename] = lh
			}
			if line := max(at.Start.Line, 1); line <= len(lh) {
				res.WithPartialFingerPrints(map[string]any{"primaryLocationLineHash": lh[line-1]})
			}
		}
		id := 0
		for _, rel := range f.Related {
			if rel.Range.Filename == "" {
				continue
			}
			id++
			loc := sarif.NewLocationWithPhysicalLocation(r.physicalLocation(rel.Range)).WithId(id)
			if rel.Message != "" {
				loc.WithDescriptionText(rel.Message)
			}
			res.AddRelatedLocation(loc)
		}
		run.AddResult(res)
	}
	log.AddRun(run)
	if err := log.PrettyWrite(w); err != nil {
		return err
	}
	_, err = io.WriteString(w, "\n")
	return err
}

func sarifRule(rule validate.Rule) *sarif.ReportingDescriptor {
	level := sarifLevel(rule.Severity)
	summary := rule.Summary
	if summary == "" {
		summary = rule.Name
	}
	full := sentence(summary) + " "
	if rule.Severity == validate.Error {
		full += "An error: it fails journey validate."
	} else {
		full += "A warning: it fails journey validate only with --strict."
	}
	help := ruleHelpURI(rule.Name)
	return sarif.NewRule(rule.Name).
		WithShortDescription(sarif.NewMultiformatMessageString(summary)).
		WithFullDescription(sarif.NewMultiformatMessageString(full)).
		WithHelpURI(help).
		WithHelp(sarif.NewMultiformatMessageString(full + " See " + help).
			WithMarkdown("**" + rule.Name + "** (" + rule.Severity.String() + "): " + full + "\n\nSee [" + rule.Name + "](" + help + ") in the journey rules.")).
		WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(level)).
		WithProperties(sarif.Properties{
			// journey's rules are exact checks, not heuristics.
			"precision":        "very-high",
			"problem.severity": level,
		})
}

func sarifLevel(s validate.Severity) string {
	if s == validate.Warning {
		return "warning"
	}
	return "error"
}

// resultText is the message, then the hint (GitHub shows the first
// sentence where space is short, so the message ends with a full stop).
func resultText(f validate.Finding) string {
	msg := f.Message
	if msg == "" {
		msg = f.Rule
	}
	if f.Hint != "" {
		if !strings.ContainsAny(msg[len(msg)-1:], ".!?:") {
			msg += "."
		}
		msg += " Hint: " + f.Hint
	}
	return msg
}

// sentence capitalizes s and ends it with a full stop.
func sentence(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	s = string(unicode.ToUpper(r)) + s[n:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

// primaryRange is where a result is shown. GitHub rejects a log with a
// result that has no location, so a finding about no file in particular
// is shown where its first related place is, or else at the top of the
// first file read.
func primaryRange(f validate.Finding, r *Report) hcl.Range {
	if f.Range.Filename != "" {
		return f.Range
	}
	for _, rel := range f.Related {
		if rel.Range.Filename != "" {
			return rel.Range
		}
	}
	names := make([]string, 0, len(r.Sources))
	for name := range r.Sources {
		names = append(names, name)
	}
	sort.Strings(names)
	at := hcl.Range{Filename: ".", Start: hcl.InitialPos, End: hcl.InitialPos}
	if len(names) > 0 {
		at.Filename = names[0]
	}
	return at
}

func (r *Report) physicalLocation(rg hcl.Range) *sarif.PhysicalLocation {
	p := r.repoPath(rg.Filename)
	art := sarif.NewArtifactLocation()
	if abs, ok := fileURI(p); ok {
		art.WithUri(abs)
	} else {
		art.WithUri(relativeURI(p)).WithUriBaseId(srcRoot)
	}
	return sarif.NewPhysicalLocation().WithArtifactLocation(art).WithRegion(sarifRegion(rg))
}

// sarifRegion is the range with every number GitHub requires, clamped to
// what it accepts: lines and columns from 1, the end not before the start,
// and at least one column wide (endColumn is the column after the last).
func sarifRegion(rg hcl.Range) *sarif.Region {
	sl, sc := max(rg.Start.Line, 1), max(rg.Start.Column, 1)
	el, ec := rg.End.Line, rg.End.Column
	if el < sl || (el == sl && ec <= sc) {
		el, ec = sl, sc+1
	}
	ec = max(ec, 1)
	return sarif.NewRegion().WithStartLine(sl).WithStartColumn(sc).WithEndLine(el).WithEndColumn(ec)
}

// relativeURI escapes a slash-separated relative path as a URI reference.
func relativeURI(p string) string {
	u := (&url.URL{Path: p}).EscapedPath()
	// A colon in the first segment would read as a scheme.
	first, rest, found := strings.Cut(u, "/")
	first = strings.ReplaceAll(first, ":", "%3A")
	if found {
		return first + "/" + rest
	}
	return first
}

// fileURI makes an absolute path (the directory given to journey validate
// was absolute) a file URI, which GitHub turns into a path from the
// repository root.
func fileURI(p string) (string, bool) {
	switch {
	case strings.HasPrefix(p, "/"):
	case len(p) >= 3 && p[1] == ':' && p[2] == '/' && ('a' <= p[0]|0x20 && p[0]|0x20 <= 'z'):
		p = "/" + p
	default:
		return "", false
	}
	return (&url.URL{Scheme: "file", Path: p}).String(), true
}

// lineHashes returns the primaryLocationLineHash of every line of src (the
// hash of line n at index n-1), computed as github/codeql-action does in
// src/fingerprints.ts when it uploads a log without fingerprints: a rolling
// hash over the 100 characters from the start of each line, not counting
// spaces and tabs, with every line ending read as \n, then ":" and how
// often that hash came before. Computing it here gives the same
// fingerprints whatever uploads the log (the upload-sarif action keeps
// existing ones), so alerts follow a finding when lines move.
func lineHashes(src []byte) []string {
	const (
		blockSize = 100
		mod       = uint64(37)
		eof       = 65535
	)
	firstMod := uint64(1)
	for range blockSize {
		firstMod *= mod
	}
	var (
		window      [blockSize]uint64
		lineNumbers [blockSize]int
		hash        uint64
		index       int
		lineNumber  int
		lineStart   = true
		prevCR      bool
		counts      = map[uint64]int{}
		out         []string
	)
	for i := range lineNumbers {
		lineNumbers[i] = -1
	}
	output := func() {
		counts[hash]++
		// Lines come out in order: line n lands at index n-1.
		if n := lineNumbers[index]; n == len(out)+1 {
			out = append(out, strconv.FormatUint(hash, 16)+":"+strconv.Itoa(counts[hash]))
		}
		lineNumbers[index] = -1
	}
	update := func(c uint64) {
		begin := window[index]
		window[index] = c
		hash = mod*hash + c - firstMod*begin
		index = (index + 1) % blockSize
	}
	process := func(c uint64) {
		if c == ' ' || c == '\t' || (prevCR && c == '\n') {
			prevCR = false
			return
		}
		if c == '\r' {
			c = '\n'
			prevCR = true
		} else {
			prevCR = false
		}
		if lineNumbers[index] != -1 {
			output()
		}
		if lineStart {
			lineStart = false
			lineNumber++
			lineNumbers[index] = lineNumber
		}
		if c == '\n' {
			lineStart = true
		}
		update(c)
	}
	// JavaScript strings are UTF-16: hash code units, as charCodeAt does.
	for _, r := range string(src) {
		if r >= 0x10000 {
			r1, r2 := utf16.EncodeRune(r)
			process(uint64(r1))
			process(uint64(r2))
			continue
		}
		process(uint64(r))
	}
	process(eof)
	for range blockSize {
		if lineNumbers[index] != -1 {
			output()
		}
		update(0)
	}
	return out
}
