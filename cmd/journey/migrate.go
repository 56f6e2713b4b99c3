package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/journeyhq/journey/runtime/queue"
	"github.com/journeyhq/journey/runtime/server"
	"github.com/journeyhq/journey/runtime/sqlstore"
)

func (c *CLI) migrateCommand() *cobra.Command {
	var db string
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Bring a journey server database's schema up to this journey's, then exit",
		Long: `Bring the database journey server runs on (--db: a SQLite file or a
PostgreSQL URL) up to this journey's schema: journey's tables, then the
delivery queue's (River's). journey server does the same when it starts;
run journey migrate once before rolling a new journey out to several
servers on one PostgreSQL database, so that no node starts by migrating.
Migrations run under a PostgreSQL advisory lock: several at once migrate
once. A database that a newer journey migrated is refused, naming the
journey version to run. docs/server.md ("Several servers on PostgreSQL").`,
		Example: `  journey migrate --db postgres://journey@db.internal:5432/journey
  journey migrate --db /var/lib/journey/journey.db`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.migrate(cmd.Context(), db)
		},
	}
	cmd.Flags().StringVar(&db, "db", server.DefaultDB, "the database: a SQLite file, or a postgres:// URL")
	return cmd
}

func (c *CLI) migrate(ctx context.Context, db string) error {
	store, err := sqlstore.Open(ctx, db, sqlstore.Options{Version: version()})
	if err != nil {
		return fmt.Errorf("cannot migrate the database: %w", err)
	}
	defer store.Close()
	if err := queue.Migrate(ctx, store); err != nil {
		return fmt.Errorf("cannot migrate the delivery queue's tables: %w", err)
	}
	from, to := store.MigratedFrom(), sqlstore.KnownSchemaVersion()
	where := sqlstore.Redact(db)
	if from == to {
		fmt.Fprintf(c.Stdout, "%s (%s) is at schema version %d already; River's tables at version %d\n", where, store.Dialect(), to, queue.RiverSchemaVersion)
	} else {
		fmt.Fprintf(c.Stdout, "%s (%s) migrated from schema version %d to %d; River's tables at version %d\n", where, store.Dialect(), from, to, queue.RiverSchemaVersion)
	}
	return nil
}
