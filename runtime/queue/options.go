package queue

import (
	"fmt"
	"log/slog"
	"time"
)

// Options tune a queue. A zero field takes its default (the Default...
// constants); docs/queue.md says why each default is what it is.
type Options struct {
	// Workers is how many jobs run at once.
	Workers int
	// MaxAttempts is how many attempts a job gets before an error gives it
	// up. It is written into each job as it is enqueued.
	MaxAttempts int
	// RetryBase is the wait before the first retry; each next one doubles,
	// up to RetryMax.
	RetryBase time.Duration
	RetryMax  time.Duration
	// FetchCooldown is the least time between two fetches of jobs: with a
	// fetch taking up to Workers jobs, it caps the rate at about
	// Workers/FetchCooldown jobs a second.
	FetchCooldown time.Duration
	// FetchPollInterval is how often the queue looks for jobs when nothing
	// told it of one (a retry coming due, a job enqueued by another process).
	FetchPollInterval time.Duration
	// JobTimeout ends a handler's context. With one SQLite connection, the
	// wait for the connection counts against it: keep transactions short.
	JobTimeout time.Duration
	// RescueStuckJobsAfter is how long a job may stay running before it is
	// taken for the remains of a crash and retried. It must exceed
	// JobTimeout.
	RescueStuckJobsAfter time.Duration
	// StopTimeout is how long Stop lets running jobs finish before it
	// cancels them.
	StopTimeout time.Duration
	// Logger receives River's logs; nil is slog.Default().
	Logger *slog.Logger
}

// The defaults. A job interrupted by a crash runs again at most
// RescueStuckJobsAfter + 30 s (River's rescuer runs every 30 s) + 5 s
// (its scheduler) + the first retry's wait after the attempt started: 56 s,
// within the minute. See docs/queue.md for the measurements behind the
// fetch settings.
const (
	DefaultWorkers              = 50
	DefaultMaxAttempts          = 8
	DefaultRetryBase            = time.Second
	DefaultRetryMax             = 10 * time.Minute
	DefaultFetchCooldown        = 5 * time.Millisecond
	DefaultFetchPollInterval    = 100 * time.Millisecond
	DefaultJobTimeout           = 15 * time.Second
	DefaultRescueStuckJobsAfter = 20 * time.Second
	DefaultStopTimeout          = 10 * time.Second
)

// Limits beyond which a setting is refused rather than passed on.
const (
	maxWorkers     = 10_000 // River's own limit
	minFetchPeriod = time.Millisecond
	maxRetryMax    = 24 * time.Hour
)

// withDefaults fills the zero fields and checks the result.
func (o Options) withDefaults() (Options, error) {
	fill := func(v *time.Duration, def time.Duration) {
		if *v == 0 {
			*v = def
		}
	}
	if o.Workers == 0 {
		o.Workers = DefaultWorkers
	}
	if o.MaxAttempts == 0 {
		o.MaxAttempts = DefaultMaxAttempts
	}
	fill(&o.RetryBase, DefaultRetryBase)
	fill(&o.RetryMax, DefaultRetryMax)
	fill(&o.FetchCooldown, DefaultFetchCooldown)
	fill(&o.FetchPollInterval, DefaultFetchPollInterval)
	fill(&o.JobTimeout, DefaultJobTimeout)
	fill(&o.RescueStuckJobsAfter, DefaultRescueStuckJobsAfter)
	fill(&o.StopTimeout, DefaultStopTimeout)
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	switch {
	case o.Workers < 0 || o.Workers > maxWorkers:
		return o, fmt.Errorf("queue: Workers is %d; give 1 to %d", o.Workers, maxWorkers)
	case o.MaxAttempts < 0:
		return o, fmt.Errorf("queue: MaxAttempts is %d; give 1 or more", o.MaxAttempts)
	case o.RetryBase < 0 || o.RetryMax < o.RetryBase || o.RetryMax > maxRetryMax:
		return o, fmt.Errorf("queue: retries wait from RetryBase %s to RetryMax %s; give 0 < RetryBase <= RetryMax <= %s", o.RetryBase, o.RetryMax, maxRetryMax)
	case o.FetchCooldown < minFetchPeriod || o.FetchPollInterval < o.FetchCooldown:
		return o, fmt.Errorf("queue: FetchCooldown is %s and FetchPollInterval %s; give %s <= FetchCooldown <= FetchPollInterval", o.FetchCooldown, o.FetchPollInterval, minFetchPeriod)
	case o.JobTimeout < 0 || o.StopTimeout < 0:
		return o, fmt.Errorf("queue: JobTimeout %s and StopTimeout %s must be positive", o.JobTimeout, o.StopTimeout)
	case o.RescueStuckJobsAfter <= o.JobTimeout:
		return o, fmt.Errorf("queue: RescueStuckJobsAfter (%s) must exceed JobTimeout (%s), or a job still running would be run again beside itself; raise RescueStuckJobsAfter or lower JobTimeout", o.RescueStuckJobsAfter, o.JobTimeout)
	}
	return o, nil
}
