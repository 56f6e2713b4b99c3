package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestReadmeTour runs the README's tour as a new user pastes it: every
// command of every ```console block, in order, from the repository's root,
// `go run ./cmd/journey` and all, with /tmp/ standing for a directory of
// the test's own. What each command prints (stdout and stderr, as a
// terminal shows them) must be what the README shows, where a line "..."
// stands for any number of lines, a duration such as 0.15s for any
// duration and a sha256: hash for any hash. The Mermaid picture the README
// shows must be what the command named above it prints.
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
	tmp := t.TempDir()
	run := func(command string) string {
		cmd := exec.Command("bash", "-c", strings.ReplaceAll(command, "/tmp/", tmp+"/"))
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "NO_COLOR=1")
		out, _ := cmd.CombinedOutput()
		return strings.ReplaceAll(string(out), tmp+"/", "/tmp/")
	}
	for _, b := range blocks {
		for _, c := range b.commands {
			if missing := missingTool(c.text); missing != "" {
				if os.Getenv("JOURNEY_REQUIRE_RENDERERS") != "" {
					t.Fatalf("README.md:%d: %s needs %s, which is not installed (.ci/run installs it)", c.line, c.text, missing)
				}
				t.Logf("README.md:%d: skipped, %s is not installed: %s", c.line, missing, c.text)
				continue
			}
			if got := run(c.text); !outputMatches(c.want, splitLines(got)) {
				t.Errorf("README.md:%d: $ %s\nthe README shows:\n%s\nthe command prints:\n%s", c.line, c.text, strings.Join(c.want, "\n"), got)
			}
		}
	}
	pictures := mermaidPictures(string(readme))
	if len(pictures) == 0 {
		t.Error("README.md shows no Mermaid picture under a <!-- journey graph ... --> comment")
	}
	for _, p := range pictures {
		got := run("go run ./cmd/" + p.command)
		if !outputMatches(p.want, splitLines(got)) {
			t.Errorf("README.md:%d: the picture is not what %s draws; it draws:\n%s", p.line, p.command, got)
		}
	}
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
}

type consoleBlock struct{ commands []tourCommand }

// consoleBlocks reads the ```console blocks of a Markdown text. A command
// continues on the next line after a trailing backslash.
func consoleBlocks(md string) []consoleBlock {
	var blocks []consoleBlock
	var cur *consoleBlock
	continued := false
	sc := bufio.NewScanner(strings.NewReader(md))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case cur == nil && strings.TrimSpace(line) == "```console":
			blocks = append(blocks, consoleBlock{})
			cur = &blocks[len(blocks)-1]
		case cur == nil:
		case strings.TrimSpace(line) == "```":
			cur, continued = nil, false
		case continued:
			c := &cur.commands[len(cur.commands)-1]
			c.text += "\n" + line
			continued = strings.HasSuffix(line, "\\")
		case strings.HasPrefix(line, "$ "):
			cur.commands = append(cur.commands, tourCommand{line: n, text: strings.TrimPrefix(line, "$ ")})
			continued = strings.HasSuffix(line, "\\")
		case len(cur.commands) > 0:
			c := &cur.commands[len(cur.commands)-1]
			c.want = append(c.want, line)
		}
	}
	return blocks
}

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

func splitLines(s string) []string {
	s = strings.TrimRight(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// outputMatches reports whether got is what want shows: line by line,
// trailing spaces and blank lines at either end ignored, "..." matching any
// number of lines, durations matching any duration.
func outputMatches(want, got []string) bool {
	norm := func(lines []string) []string {
		var out []string
		for _, l := range lines {
			l = durationText.ReplaceAllString(strings.TrimRight(l, " \t"), "0s")
			out = append(out, hashText.ReplaceAllString(l, "sha256:…"))
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
		if got := outputMatches(tc.want, tc.got); got != tc.ok {
			t.Errorf("outputMatches(%q, %q) = %v, want %v", tc.want, tc.got, got, tc.ok)
		}
	}
}
