package server

import (
	"context"
	"errors"
	"io"
	"log/slog"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/journeyhq/journey/runtime"
	"github.com/journeyhq/journey/runtime/sqlstore"
)

// Options are what a Server is made of.
type Options struct {
	// Store is the server's database.
	Store *sqlstore.Store
	// Deployment is the plan version to run, as the store records it (its
	// serial is the store's deployment head); nil before the first apply.
	Deployment *Deployment
	// Token is the bearer token of every route but /healthz.
	Token string
	// Clock is the server's time; nil is the wall clock.
	Clock runtime.Clock
	// Logger takes the request log and errors; nil discards them.
	Logger *slog.Logger
	// Registry takes the server's metrics, served on /metrics; nil is a
	// new registry with the Go runtime's and the process's metrics.
	Registry *prometheus.Registry
	// Sink takes the deliveries of every step in its transaction (the
	// queue's), and the email of every fulfillment batch; nil leaves them
	// pending in the outbox.
	Sink runtime.Sink
	// Enqueue queues a delivery's job in tx, when the API puts a failed or
	// held delivery back to pending; nil leaves it for the queue to find.
	Enqueue func(ctx context.Context, tx runtime.Tx, deliveryID int64) error
	// QueueReady says whether the delivery queue runs (GET /readyz); nil
	// counts as running.
	QueueReady func(ctx context.Context) error
}

// New makes a server from its options: the store and a token are needed.
func New(opts Options) (*Server, error) {
	if opts.Store == nil {
		return nil, errors.New("server: no store")
	}
	if opts.Token == "" {
		return nil, errors.New("server: no token: a server without one would let anyone change its contacts")
	}
	clock := opts.Clock
	if clock == nil {
		clock = runtime.WallClock{}
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	reg := opts.Registry
	if reg == nil {
		reg = prometheus.NewRegistry()
		reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	m, err := newAPIMetrics(reg)
	if err != nil {
		return nil, err
	}
	s := &Server{
		store:       opts.Store,
		engine:      runtime.NewEngine(nil, opts.Store, clock, opts.Sink),
		log:         log,
		token:       opts.Token,
		now:         clock.Now,
		wake:        make(chan struct{}, 1),
		registry:    reg,
		metrics:     m,
		sink:        opts.Sink,
		enqueue:     opts.Enqueue,
		queueReady:  opts.QueueReady,
		deployments: newDeploymentCache(),
	}
	s.events = &groupCommit{receive: s.engine.ReceiveBatch}
	if opts.Store.Shared() {
		s.broadcast = make(chan struct{}, 1)
	}
	// The engine runs what the store's deployment head names: every
	// transaction reads it, and loads a plan applied since (by this
	// server or another process) before it moves anybody.
	s.engine.Reload = s.reload
	if d := opts.Deployment; d != nil {
		s.deployments.put(d)
		s.engine.SetDeployment(d.Program, d.Serial)
	}
	return s, nil
}
