package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/journeyhq/journey/internal/atomicfile"
	"github.com/journeyhq/journey/runtime"
	"github.com/journeyhq/journey/runtime/delivery"
	"github.com/journeyhq/journey/runtime/queue"
	"github.com/journeyhq/journey/runtime/sqlstore"
)

// Shutdown's bounds: the API's requests in flight, then the whole stop.
const (
	httpShutdownTimeout = 10 * time.Second
	// stopTimeout leaves the queue its StopTimeout (running deliveries
	// finish) and the time to cancel the rest.
	stopTimeout = 30 * time.Second
	// readHeaderTimeout drops a client that opens a connection and sends
	// nothing.
	readHeaderTimeout = 10 * time.Second
)

// RunOptions are what Run needs beyond the configuration.
type RunOptions struct {
	Config Config
	// EnvToken is JOURNEY_TOKEN's value: "" reads the token file beside
	// the database, or makes one.
	EnvToken string
	// Logger takes the server's log; nil discards it.
	Logger *slog.Logger
	// Announce takes what is printed once, for a person: a new token.
	Announce io.Writer
	// ReadyFile, when set, is written with the API's address once the
	// server serves, and removed when it stops.
	ReadyFile string
	// Clock is the server's time; nil is the wall clock.
	Clock runtime.Clock
	// Queue tunes the delivery queue (tests shorten its retries); Workers
	// and MaxAttempts come from Config.
	Queue queue.Options
	// Version is journey's version, recorded beside the migrations it
	// applies to the database (an older journey names it when it refuses
	// the database).
	Version string
}

// Run is journey server: it starts, serves until ctx ends, then shuts
// down in order and returns nil, or the error that stopped it.
func Run(ctx context.Context, opts RunOptions) error {
	p, err := Start(ctx, opts)
	switch {
	case err != nil && ctx.Err() != nil:
		// A signal while starting is a stop asked for, not a failure:
		// Start undid what it had done.
		if opts.Logger != nil {
			opts.Logger.Info("stopped while starting", "cause", context.Cause(ctx), "error", err)
		}
		return nil
	case err != nil:
		return err
	}
	var failure error
	select {
	case <-ctx.Done():
		p.log.Info("shutting down", "cause", context.Cause(ctx))
	case failure = <-p.failed:
		p.log.Error("the API stopped serving; shutting down", "error", failure)
	}
	stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), stopTimeout)
	defer cancel()
	return errors.Join(failure, p.Stop(stopCtx))
}

// Process is a started journey server.
type Process struct {
	// Addr is the address the API listens on.
	Addr   string
	server *Server
	store  *sqlstore.Store
	queue  queue.Queue
	router *delivery.Router
	http   *http.Server
	log    *slog.Logger
	// failed receives the error that stopped the API serving.
	failed chan error
	// stopScheduler ends the scheduler's loop; schedulerDone closes when
	// it has.
	stopScheduler context.CancelFunc
	schedulerDone chan struct{}
	// wakeupsDone closes when the wake-ups between nodes have stopped
	// (with the scheduler).
	wakeupsDone  <-chan struct{}
	queueRunning atomic.Bool
	readyFile    string
}

// Start opens the database and the queue, loads the deployment and the
// token, and starts the API, the scheduler and the delivery workers.
// ctx bounds the start only.
func Start(ctx context.Context, opts RunOptions) (_ *Process, err error) {
	cfg := opts.Config
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	clock := opts.Clock
	if clock == nil {
		clock = runtime.WallClock{}
	}
	p := &Process{log: log, failed: make(chan error, 1), schedulerDone: make(chan struct{}), readyFile: opts.ReadyFile}
	// What is opened is closed again if a later stage fails.
	var undo []func()
	defer func() {
		if err != nil {
			for i := len(undo) - 1; i >= 0; i-- {
				undo[i]()
			}
		}
	}()

	p.store, err = openDatabase(ctx, cfg.DB, opts.Version, opts.EnvToken, log)
	if err != nil {
		return nil, err
	}
	undo = append(undo, func() { p.store.Close() })
	dep, err := loadDeployment(ctx, p.store, cfg.Plan, sqlstore.Redact(cfg.DB), clock.Now(), log)
	if err != nil {
		return nil, err
	}
	router, err := delivery.NewRouter(cfg.Channels)
	if err != nil {
		return nil, fmt.Errorf("the delivery channels' configuration: %w", err)
	}
	p.router = router
	undo = append(undo, func() { router.Close() })
	logChannels(log, cfg.Channels)

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	w, err := newWorker(p.store, router, clock.Now, log.With("component", "worker"), reg)
	if err != nil {
		return nil, err
	}
	qopts := opts.Queue
	qopts.Workers, qopts.MaxAttempts = cfg.Workers, cfg.MaxAttempts
	if qopts.Logger == nil {
		// River's own information (started, stopped, leadership) adds
		// nothing to the server's; its warnings do.
		qopts.Logger = slog.New(atLeast{Handler: log.With("component", "queue").Handler(), min: slog.LevelWarn})
	}
	p.queue, err = queue.Open(ctx, p.store, w.handle, qopts)
	if err != nil {
		return nil, err
	}
	rec, err := resolveOutbox(ctx, p.store, p.queue, router, clock.Now)
	if err != nil {
		return nil, err
	}
	logRecovery(log, rec)

	listener, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return nil, fmt.Errorf("cannot listen on %s: %v; give --listen a free address (port 0 takes any free port)", cfg.Listen, err)
	}
	undo = append(undo, func() { listener.Close() })
	p.Addr = listener.Addr().String()
	announce := opts.Announce
	if announce == nil {
		announce = io.Discard
	}
	token, err := LoadToken(cfg.DB, opts.EnvToken, "http://"+p.Addr, announce)
	if err != nil {
		return nil, err
	}
	log.Info("API token", "source", token.Source)
	if len(token.Value) < minTokenLength {
		log.Warn("the API token is short: anyone who reaches the API could guess it; use 32 random bytes (openssl rand -base64 32)",
			"source", token.Source, "length", len(token.Value))
	}

	p.server, err = New(Options{
		Store: p.store, Deployment: dep, Token: token.Value, Clock: clock, Logger: log, Registry: reg,
		Sink:    &queueSink{queue: p.queue, router: router, now: clock.Now},
		Enqueue: p.queue.EnqueueTx,
		QueueReady: func(context.Context) error {
			if !p.queueRunning.Load() {
				return errors.New("the delivery queue is not running (the server is starting or stopping)")
			}
			return nil
		},
	})
	if err != nil {
		return nil, err
	}
	steps, err := newStepMetrics(reg, log.With("component", "scheduler"))
	if err != nil {
		return nil, err
	}
	p.server.engine.Observe = steps.observe
	if err := registerGauges(reg, log, clock.Now, p.store.DueCount, p.queue.Depth); err != nil {
		return nil, err
	}

	if err := p.queue.Start(ctx); err != nil {
		return nil, err
	}
	p.queueRunning.Store(true)
	undo = append(undo, func() {
		stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), stopTimeout)
		defer cancel()
		p.queue.Stop(stopCtx)
	})
	p.http = &http.Server{
		Handler:           p.server.Handler(),
		ReadHeaderTimeout: readHeaderTimeout,
		ErrorLog:          slog.NewLogLogger(log.With("component", "http").Handler(), slog.LevelWarn),
	}
	go func() {
		if err := p.http.Serve(listener); !errors.Is(err, http.ErrServerClosed) {
			p.failed <- err
		}
	}()
	schedCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	p.stopScheduler = stop
	p.wakeupsDone = p.server.startWakeups(schedCtx, log.With("component", "wakeups"))
	sched := p.server.newScheduler()
	sched.log = log.With("component", "scheduler")
	go func() {
		defer close(p.schedulerDone)
		sched.run(schedCtx)
	}()

	if p.readyFile != "" {
		if err := atomicfile.WriteFile(p.readyFile, []byte(p.Addr+"\n"), 0o644); err != nil {
			p.readyFile = ""
			log.Error("cannot write the ready file", "file", opts.ReadyFile, "error", err)
		}
	}
	log.Info("journey server ready", "addr", p.Addr, "url", "http://"+p.Addr)
	return p, nil
}

// Stop shuts the server down in order: the API stops taking requests
// (those in flight finish), the scheduler stops after its current batch,
// the queue stops (running deliveries finish, or go back to the queue),
// and the database closes. ctx bounds it all.
func (p *Process) Stop(ctx context.Context) error {
	var errs []error
	p.log.Info("stopping the API: no new requests; those in flight finish", "timeout", httpShutdownTimeout)
	httpCtx, cancel := context.WithTimeout(ctx, httpShutdownTimeout)
	if err := p.http.Shutdown(httpCtx); err != nil {
		p.log.Warn("requests still running after the timeout: closing their connections", "error", err)
		p.http.Close()
	}
	cancel()

	p.log.Info("stopping the scheduler after its current batch")
	p.stopScheduler()
	select {
	case <-p.schedulerDone:
	case <-ctx.Done():
		errs = append(errs, fmt.Errorf("the scheduler's batch did not end in time: %w", ctx.Err()))
	}
	select {
	case <-p.wakeupsDone:
	case <-ctx.Done():
		errs = append(errs, fmt.Errorf("the wake-ups' connection did not close in time: %w", ctx.Err()))
	}

	p.log.Info("stopping the delivery queue: running deliveries finish, or go back to the queue")
	p.queueRunning.Store(false)
	if err := p.queue.Stop(ctx); err != nil {
		errs = append(errs, err)
	}
	// The idle SMTP connections end with a QUIT.
	p.router.Close()

	p.log.Info("closing the database")
	if err := p.store.Close(); err != nil {
		errs = append(errs, fmt.Errorf("closing the database: %w", err))
	}
	if p.readyFile != "" {
		os.Remove(p.readyFile)
	}
	if err := errors.Join(errs...); err != nil {
		p.log.Error("journey server stopped with errors", "error", err)
		return err
	}
	p.log.Info("journey server stopped")
	return nil
}

// Server is the started process's server (its API and engine).
func (p *Process) Server() *Server { return p.server }

func logChannels(log *slog.Logger, c delivery.Config) {
	var held []string
	configured := func(channel string, ok bool, config string) {
		if ok {
			log.Info("delivery channel configured", "channel", channel, "config", config)
		} else {
			held = append(held, channel)
		}
	}
	configured("smtp", c.SMTP != nil, fmt.Sprint(c.SMTP))
	configured("webhook", c.Webhook != nil, fmt.Sprint(c.Webhook))
	for _, channel := range delivery.AdapterChannels() {
		a, ok := c.Adapters[channel]
		configured(channel, ok, a.String())
	}
	if len(held) > 0 {
		log.Info("delivery channels not configured: their deliveries are held in the outbox", "channels", strings.Join(held, ","))
	}
}

func logRecovery(log *slog.Logger, r recovery) {
	if r.Requeued > 0 {
		log.Info("held deliveries queued: their channel is configured now", "deliveries", r.Requeued)
	}
	for _, channel := range slices.Sorted(maps.Keys(r.StillHeld)) {
		log.Warn("deliveries held: their channel is not configured", "channel", channel, "deliveries", r.StillHeld[channel])
	}
	if r.Resent > 0 {
		log.Warn("deliveries cut off by a crash on their last attempt: queued again with the same idempotency key", "deliveries", r.Resent)
	}
	if r.Unknown > 0 {
		log.Warn("marketing emails cut off by a crash on their last attempt: marked unknown, never sent again", "deliveries", r.Unknown)
	}
}

// atLeast drops records below min.
type atLeast struct {
	slog.Handler
	min slog.Level
}

func (h atLeast) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.min && h.Handler.Enabled(ctx, l)
}

func (h atLeast) WithAttrs(attrs []slog.Attr) slog.Handler {
	return atLeast{Handler: h.Handler.WithAttrs(attrs), min: h.min}
}

func (h atLeast) WithGroup(name string) slog.Handler {
	return atLeast{Handler: h.Handler.WithGroup(name), min: h.min}
}
