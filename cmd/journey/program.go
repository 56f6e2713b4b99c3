package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/journeyhq/journey/compiler"
	"github.com/journeyhq/journey/compiler/plan"
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
		fmt.Fprintf(c.Stderr, "journey %s: %d warning(s) in %s; journey validate %s shows them.\n", command, warns, dir, dir)
	}
	return res.Program, nil
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

// writeFileAtomic writes data to path through a temporary file in the same
// directory and a rename, so that readers never see half a file.
func writeFileAtomic(path string, data []byte, perm os.FileMode) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), perm); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
