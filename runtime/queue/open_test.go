package queue_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/journeyhq/journey/runtime/queue"
	"github.com/journeyhq/journey/runtime/sqlstore"
)

func nothing(context.Context, *queue.Job) error { return nil }

func TestOpenMigratesRiverOnceToItsLatestVersion(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, store *sqlstore.Store) {
		for range 2 { // the second open finds the tables there
			if _, err := queue.Open(context.Background(), store, nothing, testOptions(t)); err != nil {
				t.Fatal(err)
			}
		}
		var existing, all []rivermigrate.Migration
		if store.Shared() {
			migrator, err := rivermigrate.New(riverdatabasesql.New(store.DB()), nil)
			if err != nil {
				t.Fatal(err)
			}
			existing, err = migrator.ExistingVersions(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			all = migrator.AllVersions()
		} else {
			migrator, err := rivermigrate.New(riversqlite.New(store.DB()), nil)
			if err != nil {
				t.Fatal(err)
			}
			existing, err = migrator.ExistingVersions(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			all = migrator.AllVersions()
		}
		if last := existing[len(existing)-1].Version; last != queue.RiverSchemaVersion {
			t.Errorf("River's tables are at version %d, want %d", last, queue.RiverSchemaVersion)
		}
		// docs/queue.md names the version: a River upgrade that brings a new
		// one must say so there.
		if latest := all[len(all)-1].Version; latest != queue.RiverSchemaVersion {
			t.Errorf("this River's latest schema is version %d, the queue migrates to %d: raise RiverSchemaVersion and docs/queue.md", latest, queue.RiverSchemaVersion)
		}
	})
}

func TestOpenRefusesWhatCannotWork(t *testing.T) {
	t.Parallel()
	store, _ := openStore(t)
	pool, err := sql.Open("sqlite", t.TempDir()+"/pool.db")
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()

	cases := []struct {
		name    string
		db      *sql.DB
		handler queue.Handler
		opts    queue.Options
		want    string
	}{
		{"a pool of connections", pool, nothing, queue.Options{},
			"queue: the SQLite database may have any number of open connections; River's SQLite driver needs one (db.SetMaxOpenConns(1), as runtime/sqlstore.OpenSQLite sets)"},
		{"no handler", store.DB(), nil, queue.Options{},
			"queue: no handler: give OpenSQLite the function that works a job"},
		{"rescue before the timeout", store.DB(), nothing, queue.Options{JobTimeout: time.Minute},
			"queue: RescueStuckJobsAfter (20s) must exceed JobTimeout (1m0s), or a job still running would be run again beside itself; raise RescueStuckJobsAfter or lower JobTimeout"},
		{"retries shrinking", store.DB(), nothing, queue.Options{RetryBase: time.Hour, RetryMax: time.Minute},
			"queue: retries wait from RetryBase 1h0m0s to RetryMax 1m0s; give 0 < RetryBase <= RetryMax <= 24h0m0s"},
		{"polling faster than fetching", store.DB(), nothing, queue.Options{FetchCooldown: time.Second, FetchPollInterval: time.Millisecond},
			"queue: FetchCooldown is 1s and FetchPollInterval 1ms; give 1ms <= FetchCooldown <= FetchPollInterval"},
		{"negative workers", store.DB(), nothing, queue.Options{Workers: -1},
			"queue: Workers is -1; give 1 to 10000"},
	}
	for _, tc := range cases {
		_, err := queue.OpenSQLite(context.Background(), tc.db, tc.handler, tc.opts)
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s: %v\nwant %s", tc.name, err, tc.want)
		}
	}
}
