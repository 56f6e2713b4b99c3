package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
)

// terminal is a pseudo-terminal: a command writes to its tty as to a
// user's terminal, and the test reads what it showed.
type terminal struct {
	tty   *os.File
	shown chan string
}

func newTerminal(t *testing.T) *terminal {
	t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	term := &terminal{tty: tty, shown: make(chan string, 1)}
	go func() {
		var b bytes.Buffer
		io.Copy(&b, ptmx) // until the tty closes (EIO)
		ptmx.Close()
		term.shown <- b.String()
	}()
	t.Cleanup(func() { tty.Close() })
	return term
}

// closeAndRead closes the tty and returns everything written to it.
func (term *terminal) closeAndRead(t *testing.T) string {
	t.Helper()
	term.tty.Close()
	select {
	case s := <-term.shown:
		return s
	case <-time.After(time.Minute):
		t.Fatal("the terminal's output did not end a minute after its tty closed")
		return ""
	}
}

func TestImportShowsProgressOnATerminal(t *testing.T) {
	s := newOpServer(t)
	csv, _ := tenThousandRows()
	file := filepath.Join(t.TempDir(), "contacts.csv")
	if err := os.WriteFile(file, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	term := newTerminal(t)
	var stdout bytes.Buffer
	cli := NewCLI(nil, &stdout, term.tty)
	cli.Getenv = func(k string) string {
		return map[string]string{"JOURNEY_SERVER": s.url, "JOURNEY_TOKEN": opToken, "TERM": "xterm"}[k]
	}
	code := cli.Run(context.Background(), []string{"contacts", "import", file})
	shown := term.closeAndRead(t)
	if code != 1 || !strings.Contains(stdout.String(), "3 failed (above)") {
		t.Fatalf("exit %d\n%s", code, stdout.String())
	}
	t.Logf("the terminal showed %q", shown)
	for _, want := range []string{"importing contacts.csv", "10000", "rows/s", "3 failed"} {
		if !strings.Contains(shown, want) {
			t.Errorf("the progress line never showed %q", want)
		}
	}
	// The line is cleared at the end: the terminal's last line is blank,
	// for the summary printed after it.
	last := shown[strings.LastIndex(shown, "\r")+1:]
	if strings.TrimSpace(last) != "" {
		t.Errorf("the progress line was left on the terminal: %q", last)
	}
}
