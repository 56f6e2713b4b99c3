package server

import (
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/journeyhq/journey/runtime/delivery"
)

// decoder turns a decoded file into a Config, remembering where each key
// was written so that a later problem (delivery.Config.Validate's) points
// at its line.
type decoder struct {
	dir     string
	secrets Secrets
	// keys are the ranges of the keys the file sets, by their dotted
	// name: "smtp.port", "adapters.sms.url"; a block's name is its
	// header's range.
	keys  map[string]hcl.Range
	diags hcl.Diagnostics
}

// logFormats are the values of log_format and --log-format.
var logFormats = []string{"text", "json"}

func (d *decoder) apply(doc configDoc, cfg Config) Config {
	d.path("plan", doc.Body, doc.Plan, &cfg.Plan)
	d.path("db", doc.Body, doc.DB, &cfg.DB)
	d.text("listen", doc.Body, doc.Listen, &cfg.Listen)
	if d.text("log_format", doc.Body, doc.LogFormat, &cfg.LogFormat) && !slices.Contains(logFormats, cfg.LogFormat) {
		d.fail("log_format", "Unknown log format", fmt.Sprintf("log_format is %q: use \"text\" (a line per event, for people) or \"json\" (an object per line, for a log collector).", cfg.LogFormat))
	}
	if b := doc.Deliveries; b != nil {
		d.block("deliveries", b.DefRange)
		if d.number("deliveries.workers", b.Body, b.Workers, &cfg.Workers) && cfg.Workers < 1 {
			d.fail("deliveries.workers", "Too few workers", fmt.Sprintf("deliveries.workers is %d: give 1 or more (deliveries sent at once; the default is %d).", cfg.Workers, DefaultConfig().Workers))
		}
		if d.number("deliveries.max_attempts", b.Body, b.MaxAttempts, &cfg.MaxAttempts) && cfg.MaxAttempts < 1 {
			d.fail("deliveries.max_attempts", "Too few attempts", fmt.Sprintf("deliveries.max_attempts is %d: give 1 or more (the default is %d).", cfg.MaxAttempts, DefaultConfig().MaxAttempts))
		}
	}
	if b := doc.SMTP; b != nil {
		cfg.Channels.SMTP = d.smtp(b)
	}
	if b := doc.Webhook; b != nil {
		d.block("webhook", b.DefRange)
		w := &delivery.WebhookConfig{}
		w.Secret = d.secret("webhook", "secret", b.Body, b.DefRange, b.Secret, b.SecretEnv, b.SecretFile)
		d.duration("webhook.timeout", b.Body, b.Timeout, &w.Timeout)
		cfg.Channels.Webhook = w
	}
	if doc.Adapters != nil {
		blocks := doc.Adapters.byChannel()
		for _, channel := range delivery.AdapterChannels() {
			b := blocks[channel]
			if b == nil {
				continue
			}
			key := "adapters." + channel
			d.block(key, b.DefRange)
			a := delivery.AdapterConfig{URL: b.URL}
			d.key(key+".url", b.Body)
			a.Secret = d.secret(key, "secret", b.Body, b.DefRange, b.Secret, b.SecretEnv, b.SecretFile)
			d.duration(key+".timeout", b.Body, b.Timeout, &a.Timeout)
			if cfg.Channels.Adapters == nil {
				cfg.Channels.Adapters = map[string]delivery.AdapterConfig{}
			}
			cfg.Channels.Adapters[channel] = a
		}
	}
	return cfg
}

func (d *decoder) smtp(b *smtpDoc) *delivery.SMTPConfig {
	d.block("smtp", b.DefRange)
	c := &delivery.SMTPConfig{Host: b.Host}
	d.key("smtp.host", b.Body)
	d.number("smtp.port", b.Body, b.Port, &c.Port)
	var mode string
	if d.text("smtp.tls", b.Body, b.TLS, &mode) {
		c.TLS = delivery.TLSMode(mode)
	}
	d.text("smtp.username", b.Body, b.Username, &c.Username)
	c.Password = d.secret("smtp", "password", b.Body, b.DefRange, b.Password, b.PasswordEnv, b.PasswordFile)
	d.text("smtp.auth", b.Body, b.Auth, &c.Auth)
	d.text("smtp.helo", b.Body, b.HELO, &c.HELO)
	d.text("smtp.from", b.Body, b.From, &c.From)
	d.duration("smtp.timeout", b.Body, b.Timeout, &c.Timeout)
	return c
}

// secret reads block.name from the environment (name_env) or a file
// (name_file). Written in the file itself (name = "..."), it is refused:
// the file is read by people and kept in version control.
func (d *decoder) secret(block, name string, body hcl.Body, blockRange hcl.Range, literal, env, file *string) delivery.Secret {
	key := block + "." + name
	envKey, fileKey := name+"_env", name+"_file"
	if literal != nil {
		d.key(key, body)
		d.fail(key, "A secret written in the configuration file",
			fmt.Sprintf("%s is never read from %s, which people read and keep in version control: set %s = \"%s\" (the environment variable that holds it) or %s = \"/run/secrets/%s\" (a file that holds it) instead.",
				key, ConfigFile, envKey, envName(block, name), fileKey, strings.ReplaceAll(key, ".", "_")))
		return ""
	}
	switch {
	case env != nil && file != nil:
		d.key(key+"_file", body)
		d.fail(key+"_file", "Two sources for one secret", fmt.Sprintf("%s sets both %s and %s: keep one.", block, envKey, fileKey))
		return ""
	case env != nil:
		d.key(key+"_env", body)
		// A problem with the secret (too short) is on this line.
		d.keys[key] = d.keys[key+"_env"]
		value := d.secrets.Getenv(*env)
		if strings.TrimSpace(*env) == "" || value == "" {
			d.fail(key+"_env", "Secret not in the environment",
				fmt.Sprintf("%s = %q, but journey server's environment has no %s, or it is empty: export it before starting the server (or use %s).", envKey, *env, *env, fileKey))
			return ""
		}
		return delivery.Secret(value)
	case file != nil:
		d.key(key+"_file", body)
		d.keys[key] = d.keys[key+"_file"]
		path := d.resolve(*file)
		data, err := d.secrets.ReadFile(path)
		if err != nil {
			d.fail(key+"_file", "Cannot read the secret's file", fmt.Sprintf("%s = %q: %v. Give a file journey server can read, holding the secret alone.", fileKey, *file, unwrapPathError(err)))
			return ""
		}
		// A file written by echo or an editor ends with a line break
		// that is not part of the secret.
		value := strings.TrimRight(string(data), "\r\n")
		if value == "" {
			d.fail(key+"_file", "Empty secret file", fmt.Sprintf("%s = %q: the file is empty; write the secret in it.", fileKey, *file))
			return ""
		}
		return delivery.Secret(value)
	}
	d.keys[key] = blockRange
	return ""
}

// envName suggests an environment variable for a secret: SMTP_PASSWORD,
// WEBHOOK_SECRET, SMS_ADAPTER_SECRET.
func envName(block, name string) string {
	if channel, ok := strings.CutPrefix(block, "adapters."); ok {
		return strings.ToUpper(channel) + "_ADAPTER_" + strings.ToUpper(name)
	}
	return strings.ToUpper(block + "_" + name)
}

// text sets *into when the file sets the key, reporting whether it did.
func (d *decoder) text(key string, body hcl.Body, value *string, into *string) bool {
	if value == nil {
		return false
	}
	d.key(key, body)
	*into = *value
	return true
}

func (d *decoder) number(key string, body hcl.Body, value *int, into *int) bool {
	if value == nil {
		return false
	}
	d.key(key, body)
	*into = *value
	return true
}

// path is text for a file's path, read from the configuration file's
// directory when relative.
func (d *decoder) path(key string, body hcl.Body, value *string, into *string) {
	if d.text(key, body, value, into) && *into != "" {
		*into = d.resolve(*into)
	}
}

func (d *decoder) resolve(path string) string {
	if filepath.IsAbs(path) || d.dir == "" || d.dir == "." {
		return path
	}
	return filepath.Join(d.dir, path)
}

func (d *decoder) duration(key string, body hcl.Body, value *string, into *time.Duration) {
	var text string
	if !d.text(key, body, value, &text) {
		return
	}
	v, err := time.ParseDuration(text)
	if err != nil || v <= 0 {
		d.fail(key, "Not a duration", fmt.Sprintf("%s is %q: write a positive duration such as \"30s\", \"2m\" or \"1m30s\".", key, text))
		return
	}
	*into = v
}

// key records where the file sets a key (its last part is the
// attribute's name in body).
func (d *decoder) key(key string, body hcl.Body) {
	name := key[strings.LastIndex(key, ".")+1:]
	if sb, ok := body.(*hclsyntax.Body); ok {
		if attr, ok := sb.Attributes[name]; ok {
			d.keys[key] = attr.SrcRange
		}
	}
}

func (d *decoder) block(key string, header hcl.Range) { d.keys[key] = header }

// fail adds an error at a key's line.
func (d *decoder) fail(key, summary, detail string) {
	diag := &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail}
	if r, ok := d.rangeOf(key); ok {
		diag.Subject = &r
	}
	d.diags = append(d.diags, diag)
}

// rangeOf is where a key is set, or where the nearest block that holds
// it starts.
func (d *decoder) rangeOf(key string) (hcl.Range, bool) {
	for k := key; k != ""; {
		if r, ok := d.keys[k]; ok {
			return r, true
		}
		i := strings.LastIndex(k, ".")
		if i < 0 {
			break
		}
		k = k[:i]
	}
	return hcl.Range{}, false
}

// leadingKey is the dotted key a message of delivery.Config.Validate
// begins with.
var leadingKey = regexp.MustCompile(`^[a-z_]+(\.[a-z_]+)*`)

// keyed turns a message of delivery.Config.Validate into a diagnostic at
// the line of the key it names.
func (d *decoder) keyed(message string) *hcl.Diagnostic {
	diag := &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid channel configuration", Detail: message}
	if strings.Contains(message, ".password") || strings.Contains(message, ".secret") {
		diag.Detail += ". In " + ConfigFile + " a secret comes from the environment (password_env, secret_env) or a file (password_file, secret_file), never from the file itself"
	}
	if key := leadingKey.FindString(message); key != "" {
		if r, ok := d.rangeOf(key); ok {
			diag.Subject = &r
		}
	}
	return diag
}
