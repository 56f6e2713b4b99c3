package server

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/journeyhq/journey/compiler/plan"
	"github.com/journeyhq/journey/runtime"
	"github.com/journeyhq/journey/runtime/api"
)

// startedBy is who a deployment recorded at startup was applied by (an
// apply records the API token's name).
const startedBy = "journey server --plan"

// loadDeployment is the deployment the server starts with. With a plan
// file: that plan, recorded as deployment serial 1 on a database that has
// none, and refused on one that runs another plan. Without: the
// database's current deployment (its deployment head), or none.
func loadDeployment(ctx context.Context, store runtime.Store, planPath, dbPath string, now time.Time, log *slog.Logger) (*Deployment, error) {
	tx, err := store.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if planPath == "" {
		current, err := headDeployment(tx)
		if err != nil {
			return nil, fmt.Errorf("reading the deployment of %s: %w", dbPath, err)
		}
		if current == nil {
			log.Warn("no plan deployed: the API answers, and nothing runs until a plan is; start with --plan plan.json (journey compile -o plan.json)")
			return nil, nil
		}
		p, err := plan.Decode(current.Plan)
		if err != nil {
			return nil, fmt.Errorf("%s runs deployment %d (%s), which this journey cannot read: %w", dbPath, current.Serial, current.Hash, err)
		}
		prog, err := runtime.Link(p)
		if err != nil {
			return nil, fmt.Errorf("%s runs deployment %d (%s), which this journey cannot run: %w", dbPath, current.Serial, current.Hash, err)
		}
		return runningDeployment(current, prog, log), nil
	}
	data, err := os.ReadFile(planPath)
	if err != nil {
		return nil, fmt.Errorf("cannot read the plan: %v; give --plan a file journey compile -o wrote", err)
	}
	p, err := plan.Decode(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", planPath, err)
	}
	// A plan that cannot run is never recorded.
	prog, err := runtime.Link(p)
	if err != nil {
		return nil, fmt.Errorf("%s cannot run: %w", planPath, err)
	}
	// Locked: nodes starting together with --plan on one PostgreSQL
	// database take turns, the first records the plan and the others find
	// it recorded.
	current, err := lockedHeadDeployment(tx)
	if err != nil {
		return nil, fmt.Errorf("reading the deployment of %s: %w", dbPath, err)
	}
	switch {
	case current == nil:
		current, err = addDeployment(tx, 1, p, now, startedBy, summarize(nil, p))
		if err != nil {
			return nil, fmt.Errorf("recording %s as %s's first deployment: %w", planPath, dbPath, err)
		}
		if err := tx.Commit(); err != nil {
			return nil, fmt.Errorf("recording %s as %s's first deployment: %w", planPath, dbPath, err)
		}
		log.Info("plan recorded as deployment serial 1", "plan", planPath, "hash", p.Hash)
	case current.Hash != p.Hash:
		return nil, fmt.Errorf("%s runs plan %s (deployment serial %d, applied %s), and --plan %s is plan %s: "+
			"journey server does not replace a running plan; `journey apply` changes it and moves the contacts on it. "+
			"Leave --plan out to run %s's plan, or give another --db to run %s from scratch",
			dbPath, current.Hash, current.Serial, current.AppliedAt.Format(time.RFC3339), planPath, p.Hash, dbPath, planPath)
	}
	return runningDeployment(current, prog, log), nil
}

// addDeployment records p as deployment serial in tx, moving the store's
// deployment head to it.
func addDeployment(tx runtime.Tx, serial int64, p *plan.Plan, at time.Time, by string, summary api.ChangeSummary) (*runtime.Deployment, error) {
	canonical, err := plan.Encode(p)
	if err != nil {
		return nil, err
	}
	d := &runtime.Deployment{Serial: serial, Hash: p.Hash, Plan: canonical, AppliedAt: at.Truncate(time.Second).UTC(), AppliedBy: by,
		Summary: map[string]any{"add": summary.Add, "change": summary.Change, "remove": summary.Remove}}
	return d, tx.AddDeployment(d)
}

// RecordDeployment records prog's plan as the store's next deployment,
// applied by who at at, without migrating anybody: how a test (or a tool
// seeding a database) gives a server the deployment it starts with.
func RecordDeployment(ctx context.Context, store runtime.Store, prog *runtime.Program, who string, at time.Time) (*Deployment, error) {
	tx, err := store.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	head, err := tx.LockDeploymentHead()
	if err != nil {
		return nil, err
	}
	rec, err := addDeployment(tx, head+1, prog.Plan, at, who, api.ChangeSummary{})
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return &Deployment{Serial: rec.Serial, Hash: rec.Hash, AppliedAt: rec.AppliedAt, Program: prog}, nil
}

// headDeployment is the deployment the store's steps run, nil before the
// first.
func headDeployment(tx runtime.Tx) (*runtime.Deployment, error) {
	head, err := tx.DeploymentHead()
	if err != nil || head == 0 {
		return nil, err
	}
	return tx.Deployment(head)
}

// lockedHeadDeployment is headDeployment holding the head until the
// transaction ends.
func lockedHeadDeployment(tx runtime.Tx) (*runtime.Deployment, error) {
	head, err := tx.LockDeploymentHead()
	if err != nil || head == 0 {
		return nil, err
	}
	return tx.Deployment(head)
}

func runningDeployment(d *runtime.Deployment, prog *runtime.Program, log *slog.Logger) *Deployment {
	log.Info("running deployment", "serial", d.Serial, "hash", d.Hash, "applied_at", d.AppliedAt, "campaigns", len(prog.Plan.Campaigns))
	return &Deployment{Serial: d.Serial, Hash: d.Hash, AppliedAt: d.AppliedAt, Program: prog}
}
