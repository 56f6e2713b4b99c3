// Command journey-seed makes a journey database for the crash test of an
// apply: a plan recorded as its deployment 1, and many contacts waiting on
// one element, seeded set-based. The test builds it without the race
// detector, which would make the seeding take minutes.
//
//	journey-seed -db journey.db -plan plan.json -campaign webinar -element two_days -contacts 100000 -arrived 1781112000 -due 1781284800
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/journeyhq/journey/compiler/plan"
	"github.com/journeyhq/journey/internal/seed"
	"github.com/journeyhq/journey/runtime"
	"github.com/journeyhq/journey/runtime/server"
	"github.com/journeyhq/journey/runtime/sqlstore"
)

func main() {
	db := flag.String("db", "", "the database file to create")
	planPath := flag.String("plan", "", "the compiled plan to record as deployment 1")
	campaign := flag.String("campaign", "", "the campaign the contacts are in")
	element := flag.String("element", "", "the element they wait on")
	contacts := flag.Int("contacts", 0, "how many contacts")
	arrived := flag.Int64("arrived", 0, "when they arrived (Unix seconds)")
	due := flag.Int64("due", 0, "when their wait is due (Unix seconds)")
	flag.Parse()
	if err := run(*db, *planPath, *campaign, *element, *contacts, time.Unix(*arrived, 0), time.Unix(*due, 0)); err != nil {
		fmt.Fprintln(os.Stderr, "journey-seed:", err)
		os.Exit(1)
	}
}

func run(db, planPath, campaign, element string, n int, arrived, due time.Time) error {
	ctx := context.Background()
	data, err := os.ReadFile(planPath)
	if err != nil {
		return err
	}
	p, err := plan.Decode(data)
	if err != nil {
		return err
	}
	prog, err := runtime.Link(p)
	if err != nil {
		return err
	}
	store, err := sqlstore.OpenSQLite(ctx, db)
	if err != nil {
		return err
	}
	defer store.Close()
	if _, err := server.RecordDeployment(ctx, store, prog, "journey-seed", arrived); err != nil {
		return err
	}
	return seed.Waiting(ctx, store.DB(), campaign, element, n, arrived, due)
}
