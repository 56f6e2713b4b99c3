package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/journeyhq/journey/runtime/sqlstore"
)

// openDatabase opens --db: a SQLite file (its directory must exist) or a
// PostgreSQL URL, migrated to this journey's schema (on PostgreSQL under an
// advisory lock, so that nodes starting together migrate it once).
func openDatabase(ctx context.Context, db, version, envToken string, log *slog.Logger) (*sqlstore.Store, error) {
	if sqlstore.IsPostgres(db) {
		log.Info("opening the database", "db", sqlstore.Redact(db), "dialect", "PostgreSQL")
		// Every node must answer to the same token: one made here would
		// be this node's alone, in a file beside no database.
		if strings.TrimSpace(envToken) == "" {
			return nil, errors.New("on PostgreSQL every journey server answers to the same API token: set " + TokenEnv +
				" to it on each node (openssl rand -base64 32 makes one)")
		}
	} else {
		log.Info("opening the database", "db", db, "dialect", "SQLite")
		if dir := filepath.Dir(db); db != ":memory:" {
			if info, err := os.Stat(dir); err != nil || !info.IsDir() {
				return nil, fmt.Errorf("cannot open the database %s: its directory %s does not exist; create it, or give --db (or db) a file in an existing directory", db, dir)
			}
		}
	}
	store, err := sqlstore.Open(ctx, db, sqlstore.Options{Version: version})
	if err != nil {
		// sqlstore's error names the file or the URL (without its password).
		return nil, fmt.Errorf("cannot open the database: %w", err)
	}
	return store, nil
}
