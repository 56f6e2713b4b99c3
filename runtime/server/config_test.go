package server

import (
	"fmt"
	"io/fs"
	"maps"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/journeyhq/journey/runtime/delivery"
)

// signingSecret is long enough for delivery.Config.Validate.
const signingSecret = "0123456789abcdef0123456789abcdef"

// fakeSecrets is an environment and a set of files.
func fakeSecrets(env map[string]string, files map[string]string) Secrets {
	return Secrets{
		Getenv: func(k string) string { return env[k] },
		ReadFile: func(name string) ([]byte, error) {
			if v, ok := files[name]; ok {
				return []byte(v), nil
			}
			return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
		},
	}
}

func parse(t *testing.T, src string, secrets Secrets) (Config, hcl.Diagnostics) {
	t.Helper()
	return ParseConfig([]byte(src), "journey.server.hcl", DefaultConfig(), secrets)
}

// wantDiag checks that the diagnostics hold an error at the line that
// says each of the words.
func wantDiag(t *testing.T, diags hcl.Diagnostics, line int, words ...string) {
	t.Helper()
	for _, d := range diags {
		text := d.Summary + ": " + d.Detail
		if d.Subject == nil || d.Subject.Start.Line != line || d.Subject.Filename != "journey.server.hcl" {
			continue
		}
		missing := slices.DeleteFunc(slices.Clone(words), func(w string) bool { return strings.Contains(text, w) })
		if len(missing) == 0 {
			return
		}
	}
	t.Errorf("no error at journey.server.hcl:%d saying %q; the diagnostics:\n%s", line, words, describeDiags(diags))
}

func describeDiags(diags hcl.Diagnostics) string {
	var b strings.Builder
	for _, d := range diags {
		where := "(no position)"
		if d.Subject != nil {
			where = d.Subject.String()
		}
		fmt.Fprintf(&b, "  %s: %s: %s\n", where, d.Summary, d.Detail)
	}
	return b.String()
}

func TestConfigReadsEveryKey(t *testing.T) {
	src := `
plan       = "plans/plan.json"
db         = "/var/lib/journey/journey.db"
listen     = "0.0.0.0:9000"
log_format = "json"

deliveries {
  workers      = 20
  max_attempts = 12
}

smtp {
  host         = "smtp.example.com"
  port         = 465
  tls          = "tls"
  username     = "journey@example.com"
  password_env = "SMTP_PASSWORD"
  auth         = "login"
  helo         = "journey.example.com"
  from         = "Acme <news@example.com>"
  timeout      = "45s"
}

webhook {
  secret_file = "secrets/webhook"
  timeout     = "5s"
}

adapters {
  sms {
    url        = "https://sms.example.com/send"
    secret_env = "SMS_ADAPTER_SECRET"
    timeout    = "3s"
  }
  postcard {
    url        = "https://postcards.example.com/"
    secret_env = "POSTCARD_ADAPTER_SECRET"
  }
}
`
	secrets := fakeSecrets(
		map[string]string{"SMTP_PASSWORD": "hunter2hunter2", "SMS_ADAPTER_SECRET": signingSecret, "POSTCARD_ADAPTER_SECRET": signingSecret + "p"},
		map[string]string{filepath.Join("/etc/journey", "secrets/webhook"): signingSecret + "\n"})
	cfg, diags := ParseConfig([]byte(src), "/etc/journey/journey.server.hcl", DefaultConfig(), secrets)
	if diags.HasErrors() {
		t.Fatalf("the configuration does not load:\n%s", describeDiags(diags))
	}
	want := Config{
		Plan: "/etc/journey/plans/plan.json", DB: "/var/lib/journey/journey.db", Listen: "0.0.0.0:9000", LogFormat: "json",
		Workers: 20, MaxAttempts: 12,
		Channels: delivery.Config{
			SMTP: &delivery.SMTPConfig{Host: "smtp.example.com", Port: 465, TLS: delivery.TLSImplicit, Username: "journey@example.com",
				Password: "hunter2hunter2", Auth: "login", HELO: "journey.example.com", From: "Acme <news@example.com>", Timeout: 45 * time.Second},
			// The file's line break is not part of the secret.
			Webhook: &delivery.WebhookConfig{Secret: signingSecret, Timeout: 5 * time.Second},
			Adapters: map[string]delivery.AdapterConfig{
				"sms":      {URL: "https://sms.example.com/send", Secret: signingSecret, Timeout: 3 * time.Second},
				"postcard": {URL: "https://postcards.example.com/", Secret: signingSecret + "p"},
			},
		},
	}
	if !reflect.DeepEqual(cfg, want) {
		t.Errorf("the configuration is\n%#v\nwant\n%#v", cfg, want)
	}
}

func TestConfigKeysLeftOutKeepTheirDefaults(t *testing.T) {
	cfg, diags := parse(t, `listen = "127.0.0.1:9999"`, fakeSecrets(nil, nil))
	if diags.HasErrors() {
		t.Fatal(describeDiags(diags))
	}
	want := DefaultConfig()
	want.Listen = "127.0.0.1:9999"
	if !reflect.DeepEqual(cfg, want) {
		t.Errorf("got %+v, want the defaults with the listen address: %+v", cfg, want)
	}
}

func TestConfigRefusesSecretsWrittenInIt(t *testing.T) {
	src := `smtp {
  host     = "smtp.example.com"
  username = "journey"
  password = "hunter2"
}
webhook {
  secret = "0123456789abcdef0123456789abcdef"
}
adapters {
  sms {
    url    = "https://sms.example.com/"
    secret = "0123456789abcdef0123456789abcdef"
  }
}
`
	_, diags := parse(t, src, fakeSecrets(nil, nil))
	wantDiag(t, diags, 4, "smtp.password", "password_env", "password_file")
	wantDiag(t, diags, 7, "webhook.secret", "secret_env = \"WEBHOOK_SECRET\"")
	wantDiag(t, diags, 12, "adapters.sms.secret", "secret_env = \"SMS_ADAPTER_SECRET\"")
	for _, d := range diags {
		if strings.Contains(d.Detail, "hunter2") || strings.Contains(d.Detail, "0123456789abcdef") {
			t.Errorf("a diagnostic repeats the secret: %s", d.Detail)
		}
	}
}

func TestConfigSecretSources(t *testing.T) {
	src := `smtp {
  host         = "smtp.example.com"
  username     = "journey"
  password_env = "SMTP_PASSWORD"
}
webhook {
  secret_file = "/run/secrets/webhook"
}
adapters {
  sms {
    url         = "https://sms.example.com/"
    secret_env  = "SMS_SECRET"
    secret_file = "/run/secrets/sms"
  }
  postcard {
    url         = "https://postcards.example.com/"
    secret_file = "/run/secrets/postcard"
  }
}
`
	_, diags := parse(t, src, fakeSecrets(map[string]string{"SMS_SECRET": signingSecret}, map[string]string{"/run/secrets/postcard": "\n"}))
	wantDiag(t, diags, 4, "SMTP_PASSWORD", "export it")
	wantDiag(t, diags, 7, "/run/secrets/webhook", "does not exist")
	wantDiag(t, diags, 13, "secret_env and secret_file", "keep one")
	wantDiag(t, diags, 17, "/run/secrets/postcard", "empty")
}

func TestConfigChannelProblemsPointAtTheirKey(t *testing.T) {
	src := `log_format = "xml"

smtp {
  host = "smtp.example.com"
  port = 70000
  tls  = "ssl"
}
webhook {
  timeout = "ten seconds"
}
adapters {
  audience {
    url        = "ftp://audiences.example.com/"
    secret_env = "AUDIENCE_SECRET"
  }
}
`
	_, diags := parse(t, src, fakeSecrets(map[string]string{"AUDIENCE_SECRET": "short"}, nil))
	wantDiag(t, diags, 1, "log_format", `"text"`, `"json"`)
	wantDiag(t, diags, 9, "webhook.timeout", `"30s"`)
	// delivery.Config.Validate's problems come once the file's own are
	// fixed.
	_, diags = parse(t, strings.NewReplacer(`"xml"`, `"json"`, `"ten seconds"`, `"10s"`).Replace(src),
		fakeSecrets(map[string]string{"AUDIENCE_SECRET": "short"}, nil))
	wantDiag(t, diags, 5, "smtp.port 70000 is not a port")
	wantDiag(t, diags, 6, `smtp.tls "ssl"`, "starttls")
	wantDiag(t, diags, 8, "webhook.secret is empty", "secret_env")
	wantDiag(t, diags, 13, "adapters.audience.url", "http or https")
	wantDiag(t, diags, 14, "adapters.audience.secret is 5 bytes long")
}

func TestConfigUnknownKeysAndBlocks(t *testing.T) {
	src := `listen = "127.0.0.1:8080"
port = 8080

smtp {
  hostname = "smtp.example.com"
}
adapters {
  fax {
    url = "https://fax.example.com/"
  }
}
`
	_, diags := parse(t, src, fakeSecrets(nil, nil))
	wantDiag(t, diags, 2, "Unsupported argument", `"port"`, "docs/server.md")
	wantDiag(t, diags, 5, "Unsupported argument", `"hostname"`)
	wantDiag(t, diags, 8, "Unsupported block type", `"fax"`)
}

func TestConfigSyntaxErrorNamesTheLine(t *testing.T) {
	_, diags := parse(t, "listen = \"127.0.0.1:8080\"\nsmtp {\n  host = \n}\n", fakeSecrets(nil, nil))
	if !diags.HasErrors() || diags[0].Subject == nil || diags[0].Subject.Start.Line != 3 {
		t.Errorf("a missing value: want an error at line 3, got\n%s", describeDiags(diags))
	}
}

func TestLoadConfigFileThatIsMissing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nope.hcl")
	base := DefaultConfig()
	cfg, diags := LoadConfigFile(path, base, fakeSecrets(nil, nil))
	if !diags.HasErrors() || !strings.Contains(diags[0].Detail, "no such file") || !strings.Contains(diags[0].Detail, "--config") {
		t.Errorf("a missing file: %s", describeDiags(diags))
	}
	if !reflect.DeepEqual(cfg, base) {
		t.Errorf("a file that cannot be read changed the configuration: %+v", cfg)
	}
}

// The configuration's adapter blocks are delivery's adapter channels.
func TestConfigHasABlockPerAdapterChannel(t *testing.T) {
	got := slices.Sorted(maps.Keys((&adaptersDoc{}).byChannel()))
	if want := delivery.AdapterChannels(); !slices.Equal(got, want) {
		t.Errorf("adapters blocks %v, delivery's adapter channels %v", got, want)
	}
}

func TestConfigProblemsComeInTheFilesOrder(t *testing.T) {
	src := `adapters {
  sms {
    url    = "https://sms.example.com/"
    secret = "written-here"
  }
  audience {
    url    = "https://audiences.example.com/"
    secret = "written-here-too"
  }
}
deliveries {
  workers = 0
}
`
	for range 5 { // the adapters are a map inside
		_, diags := parse(t, src, fakeSecrets(nil, nil))
		var lines []int
		for _, d := range diags {
			lines = append(lines, d.Subject.Start.Line)
		}
		if !slices.Equal(lines, []int{4, 8, 12}) {
			t.Fatalf("the problems are at lines %v, want 4, 8, 12 in that order:\n%s", lines, describeDiags(diags))
		}
	}
}
