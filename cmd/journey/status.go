package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/dustin/go-humanize"
	"github.com/spf13/cobra"

	"github.com/journeyhq/journey/runtime/api"
)

func (c *CLI) statusCommand() *cobra.Command {
	var rf remoteFlags
	var format string
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show a running journey server's deployment, backlog, lateness and outbox",
		Long: `Show what a running journey server is doing: the plan version it runs
(serial, hash, when it was applied), the waits due now that its scheduler
has not run yet (the backlog) and how late it ran due steps (p50 and p99
since it started), the delivery queue's depth, and the outbox by status.

The server's address comes from --server, else $JOURNEY_SERVER, else
http://127.0.0.1:8080; its token from --token, else $JOURNEY_TOKEN.`,
		Example: `  journey status
  journey status --server https://journey.example.com --token "$(cat journey.token)"
  JOURNEY_SERVER=http://10.0.0.5:8080 journey status --format json | jq .backlog.due`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format); err != nil {
				return err
			}
			r, err := c.remote(rf)
			if err != nil {
				return err
			}
			st, err := call(cmd.Context(), r, func(ctx context.Context, cl *api.Client) (*api.Status, error) { return cl.Status(ctx) })
			if err != nil {
				return err
			}
			if format == "json" {
				return writeJSONTo(c.Stdout, st)
			}
			return writeStatus(c.Stdout, r.server, st)
		},
	}
	rf.add(cmd.Flags())
	cmd.Flags().StringVarP(&format, "format", "f", "text", "output format: text or json")
	return cmd
}

// writeStatus prints a server's status for people, times in UTC and how
// long ago by the server's clock.
func writeStatus(w io.Writer, server string, st *api.Status) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "server\t%s\n", server)
	if d := st.Deployment; d != nil {
		fmt.Fprintf(tw, "deployment\tserial %d, %s, applied %s (%s ago), %s\n", d.Serial, d.Hash,
			stamp(d.AppliedAt), since(st.Now, d.AppliedAt), plural(d.Campaigns, "campaign"))
	} else {
		fmt.Fprintf(tw, "deployment\tnone: the server runs no plan yet (journey apply deploys one)\n")
	}
	if b := st.Backlog; b.Due > 0 && b.OldestDueAt != nil {
		fmt.Fprintf(tw, "backlog\t%s due now, the oldest due %s (%s ago)\n", plural(b.Due, "wait"), stamp(*b.OldestDueAt), since(st.Now, *b.OldestDueAt))
	} else {
		fmt.Fprintf(tw, "backlog\tnothing due now\n")
	}
	if l := st.Lateness; l != nil {
		fmt.Fprintf(tw, "lateness\tp50 %s, p99 %s late, over %s since the server started\n",
			seconds(l.P50Seconds), seconds(l.P99Seconds), plural(int(l.Steps), "due step"))
	} else {
		fmt.Fprintf(tw, "lateness\tno due step run since the server started\n")
	}
	if st.QueueDepth != nil {
		fmt.Fprintf(tw, "queue\t%s waiting\n", plural(*st.QueueDepth, "delivery job"))
	} else {
		fmt.Fprintf(tw, "queue\tnone: this server runs no delivery queue\n")
	}
	var outbox []string
	for _, status := range api.DeliveryStatuses() {
		outbox = append(outbox, fmt.Sprintf("%s %s", humanize.Comma(int64(st.Outbox[status])), status))
	}
	fmt.Fprintf(tw, "outbox\t%s\n", strings.Join(outbox, ", "))
	return tw.Flush()
}

// stamp is a time as the operator commands print it.
func stamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05 MST") }

// since is how long before now t was, to the second.
func since(now, t time.Time) string {
	d := now.Sub(t).Truncate(time.Second)
	if d < 0 {
		d = 0
	}
	return d.String()
}

// seconds is a lateness: "0.25s", "12s", "1h0m0s".
func seconds(s float64) string {
	d := time.Duration(s * float64(time.Second))
	if d < time.Second {
		return d.Round(time.Millisecond).String()
	}
	return d.Round(time.Second).String()
}

// plural is n, with thousands separated, and its noun.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return humanize.Comma(int64(n)) + " " + noun + "s"
}

// writeJSONTo prints a value as indented JSON.
func writeJSONTo(w io.Writer, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", data)
	return err
}
