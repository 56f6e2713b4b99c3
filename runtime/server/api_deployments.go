package server

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"time"

	"github.com/journeyhq/journey/compiler/plan"
	"github.com/journeyhq/journey/internal/jsonread"
	"github.com/journeyhq/journey/runtime"
	"github.com/journeyhq/journey/runtime/api"
)

// Applying new plan versions (RUNTIME.md, "Applying a new version";
// docs/apply.md): an apply is one transaction that locks the deployment
// head, checks the plan file was made against it, migrates the contacts
// in flight by the policy (Engine.Migrate), and records the deployment
// as the head's serial + 1.

// appliedBy is who the history says applied a deployment through the API:
// the API has one token, named "token".
const appliedBy = "token"

// maxPlanBody is the most a plan file posted may hold: a plan is larger
// than any other request.
const maxPlanBody = 64 << 20

// Deployment history pages.
const (
	defaultHistory = 20
	maxHistory     = 1000
)

// postedPlan is a plan file as a request posts it, linked.
type postedPlan struct {
	file *plan.File
	prog *runtime.Program
}

// readPlanFile reads a request's plan file (as journey plan --out writes
// it) and links its plan: a plan that cannot run is refused before any
// transaction.
func readPlanFile(r *http.Request) (*postedPlan, error) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != api.ContentTypeJSON {
			return nil, &httpError{status: http.StatusUnsupportedMediaType, code: api.CodeUnsupportedMediaType,
				msg: "the body must be a plan file (JSON), sent with Content-Type: application/json (not " + ct + ")"}
		}
	}
	data, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	_, file, err := plan.DecodeAny(data)
	if err != nil {
		var je *jsonread.Error
		if errors.As(err, &je) {
			return nil, badRequest("the body is not a plan file: %v", err)
		}
		return nil, badRequest("%v", err)
	}
	if file == nil {
		return nil, badRequest("the body is a compiled plan, not a plan file: post what journey plan --server URL --out FILE writes, which says which deployment serial it was made against")
	}
	prog, err := runtime.Link(file.Plan)
	if err != nil {
		return nil, unprocessable(fmt.Errorf("the plan cannot run: %w", err))
	}
	return &postedPlan{file: file, prog: prog}, nil
}

// staleAgainst refuses a plan file made against another deployment than
// head (whose hash is hash): its change was computed from a plan that no
// longer runs. Serials, not hashes, decide: the same plan applied again
// (a rollback and forth) has the old hash and a new serial.
func staleAgainst(f *plan.File, head int64, hash string) *httpError {
	against := f.Against
	stale := func(msg string, args ...any) *httpError {
		return &httpError{status: http.StatusConflict, code: api.CodeStalePlan, serial: &head, msg: fmt.Sprintf(msg, args...)}
	}
	switch {
	case against.Serial == nil:
		return stale("the plan file was made against %s, not against a server's deployment: it does not say which deployment serial it changes "+
			"(the server runs serial %d); make it again with journey plan --server URL --out FILE", orNothing(against.Source), head)
	case *against.Serial != head:
		return stale("stale plan: it was made against deployment serial %d, and the server runs serial %d now (applied since); "+
			"run journey plan --server again to see the change against what runs now", *against.Serial, head)
	case against.Hash != hash:
		return stale("stale plan: it was made against plan %s at deployment serial %d, and serial %d is plan %s here (another database?); "+
			"run journey plan --server again", orNothing(against.Hash), head, head, orNothing(hash))
	}
	return nil
}

func orNothing(s string) string {
	if s == "" {
		return "(nothing)"
	}
	return s
}

// refused is an apply the policy refuses, with the stranded elements.
func refused(err *runtime.ApplyRefused) *httpError {
	return &httpError{status: http.StatusUnprocessableEntity, code: api.CodeApplyRefused, msg: err.Error(), stranded: err.Stranded}
}

// migrate runs the apply's migration in tx: the head locked, the plan file
// checked against it, the contacts moved. The caller commits (an apply)
// or rolls back (a preview).
func (s *Server) migrate(tx runtime.Tx, posted *postedPlan, previewOnly bool) (head int64, prev *Deployment, rep *runtime.ApplyReport, err error) {
	head, err = tx.LockDeploymentHead()
	if err != nil {
		return 0, nil, nil, err
	}
	prev, err = s.deploymentAt(tx, head)
	if err != nil {
		return 0, nil, nil, err
	}
	var prevProg *runtime.Program
	hash := ""
	if prev != nil {
		prevProg, hash = prev.Program, prev.Hash
	}
	// A preview without a serial previews against what runs now.
	if !previewOnly || posted.file.Against.Serial != nil {
		if stale := staleAgainst(posted.file, head, hash); stale != nil {
			return 0, nil, nil, stale
		}
	}
	opts := runtime.ApplyOptions{Drain: posted.file.Options.Drain, RecomputeWaits: posted.file.Options.RecomputeWaits}
	rep, err = s.engine.Migrate(tx, prevProg, posted.prog, opts)
	var refusal *runtime.ApplyRefused
	if errors.As(err, &refusal) {
		return 0, nil, nil, refused(refusal)
	}
	return head, prev, rep, err
}

// applyPlan is POST /v1/deployments.
func (s *Server) applyPlan(w http.ResponseWriter, r *http.Request) error {
	posted, err := readPlanFile(r)
	if err != nil {
		return err
	}
	started := time.Now()
	s.log.Info("applying a plan", "hash", posted.prog.Plan.Hash, "against_serial", posted.file.Against.Serial,
		"drain", posted.file.Options.Drain, "recompute_waits", posted.file.Options.RecomputeWaits)
	tx, err := s.store.Begin(r.Context())
	if err != nil {
		return err
	}
	defer tx.Rollback()
	head, prev, rep, err := s.migrate(tx, posted, false)
	if err != nil {
		return err
	}
	var prevPlan *plan.Plan
	if prev != nil {
		prevPlan = prev.Program.Plan
	}
	summary := summarize(prevPlan, posted.prog.Plan)
	rec, err := addDeployment(tx, head+1, posted.prog.Plan, s.now(), appliedBy, summary)
	if err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	d := &Deployment{Serial: rec.Serial, Hash: rec.Hash, AppliedAt: rec.AppliedAt, Program: posted.prog}
	s.deployments.put(d)
	s.engine.SetDeployment(posted.prog, rec.Serial)
	s.Wake()
	s.log.Info("plan applied", "serial", rec.Serial, "hash", rec.Hash, "took", time.Since(started),
		"moved", len(rep.Moved), "drained", len(rep.Drained), "changed_waits", len(rep.Waits), "new_steps", len(rep.NewSteps))
	writeJSON(w, http.StatusCreated, api.Applied{Deployment: recordView(rec, summary), Report: rep})
	return nil
}

// previewPlan is POST /v1/deployments/preview: the apply's migration, in
// a transaction rolled back.
func (s *Server) previewPlan(w http.ResponseWriter, r *http.Request) error {
	posted, err := readPlanFile(r)
	if err != nil {
		return err
	}
	tx, err := s.store.Begin(r.Context())
	if err != nil {
		return err
	}
	defer tx.Rollback()
	head, prev, rep, err := s.migrate(tx, posted, true)
	if err != nil {
		return err
	}
	out := api.Preview{Against: api.DeploymentRef{Serial: head}, Report: rep}
	if prev != nil {
		out.Against.Hash = prev.Hash
	}
	if err := tx.Rollback(); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// positions is GET /v1/deployments/preview: the contacts on each element
// and step of what runs now, read in one transaction.
func (s *Server) positions(w http.ResponseWriter, r *http.Request) error {
	tx, err := s.store.Begin(r.Context())
	if err != nil {
		return err
	}
	defer tx.Rollback()
	head, err := tx.DeploymentHead()
	if err != nil {
		return err
	}
	d, err := s.deploymentAt(tx, head)
	if err != nil {
		return err
	}
	if d == nil {
		return noDeployment(http.StatusNotFound)
	}
	out := api.Positions{Deployment: api.DeploymentRef{Serial: d.Serial, Hash: d.Hash}, Counts: map[string]int{}}
	count := func(kind, name string) error {
		rows, err := tx.ElementCounts(kind, name)
		for _, row := range rows {
			if row.Element != "" {
				out.Counts[name+"/"+row.Element] += row.Count
			}
		}
		return err
	}
	for _, c := range d.Program.Campaigns {
		if err := count("campaign", c.Name); err != nil {
			return err
		}
	}
	for _, seq := range d.Program.Sequences {
		if err := count("sequence", seq.Name); err != nil {
			return err
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// history is GET /v1/deployments: the deployments, newest first.
func (s *Server) history(w http.ResponseWriter, r *http.Request) error {
	q, err := query(r, "limit")
	if err != nil {
		return err
	}
	limit, err := intParam(q, "limit", defaultHistory, 1, maxHistory)
	if err != nil {
		return err
	}
	tx, err := s.store.Begin(r.Context())
	if err != nil {
		return err
	}
	defer tx.Rollback()
	recs, err := tx.Deployments(int(limit))
	if err != nil {
		return err
	}
	out := api.Deployments{Deployments: []api.DeploymentRecord{}}
	for _, rec := range recs {
		out.Deployments = append(out.Deployments, recordView(rec, storedSummary(rec.Summary)))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// deploymentRecord is GET /v1/deployments/{serial}: one deployment with
// its plan, as applied (what a rollback applies again).
func (s *Server) deploymentRecord(w http.ResponseWriter, r *http.Request) error {
	serial, err := pathID(r, "deployment")
	if err != nil {
		return err
	}
	tx, err := s.store.Begin(r.Context())
	if err != nil {
		return err
	}
	defer tx.Rollback()
	rec, err := tx.Deployment(serial)
	if errors.Is(err, runtime.ErrNoDeployment) {
		return notFound("no deployment %d: GET /v1/deployments lists them", serial)
	}
	if err != nil {
		return err
	}
	out := recordView(rec, storedSummary(rec.Summary))
	out.Plan = rec.Plan
	writeJSON(w, http.StatusOK, out)
	return nil
}

func recordView(rec *runtime.Deployment, summary api.ChangeSummary) api.DeploymentRecord {
	return api.DeploymentRecord{Serial: rec.Serial, Hash: rec.Hash, AppliedAt: rec.AppliedAt.UTC(), AppliedBy: rec.AppliedBy, Summary: summary}
}

// storedSummary reads a deployment's summary as the store keeps it.
func storedSummary(m map[string]any) api.ChangeSummary {
	n := func(k string) int {
		f, _ := m[k].(float64)
		return int(f)
	}
	return api.ChangeSummary{Add: n("add"), Change: n("change"), Remove: n("remove")}
}
