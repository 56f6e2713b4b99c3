package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/journeyhq/journey/compiler"
	"github.com/journeyhq/journey/internal/jsonread"
	"github.com/journeyhq/journey/runtime"
	"github.com/journeyhq/journey/runtime/api"
	"github.com/journeyhq/journey/runtime/sqlstore"
)

type simulateOptions struct {
	dir, campaign, contact, trigger, start, events, span, format string
	// properties are those of the event the contact enters with.
	properties []string
}

func (c *CLI) simulateCommand() *cobra.Command {
	var o simulateOptions
	cmd := &cobra.Command{
		Use:   "simulate [DIR] --campaign NAME --contact FILE",
		Short: "Run one contact through a campaign on a virtual clock",
		Long: `Run one contact through a campaign with the real engine on a virtual
clock that jumps from timer to timer, and print its timeline: what it
received, when, on which path. Nothing leaves the process: deliveries are
recorded, not sent.

The contact file is JSON: its fields by name plus "tags" and, optionally,
"external_id" (its id in your system: a split's arm follows it, else the
email), e.g.
  {"email": "ada@example.com", "first_name": "Ada", "time_zone": "Europe/Berlin",
   "trial_ends": "2026-06-20", "tags": ["lead"], "external_id": "crm-1042"}
The events file is a JSON list, in time order, e.g.
  [{"at": "2026-06-12T10:00:00-04:00", "type": "tag_added", "tag": "attended"},
   {"at": "2026-06-13T09:00:00-04:00", "type": "product_purchased", "product": "pro",
    "properties": {"amount": 29}}]
--property gives the event the contact enters with what it carries, as
the trigger's event would: event.NAME reads it on the contact's path, and a
keyed trigger's key is one of them.
Times print in the account's time zone.`,
		Example: `  journey simulate examples/onboarding --contact examples/onboarding/ada.contact.json
  journey simulate . --campaign onboarding --contact ada.json --trigger signup
  journey simulate . --campaign onboarding --contact ada.json --start 2026-06-10T13:37:00-04:00
  journey simulate . --campaign onboarding --contact ada.json --events events.json --for 30d
  journey simulate . --campaign onboarding --contact ada.json --format json | jq .final
  journey simulate . --campaign reminders --contact ada.json --property appointment_id=a-17 --property starts_at=2026-06-20T15:00:00-04:00`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.dir = "."
			if len(args) == 1 {
				o.dir = args[0]
			}
			return c.simulate(cmd.Context(), o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.campaign, "campaign", "", "the campaign to run (optional when there is only one)")
	f.StringVar(&o.contact, "contact", "", "a JSON file with the contact's fields and tags (default: an empty contact)")
	f.StringVar(&o.trigger, "trigger", "", "the trigger the contact enters through (default: the campaign's first)")
	f.StringVar(&o.start, "start", "", "when the contact enters, RFC 3339 (default: now)")
	f.StringVar(&o.events, "events", "", "a JSON list of timed events")
	f.StringArrayVar(&o.properties, "property", nil, "NAME=VALUE the event the contact enters with carries (appointment_id=a-17); repeat it for more")
	f.StringVar(&o.span, "for", "365d", "how long to run the clock")
	f.StringVarP(&o.format, "format", "f", "text", "output format: text or json")
	return cmd
}

func (c *CLI) simulate(ctx context.Context, o simulateOptions) error {
	if o.format != "text" && o.format != "json" {
		return usage("unknown format %q: use text or json", o.format)
	}
	span, err := compiler.ParseDuration(o.span)
	switch {
	case err != nil:
		return usage("--for %v", withHint(err))
	case span.Days < 0 || span.Minutes < 0:
		return usage("--for %q is negative: it is how long the clock runs, e.g. 30d or 12h", o.span)
	}
	start := c.Now().Truncate(time.Second)
	if o.start != "" {
		if start, err = time.Parse(time.RFC3339, o.start); err != nil {
			return usage("--start %q is not an RFC 3339 time such as 2026-06-10T13:37:00-04:00", o.start)
		}
	}
	p, err := c.compiledPlan(o.dir, "simulate")
	if err != nil {
		return err
	}
	prog, err := runtime.Link(p)
	if err != nil {
		return &exitError{code: exitInternal, err: err}
	}
	campaign, err := prog.PickCampaign(o.campaign)
	var notNamed *runtime.CampaignNotNamedError
	switch {
	case errors.As(err, &notNamed):
		return usage("give --campaign: the workspace has %d campaigns (%v)", len(notNamed.Campaigns), notNamed.Campaigns)
	case err != nil:
		return usage("%v", err)
	}
	contact := &runtime.Contact{Fields: map[string]any{}}
	if o.contact != "" {
		data, err := os.ReadFile(o.contact)
		if err != nil {
			return usage("cannot read the contact file: %v", err)
		}
		if contact, err = runtime.DecodeContact(data, prog); err != nil {
			return usage("%v", jsonread.WithFile(o.contact, err))
		}
	}
	props, err := api.ParseProperties(o.properties)
	if err != nil {
		return usage("--property: %v", err)
	}
	if len(props) == 0 {
		props = nil
	}
	var events []runtime.TimedEvent
	if o.events != "" {
		data, err := os.ReadFile(o.events)
		if err != nil {
			return usage("cannot read the events file: %v", err)
		}
		if events, err = runtime.DecodeEvents(data, prog); err != nil {
			return usage("%v", jsonread.WithFile(o.events, err))
		}
	}
	entry := runtime.Entry{Campaign: campaign.Name, Trigger: o.trigger, Properties: props}
	res, err := runSimulation(ctx, prog, contact, entry, start, events, start.AddDate(0, 0, span.Days).Add(time.Duration(span.Minutes)*time.Minute))
	if err != nil {
		return usage("%v", err)
	}
	loc := prog.AccountLocation()
	if o.format == "json" {
		out, err := json.MarshalIndent(struct {
			FormatVersion string                 `json:"format_version"`
			Timeline      []runtime.TimelineStep `json:"timeline"`
			Final         runtime.Final          `json:"final"`
			Truncated     bool                   `json:"truncated,omitempty"`
		}{"1", runtime.Steps(res.Timeline, loc), res.Final, res.Truncated}, "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(c.Stdout, "%s\n", out)
		return err
	}
	_, err = fmt.Fprint(c.Stdout, timelineText(res, loc))
	return err
}

// timelineText prints a timeline the way a marketer reads it, one line an
// entry in the runtime's words, then where the contact stands.
func timelineText(res *runtime.Result, loc *time.Location) string {
	var b strings.Builder
	for _, e := range res.Timeline {
		b.WriteString(e.Line(loc) + "\n")
	}
	if res.Truncated {
		b.WriteString("(stopped early: too many steps; shorten --for)\n")
	}
	fmt.Fprintf(&b, "\nFinal: %s.\n", res.Final.Sentence())
	return b.String()
}

// withHint is err's message followed by its hint, when it has one (the
// compiler's literal readers say what to do about a value they refuse).
func withHint(err error) string {
	var h interface{ Hint() string }
	if errors.As(err, &h) && h.Hint() != "" {
		return err.Error() + "; " + h.Hint()
	}
	return err.Error()
}

// runSimulation runs one contact on a private in-memory store.
func runSimulation(ctx context.Context, prog *runtime.Program, contact *runtime.Contact, entry runtime.Entry, start time.Time, events []runtime.TimedEvent, until time.Time) (*runtime.Result, error) {
	store, err := sqlstore.OpenSQLite(ctx, ":memory:")
	if err != nil {
		return nil, err
	}
	defer store.Close()
	return runtime.NewSimulation(prog, store, start).Run(ctx, contact, entry, events, until)
}
