package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/journeyhq/journey/compiler/diff"
	"github.com/journeyhq/journey/compiler/plan"
	"github.com/journeyhq/journey/runtime"
	"github.com/journeyhq/journey/runtime/api"
)

// applyTimeout bounds an apply or a preview: the server migrates the
// contacts in flight in one transaction, which takes seconds per million;
// a client that gives up earlier rolls the apply back.
const applyTimeout = time.Hour

// serverPlan is a plan made against a running server: the change, the
// plan file that applies exactly it, and the server's preview of what it
// does to the contacts in flight.
type serverPlan struct {
	base    *baseline
	next    *plan.Plan
	file    []byte
	changes *diff.Changes
	// refusal is the preview's apply_refused error: applying the plan
	// would strand contacts.
	refusal *api.Error
}

// serverBaseline reads what the server runs: the plan of its deployment
// and the serial, or nothing (serial 0) before the first.
func serverBaseline(ctx context.Context, r *remote) (*baseline, error) {
	serial := int64(0)
	base := &baseline{serial: &serial, source: r.server}
	d, err := call(ctx, r, func(ctx context.Context, cl *api.Client) (*api.Deployment, error) {
		d, err := cl.Deployment(ctx)
		var apiErr *api.Error
		if errors.As(err, &apiErr) && apiErr.Code == api.CodeNoDeployment {
			return nil, nil
		}
		return d, err
	})
	if err != nil || d == nil {
		return base, err
	}
	data, err := call(ctx, r, func(ctx context.Context, cl *api.Client) ([]byte, error) { return cl.DeploymentPlan(ctx, d.Serial) })
	if err != nil {
		return nil, err
	}
	p, err := plan.Decode(data)
	if err != nil {
		return nil, fmt.Errorf("the server at %s runs deployment %d, whose plan this journey cannot read: %w", r.server, d.Serial, err)
	}
	serial = d.Serial
	base.plan = p
	return base, nil
}

// planAgainstServer compares next with what the server runs, and asks the
// server what applying it would do (the apply's own migration, rolled
// back): the contacts on every changed or removed element, and who gets a
// new step and when.
func (c *CLI) planAgainstServer(ctx context.Context, r *remote, next *plan.Plan, opts plan.ApplyOptions) (*serverPlan, error) {
	base, err := serverBaseline(ctx, r)
	if err != nil {
		return nil, err
	}
	hash := ""
	if base.plan != nil {
		hash = base.plan.Hash
	}
	file, err := plan.EncodeFile(&plan.File{FormatVersion: plan.FormatVersion, ToolVersion: version(), Plan: next, Options: opts,
		Against: plan.Against{Hash: hash, Serial: base.serial, Source: base.source}})
	if err != nil {
		return nil, &exitError{code: exitInternal, err: err}
	}
	sp := &serverPlan{base: base, next: next, file: file}
	ctx, cancel := context.WithTimeout(ctx, applyTimeout)
	defer cancel()
	preview, err := r.client.PreviewApply(ctx, file)
	var apiErr *api.Error
	switch {
	case errors.As(err, &apiErr) && apiErr.Code == api.CodeApplyRefused:
		sp.refusal = apiErr
		positions, err := call(ctx, r, func(ctx context.Context, cl *api.Client) (*api.Positions, error) { return cl.Positions(ctx) })
		if err != nil {
			return nil, err
		}
		sp.changes = diff.Compare(base.plan, next, positions.Counts)
	case err != nil:
		return nil, r.explain(err)
	default:
		sp.changes = diff.Compare(base.plan, next, preview.Report.Counts)
		annotate(sp.changes, preview.Report, next, opts)
	}
	return sp, nil
}

// annotate adds to the changes what the server's preview says the apply
// does: where drained contacts go, who gets each new step and when the
// first does (in the account's time zone), and whether due times are
// recomputed.
func annotate(ch *diff.Changes, rep *runtime.ApplyReport, next *plan.Plan, opts plan.ApplyOptions) {
	ch.RecomputeWaits = opts.RecomputeWaits
	loc, err := time.LoadLocation(next.Account.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	for _, d := range rep.Drained {
		block, element, ok := strings.Cut(d.From, "/")
		if ok {
			ch.SetDrain(element, block, d.To)
		}
	}
	for _, st := range rep.NewSteps {
		seq, step, ok := strings.Cut(st.Step, "/")
		if !ok {
			continue
		}
		reach := diff.Reach{Contacts: st.Contacts}
		if st.First != nil {
			reach.First = st.First.In(loc).Format(time.RFC3339)
		}
		ch.SetReach(seq, step, reach)
	}
}
