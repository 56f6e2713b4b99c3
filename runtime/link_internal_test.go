package runtime

import (
	"go/build"
	"sort"
	"strings"
	"testing"

	"github.com/journeyhq/journey/lang/kinds"
)

// TestEveryKindHasExactlyOneLinker: each action kind of the table has one
// executor and each flow kind one linker, registered once, with the
// settings struct of that very kind; the runtime has none the table
// lacks.
func TestEveryKindHasExactlyOneLinker(t *testing.T) {
	actions := executors()
	if len(actions.twice) > 0 {
		t.Errorf("action kinds with more than one executor: %v", actions.twice)
	}
	flows := flowLinkers()
	want := map[string]bool{}
	for _, k := range kinds.Elements() {
		want[k.Name] = true
		_, isAction := actions.byKind[k.Name]
		_, isFlow := flows[k.Name]
		switch {
		case k.Class == kinds.Action && !isAction:
			t.Errorf("action %s has no executor", k.Name)
		case k.Class == kinds.Flow && !isFlow:
			t.Errorf("flow kind %s has no linker", k.Name)
		case isAction && isFlow:
			t.Errorf("%s has an executor and a flow linker", k.Name)
		case k.Class == kinds.Flow && isAction, k.Class == kinds.Action && isFlow:
			t.Errorf("%s is linked as the wrong class of kind", k.Name)
		}
	}
	for kind := range actions.byKind {
		if !want[kind] {
			t.Errorf("the runtime performs %s, which lang/kinds does not declare", kind)
		}
	}
	for kind := range flows {
		if !want[kind] {
			t.Errorf("the runtime links the flow kind %s, which lang/kinds does not declare", kind)
		}
	}
}

// TestRuntimeDoesNotImportLang: the runtime reads plans, never HCL or the
// kinds table (its tests may); the plan's typed settings are generated
// into compiler/plan for that reason.
func TestRuntimeDoesNotImportLang(t *testing.T) {
	const module = "github.com/journeyhq/journey/"
	seen := map[string]bool{}
	var visit func(path, from string)
	visit = func(path, from string) {
		if seen[path] {
			return
		}
		seen[path] = true
		if strings.HasPrefix(path, module+"lang") || path == module+"compiler" {
			t.Errorf("%s imports %s", from, path)
		}
		pkg, err := build.Import(path, ".", 0)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, imp := range pkg.Imports {
			if strings.HasPrefix(imp, module) {
				visit(imp, path)
			}
		}
	}
	visit(module+"runtime", "the test")
	var pkgs []string
	for p := range seen {
		pkgs = append(pkgs, strings.TrimPrefix(p, module))
	}
	sort.Strings(pkgs)
	t.Logf("the runtime's packages: %v", pkgs)
}
