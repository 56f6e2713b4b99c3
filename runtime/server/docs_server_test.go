package server

import (
	"os"
	"path/filepath"
	"reflect"
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
