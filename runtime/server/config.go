package server

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/hashicorp/hcl/v2/hclparse"

	"github.com/journeyhq/journey/runtime/delivery"
	"github.com/journeyhq/journey/runtime/queue"
)

// ConfigFile is the configuration file journey server reads from its
// working directory when it is there and --config names no other.
const ConfigFile = "journey.server.hcl"

// Config is what journey server runs with: the defaults, then the
// configuration file, then the command line. docs/server.md describes
// every key.
type Config struct {
	// Plan is a compiled plan (journey compile -o) to run; "" runs the
	// database's current deployment, if any.
	Plan string
	// DB is the SQLite database file.
	DB string
	// Listen is the API's address; port 0 takes a free port (the log says
	// which).
	Listen string
	// LogFormat is text or json.
	LogFormat string
	// Workers is how many deliveries are sent at once; MaxAttempts how
	// many attempts a delivery gets before it fails.
	Workers     int
	MaxAttempts int
	// Channels are the delivery channels, secrets included.
	Channels delivery.Config
}

// Defaults: journey server with no flags and no file.
const (
	DefaultDB     = "journey.db"
	DefaultListen = "127.0.0.1:8080"
)

// DefaultConfig is the configuration of journey server with no file and
// no flags: journey.db in the working directory, 127.0.0.1:8080, text
// logs, no channel configured.
func DefaultConfig() Config {
	return Config{DB: DefaultDB, Listen: DefaultListen, LogFormat: "text",
		Workers: queue.DefaultWorkers, MaxAttempts: queue.DefaultMaxAttempts}
}

// Secrets is where a configuration's secrets come from: the environment
// (password_env, secret_env) and files (password_file, secret_file).
type Secrets struct {
	Getenv   func(string) string
	ReadFile func(string) ([]byte, error)
}

// LoadConfigFile reads a configuration file over base: what the file sets
// replaces base's. Relative paths in the file (plan, db, password_file...)
// are read from the file's directory. Every problem is a diagnostic with
// the file, line and column, and what to do.
func LoadConfigFile(path string, base Config, secrets Secrets) (Config, hcl.Diagnostics) {
	src, err := os.ReadFile(path)
	if err != nil {
		return base, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Cannot read the configuration file",
			Detail:   fmt.Sprintf("%s: %v. Name an existing file with --config, or leave --config out to read %s from the working directory when it is there.", path, unwrapPathError(err), ConfigFile),
		}}
	}
	return ParseConfig(src, path, base, secrets)
}

// ParseConfig reads a configuration file's content over base; filename
// names it in diagnostics and anchors its relative paths.
func ParseConfig(src []byte, filename string, base Config, secrets Secrets) (Config, hcl.Diagnostics) {
	file, diags := hclparse.NewParser().ParseHCL(src, filename)
	if diags.HasErrors() {
		return base, diags
	}
	var doc configDoc
	if diags := gohcl.DecodeBody(file.Body, nil, &doc); diags.HasErrors() {
		return base, explainUnsupported(diags)
	}
	d := &decoder{dir: filepath.Dir(filename), secrets: secrets, keys: map[string]hcl.Range{}}
	cfg := d.apply(doc, base)
	if d.diags.HasErrors() {
		return base, inFileOrder(d.diags)
	}
	// delivery.Config.Validate names each problem by its key
	// ("smtp.port 70000 is not a port..."); the key's line is the
	// diagnostic's.
	for _, err := range flatten(cfg.Channels.Validate()) {
		d.diags = append(d.diags, d.keyed(err.Error()))
	}
	if d.diags.HasErrors() {
		return base, inFileOrder(d.diags)
	}
	return cfg, nil
}

// inFileOrder sorts diagnostics by where they point, as a person reads
// the file.
func inFileOrder(diags hcl.Diagnostics) hcl.Diagnostics {
	slices.SortStableFunc(diags, func(a, b *hcl.Diagnostic) int {
		pos := func(d *hcl.Diagnostic) int {
			if d.Subject == nil {
				return 0
			}
			return d.Subject.Start.Byte + 1
		}
		return pos(a) - pos(b)
	})
	return diags
}

// configDoc is the file as HCL holds it. Pointers tell a key left out
// (base's value stays) from one set.
type configDoc struct {
	Plan       *string        `hcl:"plan,optional"`
	DB         *string        `hcl:"db,optional"`
	Listen     *string        `hcl:"listen,optional"`
	LogFormat  *string        `hcl:"log_format,optional"`
	Deliveries *deliveriesDoc `hcl:"deliveries,block"`
	SMTP       *smtpDoc       `hcl:"smtp,block"`
	Webhook    *webhookDoc    `hcl:"webhook,block"`
	Adapters   *adaptersDoc   `hcl:"adapters,block"`
	Body       hcl.Body       `hcl:",body"`
}

type deliveriesDoc struct {
	Workers     *int      `hcl:"workers,optional"`
	MaxAttempts *int      `hcl:"max_attempts,optional"`
	Body        hcl.Body  `hcl:",body"`
	DefRange    hcl.Range `hcl:",def_range"`
}

type smtpDoc struct {
	Host     string  `hcl:"host"`
	Port     *int    `hcl:"port,optional"`
	TLS      *string `hcl:"tls,optional"`
	Username *string `hcl:"username,optional"`
	// Password (and Secret below) is read only to be refused, with what
	// to write instead: secrets come from the environment or a file.
	Password     *string   `hcl:"password,optional"`
	PasswordEnv  *string   `hcl:"password_env,optional"`
	PasswordFile *string   `hcl:"password_file,optional"`
	Auth         *string   `hcl:"auth,optional"`
	HELO         *string   `hcl:"helo,optional"`
	From         *string   `hcl:"from,optional"`
	Timeout      *string   `hcl:"timeout,optional"`
	Body         hcl.Body  `hcl:",body"`
	DefRange     hcl.Range `hcl:",def_range"`
}

type webhookDoc struct {
	Secret     *string   `hcl:"secret,optional"`
	SecretEnv  *string   `hcl:"secret_env,optional"`
	SecretFile *string   `hcl:"secret_file,optional"`
	Timeout    *string   `hcl:"timeout,optional"`
	Body       hcl.Body  `hcl:",body"`
	DefRange   hcl.Range `hcl:",def_range"`
}

// adaptersDoc has a block per adapter channel (delivery.AdapterChannels):
// a test holds the two lists together.
type adaptersDoc struct {
	SMS        *adapterDoc `hcl:"sms,block"`
	Postcard   *adapterDoc `hcl:"postcard,block"`
	Audience   *adapterDoc `hcl:"audience,block"`
	Membership *adapterDoc `hcl:"membership,block"`
}

func (a *adaptersDoc) byChannel() map[string]*adapterDoc {
	return map[string]*adapterDoc{"sms": a.SMS, "postcard": a.Postcard, "audience": a.Audience, "membership": a.Membership}
}

type adapterDoc struct {
	URL        string    `hcl:"url"`
	Secret     *string   `hcl:"secret,optional"`
	SecretEnv  *string   `hcl:"secret_env,optional"`
	SecretFile *string   `hcl:"secret_file,optional"`
	Timeout    *string   `hcl:"timeout,optional"`
	Body       hcl.Body  `hcl:",body"`
	DefRange   hcl.Range `hcl:",def_range"`
}

// explainUnsupported adds to HCL's "An argument named "x" is not expected
// here" where the keys are listed.
func explainUnsupported(diags hcl.Diagnostics) hcl.Diagnostics {
	for _, d := range diags {
		if strings.HasPrefix(d.Summary, "Unsupported") && !strings.Contains(d.Detail, "docs/server.md") {
			d.Detail = strings.TrimSpace(d.Detail) + " docs/server.md lists every key of " + ConfigFile + "."
		}
	}
	return diags
}

// flatten lists the errors errors.Join put together, depth first.
func flatten(err error) []error {
	if err == nil {
		return nil
	}
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range joined.Unwrap() {
			out = append(out, flatten(e)...)
		}
		return out
	}
	return []error{err}
}

// unwrapPathError drops the path an *fs.PathError repeats: the message
// names the file already.
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
