package runtime_test

import (
	"testing"

	"github.com/journeyhq/journey/lang/kinds"
	"github.com/journeyhq/journey/runtime"
)

// The runtime reads events by its own copy of the language's table: the
// two must list the same events in the same order (an unknown event's
// message lists them), with the same arguments, required or not, naming
// the same kinds of declaration.
func TestEventKindsMatchTheLanguage(t *testing.T) {
	lang := kinds.Events()
	ours := runtime.EventKinds()
	if len(ours) != len(lang) {
		t.Errorf("the runtime knows %d events, the language %d", len(ours), len(lang))
	}
	for i := range min(len(ours), len(lang)) {
		want, got := lang[i], ours[i]
		if got.Name != want.Name {
			t.Errorf("event %d: the runtime has %s, the language %s", i+1, got.Name, want.Name)
			continue
		}
		if len(got.Params) != len(want.Params) {
			t.Errorf("%s: the runtime knows %d arguments, the language %d", got.Name, len(got.Params), len(want.Params))
			continue
		}
		for j, wp := range want.Params {
			gp := got.Params[j]
			declared := ""
			if wp.Type == kinds.Ref {
				if len(wp.Targets) != 1 {
					t.Fatalf("%s(%s) names %d kinds of declaration; the runtime's table holds one", want.Name, wp.Name, len(wp.Targets))
				}
				declared = wp.Targets[0]
			}
			if gp.Name != wp.Name || gp.Required != wp.Required || gp.Declared != declared {
				t.Errorf("%s argument %d: the runtime has %+v, the language {Name:%s Required:%t Declared:%s}", got.Name, j+1, gp, wp.Name, wp.Required, declared)
			}
		}
	}
}
