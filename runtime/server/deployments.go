package server

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/journeyhq/journey/compiler/plan"
	"github.com/journeyhq/journey/runtime"
)

// The engine is the one source of what the server runs: its program and
// deployment serial, which its transactions move forward when the store's
// deployment head moved (Engine.Reload). The server keeps, beside it, the
// linked plans of the last few deployments, so that it links a plan once
// and can say when each was applied.

// cachedDeployments is how many linked plans the server keeps: the one
// running, the one before it (a rollback), and a few applied by other
// processes in a row.
const cachedDeployments = 4

type deploymentCache struct {
	mu     sync.Mutex
	serial map[int64]*Deployment
	// order is the serials, the most recently put last.
	order []int64
}

func newDeploymentCache() *deploymentCache {
	return &deploymentCache{serial: map[int64]*Deployment{}}
}

func (c *deploymentCache) get(serial int64) *Deployment {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.serial[serial]
}

func (c *deploymentCache) put(d *Deployment) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.order = slices.DeleteFunc(c.order, func(s int64) bool { return s == d.Serial })
	c.order = append(c.order, d.Serial)
	c.serial[d.Serial] = d
	for len(c.order) > cachedDeployments {
		delete(c.serial, c.order[0])
		c.order = c.order[1:]
	}
}

// current is the deployment the server runs, nil before the first plan.
func (s *Server) current() *Deployment {
	prog, serial := s.engine.Deployment()
	if prog == nil {
		return nil
	}
	if d := s.deployments.get(serial); d != nil && d.Program == prog {
		return d
	}
	return &Deployment{Serial: serial, Hash: prog.Plan.Hash, Program: prog}
}

// reload is the engine's Reload: the linked program of a deployment, from
// the cache or else read from the store in tx and linked.
func (s *Server) reload(tx runtime.Tx, serial int64) (*runtime.Program, error) {
	d, err := s.deploymentAt(tx, serial)
	if err != nil || d == nil {
		return nil, err
	}
	s.log.Info("running a deployment applied elsewhere", "serial", d.Serial, "hash", d.Hash, "applied_at", d.AppliedAt)
	return d.Program, nil
}

// deploymentAt is a deployment with its linked program; nil for serial 0
// (nothing deployed).
func (s *Server) deploymentAt(tx runtime.Tx, serial int64) (*Deployment, error) {
	if serial == 0 {
		return nil, nil
	}
	if d := s.deployments.get(serial); d != nil {
		return d, nil
	}
	rec, err := tx.Deployment(serial)
	if err != nil {
		return nil, err
	}
	p, err := plan.Decode(rec.Plan)
	if err != nil {
		return nil, fmt.Errorf("deployment %d (%s) cannot be read by this journey: %w", serial, rec.Hash, err)
	}
	prog, err := runtime.Link(p)
	if err != nil {
		return nil, fmt.Errorf("deployment %d (%s) cannot be run by this journey: %w", serial, rec.Hash, err)
	}
	d := &Deployment{Serial: rec.Serial, Hash: rec.Hash, AppliedAt: rec.AppliedAt, Program: prog}
	s.deployments.put(d)
	return d, nil
}

// refresh brings the engine to the store's deployment head, for the
// routes that report the deployment without running a step: a plan
// applied by another process is reported as soon as it committed.
func (s *Server) refresh(ctx context.Context) error {
	tx, err := s.store.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	head, err := tx.DeploymentHead()
	if err != nil {
		return err
	}
	if _, serial := s.engine.Deployment(); serial == head {
		return nil
	}
	d, err := s.deploymentAt(tx, head)
	if err != nil {
		return err
	}
	var prog *runtime.Program
	if d != nil {
		prog = d.Program
	}
	s.engine.SetDeployment(prog, head)
	return nil
}
