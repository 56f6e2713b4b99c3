package kinds_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/journeyhq/journey/lang/kinds"
)

// The language reference keeps up with the table: every kind has a section
// under the heading of its class, and that section names every attribute,
// nested block, enum value, default and edition of the kind, and shows the
// kind's example.

// Where docs/language.md documents each class of kind: a "## " heading.
const (
	docDeclarations = "Top-level blocks"
	docFlow         = "Campaigns"
	docActions      = "Actions"
	docCommon       = "Common element attributes"
	docTimers       = "Timers"
	docSchedules    = "Sequences"
	docEvents       = "Events"
)

type docHeading struct {
	level int
	text  string
	line  int // index into lines
}

type languageDoc struct {
	lines    []string
	headings []docHeading
}

func readLanguageDoc(t *testing.T) *languageDoc {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("..", "..", "docs", "language.md"))
	if err != nil {
		t.Fatalf("docs/language.md: %v", err)
	}
	d := &languageDoc{lines: strings.Split(string(src), "\n")}
	inFence := false
	for i, l := range d.lines {
		if strings.HasPrefix(l, "```") {
			inFence = !inFence
			continue
		}
		if inFence || !strings.HasPrefix(l, "#") {
			continue
		}
		level := len(l) - len(strings.TrimLeft(l, "#"))
		if level < len(l) && l[level] == ' ' {
			d.headings = append(d.headings, docHeading{level: level, text: strings.TrimSpace(l[level:]), line: i})
		}
	}
	return d
}

// section returns the text under the first heading matching match inside
// the line range [from, to), up to the next heading of the same or a higher
// level; ok is false when there is none.
func (d *languageDoc) section(from, to int, match func(string) bool) (text string, start, end int, ok bool) {
	for i, h := range d.headings {
		if h.line < from || h.line >= to || !match(h.text) {
			continue
		}
		end := len(d.lines)
		for _, next := range d.headings[i+1:] {
			if next.level <= h.level {
				end = next.line
				break
			}
		}
		return strings.Join(d.lines[h.line:end], "\n"), h.line, end, true
	}
	return "", 0, 0, false
}

// topSection is the "## title" section.
func (d *languageDoc) topSection(t *testing.T, title string) (string, int, int) {
	t.Helper()
	text, start, end, ok := d.section(0, len(d.lines), func(h string) bool { return h == title })
	if !ok {
		t.Fatalf("docs/language.md has no heading %q", title)
	}
	return text, start, end
}

func code(name string) string { return "`" + name + "`" }

// checkAttrs reports every attribute of the list that the text does not
// name in backticks, with its enum values and default.
func checkAttrs(t *testing.T, where, text string, attrs []kinds.Attr) {
	t.Helper()
	for _, a := range attrs {
		if !strings.Contains(text, code(a.Name)) {
			t.Errorf("docs/language.md: %s does not document the attribute %s", where, code(a.Name))
			continue
		}
		for _, v := range a.Values {
			if !strings.Contains(text, `"`+v+`"`) {
				t.Errorf("docs/language.md: %s does not name the value %q of %s", where, v, a.Name)
			}
		}
		if a.Default != "" && !strings.Contains(text, a.Default) {
			t.Errorf("docs/language.md: %s does not give the default %q of %s", where, a.Default, a.Name)
		}
	}
}

func checkBlocks(t *testing.T, where, text string, blocks []kinds.Block) {
	t.Helper()
	for _, b := range blocks {
		if !strings.Contains(text, code(b.Name)) {
			t.Errorf("docs/language.md: %s does not document the nested block %s", where, code(b.Name))
		}
		inner := where + ", block " + b.Name
		checkAttrs(t, inner, text, b.Attrs)
		checkBlocks(t, inner, text, b.Blocks)
	}
}

func checkKinds(t *testing.T, d *languageDoc, class string, list []*kinds.Kind) {
	t.Helper()
	_, from, to := d.topSection(t, class)
	for _, k := range list {
		text, _, _, ok := d.section(from, to, func(h string) bool { return h == code(k.Name) })
		if !ok {
			t.Errorf("docs/language.md: no heading %s under %q", code(k.Name), class)
			continue
		}
		where := "the section of " + k.Name
		checkAttrs(t, where, text, k.Attrs)
		checkBlocks(t, where, text, k.Blocks)
		if k.Edition != "" && !strings.Contains(text, k.Edition) {
			t.Errorf("docs/language.md: %s does not say it needs the %q edition", where, k.Edition)
		}
		if k.Example != "" && !strings.Contains(text, k.Example) {
			t.Errorf("docs/language.md: %s does not show the kind's example from the table:\n%s", where, k.Example)
		}
	}
}

func TestLanguageDocCoversTheTable(t *testing.T) {
	d := readLanguageDoc(t)

	var flow, actions []*kinds.Kind
	for _, k := range kinds.Elements() {
		if k.Class == kinds.Action {
			actions = append(actions, k)
		} else {
			flow = append(flow, k)
		}
	}
	checkKinds(t, d, docDeclarations, kinds.Declarations())
	checkKinds(t, d, docFlow, flow)
	checkKinds(t, d, docActions, actions)

	common, _, _, ok := d.section(0, len(d.lines), func(h string) bool { return h == docCommon })
	if !ok {
		t.Fatalf("docs/language.md has no heading %q", docCommon)
	}
	checkAttrs(t, "the common element attributes", common, kinds.CommonElementAttrs())

	timers, _, _ := d.topSection(t, docTimers)
	checkAttrs(t, "the Timers section", timers, kinds.TimerAttrs())
	for _, s := range kinds.TimerSettings() {
		if !strings.Contains(timers, code(s)) {
			t.Errorf("docs/language.md: the Timers section does not name the timer setting %s", code(s))
		}
	}
	schedules, _, _ := d.topSection(t, docSchedules)
	checkAttrs(t, "the Sequences section", schedules, kinds.ScheduleAttrs())

	events, _, _ := d.topSection(t, docEvents)
	for _, e := range kinds.Events() {
		if !strings.Contains(events, "`"+e.Name+"(") {
			t.Errorf("docs/language.md: the Events section does not document the event %s(...)", e.Name)
		}
	}

	all := strings.Join(d.lines, "\n")
	for _, e := range kinds.Editions() {
		if !strings.Contains(all, `"`+e+`"`) {
			t.Errorf("docs/language.md does not name the edition %q", e)
		}
	}
	field, _, _, _ := d.section(0, len(d.lines), func(h string) bool { return h == code("field") })
	for _, f := range kinds.BuiltinFields() {
		if !strings.Contains(field, code(f.Name)) {
			t.Errorf("docs/language.md: the section of field does not list the built-in field %s", code(f.Name))
		}
	}
	for _, ft := range kinds.FieldTypes() {
		if !strings.Contains(field, ft) {
			t.Errorf("docs/language.md: the section of field does not name the field type %s", ft)
		}
	}
}

// TestLanguageDocGeneratesTheActions: the action reference is written by
// go generate (internal/kindsgen, whose test keeps it current) between two
// marker lines, which hold a section for each action, in table order, and
// nothing else; the rest of the page is written by hand.
func TestLanguageDocGeneratesTheActions(t *testing.T) {
	d := readLanguageDoc(t)
	begin, end := -1, -1
	for i, l := range d.lines {
		switch {
		case strings.HasPrefix(l, "<!-- BEGIN GENERATED actions"):
			begin = i
		case l == "<!-- END GENERATED actions -->":
			end = i
		}
	}
	if begin < 0 || end < begin {
		t.Fatalf("docs/language.md has no generated action reference (lines %d to %d)", begin, end)
	}
	_, from, to := d.topSection(t, docActions)
	if begin < from || end > to {
		t.Errorf("the generated action reference (lines %d to %d) is not under %q (lines %d to %d)", begin+1, end+1, docActions, from+1, to+1)
	}
	var got, want []string
	for _, h := range d.headings {
		if h.line > begin && h.line < end && h.level == 3 {
			got = append(got, h.text)
		}
	}
	for _, k := range kinds.Actions() {
		want = append(want, code(k.Name))
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("the generated action reference has the sections %v, want %v", got, want)
	}
}

// TestLanguageDocTablesTheEditions: the account section has a row for
// each edition of the table, saying the tier whose actions it has and
// whether its webhooks call any port.
func TestLanguageDocTablesTheEditions(t *testing.T) {
	d := readLanguageDoc(t)
	account, _, _, ok := d.section(0, len(d.lines), func(h string) bool { return h == code("account") })
	if !ok {
		t.Fatal("docs/language.md has no section of account")
	}
	for _, e := range kinds.EditionTable() {
		row := ""
		for _, l := range strings.Split(account, "\n") {
			if strings.HasPrefix(l, "| `\""+e.Name+"\"` |") {
				row = l
			}
		}
		if row == "" {
			t.Errorf("docs/language.md: the account section has no row | `%q` | for the edition %s", e.Name, e.Name)
			continue
		}
		cells := strings.Split(row, "|")
		if len(cells) < 5 || !strings.HasPrefix(strings.TrimSpace(cells[2]), e.Tier) {
			t.Errorf("docs/language.md: the row of edition %s does not say it has the actions of %s:\n%s", e.Name, e.Tier, row)
			continue
		}
		if anyPort := strings.HasPrefix(strings.TrimSpace(cells[3]), "yes"); anyPort != e.AnyPort {
			t.Errorf("docs/language.md: the row of edition %s says webhooks call any port: %v, the table says %v", e.Name, anyPort, e.AnyPort)
		}
		for _, f := range e.Protected {
			if !strings.Contains(cells[4], code(f)) {
				t.Errorf("docs/language.md: the row of edition %s does not name the protected field %s", e.Name, f)
			}
		}
	}
}
