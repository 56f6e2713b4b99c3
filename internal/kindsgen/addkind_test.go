package kindsgen_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// addKindTimeout bounds the copy's go generate and go test: a hang fails
// the test rather than the CI job's clock.
const addKindTimeout = 10 * time.Minute

// addKindFiles are the files testdata/addkind holds, planted in the copy
// at the same paths: the contributor's executor and scenario test, and the
// checks that every derived part of the tool knows the new channel.
var addKindFiles = []string{
	"runtime/actions_whatsapp.go",
	"runtime/scenario_whatsapp_test.go",
	"runtime/addkind_checks_test.go",
	"validate/addkind_checks_test.go",
}

// addKindEdits are the contributor's edits of files that exist, each
// inserted before or after a line that is there today.
func addKindEdits() []insertion {
	return []insertion{
		{file: "lang/kinds/declarations.go", before: "\t\t{\n\t\t\tName: \"sequence\",", text: `		{
			Name: "whatsapp", Labels: name, Traits: asset, Channel: &Channel{Numbers: "sms_numbers"},
			Attrs: []Attr{
				{Name: "body", Type: Template, Required: true, Doc: "the text"},
				{Name: "from", Type: String, Doc: "the number to send from (else the account's first sms_number)"},
				desc,
			},
			Doc: "A WhatsApp message.",
			Example: ` + "`" + `whatsapp "hello" {
  body = "Hello, ${contact.first_name}!"
}` + "`" + `,
		},
`},
		{file: "lang/kinds/actions.go", before: "\t\t{\n\t\t\tName: \"notify_email\",", text: `		{
			Name: "send_whatsapp", Traits: SendsToContact | Sends, SendsOn: "whatsapp",
			Step:  &StepContent{Attr: "whatsapp", Setting: "whatsapp", Doc: "send this WhatsApp message"},
			Attrs: []Attr{ref("whatsapp", "whatsapp", "the WhatsApp message to send")},
			Doc:   "Sends a WhatsApp message to the contact's phone.",
			Notes: "Needs a number to send from, like ` + "`send_sms`" + `.",
			Example: ` + "`" + `send_whatsapp "hello" {
  whatsapp = whatsapp.hello
}` + "`" + `,
		},
`},
		{file: "runtime/actions_send.go", after: "\tregister(t, linkSendPostcard)\n", text: "\tregister(t, linkSendWhatsapp)\n"},
		{file: "runtime/scenario_actions_test.go", after: "var actionScenarios = map[string][]string{\n", text: "\t\"send_whatsapp\": {\"TestActionSendWhatsapp\"},\n"},
		{file: "compiler/plan/schema_test.go", after: "var everyKind = fstest.MapFS{\n", text: "\t\"whatsapp.journey.hcl\": {Data: []byte(`whatsapp \"hello\" {\n  body = \"Hi\"\n  from = \"+15550101\"\n}\n\ncampaign \"whatsapp\" {\n  trigger \"t\" {\n    on   = tag_added(tag.lead)\n    next = send_whatsapp.hello\n  }\n  send_whatsapp \"hello\" {\n    whatsapp = whatsapp.hello\n  }\n}\n`)},\n"},
		{file: "docs/language.md", before: "### `sequence`\n", text: "### `whatsapp`\n\n" +
			"A WhatsApp message, sent by `send_whatsapp` or a sequence step `whatsapp = whatsapp.NAME`.\n\n" +
			"Without `from`, the account's first `sms_numbers` entry is used; with neither, sending it is an [`sms-without-number`](rules.md#sms-without-number) error.\n\n" +
			"Labels: one, its name.\n\n" +
			"| attribute | type | default | meaning |\n|---|---|---|---|\n" +
			"| `body` | [template](#templates) | required | the text |\n" +
			"| `from` | string |  | the number to send from (else the account's first sms_number) |\n" +
			"| `description` | string |  | free text for reviewers |\n\n" +
			"```hcl\nwhatsapp \"hello\" {\n  body = \"Hello, ${contact.first_name}!\"\n}\n```\n\n"},
	}
}

// insertion puts text before or after a unique anchor of a file.
type insertion struct {
	file, before, after, text string
}

func (in insertion) apply(root string) error {
	path := filepath.Join(root, in.file)
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	anchor, replacement := in.before, in.text+in.before
	if anchor == "" {
		anchor, replacement = in.after, in.after+in.text
	}
	if n := bytes.Count(src, []byte(anchor)); n != 1 {
		return fmt.Errorf("%s: the anchor %q is there %d times, not once: the file changed shape; update the edit in addkind_test.go", in.file, strings.TrimSpace(anchor), n)
	}
	return os.WriteFile(path, bytes.Replace(src, []byte(anchor), []byte(replacement), 1), 0o644)
}

// TestAddingAnActionKind follows docs/architecture.md, "Adding an action
// kind", for a throwaway sending channel, send_whatsapp with its whatsapp
// asset, on a copy of the repository: the table entries, the executor and
// its one-line registration, the scenario test, the line of the schema
// test's workspace, the paragraph of docs, then go generate. The copy's
// tests must pass: the guards (generated files current, the docs covering
// the table, every action with an executor and a scenario, the schema
// exercised on every kind) and planted checks that the schema, the docs,
// the rules, the plan, the engine and the timeline all know the channel.
//
// It builds the copy, so it runs only with JOURNEY_ADD_KIND=1 (.ci/run
// sets it); it takes about a minute.
func TestAddingAnActionKind(t *testing.T) {
	if os.Getenv("JOURNEY_ADD_KIND") == "" {
		t.Skip("set JOURNEY_ADD_KIND=1 to add a throwaway action kind to a copy of the repository and run its tests (about a minute; .ci/run does)")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile(filepath.Join(root, "docs", "architecture.md"))
	if err != nil {
		t.Fatal(err)
	}
	section := docSection(string(doc), "## Adding an action kind")
	if section == "" {
		t.Fatal(`docs/architecture.md has no section "## Adding an action kind"`)
	}
	// The section names every file the test touches, so that following it
	// is what the test proves.
	for _, in := range addKindEdits() {
		if !strings.Contains(section, in.file) {
			t.Errorf("docs/architecture.md's \"Adding an action kind\" does not name %s, which adding the kind touches", in.file)
		}
	}
	for _, f := range []string{"runtime/actions_whatsapp.go", "runtime/scenario_whatsapp_test.go"} {
		dir := filepath.Dir(f) + "/"
		if !strings.Contains(section, dir) {
			t.Errorf("docs/architecture.md's \"Adding an action kind\" does not say where %s goes (%s)", filepath.Base(f), dir)
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), addKindTimeout)
	defer cancel()
	work := t.TempDir()
	copyDir := filepath.Join(work, "journey")
	copyRepository(t, ctx, root, copyDir)
	// The conformance cases sit beside the repository, as in CI.
	if shared, err := filepath.Abs(filepath.Join(root, "..", "shared")); err == nil {
		if _, err := os.Stat(shared); err == nil {
			if err := os.Symlink(shared, filepath.Join(work, "shared")); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, in := range addKindEdits() {
		if err := in.apply(copyDir); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range addKindFiles {
		data, err := os.ReadFile(filepath.Join("testdata", "addkind", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(copyDir, f), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	goCmd(t, ctx, copyDir, "generate", "./...")
	for file, wants := range map[string][]string{
		"docs/plan.schema.json":         {`"send_whatsapp"`, `"settings.whatsapp"`, `{"const": "send_whatsapp"}`},
		"compiler/plan/settings_gen.go": {"type SendWhatsapp struct", "type WhatsappAsset struct", `func (*SendWhatsapp) Channel() string { return "whatsapp" }`, `"whatsapp"}`},
		"docs/language.md":              {"### `send_whatsapp`", "| `whatsapp` | `whatsapp.NAME` |  | send this WhatsApp message |"},
	} {
		data, err := os.ReadFile(filepath.Join(copyDir, file))
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range wants {
			if !bytes.Contains(data, []byte(want)) {
				t.Errorf("go generate wrote %s without %s", file, want)
			}
		}
	}
	goCmd(t, ctx, copyDir, "vet", "./...")
	goCmd(t, ctx, copyDir, "test", "-count=1", "./lang/...", "./compiler/...", "./internal/kindsgen/", "./validate/...", "./runtime/")
}

// docSection is the text under a heading, up to the next heading of the
// same level.
func docSection(doc, heading string) string {
	_, rest, ok := strings.Cut(doc, "\n"+heading+"\n")
	if !ok {
		return ""
	}
	level := heading[:strings.Index(heading, " ")+1]
	if i := strings.Index(rest, "\n"+level); i >= 0 {
		rest = rest[:i]
	}
	return rest
}

// copyRepository copies the files git would commit (tracked, and new ones
// not ignored) from root to dir.
func copyRepository(t *testing.T, ctx context.Context, root, dir string) {
	t.Helper()
	list := exec.CommandContext(ctx, "git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	list.Dir = root
	out, err := list.Output()
	if err != nil {
		t.Fatalf("git ls-files in %s: %v", root, err)
	}
	for _, name := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
		src := filepath.Join(root, name)
		info, err := os.Lstat(src)
		if errors.Is(err, os.ErrNotExist) {
			continue // deleted in the work tree, not yet in the index
		}
		if err != nil {
			t.Fatal(err)
		}
		if !info.Mode().IsRegular() {
			continue
		}
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, data, info.Mode().Perm()); err != nil {
			t.Fatal(err)
		}
	}
}

// goCmd runs the go command in dir and fails the test with its output when
// it fails. The JOURNEY_ variables are left out: the copy must not add a
// kind to a copy of itself, and it has no renderers installed.
func goCmd(t *testing.T, ctx context.Context, dir string, args ...string) {
	t.Helper()
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "JOURNEY_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("go %s in the copy did not finish within %s:\n%s", strings.Join(args, " "), addKindTimeout, out)
	}
	if err != nil {
		t.Fatalf("go %s in the copy: %v\n%s", strings.Join(args, " "), err, out)
	}
}
