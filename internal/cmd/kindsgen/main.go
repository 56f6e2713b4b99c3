// Command kindsgen writes the files that follow from the kinds table and
// from Go's time zone database (internal/kindsgen says which). It runs as
// `go generate ./...`, from the //go:generate line in lang/kinds.
//
//	go run ./internal/cmd/kindsgen -root .
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/journeyhq/journey/internal/atomicfile"
	"github.com/journeyhq/journey/internal/kindsgen"
)

func main() {
	root := flag.String("root", ".", "the repository's root directory")
	flag.Parse()
	if err := run(*root); err != nil {
		fmt.Fprintf(os.Stderr, "kindsgen: %v\n", err)
		os.Exit(1)
	}
}

// run writes every artefact that differs from its file, each whole or not
// at all, after all of them were generated: a failure writes nothing.
func run(root string) error {
	artefacts, err := kindsgen.Generate(root)
	if err != nil {
		return err
	}
	for _, a := range artefacts {
		path := filepath.Join(root, filepath.FromSlash(a.Path))
		if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, a.Data) {
			continue
		}
		if err := atomicfile.WriteFile(path, a.Data, 0o644); err != nil {
			return fmt.Errorf("cannot write %s: %w", a.Path, err)
		}
		fmt.Printf("kindsgen: wrote %s\n", a.Path)
	}
	return nil
}
