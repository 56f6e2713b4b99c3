package pgsteps

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/journeyhq/journey/compiler"
	"github.com/journeyhq/journey/compiler/plan"
	"github.com/journeyhq/journey/internal/nodeproof"
	"github.com/journeyhq/journey/runtime"
	"github.com/journeyhq/journey/runtime/queue"
	"github.com/journeyhq/journey/runtime/sqlstore"
	"github.com/journeyhq/journey/validate"
)

// enrollBatch is how many contacts one enrolling transaction creates, as
// journey server's import commits them.
const enrollBatch = 500

// compilePlan compiles the three-node proof's workspace, its wait due at
// due, writes the plan where the nodes read it, and links it.
func compilePlan(dir string, due time.Time) (*runtime.Program, []byte, error) {
	ws := filepath.Join(dir, "workspace")
	if err := os.MkdirAll(ws, 0o755); err != nil {
		return nil, nil, err
	}
	if err := os.WriteFile(filepath.Join(ws, "proof.journey.hcl"), []byte(nodeproof.Workspace(due)), 0o644); err != nil {
		return nil, nil, err
	}
	res, err := validate.Dir(os.DirFS(ws), ".", validate.Options{Now: due.Add(-time.Hour), SkipScenarios: true})
	if err != nil {
		return nil, nil, err
	}
	var errs []string
	for _, f := range res.Findings {
		if f.Severity == validate.Error {
			errs = append(errs, f.Range.String()+": "+f.Message)
		}
	}
	if len(errs) > 0 {
		return nil, nil, fmt.Errorf("the benchmark's workspace does not validate:\n%s", strings.Join(errs, "\n"))
	}
	p, err := compiler.Plan(res.Program)
	if err != nil {
		return nil, nil, err
	}
	data, err := plan.Encode(p)
	if err != nil {
		return nil, nil, err
	}
	prog, err := runtime.Link(p)
	if err != nil {
		return nil, nil, err
	}
	return prog, data, os.WriteFile(filepath.Join(dir, "plan.json"), data, 0o644)
}

// makeTemplate makes the database every run copies: journey's and River's
// tables, the plan deployed, and the contacts enrolled an hour before their
// wait is due, through the engine as an import enrolls them.
func (b *bench) makeTemplate(ctx context.Context) error {
	name, dbURL, err := b.admin.create(ctx, "journey_steps_", "")
	if err != nil {
		return err
	}
	b.template = name
	store, err := sqlstore.OpenPostgres(ctx, dbURL, sqlstore.Options{Version: "pgsteps"})
	if err != nil {
		return err
	}
	defer store.Close()
	if err := queue.Migrate(ctx, store); err != nil {
		return err
	}
	prog, data, err := compilePlan(b.cfg.Dir, b.due)
	if err != nil {
		return err
	}
	enrolledAt := b.due.Add(-time.Hour)
	tx, err := store.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := tx.AddDeployment(&runtime.Deployment{Serial: 1, Hash: prog.Plan.Hash, Plan: data, AppliedAt: enrolledAt, AppliedBy: "pgsteps"}); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	engine := runtime.NewEngine(prog, store, runtime.NewVirtualClock(enrolledAt), nil)
	engine.SetDeployment(prog, 1)
	began := time.Now()
	rows := make([]runtime.ContactChanges, 0, enrollBatch)
	for i := 0; i < b.cfg.Contacts; i += enrollBatch {
		rows = rows[:0]
		for j := i; j < min(i+enrollBatch, b.cfg.Contacts); j++ {
			rows = append(rows, runtime.ContactChanges{Fields: map[string]any{
				"email": fmt.Sprintf("c%07d@example.com", j), "first_name": fmt.Sprintf("Contact%d", j), "tags": []string{"go"},
			}})
		}
		done, err := engine.UpsertBatch(ctx, rows, runtime.CreateOnly)
		if err != nil {
			return err
		}
		for _, d := range done {
			if d.Err != nil {
				return fmt.Errorf("enrolling a contact: %w", d.Err)
			}
		}
	}
	b.progress("enrolled %d contacts in %.1f s", b.cfg.Contacts, time.Since(began).Seconds())
	store.Close()

	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var waiting int
	if err := conn.QueryRow(ctx, `SELECT COUNT(*) FROM tokens WHERE due_at = $1`, b.due.Unix()).Scan(&waiting); err != nil {
		return err
	}
	if waiting != b.cfg.Contacts {
		return fmt.Errorf("%d contacts wait for %s after enrolling %d: the benchmark's workload is not what it says", waiting, b.due, b.cfg.Contacts)
	}
	// Every run starts from the same planner statistics and no dead rows.
	_, err = conn.Exec(ctx, `VACUUM ANALYZE`)
	return err
}
