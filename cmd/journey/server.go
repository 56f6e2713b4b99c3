package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	goruntime "runtime"
	"runtime/debug"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/journeyhq/journey/runtime/server"
)

// serverGCPercent is the garbage collector's target for journey server:
// Go's default. The batch commands' 400 (main.go) trades memory for speed
// in a process that exits soon; a server runs for weeks, and its memory
// must stay where the operator measured it. GOGC overrides it.
const serverGCPercent = 100

type serverOptions struct {
	plan, db, listen, config, logFormat, readyFile string
}

func (c *CLI) serverCommand() *cobra.Command {
	var o serverOptions
	cmd := &cobra.Command{
		Use:   "server",
		Short: "Run compiled plans for real contacts: the API, the scheduler and the deliveries",
		Long: `Run the bundled runtime: the HTTP API under /v1, the scheduler that runs
due waits, and the workers that send the outbox (email over SMTP, webhooks,
provider adapters), over a SQLite database, or over a PostgreSQL database
that several servers share (--db postgres://...: any node runs any due step,
each exactly once; every node needs the same JOURNEY_TOKEN). It runs until
SIGINT or SIGTERM, then stops in order and exits 0.

With no flags: the database journey.db and the configuration file
journey.server.hcl (when there) in the working directory, the API on
127.0.0.1:8080. Flags override the file. Secrets (SMTP password, signing
secrets) come only from the environment or files the configuration names.
--plan deploys a compiled plan on a database that has none; without it, the
server runs the database's current plan, or none (the API answers and events
are stored; nothing runs). The API's token is JOURNEY_TOKEN, else the file
journey.token beside the database, else a new one, saved there and printed
once. docs/server.md has the configuration reference.`,
		Example: `  journey compile examples/onboarding -o plan.json
  journey server --plan plan.json
  journey server --config /etc/journey/journey.server.hcl --log-format json
  JOURNEY_TOKEN=$(cat /run/secrets/journey_token) journey server --db /var/lib/journey/journey.db
  JOURNEY_TOKEN=$(cat /run/secrets/journey_token) journey server --db postgres://journey@db.internal:5432/journey
  journey server --listen 127.0.0.1:0 --ready-file /tmp/journey.addr`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.server(cmd.Context(), cmd.Flags(), o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.plan, "plan", "", "a compiled plan (journey compile -o) to deploy on a database that runs none")
	f.StringVar(&o.db, "db", server.DefaultDB, "the database: a SQLite file (created when missing), or a postgres:// URL that several servers share")
	f.StringVar(&o.listen, "listen", server.DefaultListen, "the API's address; port 0 takes a free port (the log says which)")
	f.StringVar(&o.config, "config", server.ConfigFile, "the configuration file (read from the working directory when there)")
	f.StringVar(&o.logFormat, "log-format", "text", "log format: text or json")
	f.StringVar(&o.readyFile, "ready-file", "", "a file to write the API's address to once the server serves (removed at exit)")
	return cmd
}

func (c *CLI) server(ctx context.Context, flags *pflag.FlagSet, o serverOptions) error {
	if c.Getenv("GOGC") == "" {
		debug.SetGCPercent(serverGCPercent)
	}
	cfg, file, err := c.serverConfig(flags, o)
	if err != nil {
		return err
	}
	log, err := newLogger(c.Stderr, cfg.LogFormat)
	if err != nil {
		return usage("%v", err)
	}
	log.Info("journey server starting", "version", version(), "commit", commit(), "go", goruntime.Version())
	if file != "" {
		log.Info("configuration read", "file", file)
	}
	return server.Run(ctx, server.RunOptions{
		Config: cfg, EnvToken: c.Getenv(server.TokenEnv), Logger: log, Announce: c.Stderr, ReadyFile: o.readyFile,
		Version: version(),
	})
}

// serverConfig is the defaults, then the configuration file (returned:
// "" for none), then the flags the command line sets.
func (c *CLI) serverConfig(flags *pflag.FlagSet, o serverOptions) (cfg server.Config, path string, err error) {
	cfg = server.DefaultConfig()
	path = o.config
	if !flags.Changed("config") {
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			path = ""
		}
	}
	if path != "" {
		var diags hcl.Diagnostics
		cfg, diags = server.LoadConfigFile(path, cfg, server.Secrets{Getenv: c.Getenv, ReadFile: os.ReadFile})
		if diags.HasErrors() {
			fmt.Fprint(c.Stderr, formatDiagnostics(diags))
			return cfg, path, failed()
		}
	}
	set := func(flag string, into *string, value string) {
		if flags.Changed(flag) {
			*into = value
		}
	}
	set("plan", &cfg.Plan, o.plan)
	set("db", &cfg.DB, o.db)
	set("listen", &cfg.Listen, o.listen)
	set("log-format", &cfg.LogFormat, o.logFormat)
	return cfg, path, nil
}

// formatDiagnostics writes each diagnostic as a line:
// file:line:col: summary: detail.
func formatDiagnostics(diags hcl.Diagnostics) string {
	var b strings.Builder
	for _, d := range diags {
		where := "journey"
		if d.Subject != nil {
			where = fmt.Sprintf("%s:%d:%d", d.Subject.Filename, d.Subject.Start.Line, d.Subject.Start.Column)
		}
		fmt.Fprintf(&b, "%s: %s", where, d.Summary)
		if d.Detail != "" {
			fmt.Fprintf(&b, ": %s", d.Detail)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// newLogger is the server's log on w: text (a line per event, for people)
// or json (an object per line, for a log collector).
func newLogger(w io.Writer, format string) (*slog.Logger, error) {
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, nil)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, nil)), nil
	}
	return nil, fmt.Errorf("unknown log format %q: use text or json", format)
}
