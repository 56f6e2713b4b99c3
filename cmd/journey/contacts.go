package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/journeyhq/journey/runtime"
	"github.com/journeyhq/journey/runtime/api"
)

func (c *CLI) contactsCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "contacts",
		Short: "Import, look up, delete contacts and read their timelines on a running journey server",
		Long: `Work with the contacts of a running journey server. A contact is named by
its id (12), its email (ada@example.com) or its external id, prefixed
(ext:crm-1042). The server's address comes from --server, else
$JOURNEY_SERVER, else http://127.0.0.1:8080; its token from --token, else
$JOURNEY_TOKEN.`,
		Example: `  journey contacts import contacts.csv
  journey contacts get ada@example.com
  journey contacts timeline 12
  journey contacts delete ext:crm-1042`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return usage("give a subcommand: journey contacts import, get, delete or timeline")
		},
	}
	cmd.AddCommand(c.contactsImportCommand(), c.contactsGetCommand(), c.contactsDeleteCommand(), c.contactsTimelineCommand())
	return cmd
}

func (c *CLI) contactsGetCommand() *cobra.Command {
	var rf remoteFlags
	var format string
	cmd := &cobra.Command{
		Use:   "get REF",
		Short: "Show a contact: its fields, tags, points, stage and owner",
		Example: `  journey contacts get 12
  journey contacts get ada@example.com
  journey contacts get ext:crm-1042 --format json | jq .fields
  journey contacts get 12 --server https://journey.example.com --token "$(cat journey.token)"`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format); err != nil {
				return err
			}
			r, err := c.remote(rf)
			if err != nil {
				return err
			}
			contact, err := r.findContact(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if format == "json" {
				return writeJSONTo(c.Stdout, contact)
			}
			return writeContact(c.Stdout, contact)
		},
	}
	rf.add(cmd.Flags())
	cmd.Flags().StringVarP(&format, "format", "f", "text", "output format: text or json")
	return cmd
}

// writeContact prints a contact for people: its own members, then its
// fields by name.
func writeContact(w io.Writer, ct *api.Contact) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	orNone := func(s string) string {
		if s == "" {
			return "-"
		}
		return s
	}
	fmt.Fprintf(tw, "id\t%d\n", ct.ID)
	fmt.Fprintf(tw, "email\t%s\n", orNone(ct.Email))
	fmt.Fprintf(tw, "external_id\t%s\n", orNone(ct.ExternalID))
	fmt.Fprintf(tw, "tags\t%s\n", orNone(strings.Join(ct.Tags, ", ")))
	fmt.Fprintf(tw, "points\t%s\n", valueText(ct.Points))
	fmt.Fprintf(tw, "stage\t%s\n", orNone(ct.Stage))
	fmt.Fprintf(tw, "owner\t%s\n", orNone(ct.Owner))
	fmt.Fprintf(tw, "do_not_contact\t%s\n", orNone(strings.Join(ct.DoNotContact, ", ")))
	fmt.Fprintf(tw, "created_at\t%s\n", stamp(ct.CreatedAt))
	names := make([]string, 0, len(ct.Fields))
	for name := range ct.Fields {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		fmt.Fprintf(tw, "%s\t%s\n", name, valueText(ct.Fields[name]))
	}
	return tw.Flush()
}

// valueText is a field's value on one line: text as it is, anything else
// as JSON.
func valueText(v any) string {
	switch v := v.(type) {
	case nil:
		return "-"
	case string:
		return strings.ReplaceAll(v, "\n", `\n`)
	}
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(data)
}

func (c *CLI) contactsDeleteCommand() *cobra.Command {
	var rf remoteFlags
	cmd := &cobra.Command{
		Use:   "delete REF",
		Short: "Delete a contact and every trace of it (GDPR erasure)",
		Long: `Delete a contact and every trace of it: its fields, positions in
campaigns, timeline, deliveries, records and events. It cannot be undone.`,
		Example: `  journey contacts delete 12
  journey contacts delete ada@example.com
  journey contacts delete ext:crm-1042 --server https://journey.example.com --token "$(cat journey.token)"`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := c.remote(rf)
			if err != nil {
				return err
			}
			contact, err := r.findContact(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if _, err := call(cmd.Context(), r, func(ctx context.Context, cl *api.Client) (struct{}, error) {
				return struct{}{}, cl.DeleteContact(ctx, contact.ID)
			}); err != nil {
				return err
			}
			name := ""
			if contact.Email != "" {
				name = " (" + contact.Email + ")"
			}
			_, err = fmt.Fprintf(c.Stdout, "deleted contact %d%s and every trace of it\n", contact.ID, name)
			return err
		},
	}
	rf.add(cmd.Flags())
	return cmd
}

// timelinePage is how many entries journey contacts timeline asks for at
// a time: the API's most.
const timelinePage = 1000

func (c *CLI) contactsTimelineCommand() *cobra.Command {
	var rf remoteFlags
	var format string
	cmd := &cobra.Command{
		Use:   "timeline REF",
		Short: "Print a contact's timeline as journey simulate prints one",
		Long: `Print every step a contact took on the server, oldest first, one line
each, as journey simulate prints a timeline: its time in the account's time
zone, then what happened ("sent email welcome", "waiting at wait two_days
until ..."). Where the steps go on under a new plan version (journey apply
came in between), a line says so and names its hash. --format json prints
the entries as the API gives them.`,
		Example: `  journey contacts timeline 12
  journey contacts timeline ada@example.com
  journey contacts timeline ext:crm-1042 --format json | jq '.entries[].text'
  journey contacts timeline 12 --server https://journey.example.com --token "$(cat journey.token)"`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format); err != nil {
				return err
			}
			r, err := c.remote(rf)
			if err != nil {
				return err
			}
			contact, err := r.findContact(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			tl, err := wholeTimeline(cmd.Context(), r, contact.ID)
			if err != nil {
				return err
			}
			if format == "json" {
				return writeJSONTo(c.Stdout, tl)
			}
			return writeTimeline(c.Stdout, tl)
		},
	}
	rf.add(cmd.Flags())
	cmd.Flags().StringVarP(&format, "format", "f", "text", "output format: text or json")
	return cmd
}

// wholeTimeline reads a contact's timeline, page after page.
func wholeTimeline(ctx context.Context, r *remote, id int64) (*api.Timeline, error) {
	var all *api.Timeline
	for after := 0; ; {
		page, err := call(ctx, r, func(ctx context.Context, cl *api.Client) (*api.Timeline, error) {
			return cl.Timeline(ctx, id, after, timelinePage)
		})
		if err != nil {
			return nil, err
		}
		if all == nil {
			all = page
		} else {
			all.Entries = append(all.Entries, page.Entries...)
		}
		if page.NextAfter <= after {
			all.NextAfter = 0
			return all, nil
		}
		after = page.NextAfter
	}
}

// writeTimeline prints the entries as simulate does: the time in the
// account's zone, then the sentence the server wrote in that zone.
func writeTimeline(w io.Writer, tl *api.Timeline) error {
	loc, err := time.LoadLocation(tl.TimeZone)
	if err != nil || tl.TimeZone == "" {
		loc = time.UTC
	}
	var b strings.Builder
	plan := ""
	for _, e := range tl.Entries {
		stamp := runtime.TimelineTime(e.At, loc)
		// A step on another plan version than the one before it: an
		// apply came in between (docs/apply.md).
		if plan != "" && e.PlanHash != "" && e.PlanHash != plan {
			b.WriteString(strings.Repeat(" ", len(stamp)) + "  -- a new plan version from here: " + e.PlanHash + " --\n")
		}
		if e.PlanHash != "" {
			plan = e.PlanHash
		}
		b.WriteString(stamp + "  " + e.Text + "\n")
	}
	if len(tl.Entries) == 0 {
		fmt.Fprintf(&b, "contact %d has taken no step yet\n", tl.ContactID)
	}
	_, err = io.WriteString(w, b.String())
	return err
}
