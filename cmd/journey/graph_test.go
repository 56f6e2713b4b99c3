package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// graphWorkspace is the small workspace of the graph package's golden
// tests: campaigns signup and thank_you, sequence tips.
var graphWorkspace = filepath.Join("..", "..", "compiler", "graph", "testdata", "small")

func runGraphCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	c := NewCLI(nil, &out, &errOut)
	c.Getenv = func(string) string { return "" }
	c.Now = func() time.Time { return time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC) }
	code = c.Run(context.Background(), args)
	return code, out.String(), errOut.String()
}

func TestGraphMermaid(t *testing.T) {
	code, out, errOut := runGraphCLI(t, "graph", graphWorkspace)
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut)
	}
	if errOut != "" {
		t.Errorf("stderr: %s", errOut)
	}
	for _, want := range []string{
		"flowchart TD\n",
		`subgraph campaign_signup ["campaign #quot;signup#quot;"]`,
		`subgraph sequence_tips ["sequence #quot;tips#quot;"]`,
		`c_signup__customer -->|"then"| c_signup__done`,
		`c_signup__offer -->|"50%"| c_signup__offer_a`,
		`c_signup__tips -.-> s_tips`,
		`class c_signup__offer_b draft`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// The same as the golden file of the graph package.
	golden, err := os.ReadFile(filepath.Join(graphWorkspace, "..", "small.mmd"))
	if err != nil {
		t.Fatal(err)
	}
	if out != string(golden) {
		t.Errorf("journey graph differs from compiler/graph/testdata/small.mmd")
	}
}

func TestGraphDotOneCampaign(t *testing.T) {
	code, out, errOut := runGraphCLI(t, "graph", graphWorkspace, "--campaign", "thank_you", "--format", "dot")
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut)
	}
	if !strings.HasPrefix(out, "digraph journey {\n") || !strings.HasSuffix(out, "}\n") {
		t.Errorf("not a digraph:\n%s", out)
	}
	if !strings.Contains(out, `subgraph "cluster_campaign_thank_you"`) {
		t.Errorf("campaign thank_you missing:\n%s", out)
	}
	for _, other := range []string{"signup", "sequence_tips"} {
		if strings.Contains(out, other) {
			t.Errorf("--campaign thank_you also drew %s:\n%s", other, out)
		}
	}
}

func TestGraphDeterministic(t *testing.T) {
	for _, format := range []string{"mermaid", "dot"} {
		_, first, _ := runGraphCLI(t, "graph", "-f", format, graphWorkspace)
		for i := 0; i < 5; i++ {
			if _, again, _ := runGraphCLI(t, "graph", "-f", format, graphWorkspace); again != first {
				t.Fatalf("%s output differs between runs", format)
			}
		}
	}
}

func TestGraphUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--campaign", "thank_yuo"}, `has no campaign "thank_yuo"; did you mean "thank_you"?`},
		{[]string{"--campaign", "tips"}, `"tips" is a sequence`},
		{[]string{"--campaign", "zzzzzzzzzzzz"}, `(campaigns: signup, thank_you)`},
		{[]string{"--format", "dott"}, `unknown format "dott"; did you mean "dot"?`},
		{[]string{"--format", "svg"}, `unknown format "svg": use one of mermaid, dot; for svg, render the dot output: journey graph --format dot`},
		{[]string{"--format", "graphviz"}, `unknown format "graphviz": use one of mermaid, dot`},
		{[]string{"--fence"}, "unknown flag: --fence"},
		{[]string{graphWorkspace}, "accepts at most 1 arg"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, out, errOut := runGraphCLI(t, append([]string{"graph", graphWorkspace}, tc.args...)...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d", code, exitUsage)
			}
			if out != "" {
				t.Errorf("wrote to stdout:\n%s", out)
			}
			if !strings.Contains(errOut, tc.want) {
				t.Errorf("stderr lacks %q:\n%s", tc.want, errOut)
			}
		})
	}
}

func TestGraphRefusesErrors(t *testing.T) {
	dir := t.TempDir()
	src := `campaign "broken" {
  trigger "start" {
    on   = contact_created()
    next = send_email.nowhere
  }
}
`
	if err := os.WriteFile(filepath.Join(dir, "main.journey.hcl"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runGraphCLI(t, "graph", dir)
	if code != exitFailed {
		t.Errorf("exit %d, want %d", code, exitFailed)
	}
	if out != "" {
		t.Errorf("drew a workspace with errors:\n%s", out)
	}
	if !strings.Contains(errOut, "unknown-reference") || !strings.Contains(errOut, "journey graph:") {
		t.Errorf("stderr does not show the error:\n%s", errOut)
	}
}

func TestGraphMissingDir(t *testing.T) {
	code, _, errOut := runGraphCLI(t, "graph", filepath.Join(t.TempDir(), "nope"))
	if code != exitUsage {
		t.Errorf("exit %d, want %d; stderr:\n%s", code, exitUsage, errOut)
	}
}

// Every flag has an example in the help.
func TestGraphHelp(t *testing.T) {
	code, out, _ := runGraphCLI(t, "graph", "--help")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	examples := out[strings.Index(out, "Examples:"):]
	for _, flag := range []string{"--campaign", "--format dot"} {
		if !strings.Contains(examples, flag) {
			t.Errorf("no example uses %s:\n%s", flag, examples)
		}
	}
	for _, word := range []string{"mermaid", "dot", "docs/graph.md"} {
		if !strings.Contains(out, word) {
			t.Errorf("help does not mention %s", word)
		}
	}
}

// A diagram larger than Mermaid renders gets a warning on stderr.
func TestGraphWarnsMermaidLimits(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("campaign \"long\" {\n  trigger \"start\" {\n    on   = contact_created()\n    next = apply_note.n0\n  }\n")
	const n = 520
	for i := 0; i < n; i++ {
		next := fmt.Sprintf("apply_note.n%d", i+1)
		if i == n-1 {
			next = "end.done"
		}
		fmt.Fprintf(&b, "  apply_note \"n%d\" {\n    text = \"note %d\"\n    next = %s\n  }\n", i, i, next)
	}
	b.WriteString("  end \"done\" {}\n}\n")
	if err := os.WriteFile(filepath.Join(dir, "long.journey.hcl"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runGraphCLI(t, "graph", dir)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, errOut)
	}
	if !strings.Contains(errOut, "Mermaid (GitHub's included) refuses more than 500 edges") {
		t.Errorf("no warning about Mermaid's limits:\n%s", errOut)
	}
	if !strings.HasPrefix(out, "flowchart TD\n") {
		t.Errorf("the diagram is still written; got:\n%.200s", out)
	}
	if _, _, errOut := runGraphCLI(t, "graph", "--format", "dot", dir); strings.Contains(errOut, "Mermaid") {
		t.Errorf("warned about Mermaid for dot output:\n%s", errOut)
	}
}
