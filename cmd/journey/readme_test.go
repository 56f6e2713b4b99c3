package main

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestReadmeTour runs the README's tour as a new user pastes it into a
// terminal: every command of every ```console block, in order, from the
// repository's root, `go run ./cmd/journey` and all, with /tmp/ standing
// for a directory of the test's own. The commands run in one shell, as in
// one terminal: what one exports, the next sees, and a command ending in &
// runs in the background (with job control, so that `kill %1` stops it as
// it would for the user) until the README's end stops it. What each
// command prints (stdout and stderr, as a terminal shows them) must be
// what the README shows, where a line "..." stands for any number of lines
// and what varies from run to run stands for any such value: durations and
// hashes, and in a block marked live, times and delivery keys (see
// outputMatches). The ports 8080 and 2525 of the README's server walk are
// free ports of the test's choosing. The Mermaid picture the README shows
// must be what the command named above it prints.
func TestReadmeTour(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the README's commands with go run; go test without -short runs it")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	blocks := consoleBlocks(string(readme))
	if len(blocks) == 0 {
		t.Fatal("README.md has no ```console block: the tour test would test nothing")
	}
	session := tourSession{root: root, tmp: t.TempDir(), ports: map[string]string{}}
	for _, readmePort := range []string{"8080", "2525"} {
		session.ports[readmePort] = freePort(t)
	}
	var run []tourCommand
	for _, b := range blocks {
		for _, c := range b.commands {
			if missing := missingTool(c.text); missing != "" {
				if os.Getenv("JOURNEY_REQUIRE_RENDERERS") != "" {
					t.Fatalf("README.md:%d: %s needs %s, which is not installed (.ci/run installs it)", c.line, c.text, missing)
				}
				t.Logf("README.md:%d: skipped, %s is not installed: %s", c.line, missing, c.text)
				continue
			}
			c.live = b.live
			run = append(run, c)
		}
	}
	outputs, err := session.run(run)
	for i, got := range outputs {
		if c := run[i]; !outputMatches(c.want, splitLines(got), c.live) {
			t.Errorf("README.md:%d: $ %s\nthe README shows:\n%s\nthe command prints:\n%s", c.line, c.text, strings.Join(c.want, "\n"), got)
		}
	}
	switch {
	case err != nil && len(outputs) < len(run):
		t.Fatalf("README.md:%d: $ %s\n%v", run[len(outputs)].line, run[len(outputs)].text, err)
	case err != nil:
		t.Fatalf("stopping what README.md's commands left running: %v", err)
	}
	pictures := mermaidPictures(string(readme))
	if len(pictures) == 0 {
		t.Error("README.md shows no Mermaid picture under a <!-- journey graph ... --> comment")
	}
	for _, p := range pictures {
		outputs, err := session.run([]tourCommand{{text: "go run ./cmd/" + p.command}})
		if err != nil {
			t.Fatalf("README.md:%d: %v", p.line, err)
		}
		if !outputMatches(p.want, splitLines(outputs[0]), false) {
			t.Errorf("README.md:%d: the picture is not what %s draws; it draws:\n%s", p.line, p.command, outputs[0])
		}
	}
}

// tourSession runs the README's commands in a shell, from root, with /tmp/
// standing for tmp and the README's ports for ports.
type tourSession struct {
	root, tmp string
	// ports maps a port the README names to the free port used instead.
	ports map[string]string
}

// tourTimeout bounds the README's commands: they build journey and wait
// for a server, but commands that take this long hang, and fail.
const tourTimeout = 5 * time.Minute

// run runs commands in one shell, as typed into one terminal, and returns
// what each printed, as the README would show it. When the shell fails or
// hangs, it returns what the commands that ended printed, and an error
// about the next one.
func (s tourSession) run(commands []tourCommand) ([]string, error) {
	marker := fmt.Sprintf("@@journey-tour-%d@@", time.Now().UnixNano())
	var script strings.Builder
	// Job control, as in a terminal: a background command gets a process
	// group of its own, which kill %N stops whole (go run and journey).
	script.WriteString("set -m\n")
	for i, c := range commands {
		fmt.Fprintf(&script, "printf '\\n%s %d\\n'\n%s\n", marker, i, s.substitute(c.text))
	}
	// What the commands left running is stopped, as closing the terminal
	// would.
	fmt.Fprintf(&script, "printf '\\n%s %d\\n'\nfor job in $(jobs -p); do kill -TERM -- -$job; done 2>/dev/null\nwait\n", marker, len(commands))

	out, err := runShell(s.root, script.String(), tourEnv(), tourTimeout)
	var outputs []string
	for i := range commands {
		header := fmt.Sprintf("\n%s %d\n", marker, i)
		start := strings.Index(out, header)
		end := strings.Index(out, fmt.Sprintf("\n%s %d\n", marker, i+1))
		if start < 0 || end < start {
			if err == nil {
				err = errors.New("the shell stopped here")
			}
			printed := ""
			if start >= 0 {
				printed = s.unsubstitute(out[start+len(header):])
			}
			return outputs, fmt.Errorf("%w; it printed:\n%s", err, printed)
		}
		outputs = append(outputs, s.unsubstitute(out[start+len(header):end]))
	}
	return outputs, err
}

func (s tourSession) substitute(command string) string {
	command = strings.ReplaceAll(command, "/tmp/", s.tmp+"/")
	for readme, port := range s.ports {
		command = regexp.MustCompile(`\b`+readme+`\b`).ReplaceAllString(command, port)
	}
	return command
}

func (s tourSession) unsubstitute(output string) string {
	output = strings.ReplaceAll(output, s.tmp+"/", "/tmp/")
	for readme, port := range s.ports {
		output = regexp.MustCompile(`:`+port+`\b`).ReplaceAllString(output, ":"+readme)
	}
	return jobNotice.ReplaceAllString(output, "")
}

// jobNotice is what the shell says of a background job that ended (the
// terminal says it too, at the next prompt): not the command's output.
var jobNotice = regexp.MustCompile(`(?m)^\[\d+\][-+ ] +(Done|Terminated|Killed|Exit \d+)\b.*\n?`)

// tourEnv is the test's environment as a new user's shell has it: no
// journey server named, no token.
func tourEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "JOURNEY_TOKEN=") && !strings.HasPrefix(kv, "JOURNEY_SERVER=") {
			env = append(env, kv)
		}
	}
	return append(env, "NO_COLOR=1")
}

// freePort is a port nothing listens on now.
func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	_, port, _ := net.SplitHostPort(l.Addr().String())
	return port
}

// mermaidPictures reads the ```mermaid blocks that follow a comment naming
// the journey command that draws them.
func mermaidPictures(md string) []tourCommand {
	var out []tourCommand
	lines := strings.Split(md, "\n")
	for i := 0; i+1 < len(lines); i++ {
		m := pictureComment.FindStringSubmatch(lines[i])
		if m == nil || strings.TrimSpace(lines[i+1]) != "```mermaid" {
			continue
		}
		p := tourCommand{line: i + 1, text: m[1], command: m[1]}
		for j := i + 2; j < len(lines) && strings.TrimSpace(lines[j]) != "```"; j++ {
			p.want = append(p.want, lines[j])
		}
		out = append(out, p)
	}
	return out
}

var pictureComment = regexp.MustCompile(`^<!-- (journey graph [^>]*?) -->$`)

// tourCommand is one "$ " command of a console block and what the README
// shows it printing.
type tourCommand struct {
	line    int
	text    string
	want    []string
	command string // a picture's journey command
	live    bool   // its block's
}

type consoleBlock struct {
	line int
	// live blocks work a running server: what they print carries its
	// clock. A comment line "<!-- live ... -->" right above the block
	// marks one.
	live     bool
	commands []tourCommand
}

// consoleBlocks reads the ```console blocks of a Markdown text. A command
// continues on the next line after a trailing backslash, and down to the
// end word of a here-document (cat > f <<'EOF' ... EOF).
func consoleBlocks(md string) []consoleBlock {
	var blocks []consoleBlock
	var cur *consoleBlock
	continued := false
	hereEnd, previous := "", ""
	sc := bufio.NewScanner(strings.NewReader(md))
	for n := 1; sc.Scan(); n, previous = n+1, sc.Text() {
		line := sc.Text()
		switch {
		case cur == nil && strings.TrimSpace(line) == "```console":
			blocks = append(blocks, consoleBlock{line: n, live: liveComment.MatchString(previous)})
			cur = &blocks[len(blocks)-1]
		case cur == nil:
		case hereEnd != "":
			c := &cur.commands[len(cur.commands)-1]
			c.text += "\n" + line
			if line == hereEnd {
				hereEnd = ""
			}
		case strings.TrimSpace(line) == "```":
			cur, continued = nil, false
		case continued:
			c := &cur.commands[len(cur.commands)-1]
			c.text += "\n" + line
			continued = strings.HasSuffix(line, "\\")
		case strings.HasPrefix(line, "$ "):
			cur.commands = append(cur.commands, tourCommand{line: n, text: strings.TrimPrefix(line, "$ ")})
			continued = strings.HasSuffix(line, "\\")
			if m := hereDocument.FindStringSubmatch(line); m != nil {
				hereEnd = m[1]
			}
		case len(cur.commands) > 0:
			c := &cur.commands[len(cur.commands)-1]
			c.want = append(c.want, line)
		}
	}
	return blocks
}

var liveComment = regexp.MustCompile(`^<!-- live\b.*-->$`)

// hereDocument finds a here-document's end word in a command line.
var hereDocument = regexp.MustCompile(`<<-?\s*'?"?(\w+)'?"?`)

// missingTool names a program a command pipes to that is not installed.
func missingTool(command string) string {
	for _, tool := range []string{"dot", "jq"} {
		if regexp.MustCompile(`\|\s*` + tool + `\b`).MatchString(command) {
			if _, err := exec.LookPath(tool); err != nil {
				return tool
			}
		}
	}
	return ""
}

var (
	durationText = regexp.MustCompile(`\b\d+(\.\d+)?m?s\b`)
	hashText     = regexp.MustCompile(`sha256:[0-9a-f]+`)
)

// What a running server prints that changes with its clock, in a block
// marked live: the times of a timeline and of journey status, and the
// delivery keys (which end in the step's instant, in nanoseconds), the
// Message-IDs made of them, and the dates the campaign works out from the
// clock.
var (
	clockText     = regexp.MustCompile(`\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d\d:\d\d [A-Z]{3,5}\b`)
	utcText       = regexp.MustCompile(`\b\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\b`)
	keyInstant    = regexp.MustCompile(`(/\d+/)\d{19}\b`)
	messageIDText = regexp.MustCompile(`<[0-9a-f]{32}@`)
	// A date the campaign works out from the server's clock (the
	// example's trial ends 14 days after the signup).
	dateText = regexp.MustCompile(`\b\d{4}-\d\d-\d\d\b`)
)

func splitLines(s string) []string {
	s = strings.TrimRight(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// outputMatches reports whether got is what want shows: line by line,
// trailing spaces and blank lines at either end ignored, "..." matching any
// number of lines, durations matching any duration, hashes any hash. In a
// live block's output, times, dates and delivery keys match any time, date
// or key.
func outputMatches(want, got []string, live bool) bool {
	norm := func(lines []string) []string {
		var out []string
		for _, l := range lines {
			l = durationText.ReplaceAllString(strings.TrimRight(l, " \t"), "0s")
			l = hashText.ReplaceAllString(l, "sha256:…")
			if live {
				l = clockText.ReplaceAllString(l, "Mon 01 Jan 00:00 UTC")
				l = utcText.ReplaceAllString(l, "2000-01-01 00:00:00 UTC")
				l = keyInstant.ReplaceAllString(l, "${1}0")
				l = messageIDText.ReplaceAllString(l, "<…@")
				l = dateText.ReplaceAllString(l, "2000-01-01")
			}
			out = append(out, l)
		}
		for len(out) > 0 && out[0] == "" {
			out = out[1:]
		}
		for len(out) > 0 && out[len(out)-1] == "" {
			out = out[:len(out)-1]
		}
		return out
	}
	return matchLines(norm(want), norm(got))
}

func matchLines(want, got []string) bool {
	if len(want) == 0 {
		return len(got) == 0
	}
	if strings.TrimSpace(want[0]) == "..." {
		for skip := 0; skip <= len(got); skip++ {
			if matchLines(want[1:], got[skip:]) {
				return true
			}
		}
		return false
	}
	return len(got) > 0 && want[0] == got[0] && matchLines(want[1:], got[1:])
}

func TestOutputMatches(t *testing.T) {
	for _, tc := range []struct {
		want, got []string
		ok        bool
	}{
		{[]string{"a", "b"}, []string{"a", "b"}, true},
		{[]string{"a", "...", "d"}, []string{"a", "b", "c", "d"}, true},
		{[]string{"a", "...", "d"}, []string{"a", "d"}, true},
		{[]string{"a", "..."}, []string{"a", "b", "c"}, true},
		{[]string{"a", "b"}, []string{"a", "b", "c"}, false},
		{[]string{"a", "b", "c"}, []string{"a", "b"}, false},
		{[]string{"ok  \tx\t0.15s (4 scenarios)"}, []string{"ok  \tx\t1.02s (4 scenarios)"}, true},
		{[]string{"", "a", ""}, []string{"a"}, true},
		{[]string{"a"}, []string{"b"}, false},
	} {
		if got := outputMatches(tc.want, tc.got, false); got != tc.ok {
			t.Errorf("outputMatches(%q, %q) = %v, want %v", tc.want, tc.got, got, tc.ok)
		}
	}
	// A live block's times, dates and delivery keys vary; nothing else does.
	for _, tc := range []struct {
		want, got string
		live, ok  bool
	}{
		{"Wed 10 Jun 13:37 EDT  entered campaign", "Sun 06 Dec 12:32 EST  entered campaign", true, true},
		{"Wed 10 Jun 13:37 EDT  entered campaign", "Sun 06 Dec 12:32 EST  entered campaign", false, false},
		{"Wed 10 Jun 13:37 EDT  entered campaign", "Sun 06 Dec 12:32 EST  left campaign", true, false},
		{"applied 2026-06-10 17:37:00 UTC (4s ago)", "applied 2026-12-06 09:01:02 UTC (12s ago)", true, true},
		{"Key:        1/trial_onboarding/welcome/64b7f6857588/1/1781113020000000000", "Key:        1/trial_onboarding/welcome/64b7f6857588/1/1796578353899250599", true, true},
		{"Key:        1/trial_onboarding/welcome/64b7f6857588/1/1781113020000000000", "Key:        2/trial_onboarding/welcome/64b7f6857588/1/1796578353899250599", true, false},
		{"Message-ID: <4f1c2b6a0e9d8c7b5a4f3e2d1c0b9a87@tallybook.example>", "Message-ID: <c1604715761954f518234f632dadf7b2@tallybook.example>", true, true},
		{"Message-ID: <4f1c2b6a0e9d8c7b5a4f3e2d1c0b9a87@tallybook.example>", "Message-ID: <c1604715761954f518234f632dadf7b2@journey.invalid>", true, false},
		{`updated {"plan":"trial","trial_ends":"2026-06-24"}`, `updated {"plan":"trial","trial_ends":"2026-12-20"}`, true, true},
		{`updated {"plan":"trial","trial_ends":"2026-06-24"}`, `updated {"plan":"trial","trial_ends":"2026-12-20"}`, false, false},
		{`updated {"plan":"trial","trial_ends":"2026-06-24"}`, `updated {"plan":"trial"}`, true, false},
	} {
		if got := outputMatches([]string{tc.want}, []string{tc.got}, tc.live); got != tc.ok {
			t.Errorf("outputMatches(%q, %q, live %v) = %v, want %v", tc.want, tc.got, tc.live, got, tc.ok)
		}
	}
}
