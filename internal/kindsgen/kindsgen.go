// Package kindsgen writes the files that follow from the kinds table
// (lang/kinds) and from Go's time zone database, so that a new kind is an
// entry in the table and `go generate ./...`, not a dozen files kept by
// hand:
//
//   - docs/plan.schema.json: the plan's JSON Schema, each kind's settings
//     from its attributes (the fixed parts from plan.schema.tmpl.json);
//   - compiler/plan/settings_gen.go: a Go struct per element, action and
//     asset kind, which the runtime decodes settings into strictly;
//   - docs/language.md, the action reference between its generated-section
//     markers (the rest of the page is written by hand);
//   - compiler/zones_gen.go: the IANA zone names Go's time/tzdata embeds.
//
// It reads the table and writes bytes; internal/cmd/kindsgen writes them to
// files, and a test fails when a committed file differs from what the table
// gives. It imports neither compiler nor compiler/plan, so that it still
// runs when a generated file is broken.
package kindsgen

import (
	"fmt"
	"os"
	"path/filepath"
)

// Artefact is one generated file: its path from the repository root and its
// bytes.
type Artefact struct {
	Path string
	Data []byte
}

// Generate builds every artefact. root is the repository root: the
// hand-written parts of docs/language.md are read from there.
func Generate(root string) ([]Artefact, error) {
	var out []Artefact
	for _, g := range []struct {
		path string
		make func(root string) ([]byte, error)
	}{
		{"docs/plan.schema.json", func(string) ([]byte, error) { return PlanSchema() }},
		{"compiler/plan/settings_gen.go", func(string) ([]byte, error) { return SettingsGo() }},
		{"docs/language.md", languageDoc},
		{"compiler/zones_gen.go", func(string) ([]byte, error) { return ZonesGo() }},
	} {
		data, err := g.make(root)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", g.path, err)
		}
		out = append(out, Artefact{Path: g.path, Data: data})
	}
	return out, nil
}

func languageDoc(root string) ([]byte, error) {
	src, err := os.ReadFile(filepath.Join(root, "docs", "language.md"))
	if err != nil {
		return nil, err
	}
	return LanguageDoc(src)
}
