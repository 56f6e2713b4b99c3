package main

import (
	"bytes"
	"fmt"
	"io"
	"os"

	"github.com/journeyhq/journey/compiler"
	"github.com/journeyhq/journey/compiler/plan"
	"github.com/journeyhq/journey/internal/atomicfile"
	"github.com/journeyhq/journey/internal/words"
	"github.com/journeyhq/journey/lang"
	"github.com/journeyhq/journey/validate"
	"github.com/journeyhq/journey/validate/report"
)

// checkedProgram validates the workspace in dir and returns its program.
// Error findings are printed to stderr, and the command fails with exit
// code 1: nothing is compiled from a workspace that does not validate.
func (c *CLI) checkedProgram(dir, command string) (*compiler.Program, error) {
	if _, err := workspaceDirs(dir, false); err != nil {
		return nil, err
	}
	// The plan does not need the scenario files: a broken test holds back
	// journey validate and journey test, not the commands that use the plan.
	res, err := validate.Dir(os.DirFS(dir), ".", validate.Options{Now: c.Now(), SkipScenarios: true})
	if err != nil {
		return nil, usage("%v", err)
	}
	errs, warns := validate.Counts(res.Findings)
	if errs > 0 {
		rep := &report.Report{Findings: res.Findings, Sources: map[string][]byte{}, FileCount: len(res.Workspace.FileNames)}
		for name, f := range res.Workspace.Files {
			rep.Sources[name] = f.Src
		}
		if err := report.Write(c.Stderr, "text", rep, report.Options{Color: c.colorFor(c.Stderr)}); err != nil {
			return nil, err
		}
		fmt.Fprintf(c.Stderr, "journey %s: %s has errors; fix them first (journey validate %s shows them).\n", command, dir, dir)
		return nil, failed()
	}
	if warns > 0 {
		c.noteWarnings(command, dir, warns)
	}
	return res.Program, nil
}

// noteWarnings says on stderr that a workspace the command goes on with has
// warnings, and where to see them.
func (c *CLI) noteWarnings(command, dir string, warns int) {
	fmt.Fprintf(c.Stderr, "journey %s: %s in %s; journey validate %s shows %s.\n",
		command, words.Count(warns, "warning"), dir, dir, words.ForCount(warns, "it", "them"))
}

// compiledPlan validates and compiles the workspace in dir.
func (c *CLI) compiledPlan(dir, command string) (*plan.Plan, error) {
	prog, err := c.checkedProgram(dir, command)
	if err != nil {
		return nil, err
	}
	p, err := compiler.Plan(prog)
	if err != nil {
		return nil, &exitError{code: exitInternal, err: err}
	}
	return p, nil
}

// writeOutput writes a command's output to the file an -o or --out flag
// names, or to stdout for "-". A file is written whole or not at all, and
// a device, named pipe or symlink is written through, never replaced
// (internal/atomicfile).
func (c *CLI) writeOutput(path string, data []byte) error {
	if path == "-" {
		_, err := c.Stdout.Write(data)
		return err
	}
	if err := atomicfile.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	return nil
}

// stdinName is what findings and messages call standard input's text.
const stdinName = "<stdin>"

// readStdin reads standard input (a CLI without one reads nothing), at
// most the size journey reads from a file.
func (c *CLI) readStdin() ([]byte, error) {
	if c.Stdin == nil {
		return nil, nil
	}
	src, err := io.ReadAll(io.LimitReader(c.Stdin, lang.MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read standard input: %w", err)
	}
	if len(src) > lang.MaxFileSize {
		return nil, fmt.Errorf("standard input is larger than the %d MB journey reads", lang.MaxFileSize>>20)
	}
	return src, nil
}

// stdinFileName names standard input's text as a campaign file: in the
// JSON syntax when it starts with "{" (an HCL file never does), in HCL
// otherwise.
func stdinFileName(src []byte) string {
	if bytes.HasPrefix(bytes.TrimLeft(bytes.TrimPrefix(src, []byte("\uFEFF")), " \t\r\n"), []byte("{")) {
		return stdinName + lang.SuffixJSON
	}
	return stdinName + lang.SuffixHCL
}
