package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/journeyhq/journey/compiler/plan"
	"github.com/journeyhq/journey/runtime/api"
)

func (c *CLI) eventsCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "events",
		Short: "Send events to a running journey server",
		Example: `  journey events send --contact ada@example.com --type tag_added --tag attended
  journey events send --file events.ndjson`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return usage("give a subcommand: journey events send") },
	}
	cmd.AddCommand(c.eventsSendCommand())
	return cmd
}

type eventsSendOptions struct {
	remote         remoteFlags
	contact, typ   string
	value, key     string
	file, format   string
	properties     []string
	args           map[string]*string
	valueGiven     bool
	givenEventArgs []string
}

// eventArgUsage is an event argument flag's help: the events that take
// it.
func eventArgUsage(name string) string {
	var kinds []string
	for _, k := range plan.EventKinds() {
		if !k.RaisedByJourney && slices.ContainsFunc(k.Params, func(p plan.EventParam) bool { return p.Name == name }) {
			kinds = append(kinds, k.Name)
		}
	}
	return "the " + name + " of the event (" + strings.Join(kinds, " or ") + ")"
}

// eventArgNames are the arguments events take, each a flag of journey
// events send (--tag, --form...), in the language's order; the events
// journey raises itself (segment_entered) are not sent, and have none.
func eventArgNames() []string {
	var out []string
	for _, k := range plan.EventKinds() {
		if k.RaisedByJourney {
			continue
		}
		for _, p := range k.Params {
			if !slices.Contains(out, p.Name) {
				out = append(out, p.Name)
			}
		}
	}
	return out
}

func (c *CLI) eventsSendCommand() *cobra.Command {
	o := eventsSendOptions{args: map[string]*string{}}
	cmd := &cobra.Command{
		Use:   "send --contact REF --type TYPE [--tag NAME ...] | --file events.ndjson",
		Short: "Send an event, or a file of events, to a running journey server",
		Long: `Send an event about a contact to a running journey server, as POST
/v1/events takes it, and print the event's id and the contact's. The
contact is named by id (12), email (ada@example.com) or external id
(ext:crm-1042); one named by email or external id that does not exist is
created. The event's type is one of the language's events (tag_added,
form_submitted, field_changed, api...) and its argument is the flag of
that name: --tag for tag_added, --form for form_submitted, --field and
--value for field_changed, --url for page_visited, --name for api. The server's clock is the
event's time.

--idempotency-key makes a retry safe: the server takes the event once and
answers a repeat with the first answer.

--file sends a file of events, one JSON object a line as POST /v1/events
takes it, in order; a line may carry "idempotency_key". Each line is
printed with its result; a line that fails does not stop the ones after
it, but a server that cannot be reached or refuses the token does. The
exit status is 1 when a line failed.`,
		Example: `  journey events send --contact ada@example.com --type tag_added --tag attended
  journey events send --contact 12 --type api --name renewed --property amount=29 --property plan=pro
  journey events send --contact ext:crm-1042 --type field_changed --field plan --value pro
  journey events send --contact 12 --type form_submitted --form signup --idempotency-key signup-12
  journey events send --file events.ndjson --server http://10.0.0.5:8080
  journey events send --file events.ndjson --idempotency-key import-2026-06-10   # each line's key: import-2026-06-10/LINE
  journey events send --contact 12 --type tag_added --tag vip --format json
  journey events send --contact 12 --type product_purchased --product pro --property amount=29.00
  journey events send --contact 12 --type email_opened --email welcome
  journey events send --contact 12 --type link_clicked --email welcome --property url=https://example.com/pricing
  journey events send --contact 12 --type page_visited --url https://example.com/pricing/teams
  journey events send --contact 12 --type sms_replied --sms reminder
  journey events send --contact 12 --type task_completed --task call_back
  journey events send --contact 12 --type field_changed --field score --value 42
  journey events send --contact 12 --type date_reached --field trial_ends --offset -3d
  journey events send --contact 12 --type date_reached --field birthday --annual true
  journey events send --contact 12 --type api --name renewed --token "$(cat journey.token)"`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			for _, name := range eventArgNames() {
				if cmd.Flags().Changed(name) {
					o.givenEventArgs = append(o.givenEventArgs, name)
				}
			}
			o.valueGiven = cmd.Flags().Changed("value")
			return c.sendEvents(cmd.Context(), o)
		},
	}
	f := cmd.Flags()
	o.remote.add(f)
	f.StringVar(&o.contact, "contact", "", "the contact: its id (12), email (ada@example.com) or external id (ext:crm-1042)")
	f.StringVar(&o.typ, "type", "", "the event's type: tag_added, form_submitted, field_changed, api...")
	for _, name := range eventArgNames() {
		o.args[name] = f.String(name, "", eventArgUsage(name))
	}
	f.StringVar(&o.value, "value", "", `field_changed: the field's new value, JSON when it is JSON (42, true, "42"), else the text`)
	f.StringArrayVar(&o.properties, "property", nil, "NAME=VALUE the event carries beyond what it names (amount=29); repeat it for more")
	f.StringVar(&o.key, "idempotency-key", "", "a key that makes a retry safe; with --file, each line's key is KEY/LINE unless the line has its own")
	f.StringVar(&o.file, "file", "", `an NDJSON file of events, one a line ("-": standard input)`)
	f.StringVarP(&o.format, "format", "f", "text", "output format: text or json")
	return cmd
}

func (c *CLI) sendEvents(ctx context.Context, o eventsSendOptions) error {
	if err := checkFormat(o.format); err != nil {
		return err
	}
	if o.file != "" {
		if o.contact != "" || o.typ != "" || len(o.givenEventArgs) > 0 || o.valueGiven || len(o.properties) > 0 {
			return usage("--file sends the file's events: give either --file or --contact, --type and the event's flags")
		}
		return c.sendEventFile(ctx, o)
	}
	ev, err := o.event()
	if err != nil {
		return err
	}
	r, err := c.remote(o.remote)
	if err != nil {
		return err
	}
	got, err := call(ctx, r, func(ctx context.Context, cl *api.Client) (*api.EventAccepted, error) {
		return cl.SendEvent(ctx, ev, o.key)
	})
	if err != nil {
		return err
	}
	if o.format == "json" {
		return writeJSONTo(c.Stdout, got)
	}
	_, err = fmt.Fprintf(c.Stdout, "event %d for contact %d\n", got.EventID, got.ContactID)
	return err
}

// event is the event the flags describe.
func (o eventsSendOptions) event() (api.Event, error) {
	if o.contact == "" || o.typ == "" {
		return api.Event{}, usage("give --contact and --type (or --file): journey events send --contact ada@example.com --type tag_added --tag attended")
	}
	ref, err := api.ParseContactRef(o.contact)
	if err != nil {
		return api.Event{}, usage("--contact: %v", err)
	}
	props, err := api.ParseProperties(o.properties)
	if err != nil {
		return api.Event{}, usage("--property: %v", err)
	}
	ev := api.Event{Contact: ref, Type: o.typ, Args: map[string]string{}, Properties: props}
	for _, name := range o.givenEventArgs {
		ev.Args[name] = *o.args[name]
	}
	if o.valueGiven {
		ev.Value = api.ParseValue(o.value)
	}
	return ev, nil
}

// sendEventFile sends an events file line by line.
func (c *CLI) sendEventFile(ctx context.Context, o eventsSendOptions) error {
	var in io.Reader = c.Stdin
	if o.file != "-" {
		f, err := os.Open(o.file)
		if err != nil {
			return usage("cannot read the events file: %v", err)
		}
		defer f.Close()
		in = f
	} else if in == nil {
		return usage("--file - reads standard input, and there is none")
	}
	r, err := c.remote(o.remote)
	if err != nil {
		return err
	}
	var sent, failedLines int
	err = api.ReadEventLines(in, func(l api.EventLine) error {
		if l.Err != nil {
			failedLines++
			return c.printLine(o.format, l.Line, nil, l.Err)
		}
		key := l.Key
		if key == "" && o.key != "" {
			key = fmt.Sprintf("%s/%d", o.key, l.Line)
		}
		callCtx, cancel := context.WithTimeout(ctx, callTimeout)
		got, err := r.client.SendEvent(callCtx, l.Event, key)
		cancel()
		if err != nil {
			if stopsEveryLine(err) {
				return r.explain(err)
			}
			failedLines++
			return c.printLine(o.format, l.Line, nil, r.explain(err))
		}
		sent++
		return c.printLine(o.format, l.Line, got, nil)
	})
	if err != nil {
		return fmt.Errorf("%s: stopped after %s sent: %w", o.file, plural(sent, "event"), err)
	}
	if o.format == "text" {
		fmt.Fprintf(c.Stdout, "%s sent from %s", plural(sent, "event"), o.file)
		if failedLines > 0 {
			fmt.Fprintf(c.Stdout, "; %s failed (above)", plural(failedLines, "line"))
		}
		fmt.Fprintln(c.Stdout, ".")
	}
	if failedLines > 0 {
		return failed()
	}
	return nil
}

// stopsEveryLine reports an error that the lines after would get too: no
// server, a refused token, no plan deployed, an interrupt.
func stopsEveryLine(err error) bool {
	var apiErr *api.Error
	return api.Unreachable(err) || api.Unauthorized(err) || errors.Is(err, context.Canceled) ||
		(errors.As(err, &apiErr) && apiErr.Code == api.CodeNoDeployment)
}

// printLine prints one line's result: "line 3: event 41 for contact 12",
// "line 4: why not"; with --format json, one JSON object a line.
func (c *CLI) printLine(format string, line int, got *api.EventAccepted, err error) error {
	if format == "json" {
		out := map[string]any{"line": line}
		if err != nil {
			out["error"] = err.Error()
		} else {
			out["event_id"], out["contact_id"] = got.EventID, got.ContactID
		}
		data, mErr := json.Marshal(out)
		if mErr != nil {
			return mErr
		}
		_, wErr := fmt.Fprintf(c.Stdout, "%s\n", data)
		return wErr
	}
	if err != nil {
		_, wErr := fmt.Fprintf(c.Stdout, "line %d: %v\n", line, err)
		return wErr
	}
	_, wErr := fmt.Fprintf(c.Stdout, "line %d: event %d for contact %d\n", line, got.EventID, got.ContactID)
	return wErr
}
