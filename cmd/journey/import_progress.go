package main

import (
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/dustin/go-humanize"
	"github.com/schollz/progressbar/v3"

	"github.com/journeyhq/journey/runtime/api"
)

// importProgress shows how an import goes while the server answers.
type importProgress interface {
	// update takes the server's counts of the rows done.
	update(api.ImportCounts)
	// failed takes the count of failed rows printed so far.
	failed(n int)
	// clear makes room for a line of standard output.
	clear()
	// finish removes what the progress showed, before the summary.
	finish()
}

// progressEvery is how often an import not on a terminal says how it goes.
const progressEvery = 10 * time.Second

// newImportProgress is a progress line redrawn in place on a terminal,
// a line every progressEvery otherwise.
func (c *CLI) newImportProgress(name string) importProgress {
	if !c.isTerminal(c.Stderr) {
		return &progressLines{w: c.Stderr, now: c.Now, start: c.Now(), last: c.Now(), name: name}
	}
	// The spinner is redrawn by each update only: the bar's own redrawing
	// goroutine would race the failed rows printed between updates.
	bar := progressbar.NewOptions64(-1, // the rows to come are not known: a spinner
		progressbar.OptionSetWriter(c.Stderr),
		progressbar.OptionSetDescription("importing "+filepath.Base(name)),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("rows"),
		progressbar.OptionSetSpinnerChangeInterval(0),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionUseANSICodes(true),
		progressbar.OptionClearOnFinish(),
	)
	bar.RenderBlank()
	return &progressBar{bar: bar, name: filepath.Base(name)}
}

// progressBar is the terminal's progress line: a spinner, the rows done,
// rows/s, the failures so far and the time taken.
type progressBar struct {
	bar  *progressbar.ProgressBar
	name string
}

func (p *progressBar) update(n api.ImportCounts) { p.bar.Set64(int64(n.Rows)) }

func (p *progressBar) failed(n int) {
	p.bar.Describe(fmt.Sprintf("importing %s, %s failed", p.name, humanize.Comma(int64(n))))
}

func (p *progressBar) clear() { p.bar.Clear() }

func (p *progressBar) finish() {
	p.bar.Finish()
	p.bar.Clear()
}

// progressLines says how an import goes on a log or a pipe: a line every
// progressEvery, at the server's progress reports.
type progressLines struct {
	w           io.Writer
	now         func() time.Time
	start, last time.Time
	name        string
	failedRows  int
}

func (p *progressLines) update(n api.ImportCounts) {
	now := p.now()
	if now.Sub(p.last) < progressEvery {
		return
	}
	p.last = now
	rate := float64(n.Rows) / max(now.Sub(p.start).Seconds(), 1e-3)
	fmt.Fprintf(p.w, "journey contacts import: %s: %s rows done (%s rows/s), %s failed\n",
		p.name, humanize.Comma(int64(n.Rows)), humanize.Comma(int64(rate)), humanize.Comma(int64(p.failedRows)))
}

func (p *progressLines) failed(n int) { p.failedRows = n }
func (p *progressLines) clear()       {}
func (p *progressLines) finish()      {}
