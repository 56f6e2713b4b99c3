package sqlstore

import (
	"context"
	"fmt"
	"net/url"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// DefaultMaxConns bounds a PostgreSQL store's pool: the scheduler, the
// delivery workers and the API's requests share it. A URL's pool_max_conns
// sets another.
const DefaultMaxConns = 20

// OpenPostgres opens a PostgreSQL database from its connection URL and
// brings its schema up to date, under an advisory lock: several nodes
// starting at once migrate it once.
func OpenPostgres(ctx context.Context, connURL string, opts Options) (*Store, error) {
	cfg, maxConns, err := parsePostgresURL(connURL)
	if err != nil {
		return nil, err
	}
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(maxConns)
	db.SetMaxIdleConns(maxConns)
	s := &Store{db: db, dialect: postgresDialect, url: connURL}
	where := Redact(connURL)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	if err := s.migrate(ctx, opts.Version); err != nil {
		db.Close()
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	if err := s.prepare(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	return s, nil
}

// parsePostgresURL reads a connection URL, taking out pool_max_conns (which
// pgx's own pool reads, and the server would otherwise refuse as an
// unknown setting).
func parsePostgresURL(connURL string) (*pgx.ConnConfig, int, error) {
	u, err := url.Parse(connURL)
	if err != nil {
		return nil, 0, fmt.Errorf("the PostgreSQL URL %s: %w", Redact(connURL), err)
	}
	maxConns := DefaultMaxConns
	q := u.Query()
	if v := q.Get("pool_max_conns"); v != "" {
		if _, err := fmt.Sscan(v, &maxConns); err != nil || maxConns < 2 {
			return nil, 0, fmt.Errorf("the PostgreSQL URL %s: pool_max_conns=%s: give a number of connections, 2 or more", Redact(connURL), v)
		}
		q.Del("pool_max_conns")
		u.RawQuery = q.Encode()
	}
	cfg, err := pgx.ParseConfig(u.String())
	if err != nil {
		return nil, 0, fmt.Errorf("the PostgreSQL URL %s: %w", Redact(connURL), err)
	}
	return cfg, maxConns, nil
}

// Redact is a connection URL without its password, for logs and errors.
func Redact(connURL string) string {
	u, err := url.Parse(connURL)
	if err != nil || u.User == nil {
		return connURL
	}
	return u.Redacted()
}

// URL is a PostgreSQL store's connection URL ("" for SQLite): runtime/queue
// and the wake-ups open their listening connections with it.
func (s *Store) URL() string { return s.url }

// wakeChannel is the PostgreSQL notification channel of wake-ups.
const wakeChannel = "journey_wake"

// Notify tells every process listening on the database (Listen) that
// something may be due sooner than it thought. A no-op on SQLite, whose
// one process wakes its own scheduler.
func (s *Store) Notify(ctx context.Context, from string) error {
	if !s.dialect.shared {
		return nil
	}
	_, err := s.db.ExecContext(ctx, `SELECT pg_notify($1, $2)`, wakeChannel, from)
	return err
}

// Listen calls wake with the sender of each notification Notify sends,
// until ctx ends (nil) or the connection fails (the error). It calls ready
// once it listens. On SQLite it returns nil at once.
func (s *Store) Listen(ctx context.Context, ready func(), wake func(from string)) error {
	if !s.dialect.shared {
		return nil
	}
	cfg, _, err := parsePostgresURL(s.url)
	if err != nil {
		return err
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+wakeChannel); err != nil {
		return err
	}
	ready()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		wake(n.Payload)
	}
}
