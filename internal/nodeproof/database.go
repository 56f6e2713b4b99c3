package nodeproof

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/journeyhq/journey/runtime/sqlstore"
)

// database is the proof's own database on the server, made empty for it
// and dropped after.
type database struct {
	// server is the server's URL, as given; "" for a database given as it
	// is, which the proof does not drop.
	server string
	name   string
	url    string // the database's URL
}

// createDatabase makes an empty database on the server, whose user must
// be allowed to CREATE DATABASE.
func createDatabase(ctx context.Context, server, prefix string) (*database, error) {
	admin, err := pgx.Connect(ctx, server)
	if err != nil {
		return nil, fmt.Errorf("connecting to %s: %w", sqlstore.Redact(server), err)
	}
	defer admin.Close(context.WithoutCancel(ctx))
	b := make([]byte, 6)
	rand.Read(b)
	name := prefix + hex.EncodeToString(b)
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		return nil, fmt.Errorf("creating a database on %s (its user must be allowed to): %w", sqlstore.Redact(server), err)
	}
	u, err := url.Parse(server)
	if err != nil {
		return nil, err
	}
	u.Path = "/" + name
	return &database{server: server, name: name, url: u.String()}, nil
}

// databaseName is the database a URL names, for the log.
func databaseName(dbURL string) string {
	u, err := url.Parse(dbURL)
	if err != nil {
		return "the database"
	}
	return strings.TrimPrefix(u.Path, "/")
}

// nodeURL is the database's URL for one node: its sessions carry the
// node's name, so that pg_stat_activity tells them apart.
func (d *database) nodeURL(node string) string {
	u, _ := url.Parse(d.url) // parsed once already
	q := u.Query()
	q.Set("application_name", node)
	u.RawQuery = q.Encode()
	return u.String()
}

// drop drops the database, ending the sessions a killed node left.
func (d *database) drop() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	admin, err := pgx.Connect(ctx, d.server)
	if err != nil {
		return err
	}
	defer admin.Close(context.Background())
	_, err = admin.Exec(ctx, "DROP DATABASE IF EXISTS "+d.name+" WITH (FORCE)")
	return err
}
