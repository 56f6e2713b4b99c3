package main

import (
	"strings"
	"testing"
)

func TestVersionFlagPrintsWhatVersionPrints(t *testing.T) {
	code, want, stderr := journeyRun(t, "version")
	if code != 0 || !strings.HasPrefix(want, "journey ") || !strings.Contains(want, "\ncommit ") {
		t.Fatalf("journey version: exit %d, stdout %q, stderr %q", code, want, stderr)
	}
	for _, flag := range []string{"--version", "-v"} {
		code, got, stderr := journeyRun(t, flag)
		if code != 0 || got != want || stderr != "" {
			t.Errorf("journey %s: exit %d, stdout %q, stderr %q; want exit 0 and %q", flag, code, got, stderr, want)
		}
	}
}
