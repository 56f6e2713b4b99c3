package graph_test

// The real renderers must accept what journey graph writes: Graphviz's dot
// and Mermaid (the npm package, in headless Chromium, as GitHub renders it
// in a browser). Each example workspace, testdata/small and a plan full of
// characters that mean something to either syntax are drawn, rendered, and
// the rendered SVG must show exactly the nodes, edge labels and group titles
// of the model, text included: a label that was escaped wrong shows up as a
// missing node, a parse error, or text that differs.
//
// Without dot, chromium or node_modules the tests skip and say how to
// install them; with JOURNEY_REQUIRE_RENDERERS=1 (CI) they fail instead:
//
//	apt-get install -y graphviz chromium
//	npm ci --prefix compiler/graph/testdata/render

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/journeyhq/journey/compiler/graph"
)

// renderCase is one diagram to render and what it must show.
type renderCase struct {
	Name string
	g    *graph.Graph
}

func (c renderCase) nodes() []string {
	var out []string
	for _, gr := range c.g.Groups {
		for _, n := range gr.Nodes {
			out = append(out, norm(n.Title+strings.Join(n.Lines, "")))
		}
	}
	return sorted(out)
}

func (c renderCase) edgeLabels() []string {
	var out []string
	add := func(es []graph.Edge) {
		for _, e := range es {
			if e.Label != "" {
				out = append(out, norm(e.Label))
			}
		}
	}
	for _, gr := range c.g.Groups {
		add(gr.Edges)
	}
	add(c.g.Edges)
	return sorted(out)
}

func (c renderCase) groupTitles() []string {
	var out []string
	for _, gr := range c.g.Groups {
		out = append(out, norm(gr.Title))
	}
	return sorted(out)
}

// norm drops whitespace (renderers break lines and pad labels their own
// way) and word joiners (invisible; the Mermaid writer adds them).
func norm(s string) string {
	return strings.ReplaceAll(strings.Join(strings.Fields(s), ""), "\u2060", "")
}

func sorted(s []string) []string {
	out := append([]string{}, s...)
	sort.Strings(out)
	return out
}

// renderCases are the diagrams every renderer must accept: each example
// workspace whole and each of its campaigns alone, testdata/small, and the
// nasty plan.
func renderCases(t *testing.T) []renderCase {
	t.Helper()
	var cases []renderCase
	for _, dir := range exampleDirs(t) {
		p := compileDir(t, dir)
		name := filepath.Base(dir)
		cases = append(cases, renderCase{Name: name, g: build(t, p, graph.Options{})})
		for _, c := range p.Campaigns {
			cases = append(cases, renderCase{Name: name + "--" + c.Name, g: build(t, p, graph.Options{Campaign: c.Name})})
		}
	}
	cases = append(cases,
		renderCase{Name: "small", g: build(t, compileDir(t, filepath.Join("testdata", "small")), graph.Options{})},
		renderCase{Name: "nasty", g: build(t, nastyPlan(), graph.Options{})},
	)
	for _, c := range cases {
		if c.g.NodeCount() == 0 {
			t.Fatalf("%s: the diagram has no node", c.Name)
		}
	}
	return cases
}

// exampleDirs are the workspaces under ../../examples, or, while there are
// none, the conformance workspace clean-onboarding
// ($JOURNEY_CONFORMANCE_DIR or ../../../shared/conformance).
func exampleDirs(t *testing.T) []string {
	t.Helper()
	root := filepath.Join("..", "..", "examples")
	entries, _ := os.ReadDir(root)
	var dirs []string
	for _, e := range entries {
		if e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
			dirs = append(dirs, filepath.Join(root, e.Name()))
		}
	}
	if len(dirs) > 0 {
		return dirs
	}
	conf := os.Getenv("JOURNEY_CONFORMANCE_DIR")
	if conf == "" {
		conf = filepath.Join("..", "..", "..", "shared", "conformance")
	}
	dir := filepath.Join(conf, "validate", "clean-onboarding")
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("no example workspace in %s and no conformance workspace at %s (set JOURNEY_CONFORMANCE_DIR): %v", root, dir, err)
	}
	t.Logf("no example workspace in %s yet: rendering %s", root, dir)
	return []string{dir}
}

// missingRenderer skips the test, or fails it under
// JOURNEY_REQUIRE_RENDERERS=1.
func missingRenderer(t *testing.T, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv("JOURNEY_REQUIRE_RENDERERS") == "1" {
		t.Fatalf("%s (JOURNEY_REQUIRE_RENDERERS=1: the renderers are required)", msg)
	}
	t.Skip(msg)
}

func TestDotRenders(t *testing.T) {
	dot, err := exec.LookPath("dot")
	if err != nil {
		missingRenderer(t, "Graphviz's dot is not installed: apt-get install -y graphviz")
	}
	for _, c := range renderCases(t) {
		t.Run(c.Name, func(t *testing.T) {
			src := render(t, "dot", c.g)
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, dot, "-Tsvg")
			cmd.Stdin = strings.NewReader(src)
			var out, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &stderr
			if err := cmd.Run(); err != nil {
				t.Fatalf("dot -Tsvg: %v\n%s\ninput:\n%s", err, stderr.String(), src)
			}
			if stderr.Len() > 0 {
				t.Logf("dot -Tsvg said: %s", stderr.String())
			}
			got, err := svgGroups(out.Bytes())
			if err != nil {
				t.Fatalf("reading dot's SVG: %v", err)
			}
			if n := len(got["node"]); n != c.g.NodeCount() {
				t.Errorf("dot drew %d nodes, journey emitted %d", n, c.g.NodeCount())
			}
			compare(t, "node", sorted(normAll(got["node"])), c.nodes())
			var labels []string
			for _, l := range got["edge"] {
				if l = norm(l); l != "" {
					labels = append(labels, l)
				}
			}
			compare(t, "edge label", sorted(labels), c.edgeLabels())
			compare(t, "cluster title", sorted(normAll(got["cluster"])), c.groupTitles())
		})
	}
}

// svgGroups reads Graphviz's SVG: the text of each <g class="node|edge|
// cluster">, by class.
func svgGroups(svg []byte) (map[string][]string, error) {
	out := map[string][]string{}
	dec := xml.NewDecoder(bytes.NewReader(svg))
	dec.Strict = false
	var stack []string // the class of each open <g>
	var class string   // of the innermost node/edge/cluster group
	var text strings.Builder
	inText := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		switch el := tok.(type) {
		case xml.StartElement:
			switch el.Name.Local {
			case "g":
				c := ""
				for _, a := range el.Attr {
					if a.Name.Local == "class" {
						c = a.Value
					}
				}
				stack = append(stack, c)
				if c == "node" || c == "edge" || c == "cluster" {
					class = c
					text.Reset()
				}
			case "text":
				inText++
			}
		case xml.EndElement:
			switch el.Name.Local {
			case "g":
				c := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				if c == class && c != "" {
					out[c] = append(out[c], text.String())
					class = ""
				}
			case "text":
				inText--
			}
		case xml.CharData:
			if inText > 0 && class != "" {
				text.Write(el)
			}
		}
	}
}

func normAll(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = norm(v)
	}
	return out
}

func compare(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\x00") == strings.Join(want, "\x00") {
		return
	}
	gotSet := map[string]int{}
	for _, g := range got {
		gotSet[g]++
	}
	var missing []string
	for _, w := range want {
		if gotSet[w] > 0 {
			gotSet[w]--
			continue
		}
		missing = append(missing, w)
	}
	var extra []string
	for g, n := range gotSet {
		for ; n > 0; n-- {
			extra = append(extra, g)
		}
	}
	sort.Strings(extra)
	t.Errorf("%d %ss rendered, %d emitted; emitted but not rendered as written:\n  %s\nrendered but not emitted:\n  %s",
		len(got), what, len(want), strings.Join(missing, "\n  "), strings.Join(extra, "\n  "))
}

// mermaidVersions are the Mermaid packages of testdata/render/package.json:
// the current major, and the oldest major GitHub may still render with.
var mermaidVersions = []string{"mermaid", "mermaid-10"}

// mermaidResult is what the page writes for one diagram.
type mermaidResult struct {
	Name     string   `json:"name"`
	Error    string   `json:"error"`
	Nodes    []string `json:"nodes"`
	Edges    []string `json:"edges"`
	Clusters []string `json:"clusters"`
}

func TestMermaidRenders(t *testing.T) {
	chromium := ""
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			chromium = p
			break
		}
	}
	if chromium == "" {
		missingRenderer(t, "Chromium is not installed: apt-get install -y chromium (Debian's package; not a browser downloaded by npm)")
	}
	modules, err := filepath.Abs(filepath.Join("testdata", "render", "node_modules"))
	if err != nil {
		t.Fatal(err)
	}
	cases := renderCases(t)
	for _, version := range mermaidVersions {
		t.Run(version, func(t *testing.T) {
			script := filepath.Join(modules, version, "dist", "mermaid.min.js")
			if _, err := os.Stat(script); err != nil {
				missingRenderer(t, "%s is missing: npm ci --prefix compiler/graph/testdata/render", script)
			}
			if v := packageVersion(filepath.Join(modules, version, "package.json")); v != "" {
				t.Logf("%s %s", version, v)
			}
			results := runMermaidPage(t, chromium, script, cases)
			for _, c := range cases {
				t.Run(c.Name, func(t *testing.T) {
					r, ok := results[c.Name]
					if !ok {
						t.Fatalf("the page wrote no result for %s", c.Name)
					}
					if r.Error != "" {
						t.Fatalf("mermaid refused the diagram: %s\n%s", r.Error, render(t, "mermaid", c.g))
					}
					if len(r.Nodes) != c.g.NodeCount() {
						t.Errorf("mermaid drew %d nodes, journey emitted %d", len(r.Nodes), c.g.NodeCount())
					}
					compare(t, "node", sorted(normAll(r.Nodes)), c.nodes())
					var labels []string
					for _, l := range r.Edges {
						if l = norm(l); l != "" {
							labels = append(labels, l)
						}
					}
					compare(t, "edge label", sorted(labels), c.edgeLabels())
					compare(t, "subgraph title", sorted(normAll(r.Clusters)), c.groupTitles())
				})
			}
		})
	}
}

func packageVersion(path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	var pkg struct{ Version string }
	_ = json.Unmarshal(data, &pkg)
	return pkg.Version
}

// mermaidPage parses and renders each diagram with mermaid.parse and
// mermaid.render, and writes, for each, the text of every node, edge label
// and subgraph of the SVG (or the error) into <pre id="result"> as JSON.
const mermaidPage = `<!doctype html>
<html><head><meta charset="utf-8"><title>journey graph</title>
<script src="%s"></script>
</head><body>
<pre id="result">pending</pre>
<script id="diagrams" type="application/json">%s</script>
<script>
(async () => {
  const out = [];
  try {
    mermaid.initialize({startOnLoad: false, securityLevel: "strict"});
    const diagrams = JSON.parse(document.getElementById("diagrams").textContent);
    for (let i = 0; i < diagrams.length; i++) {
      const d = diagrams[i];
      try {
        await mermaid.parse(d.text);
        const {svg} = await mermaid.render("diagram" + i, d.text);
        const host = document.createElement("div");
        host.innerHTML = svg;
        document.body.appendChild(host);
        const texts = sel => Array.from(host.querySelectorAll(sel)).map(e => e.textContent);
        out.push({name: d.name, nodes: texts("g.node"), edges: texts("g.edgeLabel"), clusters: texts("g.cluster")});
        host.remove();
      } catch (e) {
        out.push({name: d.name, error: String((e && e.message) || e) || "unknown error"});
      }
    }
    document.getElementById("result").textContent = JSON.stringify(out);
  } catch (e) {
    document.getElementById("result").textContent = "page error: " + String((e && e.message) || e);
  }
})();
</script>
</body></html>
`

func runMermaidPage(t *testing.T, chromium, script string, cases []renderCase) map[string]mermaidResult {
	t.Helper()
	type diagram struct {
		Name string `json:"name"`
		Text string `json:"text"`
	}
	var diagrams []diagram
	for _, c := range cases {
		diagrams = append(diagrams, diagram{Name: c.Name, Text: render(t, "mermaid", c.g)})
	}
	data, err := json.Marshal(diagrams) // escapes <, > and &: safe inside <script>
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	page := filepath.Join(dir, "render.html")
	src := fmt.Sprintf(mermaidPage, "file://"+filepath.ToSlash(script), data)
	if err := os.WriteFile(page, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--virtual-time-budget=15000",
		"--allow-file-access-from-files", "--dump-dom", "file://"+filepath.ToSlash(page))
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, tail(stderr.String(), 3000))
	}
	m := regexp.MustCompile(`(?s)<pre id="result">(.*?)</pre>`).FindSubmatch(out.Bytes())
	if m == nil {
		t.Fatalf("chromium's DOM has no result:\n%s\nstderr:\n%s", tail(out.String(), 3000), tail(stderr.String(), 3000))
	}
	result := html.UnescapeString(string(m[1]))
	var results []mermaidResult
	if err := json.Unmarshal([]byte(result), &results); err != nil {
		t.Fatalf("the page did not finish (%q): %v\nstderr:\n%s", tail(result, 500), err, tail(stderr.String(), 3000))
	}
	byName := map[string]mermaidResult{}
	for _, r := range results {
		byName[r.Name] = r
	}
	return byName
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "..." + s[len(s)-n:]
}
