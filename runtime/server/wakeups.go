package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"time"
)

// Wake-ups between nodes. On PostgreSQL several servers share the due
// waits: an event, a contact write or an apply on one node may make a wait
// due sooner than another node's scheduler thought. Server.Wake wakes this
// node's scheduler and has a notifier send one NOTIFY (pg_notify) right
// after; every node LISTENs on a connection of its own and wakes its
// scheduler when another node's notification comes. Wake-ups coalesce: a
// burst of events sends a notification or two, not one each. On SQLite
// (one process) nothing of this runs. A notification lost (a connection
// dropped) costs at most the scheduler's minute of rechecking.

// listenRetryMax bounds the wait before the listening connection is opened
// again after it failed.
const listenRetryMax = 30 * time.Second

// startWakeups starts the notifier and the listener on a shared database,
// until ctx ends; the channel it returns closes when both have stopped.
func (s *Server) startWakeups(ctx context.Context, log *slog.Logger) <-chan struct{} {
	done := make(chan struct{})
	if s.broadcast == nil {
		close(done)
		return done
	}
	node := newNodeID()
	log.Info("waking the other nodes through PostgreSQL's LISTEN/NOTIFY", "node", node)
	notified := make(chan struct{})
	go func() {
		defer close(notified)
		s.notifyLoop(ctx, node, log)
	}()
	go func() {
		defer close(done)
		s.listenLoop(ctx, node, log)
		<-notified
	}()
	return done
}

// notifyLoop sends a notification for each wake-up asked for, until ctx
// ends.
func (s *Server) notifyLoop(ctx context.Context, node string, log *slog.Logger) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.broadcast:
		}
		if err := s.store.Notify(ctx, node); err != nil && ctx.Err() == nil {
			log.Warn("could not wake the other nodes; they look at the due waits within a minute anyway", "error", err)
		}
	}
}

// listenLoop listens for the other nodes' notifications, opening its
// connection again when it fails, until ctx ends.
func (s *Server) listenLoop(ctx context.Context, node string, log *slog.Logger) {
	wait := retryFirst
	for ctx.Err() == nil {
		err := s.store.Listen(ctx, func() { wait = retryFirst }, func(from string) {
			if from != node { // this node woke its own scheduler already
				s.wakeScheduler()
			}
		})
		if ctx.Err() != nil {
			return
		}
		log.Warn("the wake-ups' connection failed; opening it again", "error", err, "retry_in", wait)
		// What came meanwhile was missed: look at the due waits now.
		s.wakeScheduler()
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = min(2*wait, listenRetryMax)
	}
}

// newNodeID names this process among the nodes: its notifications carry
// it, so that it does not wake itself twice.
func newNodeID() string {
	b := make([]byte, 6)
	rand.Read(b)
	return hex.EncodeToString(b)
}
