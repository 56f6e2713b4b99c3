package plan_test

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/journeyhq/journey/compiler/plan"
)

// TestLanguageDocListsTheFunctions: docs/language.md lists exactly the
// functions of the table, and its table of functions says what each one
// returns.
func TestLanguageDocListsTheFunctions(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "..", "docs", "language.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(src)
	const intro = "The functions are exactly these: "
	start := strings.Index(doc, intro)
	if start < 0 {
		t.Fatalf("docs/language.md has no line %q", intro)
	}
	line, _, _ := strings.Cut(doc[start+len(intro):], "\n")
	var listed []string
	for _, m := range regexp.MustCompile("`([a-z_]+)`").FindAllStringSubmatch(line, -1) {
		listed = append(listed, m[1])
	}
	var want []string
	for name := range plan.Functions() {
		want = append(want, name)
	}
	sort.Strings(want)
	if strings.Join(listed, " ") != strings.Join(want, " ") {
		t.Errorf("docs/language.md lists the functions\n%v\nthe table has\n%v", listed, want)
	}
	_, table, ok := strings.Cut(doc[start:], "| function | returns |\n")
	if !ok {
		t.Fatal("docs/language.md has no table of functions after the list")
	}
	table, _, _ = strings.Cut(table, "\n\n")
	for _, name := range want {
		if !regexp.MustCompile("`" + name + "[`(]").MatchString(table) {
			t.Errorf("the table of functions in docs/language.md does not say what %s returns", name)
		}
	}
}
