package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/sergi/go-diff/diffmatchpatch"
	"github.com/spf13/cobra"

	"github.com/journeyhq/journey/internal/atomicfile"
	"github.com/journeyhq/journey/internal/words"
	"github.com/journeyhq/journey/lang"
)

type fmtOptions struct {
	path      string
	check     bool
	diff      bool
	write     bool
	list      bool
	recursive bool
}

func (c *CLI) fmtCommand() *cobra.Command {
	var o fmtOptions
	cmd := &cobra.Command{
		Use:   "fmt [PATH | -]",
		Short: "Rewrite campaign files in the canonical format",
		Long: `Rewrite the *` + lang.SuffixHCL + ` files in PATH (a directory, default ., or one
file) in the canonical layout: two-space indentation, one space around = and
operators, the = of neighbouring attributes aligned, trailing comments
aligned, exactly one line break at the end of the file. Only whitespace
changes: names, values, strings, heredocs and comments stay as they are.

journey fmt prints the name of each file it changes. Without --recursive it
formats the files directly in the directory; with it, every *` + lang.SuffixHCL + `
file below it too (hidden directories such as .git are skipped, symlinked
directories are not followed).

*` + lang.SuffixJSON + ` files are left as they are: journey fmt formats the HCL
syntax only.

PATH - reads standard input and prints it formatted on standard output
(with --diff, the change instead; with --check, nothing, and exit status 1
when it is not formatted). A syntax error is printed as <stdin>:LINE:COL.
--list, --write and --recursive do nothing then.

A file that does not parse is never rewritten: its errors are printed with
file:line:col, the other files are still formatted, and the exit status is 1.
A file is written only when its bytes change, and atomically: a temporary
file in the same directory, synced, with the original's permissions, renamed
over the original.

Exit status: 0 done (with --check: every file is formatted), 1 files not
formatted (with --check) or a file that could not be parsed, read or
written, 2 usage (bad path, unknown flag), 3 internal error.`,
		Example: `  journey fmt                             # the files in the current directory
  journey fmt campaigns/main.journey.hcl  # one file
  journey fmt --recursive .               # and every directory below
  journey fmt -r campaigns/               # -r is short for --recursive
  journey fmt --check -r .                # CI: list unformatted files, exit 1 if any
  journey fmt --diff .                    # show each change as a diff, and write it
  journey fmt --check --diff -r .         # show what would change, write nothing
  journey fmt --write=false .             # list what would change, write nothing
  journey fmt --list=false -r .           # format without listing the files
  journey fmt - < main.journey.hcl        # standard input to standard output
  journey fmt --check - < main.journey.hcl  # exit 1 if it is not formatted`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.path = "."
			if len(args) == 1 {
				o.path = args[0]
			}
			return c.runFmt(cmd.Context(), o)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&o.check, "check", false, "write nothing; list the files that are not formatted and exit 1 if there are any")
	f.BoolVar(&o.diff, "diff", false, "print a unified diff of the change to each file")
	f.BoolVar(&o.write, "write", true, "write the formatted files (--write=false: only list or diff; always off with --check)")
	f.BoolVar(&o.list, "list", true, "print the name of each file that changes (or, with --check, is not formatted)")
	f.BoolVarP(&o.recursive, "recursive", "r", false, "also format the files in every directory below PATH")
	return cmd
}

// fmtRun counts what happened to the files of one journey fmt.
type fmtRun struct {
	changed  int // files not formatted (written unless --check or --write=false)
	failed   int // files left as they are: unreadable, not parsed, not written
	internal int // files refused by the formatter's own safeguard
}

func (c *CLI) runFmt(ctx context.Context, o fmtOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if o.path == "-" {
		return c.fmtStdin(o)
	}
	files, jsonFiles, walkErrs, err := fmtTargets(o.path, o.recursive)
	if err != nil {
		return err
	}
	var run fmtRun
	for _, e := range walkErrs {
		fmt.Fprintf(c.Stderr, "journey: %v\n", e)
		run.failed++
	}
	if len(files) == 0 && len(walkErrs) == 0 {
		fmt.Fprintf(c.Stderr, "journey: nothing to format in %s: its %d *%s file(s) are left as they are (journey fmt formats *%s files)\n",
			o.path, jsonFiles, lang.SuffixJSON, lang.SuffixHCL)
		return nil
	}
	for i, name := range files {
		if ctx.Err() != nil {
			fmt.Fprintf(c.Stderr, "journey: interrupted; %d of %d files not looked at (every file is either as it was or fully formatted)\n", len(files)-i, len(files))
			return failed()
		}
		c.fmtFile(name, o, &run)
	}
	if o.check && run.changed > 0 {
		fmt.Fprintf(c.Stderr, "journey: %s not formatted; run journey fmt to format %s\n",
			words.CountForms(run.changed, "file is", "files are"), words.ForCount(run.changed, "it", "them"))
	}
	if run.failed > 0 {
		fmt.Fprintln(c.Stderr, "journey: not every file could be formatted: see the errors above")
	}
	switch {
	case run.internal > 0:
		return &exitError{code: exitInternal, err: fmt.Errorf("the formatter refused %s as unsafe (see above); please report it", words.Count(run.internal, "file"))}
	case run.failed > 0, o.check && run.changed > 0:
		return failed()
	}
	return nil
}

// fmtFile formats one file, reporting on the CLI's writers.
func (c *CLI) fmtFile(name string, o fmtOptions, run *fmtRun) {
	info, err := os.Stat(name)
	if err != nil {
		fmt.Fprintf(c.Stderr, "journey: cannot read %s: %v\n", name, fmtUnwrapPath(err))
		run.failed++
		return
	}
	if !info.Mode().IsRegular() {
		fmt.Fprintf(c.Stderr, "journey: %s is not a regular file\n", name)
		run.failed++
		return
	}
	if info.Size() > lang.MaxFileSize {
		fmt.Fprintf(c.Stderr, "journey: %s is %d MB, larger than the %d MB journey reads\n", name, info.Size()>>20, lang.MaxFileSize>>20)
		run.failed++
		return
	}
	src, err := os.ReadFile(name)
	if err != nil {
		fmt.Fprintf(c.Stderr, "journey: cannot read %s: %v\n", name, fmtUnwrapPath(err))
		run.failed++
		return
	}
	out, diags := lang.Format(src, name)
	if diags.HasErrors() {
		for _, d := range diags {
			if d.Severity == hcl.DiagError {
				fmt.Fprintln(c.Stderr, fmtDiagLine(d))
			}
		}
		if lang.RuleOf(diags[0]) == lang.RuleFormatBug {
			run.internal++
			return
		}
		fmt.Fprintf(c.Stderr, "journey: %s left as it is: it does not parse; fix %s above and run journey fmt again\n", name, fmtTheErrors(diags))
		run.failed++
		return
	}
	if bytes.Equal(src, out) {
		return
	}
	run.changed++
	if o.write && !o.check {
		if err := fmtWrite(name, out, info); err != nil {
			fmt.Fprintf(c.Stderr, "journey: cannot write %s: %v; the file is unchanged\n", name, err)
			run.failed++
			run.changed--
			return
		}
	}
	if o.list {
		fmt.Fprintln(c.Stdout, name)
	}
	if o.diff {
		io.WriteString(c.Stdout, fmtUnifiedDiff(name, src, out))
	}
}

// fmtStdin formats standard input to standard output, as terraform fmt -
// does: the formatted text, or with --diff the change, and with --check
// exit status 1 when the text is not formatted (and no text printed).
func (c *CLI) fmtStdin(o fmtOptions) error {
	src, err := c.readStdin()
	if err != nil {
		return err
	}
	out, diags := lang.Format(src, stdinName)
	if diags.HasErrors() {
		for _, d := range diags {
			if d.Severity == hcl.DiagError {
				fmt.Fprintln(c.Stderr, fmtDiagLine(d))
			}
		}
		if lang.RuleOf(diags[0]) == lang.RuleFormatBug {
			return &exitError{code: exitInternal, err: errors.New("the formatter refused its own output as unsafe (see above); please report it with the input")}
		}
		return &exitError{code: exitFailed, err: fmt.Errorf("%s does not parse: fix %s above and run journey fmt again", stdinName, fmtTheErrors(diags))}
	}
	switch {
	case o.diff:
		_, err = io.WriteString(c.Stdout, fmtUnifiedDiff(stdinName, src, out))
	case !o.check:
		_, err = c.Stdout.Write(out)
	}
	if err != nil {
		return err
	}
	if o.check && !bytes.Equal(src, out) {
		return &exitError{code: exitFailed, err: fmt.Errorf("%s is not formatted; journey fmt - prints it formatted", stdinName)}
	}
	return nil
}

// fmtFormats reports whether fmt formats a file: campaign files in HCL and
// scenario files, not hidden or editor lock files.
func fmtFormats(name string) bool {
	if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "#") {
		return false
	}
	return strings.HasSuffix(name, lang.SuffixHCL) || strings.HasSuffix(name, lang.SuffixTest)
}

// fmtTargets returns the *.journey.hcl files to format: path itself, or the
// files in the directory path (and below it with recursive), in lexical
// order, as paths joined to path. It counts the JSON campaign files it left
// out and returns the directories it could not read below path. err is a
// usage error: a path that does not exist, a file that is not HCL, no
// campaign files at all.
func fmtTargets(root string, recursive bool) (files []string, jsonFiles int, walkErrs []error, err error) {
	info, err := os.Stat(root)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, 0, nil, usage("%s does not exist: give a directory or a *%s file", root, lang.SuffixHCL)
	case err != nil:
		return nil, 0, nil, usage("cannot read %s: %v", root, fmtUnwrapPath(err))
	case !info.IsDir():
		switch {
		case fmtFormats(filepath.Base(root)) && info.Mode().IsRegular():
			return []string{root}, 0, nil, nil
		case strings.HasSuffix(root, lang.SuffixJSON):
			return nil, 0, nil, usage("%s is a JSON campaign file: journey fmt formats only *%s files and leaves JSON as it is", root, lang.SuffixHCL)
		case strings.HasSuffix(root, lang.SuffixHCL):
			return nil, 0, nil, usage("%s is not a regular file", root)
		default:
			return nil, 0, nil, usage("%s is not a campaign file: journey fmt formats *%s files", root, lang.SuffixHCL)
		}
	}
	// consider sorts one directory entry: files ending in .journey.hcl
	// (symlinks to files too), JSON campaign files counted.
	consider := func(p string, d fs.DirEntry) {
		name := d.Name()
		switch {
		case strings.HasSuffix(name, lang.SuffixJSON):
			jsonFiles++
		case !fmtFormats(name) || d.IsDir():
		case d.Type()&fs.ModeSymlink != 0:
			// A symlink to a directory is not followed; one to a file
			// (or a broken one, reported when read) is formatted.
			if fi, err := os.Stat(p); err == nil && fi.IsDir() {
				return
			}
			files = append(files, p)
		default:
			files = append(files, p)
		}
	}
	if !recursive {
		entries, err := os.ReadDir(root)
		if err != nil {
			return nil, 0, nil, usage("cannot list %s: %v", root, fmtUnwrapPath(err))
		}
		for _, e := range entries {
			consider(filepath.Join(root, e.Name()), e)
		}
		if len(files) == 0 && jsonFiles == 0 {
			return nil, 0, nil, usage("no *%s files in %s (use --recursive to format the directories below it)", lang.SuffixHCL, root)
		}
		return files, jsonFiles, nil, nil
	}
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root {
				return err
			}
			// An unreadable directory below root: reported, the rest is
			// still formatted.
			walkErrs = append(walkErrs, fmt.Errorf("cannot read %s: %v", p, fmtUnwrapPath(err)))
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if p != root && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			return nil
		}
		consider(p, d)
		return nil
	})
	if err != nil {
		return nil, 0, nil, usage("cannot read %s: %v", root, fmtUnwrapPath(err))
	}
	if len(files) == 0 && jsonFiles == 0 && len(walkErrs) == 0 {
		return nil, 0, nil, usage("no *%s files in %s or below it", lang.SuffixHCL, root)
	}
	return files, jsonFiles, walkErrs, nil
}

// fmtWrite replaces the file name (the file a symlink points to) with the
// formatted data, atomically and keeping its permissions. read is the
// file's state when it was read: a file saved since then (by an editor) is
// left alone, so that formatting an older content does not undo the save.
func fmtWrite(name string, data []byte, read fs.FileInfo) error {
	err := atomicfile.WriteFile(name, data, read.Mode().Perm(), atomicfile.IfUnchanged(read))
	if errors.Is(err, atomicfile.ErrChanged) {
		return errors.New("it changed while journey fmt was formatting it; run journey fmt again")
	}
	return err
}

// fmtUnifiedDiff returns the change from a to b as a unified diff with
// three lines of context, the files named a/NAME and b/NAME as git names
// them (an absolute NAME as it is); "" when a equals b.
func fmtUnifiedDiff(name string, a, b []byte) string {
	if bytes.Equal(a, b) {
		return ""
	}
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 5 * time.Second // a slower diff is still a correct one
	ra, rb, lines := dmp.DiffLinesToRunes(string(a), string(b))
	diffs := dmp.DiffCharsToLines(dmp.DiffMainRunes(ra, rb, false), lines)

	type line struct {
		op   byte // ' ', '-' or '+'
		text string
	}
	var ls []line
	for _, d := range diffs {
		op := byte(' ')
		switch d.Type {
		case diffmatchpatch.DiffDelete:
			op = '-'
		case diffmatchpatch.DiffInsert:
			op = '+'
		}
		for _, t := range strings.SplitAfter(d.Text, "\n") {
			if t != "" {
				ls = append(ls, line{op, t})
			}
		}
	}
	// oldAt[i] and newAt[i]: the lines of a and of b before ls[i].
	oldAt, newAt := make([]int, len(ls)+1), make([]int, len(ls)+1)
	for i, l := range ls {
		oldAt[i+1], newAt[i+1] = oldAt[i], newAt[i]
		if l.op != '+' {
			oldAt[i+1]++
		}
		if l.op != '-' {
			newAt[i+1]++
		}
	}
	const contextLines = 3
	var out strings.Builder
	from, to := "a/"+filepath.ToSlash(name), "b/"+filepath.ToSlash(name)
	if filepath.IsAbs(name) {
		from, to = name, name
	}
	fmt.Fprintf(&out, "--- %s\n+++ %s\n", from, to)
	for i := 0; i < len(ls); {
		for i < len(ls) && ls[i].op == ' ' {
			i++
		}
		if i == len(ls) {
			break
		}
		start := max(i-contextLines, 0)
		end := i // past the last change of the hunk
		for {
			for end < len(ls) && ls[end].op != ' ' {
				end++
			}
			next := end
			for next < len(ls) && ls[next].op == ' ' {
				next++
			}
			if next == len(ls) || next-end > 2*contextLines {
				break
			}
			end = next
		}
		stop := min(end+contextLines, len(ls))
		fmt.Fprintf(&out, "@@ -%s +%s @@\n",
			fmtHunkRange(oldAt[start], oldAt[stop]-oldAt[start]), fmtHunkRange(newAt[start], newAt[stop]-newAt[start]))
		for _, l := range ls[start:stop] {
			out.WriteByte(l.op)
			out.WriteString(l.text)
			if !strings.HasSuffix(l.text, "\n") {
				out.WriteString("\n\\ No newline at end of file\n")
			}
		}
		i = stop
	}
	return out.String()
}

// fmtHunkRange is one side of a hunk header: the first line (1-based; for an
// empty side the line before it) and the count, left out when it is 1.
func fmtHunkRange(before, n int) string {
	switch n {
	case 0:
		return fmt.Sprintf("%d,0", before)
	case 1:
		return fmt.Sprintf("%d", before+1)
	}
	return fmt.Sprintf("%d,%d", before+1, n)
}

// fmtDiagLine is a diagnostic on one line, as journey validate starts
// it: file:line:col, error [rule], the message.
func fmtDiagLine(d *hcl.Diagnostic) string {
	at := "(unknown)"
	if d.Subject != nil {
		at = fmt.Sprintf("%s:%d:%d", d.Subject.Filename, d.Subject.Start.Line, d.Subject.Start.Column)
	}
	msg := d.Summary
	if d.Detail != "" {
		msg += "; " + d.Detail
	}
	rule := lang.RuleOf(d)
	if rule == "" {
		rule = lang.RuleSyntax
	}
	return fmt.Sprintf("%s: error [%s] %s", at, rule, msg)
}

// fmtTheErrors is "the error" or "the 3 errors" of diags.
func fmtTheErrors(diags hcl.Diagnostics) string {
	if n := fmtCountErrors(diags); n > 1 {
		return "the " + words.Count(n, "error")
	}
	return "the error"
}

func fmtCountErrors(diags hcl.Diagnostics) int {
	n := 0
	for _, d := range diags {
		if d.Severity == hcl.DiagError {
			n++
		}
	}
	return n
}

// fmtUnwrapPath drops the operation and path of a *fs.PathError, which the
// messages here name themselves.
func fmtUnwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}
