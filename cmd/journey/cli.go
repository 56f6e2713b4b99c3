package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"
)

// Exit codes of every command (CLI.md).
const (
	exitOK       = 0
	exitFailed   = 1 // findings that fail, test failures, a refused compile
	exitUsage    = 2
	exitInternal = 3
	exitChanges  = 2 // journey plan --detailed-exitcode: the plan has changes
)

// errorsExitOne annotates a command whose every error exits 1, usage and
// internal errors included, as Terraform's plan does: its status 2 means
// "changes" (--detailed-exitcode) and must never mean a failure.
const errorsExitOne = "journey:errors-exit-1"

// CLI is the journey command line, runnable in-process: tests give it their
// own writers, environment and clock.
type CLI struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Getenv reads the environment (NO_COLOR, GITHUB_STEP_SUMMARY, ...).
	Getenv func(string) string
	// Now is the clock of the run.
	Now func() time.Time
}

// NewCLI returns a CLI on the process's environment and clock.
func NewCLI(stdin io.Reader, stdout, stderr io.Writer) *CLI {
	return &CLI{Stdin: stdin, Stdout: stdout, Stderr: stderr, Getenv: os.Getenv, Now: time.Now}
}

// exitError carries an exit code; its message (if any) was not yet printed.
type exitError struct {
	code int
	err  error
	// outcome marks a status that reports a result, not a failure: it is
	// kept as it is whatever the command's errors exit with.
	outcome bool
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// failed is an exit code 1 whose explanation has been printed already.
func failed() error { return &exitError{code: exitFailed} }

// usage is an exit code 2 with a message.
func usage(format string, args ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, args...)}
}

// changesFound is journey plan --detailed-exitcode's status for a plan
// with changes.
func changesFound() error { return &exitError{code: exitChanges, outcome: true} }

// Run executes the command line and returns the exit code.
func (c *CLI) Run(ctx context.Context, args []string) (code int) {
	root := c.rootCommand()
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(c.Stderr, "journey: internal error: %v\n%s\nPlease report this with the command and the workspace that caused it.\n", r, debug.Stack())
			code = errorCode(root, args, exitInternal)
		}
	}()
	root.SetArgs(args)
	root.SetIn(c.Stdin)
	root.SetOut(c.Stdout)
	root.SetErr(c.Stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.outcome {
			return ee.code
		}
		if ee.err != nil {
			fmt.Fprintf(c.Stderr, "journey: %v\n", ee.err)
		}
		return errorCode(root, args, ee.code)
	}
	// Cobra's own errors are about the command line: unknown commands and
	// flags, wrong argument counts.
	fmt.Fprintf(c.Stderr, "journey: %v\nRun 'journey --help' for usage.\n", err)
	return errorCode(root, args, exitUsage)
}

// errorCode is the exit status of an error of the command args run: code,
// or 1 for a command annotated errorsExitOne. The command is found as
// cobra finds it, so that an error in parsing its flags counts too.
func errorCode(root *cobra.Command, args []string, code int) int {
	if cmd, _, err := root.Find(args); err == nil && cmd.Annotations[errorsExitOne] != "" {
		return exitFailed
	}
	return code
}

func (c *CLI) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "journey",
		Short: "Campaigns as code: validate, plan and run marketing automation",
		Long: `journey treats marketing-automation campaigns the way Terraform treats
infrastructure. Campaigns, sequences and rules are written in HCL
(*.journey.hcl); journey validates them, compiles them into a deterministic
execution plan, shows what a change does, and runs them.`,
		Example: `  journey validate examples/onboarding
  journey fmt --check .
  journey compile examples/onboarding -o plan.json
  journey --version`,
		SilenceUsage:  true,
		SilenceErrors: true,
		// --version (and -v) print what journey version prints, as
		// Terraform answers both.
		Version: versionText(),
	}
	root.SetVersionTemplate("{{.Version}}")
	root.Flags().BoolP("version", "v", false, "print journey's version, commit and Go version, as journey version does")
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return usage("%v\nRun '%s --help' for usage.", err, cmd.CommandPath())
	})
	for _, cmd := range c.commands() {
		failuresExitOne(cmd)
		root.AddCommand(cmd)
	}
	return root
}

// failuresExitOne makes a command's own failure (a file it cannot write, a
// server it cannot reach) exit status 1, and its subcommands' (journey
// contacts import): only cobra's errors about the command line itself are
// usage errors.
func failuresExitOne(cmd *cobra.Command) {
	if run := cmd.RunE; run != nil {
		cmd.RunE = func(cmd *cobra.Command, args []string) error {
			err := run(cmd, args)
			var ee *exitError
			if err != nil && !errors.As(err, &ee) {
				return &exitError{code: exitFailed, err: err}
			}
			return err
		}
	}
	for _, sub := range cmd.Commands() {
		failuresExitOne(sub)
	}
}

// commands lists every subcommand; a new command is one entry here.
func (c *CLI) commands() []*cobra.Command {
	return []*cobra.Command{
		c.validateCommand(),
		c.fmtCommand(),
		c.compileCommand(),
		c.graphCommand(),
		c.contactsCommand(),
		c.eventsCommand(),
		c.statusCommand(),
		c.planCommand(),
		c.applyCommand(),
		c.simulateCommand(),
		c.testCommand(),
		c.serverCommand(),
		c.migrateCommand(),
		c.mailsinkCommand(),
		c.versionCommand(),
	}
}

// colorFor reports whether to colour output written to w: only on a
// terminal, never with NO_COLOR set.
func (c *CLI) colorFor(w io.Writer) bool {
	if c.Getenv("NO_COLOR") != "" || c.Getenv("TERM") == "dumb" {
		return false
	}
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

// splitNames accepts repeated flags and comma-separated lists alike.
func splitNames(values []string) []string {
	var out []string
	for _, v := range values {
		for _, n := range strings.Split(v, ",") {
			if n = strings.TrimSpace(n); n != "" {
				out = append(out, n)
			}
		}
	}
	return out
}
