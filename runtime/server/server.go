// Package server is journey server: the engine on the wall clock over a
// durable store, its HTTP API under /v1, the scheduler that runs due waits,
// and the workers that deliver the outbox through runtime/queue and
// runtime/delivery. cmd/journey only reads flags and configuration and
// calls it.
package server

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/journeyhq/journey/runtime"
	"github.com/journeyhq/journey/runtime/sqlstore"
)

// Server is one journey server process. The HTTP API (api*.go), the
// scheduler (scheduler.go) and the delivery workers (worker.go) share it.
type Server struct {
	store  *sqlstore.Store
	engine *runtime.Engine
	// events runs POST /v1/events' events, many to a transaction under
	// load (event_batch.go).
	events *groupCommit
	log    *slog.Logger
	// token is the bearer token every route but /healthz needs.
	token string
	// now is the server's clock (time.Now; tests move it).
	now func() time.Time
	// wake tells the scheduler that something may be due sooner than it
	// thought (an event came in, a contact was created, a plan applied).
	wake chan struct{}
	// broadcast asks the notifier to wake the other nodes (PostgreSQL);
	// nil on SQLite.
	broadcast chan struct{}

	// registry holds the server's metrics (GET /metrics); metrics are the
	// API's own.
	registry *prometheus.Registry
	metrics  *apiMetrics
	// sink takes the deliveries the server itself makes (a fulfillment
	// batch's email) in their transaction, as the engine's steps hand it
	// theirs; nil leaves them pending in the outbox.
	sink runtime.Sink
	// enqueue queues a delivery's job in the transaction that makes it
	// pending (runtime/queue's EnqueueTx); nil until the queue is wired.
	enqueue func(ctx context.Context, tx runtime.Tx, deliveryID int64) error
	// queueReady reports whether the queue runs (GET /readyz); nil until
	// the queue is wired.
	queueReady func(ctx context.Context) error

	// deployments are the linked plans of the deployments the engine ran
	// lately; the engine's deployment serial says which one runs.
	deployments *deploymentCache
}

// Deployment is a plan version the server runs: its serial (one more per
// apply), its hash, when it was applied, and the linked program.
type Deployment struct {
	Serial    int64
	Hash      string
	AppliedAt time.Time
	Program   *runtime.Program
}

// Wake tells the scheduler to look at the due waits again now; on
// PostgreSQL, every other node's too (wakeups.go). Call it after the
// transaction that made something due commits.
func (s *Server) Wake() {
	s.wakeScheduler()
	if s.broadcast != nil {
		select {
		case s.broadcast <- struct{}{}:
		default:
		}
	}
}

// wakeScheduler wakes this process's scheduler only.
func (s *Server) wakeScheduler() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}
