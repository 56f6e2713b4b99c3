package api

import (
	"fmt"
	"path/filepath"
	"strings"
)

// ImportContentType is the Content-Type an import of the file name is
// sent with: format ("csv" or "ndjson") when given, else the file's
// extension (.csv; .ndjson or .jsonl). Standard input ("-") has none, so
// it needs the format.
func ImportContentType(name, format string) (string, error) {
	switch strings.ToLower(format) {
	case "csv":
		return ContentTypeCSV, nil
	case "ndjson", "jsonl":
		return ContentTypeNDJSON, nil
	case "":
	default:
		return "", fmt.Errorf("unknown format %q: an import is csv or ndjson", format)
	}
	switch ext := strings.ToLower(filepath.Ext(name)); {
	case name == "-":
		return "", fmt.Errorf("standard input has no extension to tell its format: give --format csv or --format ndjson")
	case ext == ".csv":
		return ContentTypeCSV, nil
	case ext == ".ndjson" || ext == ".jsonl":
		return ContentTypeNDJSON, nil
	default:
		return "", fmt.Errorf("%s: cannot tell the format from the extension %q: name the file .csv or .ndjson, or give --format csv or --format ndjson", name, ext)
	}
}
