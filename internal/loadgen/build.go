package loadgen

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"text/template"
)

// Build builds the journey binary of the module at moduleDir into out.
func Build(ctx context.Context, moduleDir, out string) error {
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, "./cmd/journey")
	cmd.Dir = moduleDir
	if msg, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("loadgen: go build ./cmd/journey: %v\n%s", err, msg)
	}
	return nil
}

//go:embed workspaces
var workspaces embed.FS

// Workspace is what the campaigns of a workspace are written with: the
// receivers' addresses, which are known only once the sinks listen.
type Workspace struct {
	// WebhookURL is where webhook.crm posts.
	WebhookURL string
}

// Compile writes the workspace name (a directory of workspaces/, its
// files templates of w) into dir and compiles it with the journey binary
// into dir/plan.json, which it returns.
func Compile(ctx context.Context, binary, name, dir string, w Workspace) (string, error) {
	src := filepath.Join(dir, "workspace")
	if err := os.MkdirAll(src, 0o755); err != nil {
		return "", err
	}
	root := "workspaces/" + name
	files, err := fs.ReadDir(workspaces, root)
	if err != nil {
		return "", fmt.Errorf("loadgen: no workspace %q: %w", name, err)
	}
	for _, f := range files {
		text, err := workspaces.ReadFile(root + "/" + f.Name())
		if err != nil {
			return "", err
		}
		tmpl, err := template.New(f.Name()).Option("missingkey=error").Parse(string(text))
		if err != nil {
			return "", fmt.Errorf("loadgen: %s: %w", f.Name(), err)
		}
		var out bytes.Buffer
		if err := tmpl.Execute(&out, w); err != nil {
			return "", fmt.Errorf("loadgen: %s: %w", f.Name(), err)
		}
		if err := os.WriteFile(filepath.Join(src, f.Name()), out.Bytes(), 0o644); err != nil {
			return "", err
		}
	}
	plan := filepath.Join(dir, "plan.json")
	cmd := exec.CommandContext(ctx, binary, "compile", src, "-o", plan)
	if msg, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("loadgen: journey compile %s: %v\n%s", name, err, msg)
	}
	return plan, nil
}

// WriteConfig writes dir/journey.server.hcl.
func WriteConfig(dir string, lines ...string) error {
	return os.WriteFile(filepath.Join(dir, "journey.server.hcl"), []byte(strings.Join(lines, "\n")+"\n"), 0o644)
}
