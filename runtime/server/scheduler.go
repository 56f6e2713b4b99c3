package server

import (
	"context"
	"log/slog"
	"time"
)

// The scheduler's pace.
const (
	// stepBatch is how many due steps one transaction runs. A full batch
	// is followed at once by the next.
	stepBatch = 200
	// recheckEvery bounds a sleep: the scheduler looks at the due waits
	// at least this often, even if nothing woke it (a wake-up lost, the
	// wall clock moved, another process wrote a wait). Due times are
	// counted in minutes, so this bounds the lateness such a miss costs.
	recheckEvery = time.Minute
	// idlePause is the least sleep after a pass that ran nothing while a
	// step was due already: never a busy loop, whatever the store says.
	idlePause = time.Second
	// The wait after a store error doubles from retryFirst up to
	// retryMax while the errors go on.
	retryFirst = time.Second
	retryMax   = time.Minute
	// batchCutEvery is how often the fulfillment lists' batch rule is
	// checked, as Server.CutDueBatches asks.
	batchCutEvery = time.Minute
)

// stepRunner is what the scheduler needs of the engine.
type stepRunner interface {
	RunDue(ctx context.Context, limit int) (int, error)
	NextDue(ctx context.Context) (*time.Time, error)
}

// scheduler runs the due waits: a batch at a time in due order, then it
// sleeps until the next due time or a wake-up.
type scheduler struct {
	steps stepRunner
	// deployed says whether a plan runs: without one, nothing is due.
	deployed func() bool
	now      func() time.Time
	wake     <-chan struct{}
	log      *slog.Logger
	batch    int
	// after is time.After; a test gives its own.
	after func(time.Duration) <-chan time.Time
	// cutBatches cuts the fulfillment lists' due batches (Server.
	// CutDueBatches): beside the due steps, once a minute of the server's
	// clock. Its errors are logged, and hold nothing else up.
	cutBatches func(ctx context.Context) error
	lastCut    time.Time
}

func (s *Server) newScheduler() *scheduler {
	return &scheduler{
		steps: s.engine, deployed: func() bool { return s.current() != nil },
		now: s.now, wake: s.wake, log: s.log, batch: stepBatch, after: time.After,
		cutBatches: s.CutDueBatches,
	}
}

// run works until ctx ends; a batch under way when it does is finished
// and committed first.
func (s *scheduler) run(ctx context.Context) {
	s.log.Info("scheduler started", "batch", s.batch)
	failures := 0
	for ctx.Err() == nil {
		wait, err := s.pass(ctx)
		if ctx.Err() != nil {
			break
		}
		if err != nil {
			failures++
			wait = retryWait(failures)
			s.log.Error("scheduler: the store failed; trying again", "error", err, "failures", failures, "retry_in", wait)
		} else {
			failures = 0
		}
		s.cutDueBatches(ctx)
		if wait <= 0 {
			continue
		}
		select {
		case <-ctx.Done():
		case <-s.wake:
		case <-s.after(wait):
		}
	}
	s.log.Info("scheduler stopped")
}

// cutDueBatches runs cutBatches when a minute has passed since it last
// did: at once after the first pass, then about once a minute, since the
// scheduler never sleeps longer than recheckEvery.
func (s *scheduler) cutDueBatches(ctx context.Context) {
	now := s.now()
	if s.cutBatches == nil || (!s.lastCut.IsZero() && now.Sub(s.lastCut) < batchCutEvery) {
		return
	}
	s.lastCut = now
	if err := s.cutBatches(ctx); err != nil && ctx.Err() == nil {
		s.log.Error("scheduler: cutting the fulfillment lists' due batches failed; trying again in a minute", "error", err)
	}
}

// pass runs one batch of due steps and says how long to wait before the
// next: nothing when the batch was full, until the next due time
// otherwise.
func (s *scheduler) pass(ctx context.Context) (time.Duration, error) {
	if !s.deployed() {
		return recheckEvery, nil
	}
	// RunDue rolls its whole batch back when its context ends: the
	// batch in hand is finished, and run stops after it.
	ran, err := s.steps.RunDue(context.WithoutCancel(ctx), s.batch)
	if err != nil {
		return 0, err
	}
	if ran == s.batch || ctx.Err() != nil {
		return 0, nil
	}
	next, err := s.steps.NextDue(ctx)
	if err != nil {
		return 0, err
	}
	if next == nil {
		return recheckEvery, nil
	}
	wait := next.Sub(s.now())
	switch {
	case wait > recheckEvery:
		return recheckEvery, nil
	case wait <= 0 && ran == 0:
		return idlePause, nil
	}
	return wait, nil
}

// retryWait is the wait after the n-th store error in a row.
func retryWait(n int) time.Duration {
	wait := retryFirst
	for i := 1; i < n && wait < retryMax; i++ {
		wait *= 2
	}
	return min(wait, retryMax)
}
