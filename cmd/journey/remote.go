package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/spf13/pflag"

	"github.com/journeyhq/journey/runtime/api"
)

// The environment variables and the default of the operator commands'
// server address and token.
const (
	envServer     = "JOURNEY_SERVER"
	envToken      = "JOURNEY_TOKEN"
	defaultServer = "http://127.0.0.1:8080"
)

// callTimeout bounds one call of a command that is not streamed (all but
// the import): a server that accepts the connection and never answers
// fails the command instead of hanging it.
const callTimeout = time.Minute

// remoteFlags are the flags of every command that talks to a journey
// server.
type remoteFlags struct {
	server, token string
}

func (r *remoteFlags) add(f *pflag.FlagSet) {
	f.StringVar(&r.server, "server", "", "the journey server's address (default $"+envServer+", else "+defaultServer+")")
	f.StringVar(&r.token, "token", "", "the server's token (default $"+envToken+"; journey server printed it when it first started)")
}

// remote is a journey server as the command was told to reach it, and
// where each setting came from, for the messages that say what to check.
type remote struct {
	client                *api.Client
	server                string
	serverFrom, tokenFrom string
}

// remote resolves the flags and the environment into a client; a bad
// address or no token at all is a usage error, found before any call.
func (c *CLI) remote(r remoteFlags) (*remote, error) {
	out := &remote{server: r.server, serverFrom: "--server", tokenFrom: "--token"}
	if out.server == "" {
		out.server, out.serverFrom = c.Getenv(envServer), envServer
	}
	if out.server == "" {
		out.server, out.serverFrom = defaultServer, "the default address"
	}
	token := r.token
	if token == "" {
		token, out.tokenFrom = c.Getenv(envToken), envToken
	}
	if !strings.Contains(out.server, "://") {
		out.server = "http://" + out.server // 127.0.0.1:8080, as --listen takes it
	}
	u, err := url.Parse(out.server)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return nil, usage("%s %q is not a server address: give one like %s (http or https, no user or password)", out.serverFrom, out.server, defaultServer)
	}
	out.server = strings.TrimSuffix(u.String(), "/")
	if strings.TrimSpace(token) == "" {
		return nil, usage("no token: set %s or give --token; journey server printed its token when it first started, and keeps it in journey.token beside its database", envToken)
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	// An import's answer comes while its body is still sent; a proxy from
	// the environment is taken as for any HTTP client.
	out.client = &api.Client{BaseURL: out.server, Token: strings.TrimSpace(token), HTTP: &http.Client{Transport: transport}}
	return out, nil
}

// explain says what to check about an error of a call: the address when
// the server cannot be reached, the token when it is refused; an answer
// of the API is its message, which says what is wrong.
func (r *remote) explain(err error) error {
	var apiErr *api.Error
	switch {
	case err == nil:
		return nil
	case errors.Is(err, context.Canceled):
		return errors.New("interrupted")
	case api.Unreachable(err):
		return fmt.Errorf("cannot reach the journey server at %s (from %s): %v\ncheck %s (or %s) and that journey server runs there",
			r.server, r.serverFrom, rootCause(err), envServer, "--server")
	case api.Unauthorized(err):
		return fmt.Errorf("the journey server at %s refused the token (from %s): %s\ncheck %s (or --token): it must be the token journey server printed when it first started (journey.token beside its database)",
			r.server, r.tokenFrom, apiMessage(err), envToken)
	case errors.As(err, &apiErr):
		return errors.New(apiErr.Message)
	}
	return err
}

// rootCause is the innermost error: "connection refused" rather than the
// URL and operation around it, which the message gives already.
func rootCause(err error) error {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err
		}
		err = next
	}
}

func apiMessage(err error) string {
	var apiErr *api.Error
	if errors.As(err, &apiErr) {
		return apiErr.Message
	}
	return err.Error()
}

// call runs one call of the API within callTimeout.
func call[T any](ctx context.Context, r *remote, f func(ctx context.Context, c *api.Client) (T, error)) (T, error) {
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	out, err := f(ctx, r.client)
	return out, r.explain(err)
}

// findContact resolves a contact as the command line names it.
func (r *remote) findContact(ctx context.Context, arg string) (*api.Contact, error) {
	ref, err := api.ParseContactRef(arg)
	if err != nil {
		return nil, usage("%v", err)
	}
	return call(ctx, r, func(ctx context.Context, c *api.Client) (*api.Contact, error) { return c.FindContact(ctx, ref) })
}

// isTerminal reports whether w is a terminal that can redraw a line (a
// progress bar): not a file or a pipe, nor TERM=dumb.
func (c *CLI) isTerminal(w any) bool {
	if c.Getenv("TERM") == "dumb" {
		return false
	}
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

// checkFormat refuses an output format other than text or json.
func checkFormat(format string) error {
	if format != "text" && format != "json" {
		return usage("unknown format %q: use text or json", format)
	}
	return nil
}
