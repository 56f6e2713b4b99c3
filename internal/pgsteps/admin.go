package pgsteps

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/journeyhq/journey/runtime/sqlstore"
)

// admin makes and drops the benchmark's databases on the server.
type admin struct {
	server string // a URL whose user may CREATE DATABASE
}

// create makes a database, a copy of template when one is named (the
// template must have no session open), and returns its name and URL.
func (a admin) create(ctx context.Context, prefix, template string) (name, dbURL string, err error) {
	conn, err := pgx.Connect(ctx, a.server)
	if err != nil {
		return "", "", fmt.Errorf("connecting to %s: %w", sqlstore.Redact(a.server), err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	b := make([]byte, 6)
	rand.Read(b)
	name = prefix + hex.EncodeToString(b)
	create := "CREATE DATABASE " + name
	if template != "" {
		create += " TEMPLATE " + template
	}
	if _, err := conn.Exec(ctx, create); err != nil {
		return "", "", fmt.Errorf("%s on %s (its user must be allowed to create databases): %w", create, sqlstore.Redact(a.server), err)
	}
	return name, a.url(name, ""), nil
}

// url is a database's URL, its sessions named app.
func (a admin) url(name, app string) string {
	u, _ := url.Parse(a.server) // parsed by pgx.Connect already
	u.Path = "/" + name
	if app != "" {
		q := u.Query()
		q.Set("application_name", app)
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// drop drops a database, ending its sessions.
func (a admin) drop(name string) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, a.server)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	_, err = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	return err
}
