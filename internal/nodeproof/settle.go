package nodeproof

import (
	"context"
	"fmt"
	"time"

	"github.com/dustin/go-humanize"
)

// settled is when the run's work was done.
type settled struct {
	// stepsDone: the last due wait ran; allDone: the outbox and the queue
	// were empty too.
	stepsDone, allDone time.Time
}

// waitSettled waits until every due wait has run and every delivery is
// final with no job left, saying how far it got every ten seconds. It
// gives up after a bound generous for the machine, failing the run.
func (r *run) waitSettled(ctx context.Context) (settled, error) {
	var s settled
	bound := 10*time.Minute + time.Duration(r.cfg.Contacts)*time.Second/50
	deadline := time.Now().Add(bound)
	lastSaid := time.Now()
	for {
		p, err := r.mon.progress(ctx, r.due.Unix())
		if err != nil {
			return s, err
		}
		now := time.Now()
		if p.backlog == 0 && s.stepsDone.IsZero() {
			s.stepsDone = now
			r.progress("every due wait has run")
		}
		if p.settled() {
			s.allDone = now
			r.progress("every delivery is final, and no job is left")
			return s, nil
		}
		if now.After(deadline) {
			return s, fmt.Errorf("after %s: %s due steps, %s deliveries pending or sending and %s jobs still to run; the nodes' logs are in %s",
				bound, humanize.Comma(int64(p.backlog)), humanize.Comma(int64(p.open)), humanize.Comma(int64(p.jobs)), r.cfg.Dir)
		}
		if now.Sub(lastSaid) >= 10*time.Second {
			lastSaid = now
			r.progress("%s due steps, %s deliveries open, %s jobs to run, %s mails at the sink",
				humanize.Comma(int64(p.backlog)), humanize.Comma(int64(p.open)), humanize.Comma(int64(p.jobs)), humanize.Comma(int64(r.sink.received())))
		}
		if err := sleep(ctx, 250*time.Millisecond); err != nil {
			return s, err
		}
	}
}
