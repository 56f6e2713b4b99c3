package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/dustin/go-humanize"
	"github.com/spf13/cobra"

	"github.com/journeyhq/journey/runtime/api"
)

type importOptions struct {
	remote       remoteFlags
	file         string
	format, mode string
}

func (c *CLI) contactsImportCommand() *cobra.Command {
	var o importOptions
	cmd := &cobra.Command{
		Use:   "import FILE",
		Short: "Import contacts from a CSV or NDJSON file into a running journey server",
		Long: `Stream a file of contacts to a running journey server, which creates each
row's contact, or updates the one its external_id or email names (--mode
upsert, the default; --mode create makes such a row fail instead). Imported
contacts go through the engine: a tag in a row enrolls the contact as
tag_added would.

A CSV's first line names the fields (email,first_name,tags,...; tags split
on ";"); an NDJSON file holds one contact object a line, as a contact file
of journey simulate has it. The format comes from the extension (.csv;
.ndjson or .jsonl) or --format; "-" reads standard input, with --format.

Each row that fails is printed as it comes back ("row 12: ...", 12 being
the line of the file the row starts on), and a summary at the end. On a
terminal a progress line shows the rows done, the rate and the failures so
far; elsewhere a line every 10 seconds says as much on standard error.
The exit status is 0 when every row went in, 1 when some failed.`,
		Example: `  journey contacts import contacts.csv
  journey contacts import leads.ndjson --mode create
  journey contacts import export.txt --format csv --server https://journey.example.com
  crm-export | journey contacts import - --format ndjson
  JOURNEY_TOKEN=$(cat journey.token) journey contacts import contacts.csv
  journey contacts import contacts.csv --server 10.0.0.5:8080 --token "$(cat journey.token)"`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.file = args[0]
			return c.importContacts(cmd.Context(), o)
		},
	}
	f := cmd.Flags()
	o.remote.add(f)
	f.StringVar(&o.format, "format", "", "the file's format, csv or ndjson (default: from its extension)")
	f.StringVar(&o.mode, "mode", "upsert", "upsert: a row naming an existing contact updates it; create: such a row fails")
	return cmd
}

func (c *CLI) importContacts(ctx context.Context, o importOptions) error {
	mode := api.ImportMode(o.mode)
	if mode != api.ImportUpsert && mode != api.ImportCreate {
		return usage("--mode %q: the mode is upsert (a row naming an existing contact updates it) or create (such a row fails)", o.mode)
	}
	contentType, err := api.ImportContentType(o.file, o.format)
	if err != nil {
		return usage("%v", err)
	}
	body, name, err := c.importBody(o.file)
	if err != nil {
		return err
	}
	defer body.Close()
	r, err := c.remote(o.remote)
	if err != nil {
		return err
	}
	progress := c.newImportProgress(name)
	failedRows := 0
	done, err := r.client.ImportContacts(ctx, body, contentType, mode, func(l api.ImportLine) error {
		switch {
		case l.Row > 0:
			failedRows++
			progress.clear()
			if _, err := fmt.Fprintf(c.Stdout, "row %d: %s\n", l.Row, l.Error); err != nil {
				return err
			}
			progress.failed(failedRows)
		case l.Progress != nil:
			progress.update(*l.Progress)
		}
		return nil
	})
	progress.finish()
	switch {
	case errors.Is(err, context.Canceled):
		return fmt.Errorf("interrupted: the rows the server had taken stay imported (%s failed above)", plural(failedRows, "row"))
	case err != nil:
		return r.explain(err)
	}
	return c.importSummary(name, done)
}

// importBody opens the file to import, or standard input for "-".
func (c *CLI) importBody(file string) (io.ReadCloser, string, error) {
	if file == "-" {
		if c.Stdin == nil {
			return nil, "", usage("- reads standard input, and there is none")
		}
		return io.NopCloser(c.Stdin), stdinName, nil
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, "", usage("cannot read the file to import: %v", err)
	}
	if info, err := f.Stat(); err == nil && info.IsDir() {
		f.Close()
		return nil, "", usage("%s is a directory: give the CSV or NDJSON file to import", file)
	}
	return f, file, nil
}

// importSummary prints what the import did; some rows failing is exit
// status 1.
func (c *CLI) importSummary(name string, done *api.ImportCounts) error {
	in := done.Created + done.Updated
	comma := func(n int) string { return humanize.Comma(int64(n)) }
	if done.Failed == 0 {
		_, err := fmt.Fprintf(c.Stdout, "imported %s from %s: %s created, %s updated\n",
			plural(done.Rows, "row"), name, comma(done.Created), comma(done.Updated))
		return err
	}
	fmt.Fprintf(c.Stdout, "imported %s of %s from %s: %s created, %s updated; %s failed (above)\n",
		comma(in), plural(done.Rows, "row"), name, comma(done.Created), comma(done.Updated), comma(done.Failed))
	return failed()
}
