package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/journeyhq/journey/runtime/api"
)

// tenThousandRows is a CSV of 10,000 contacts of which the rows at lines
// 12, 5001 and 9999 are wrong: a score that is no number, a row of too
// few cells, a stray quote.
func tenThousandRows() (csv string, bad map[int]string) {
	var b strings.Builder
	b.WriteString("email,first_name,score,tags\n")
	bad = map[int]string{12: `column score: "lots" is not a number`, 5001: "the row has 2 cells, the header 4 columns", 9999: `extraneous or missing " in quoted-field`}
	for line := 2; line <= 10_001; line++ {
		switch line {
		case 12:
			fmt.Fprintf(&b, "c%d@example.com,C,lots,lead\n", line)
		case 5001:
			fmt.Fprintf(&b, "c%d@example.com,C\n", line)
		case 9999:
			fmt.Fprintf(&b, "c%d@example.com,\"C\"x,1,lead\n", line)
		default:
			fmt.Fprintf(&b, "c%d@example.com,C,%d,lead\n", line, line)
		}
	}
	return b.String(), bad
}

func TestImportTenThousandRowsReportsTheBadOnes(t *testing.T) {
	s := newOpServer(t)
	csv, bad := tenThousandRows()
	file := filepath.Join(t.TempDir(), "contacts.csv")
	if err := os.WriteFile(file, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := s.run("", nil, "contacts", "import", file)
	if code != 1 {
		t.Fatalf("exit %d, want 1 (some rows failed)\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != len(bad)+1 {
		t.Fatalf("stdout has %d lines; want one per failed row and the summary:\n%s", len(lines), stdout)
	}
	for i, line := range []int{12, 5001, 9999} {
		if !strings.HasPrefix(lines[i], fmt.Sprintf("row %d: ", line)) || !strings.Contains(lines[i], bad[line]) {
			t.Errorf("line %d of stdout %q; want row %d: ...%s", i+1, lines[i], line, bad[line])
		}
	}
	want := "imported 9,997 of 10,000 rows from " + file + ": 9,997 created, 0 updated; 3 failed (above)"
	if lines[3] != want {
		t.Errorf("summary %q\nwant    %q", lines[3], want)
	}
	if stderr != "" {
		t.Errorf("stderr %q; want nothing: not a terminal, and no 10 s passed on the clock", stderr)
	}
	if c := s.mustFind("c10001@example.com"); c.Fields["score"] != 10001.0 || len(c.Tags) != 1 {
		t.Errorf("the last row's contact: %+v", c)
	}
	// Again, every row now an update but the bad ones: the same 3 fail.
	code, stdout, _ = s.run("", nil, "contacts", "import", file, "--mode", "upsert")
	if code != 1 || !strings.Contains(stdout, "imported 9,997 of 10,000 rows from "+file+": 0 created, 9,997 updated; 3 failed (above)") {
		t.Errorf("the import again: exit %d\n%s", code, stdout)
	}
}

func TestImportFromStandardInput(t *testing.T) {
	s := newOpServer(t)
	ndjson := `{"email": "ada@example.com", "tags": ["attended"]}` + "\n" + `{"email": "grace@example.com", "plan": "pro"}` + "\n"
	code, stdout, stderr := s.run(ndjson, nil, "contacts", "import", "-", "--format", "ndjson")
	if code != 0 || stdout != "imported 2 rows from <stdin>: 2 created, 0 updated\n" {
		t.Fatalf("exit %d\nstdout %q\nstderr %q", code, stdout, stderr)
	}
	code, stdout, _ = s.run(`{"email": "ada@example.com"}`+"\n", nil, "contacts", "import", "-", "--format", "ndjson", "--mode", "create")
	if code != 1 || !strings.Contains(stdout, `row 1: contact 1 has email "ada@example.com" already`) || !strings.Contains(stdout, "imported 0 of 1 row") {
		t.Errorf("--mode create of an existing contact: exit %d\n%s", code, stdout)
	}
	// The imported tag enrolled Ada, as tag_added would.
	code, stdout, _ = s.run("", nil, "contacts", "timeline", "ada@example.com")
	if code != 0 || !strings.Contains(stdout, "entered campaign webinar") {
		t.Errorf("timeline after the import: exit %d\n%s", code, stdout)
	}
}

func TestImportUsageErrors(t *testing.T) {
	s := newOpServer(t)
	dir := t.TempDir()
	txt := filepath.Join(dir, "contacts.txt")
	os.WriteFile(txt, []byte("email\na@example.com\n"), 0o644)
	for _, c := range []struct {
		args []string
		env  map[string]string
		msg  string
	}{
		{[]string{"contacts", "import", txt}, nil, `cannot tell the format from the extension ".txt"`},
		{[]string{"contacts", "import", "-"}, nil, "give --format csv or --format ndjson"},
		{[]string{"contacts", "import", txt, "--format", "xlsx"}, nil, `unknown format "xlsx"`},
		{[]string{"contacts", "import", txt, "--format", "csv", "--mode", "merge"}, nil, `--mode "merge": the mode is upsert`},
		{[]string{"contacts", "import", filepath.Join(dir, "missing.csv")}, nil, "cannot read the file to import"},
		{[]string{"contacts", "import", dir + "/"}, nil, "cannot tell the format"},
		{[]string{"contacts", "import"}, nil, "accepts 1 arg(s), received 0"},
		{[]string{"contacts", "import", txt, "--format", "csv"}, map[string]string{"JOURNEY_TOKEN": ""}, "no token: set JOURNEY_TOKEN or give --token"},
		{[]string{"contacts", "import", txt, "--format", "csv", "--server", "ftp://example.com"}, nil, `--server "ftp://example.com" is not a server address`},
	} {
		code, stdout, stderr := s.run("", c.env, c.args...)
		if code != 2 || !strings.Contains(stderr, c.msg) || stdout != "" {
			t.Errorf("journey %s: exit %d, stdout %q, stderr %q; want exit 2 saying %q", strings.Join(c.args, " "), code, stdout, stderr, c.msg)
		}
	}
	if _, err := s.client.FindContact(context.Background(), api.ContactRef{Email: "a@example.com"}); !api.NotFound(err) {
		t.Errorf("a usage error imported a row (%v)", err)
	}
}

func TestImportRefusedByTheServerBeforeAnyRow(t *testing.T) {
	s := newOpServer(t)
	code, stdout, stderr := s.run("email,scroe\na@example.com,1\n", nil, "contacts", "import", "-", "--format", "csv")
	if code != 1 || stdout != "" || !strings.Contains(stderr, `journey: the CSV's header: column 2: the workspace has no field "scroe"; did you mean "score"?`) {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

// Not on a terminal, an import says how it goes every 10 seconds on
// standard error; here each of the server's reports comes 11 s after the
// one before.
func TestImportNotOnATerminalSaysHowItGoesEveryTenSeconds(t *testing.T) {
	s := newOpServer(t)
	csv, _ := tenThousandRows()
	var stdout, stderr strings.Builder
	cli := NewCLI(strings.NewReader(csv), &stdout, &stderr)
	cli.Getenv = func(k string) string { return map[string]string{"JOURNEY_SERVER": s.url, "JOURNEY_TOKEN": opToken}[k] }
	now := opStart
	cli.Now = func() time.Time { now = now.Add(11 * time.Second); return now }
	if code := cli.Run(context.Background(), []string{"contacts", "import", "-", "--format", "csv"}); code != 1 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout.String(), stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
	if len(lines) != 10 {
		t.Fatalf("%d progress lines; want one for each of the server's 10 reports:\n%s", len(lines), stderr.String())
	}
	if want := "journey contacts import: <stdin>: 1,000 rows done ("; !strings.HasPrefix(lines[0], want) || !strings.HasSuffix(lines[0], " rows/s), 1 failed") {
		t.Errorf("first line %q; want %q... rows/s), 1 failed", lines[0], want)
	}
	if !strings.HasPrefix(lines[9], "journey contacts import: <stdin>: 10,000 rows done (") || !strings.HasSuffix(lines[9], "3 failed") {
		t.Errorf("last line %q", lines[9])
	}
}

// blockingRows gives rows, then cancels the command's context and holds
// the body open as a user's stdin would, until the command lets go.
type blockingRows struct {
	rows   *strings.Reader
	cancel context.CancelFunc
	ctx    context.Context
}

func (b *blockingRows) Read(p []byte) (int, error) {
	if b.rows.Len() > 0 {
		return b.rows.Read(p)
	}
	b.cancel()
	<-b.ctx.Done()
	return 0, b.ctx.Err()
}

func TestImportInterruptedStopsAndSaysSo(t *testing.T) {
	s := newOpServer(t)
	var rows strings.Builder
	rows.WriteString("email\n")
	for i := range 1500 {
		fmt.Fprintf(&rows, "c%d@example.com\n", i)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr strings.Builder
	cli := NewCLI(&blockingRows{rows: strings.NewReader(rows.String()), cancel: cancel, ctx: ctx}, &stdout, &stderr)
	cli.Getenv = func(k string) string { return map[string]string{"JOURNEY_SERVER": s.url, "JOURNEY_TOKEN": opToken}[k] }
	done := make(chan int, 1)
	go func() { done <- cli.Run(ctx, []string{"contacts", "import", "-", "--format", "csv"}) }()
	select {
	case code := <-done:
		if code != 1 || !strings.Contains(stderr.String(), "journey: interrupted: the rows the server had taken stay imported") {
			t.Errorf("exit %d, stdout %q, stderr %q", code, stdout.String(), stderr.String())
		}
	case <-time.After(time.Minute):
		t.Fatal("the import did not stop a minute after its context was cancelled")
	}
}

func TestImportStoppedByTheServer(t *testing.T) {
	s := newOpServer(t)
	long := strings.Repeat("x", 200<<10)
	code, stdout, stderr := s.run("email,first_name\nc@example.com,C\nd@example.com,"+long, nil, "contacts", "import", "-", "--format", "csv")
	if code != 1 || stdout != "" || !strings.Contains(stderr, "journey: the import stopped after 1 rows (a row is longer than 64 KiB): 1 were imported") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}
