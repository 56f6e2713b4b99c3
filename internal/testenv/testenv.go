// Package testenv answers what tests ask about the binary they run in.
package testenv

import "runtime/debug"

// RaceEnabled reports whether the binary was built with -race. Tests that
// only measure size limits (a 10 MB file, a deeply nested expression)
// shrink their input then: the race detector looks for races, and makes
// the run many times slower.
func RaceEnabled() bool {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "-race" {
				return s.Value == "true"
			}
		}
	}
	return false
}
