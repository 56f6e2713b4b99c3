package server

import (
	"go/ast"
	"go/parser"
	gotoken "go/token"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/journeyhq/journey/runtime/delivery"
)

// docs/server.md shows a full configuration file: it loads, and every key
// the loader knows is in it.
func TestDocsServerExampleLoads(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "server.md"))
	if err != nil {
		t.Fatal(err)
	}
	const open = "```hcl\n# journey.server.hcl: every key\n"
	start := strings.Index(string(doc), open)
	if start < 0 {
		t.Fatalf("docs/server.md has no block starting %q", open)
	}
	example := string(doc)[start+len("```hcl\n"):]
	example = example[:strings.Index(example, "```")]
	env := map[string]string{}
	for _, name := range []string{"SMTP_PASSWORD", "WEBHOOK_SECRET", "SMS_ADAPTER_SECRET", "POSTCARD_ADAPTER_SECRET", "AUDIENCE_ADAPTER_SECRET", "MEMBERSHIP_ADAPTER_SECRET"} {
		env[name] = signingSecret
	}
	secrets := Secrets{Getenv: func(k string) string { return env[k] }, ReadFile: func(string) ([]byte, error) { return []byte(signingSecret), nil }}
	cfg, diags := ParseConfig([]byte(example), "journey.server.hcl", DefaultConfig(), secrets)
	if diags.HasErrors() {
		t.Fatalf("docs/server.md's example does not load:\n%s", describeDiags(diags))
	}
	if cfg.Channels.SMTP == nil || cfg.Channels.Webhook == nil || len(cfg.Channels.Adapters) != len(delivery.AdapterChannels()) {
		t.Errorf("docs/server.md's example does not configure every channel: %+v", cfg.Channels)
	}
	for _, key := range configKeys(reflect.TypeFor[configDoc](), "") {
		name := key[strings.LastIndex(key, ".")+1:]
		refused := name == "password" || name == "secret"
		if !refused && !strings.Contains(example, name+" ") {
			t.Errorf("docs/server.md's example does not show %s", key)
		}
		if !strings.Contains(string(doc), "`"+key+"`") {
			t.Errorf("docs/server.md does not describe `%s`", key)
		}
	}
}

// configKeys lists the dotted keys of a decoded configuration type.
func configKeys(typ reflect.Type, prefix string) []string {
	var keys []string
	for i := range typ.NumField() {
		f := typ.Field(i)
		name, kind, _ := strings.Cut(f.Tag.Get("hcl"), ",")
		if name == "" {
			continue
		}
		switch kind {
		case "block":
			inner := f.Type
			for inner.Kind() == reflect.Pointer {
				inner = inner.Elem()
			}
			keys = append(keys, configKeys(inner, prefix+name+".")...)
		default:
			keys = append(keys, prefix+name)
		}
	}
	return keys
}

// docs/operations.md's alerts name the server's metrics: each name there
// is one this package registers, so that a renamed metric does not leave
// an alert that never fires.
func TestDocsOperationsNamesRealMetrics(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "operations.md"))
	if err != nil {
		t.Fatal(err)
	}
	registered := metricNames(t)
	mentioned := regexp.MustCompile(`journey_[a-z_]+`).FindAllString(string(doc), -1)
	if len(mentioned) == 0 {
		t.Fatal("docs/operations.md names no journey_ metric; its alerts should")
	}
	for _, name := range mentioned {
		// A histogram's series: name_bucket, name_sum, name_count.
		base := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(name, "_bucket"), "_sum"), "_count")
		if !registered[name] && !registered[base] {
			t.Errorf("docs/operations.md names %s, which runtime/server does not register (it has %s)", name, strings.Join(slices.Sorted(maps.Keys(registered)), ", "))
		}
	}
}

// metricNames are the string constants of the package's own source that
// name a journey_ metric.
func metricNames(t *testing.T) map[string]bool {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	metric := regexp.MustCompile(`^journey_[a-z_]+$`)
	fset := gotoken.NewFileSet()
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, file, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == gotoken.STRING {
				if s, err := strconv.Unquote(lit.Value); err == nil && metric.MatchString(s) {
					names[s] = true
				}
			}
			return true
		})
	}
	return names
}
