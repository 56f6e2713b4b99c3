package server

import (
	"strings"
	"testing"

	"github.com/journeyhq/journey/compiler/plan"
)

// planFile is a plan file as journey plan --server --out writes it: p,
// made against deployment serial and hash, with opts.
func planFile(t *testing.T, p *plan.Plan, serial int64, hash string, opts plan.ApplyOptions) string {
	t.Helper()
	data, err := plan.EncodeFile(&plan.File{FormatVersion: plan.FormatVersion, ToolVersion: "test", Plan: p, Options: opts,
		Against: plan.Against{Hash: hash, Serial: &serial, Source: "http://test"}})
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// withoutTwoDays is the webinar workspace with its wait removed: the
// replay leads to the end.
func withoutTwoDays(src string) string {
	src = strings.Replace(src, "next  = wait.two_days", "next  = end.done", 1)
	return strings.Replace(src, "  wait \"two_days\" {\n    for  = \"2d\"\n    next = end.done\n  }\n", "", 1)
}
