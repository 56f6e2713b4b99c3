package server

import (
	"context"
	"sync"
	"time"

	"github.com/journeyhq/journey/runtime"
)

// maxEventBatch bounds the events one transaction takes: at about 0.2 ms
// each, the single SQLite connection is held some 25 ms, which the
// scheduler and the delivery workers wait out.
const maxEventBatch = 128

// eventBatchTimeout bounds a batch's transaction. The batch runs apart
// from its requests' contexts (one client going away must not undo the
// others' events), so it needs a bound of its own.
const eventBatchTimeout = time.Minute

// groupCommit runs the events of concurrent POST /v1/events requests in
// shared transactions, one commit for many: a commit writes the pages
// the events changed to the log, and many events share their index
// pages. runtime.Engine.ReceiveBatch gives each event the answer and the
// effects it would have had alone.
//
// There is no goroutine of its own: the request that finds no batch
// running runs one with every event waiting, itself included, and hands
// the next batch to the first request still waiting. Alone, a request
// runs at once, as it would without batching; under load, the events
// that came while a batch ran go together in the next.
type groupCommit struct {
	receive func(ctx context.Context, in []runtime.Inbound) ([]runtime.Received, []error, error)

	mu      sync.Mutex
	waiting []*eventCall
	running bool
}

// eventCall is one request's event, waiting for its answer.
type eventCall struct {
	ctx context.Context
	in  runtime.Inbound
	// ready is closed when the answer is in, or when the call is to run
	// the next batch (lead).
	ready chan struct{}
	lead  bool
	got   runtime.Received
	err   error
}

// Receive stores and handles an event as runtime.Engine.ReceiveFrom does,
// in a transaction it may share with other requests' events.
func (g *groupCommit) Receive(ctx context.Context, in runtime.Inbound) (runtime.Received, error) {
	call := &eventCall{ctx: ctx, in: in, ready: make(chan struct{})}
	g.mu.Lock()
	g.waiting = append(g.waiting, call)
	if g.running {
		g.mu.Unlock()
		<-call.ready
		if !call.lead {
			return call.got, call.err
		}
		g.mu.Lock()
	}
	g.running = true
	n := min(len(g.waiting), maxEventBatch)
	batch := g.waiting[:n:n]
	g.waiting = g.waiting[n:]
	g.mu.Unlock()

	g.run(batch)

	g.mu.Lock()
	if len(g.waiting) > 0 {
		// The first request still waiting runs the next batch; this one
		// answers its client now.
		next := g.waiting[0]
		next.lead = true
		close(next.ready)
	} else {
		g.running = false
	}
	g.mu.Unlock()
	return call.got, call.err
}

// run runs a batch and answers each of its calls but a leader's own,
// which reads its fields after run returns.
func (g *groupCommit) run(batch []*eventCall) {
	var live []*eventCall
	var in []runtime.Inbound
	for _, c := range batch {
		if err := c.ctx.Err(); err != nil {
			c.err = err // its client is gone: nothing to do
			continue
		}
		live, in = append(live, c), append(in, c.in)
	}
	if len(live) > 0 {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(live[0].ctx), eventBatchTimeout)
		got, errs, err := g.receive(ctx, in)
		cancel()
		for i, c := range live {
			if err != nil {
				c.err = err
			} else {
				c.got, c.err = got[i], errs[i]
			}
		}
	}
	for _, c := range batch {
		c.lead = false
		select {
		case <-c.ready:
			// The leader: its ready was closed to make it lead.
		default:
			close(c.ready)
		}
	}
}
