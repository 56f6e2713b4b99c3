package sqlstore

import (
	"context"
	"database/sql/driver"
	"errors"
	"reflect"

	"modernc.org/sqlite"
)

// The store's own queries are prepared once (Store.stmts), but River's
// SQLite driver runs its queries as text, through the *sql.Tx it is given,
// and modernc.org/sqlite parses a query run as text anew every time: at
// hundreds of deliveries a second, half the server's CPU went to parsing
// River's statements (docs/queue.md). database/sql cannot cache what it
// is not asked to prepare, and the caching wrappers of sql.DB need their
// callers to go through them, which River does not; so the cache is at
// the driver: a connection keeps the single statements it ran by text
// prepared, and runs them again from there.

// maxCachedStatements bounds a connection's cache. River and the server
// run a few dozen distinct texts; a text beyond the bound runs uncached.
const maxCachedStatements = 256

// cachingConnector opens modernc.org/sqlite connections that keep the
// statements they run by text prepared.
type cachingConnector struct {
	dsn    string
	driver *sqlite.Driver
}

func (c cachingConnector) Connect(context.Context) (driver.Conn, error) {
	conn, err := c.driver.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	inner, ok := conn.(sqliteConn)
	if !ok {
		conn.Close()
		return nil, errors.New("sqlstore: modernc.org/sqlite's connection lacks the methods the statement cache forwards")
	}
	return &cachingConn{sqliteConn: inner, stmts: map[string]*cachedStmt{}}, nil
}

func (c cachingConnector) Driver() driver.Driver { return c.driver }

// sqliteConn is what database/sql uses of a modernc.org/sqlite connection.
type sqliteConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
}

// cachingConn is a connection with its cache. database/sql uses a
// connection from one goroutine at a time, so the cache needs no lock;
// but a statement's rows may still be open when the same text runs again
// (a query inside a loop over another's rows), so a statement in use is
// marked, and the second run prepares a statement of its own.
type cachingConn struct {
	sqliteConn
	stmts map[string]*cachedStmt
}

type cachedStmt struct {
	stmt interface {
		driver.Stmt
		driver.StmtExecContext
		driver.StmtQueryContext
	}
	busy bool
}

// take returns the statement to run query with: the cached one when it is
// free, else a new one, cached when there is room. release gives it back
// (and closes a statement that is not cached).
func (c *cachingConn) take(ctx context.Context, query string) (s *cachedStmt, release func(), err error) {
	if s, ok := c.stmts[query]; ok && !s.busy {
		s.busy = true
		return s, func() { s.busy = false }, nil
	}
	prepared, err := c.PrepareContext(ctx, query)
	if err != nil {
		return nil, nil, err
	}
	st, ok := prepared.(interface {
		driver.Stmt
		driver.StmtExecContext
		driver.StmtQueryContext
	})
	if !ok {
		prepared.Close()
		return nil, nil, errors.New("sqlstore: modernc.org/sqlite's statement lacks ExecContext and QueryContext")
	}
	s = &cachedStmt{stmt: st, busy: true}
	if _, taken := c.stmts[query]; taken || len(c.stmts) >= maxCachedStatements {
		return s, func() { st.Close() }, nil
	}
	c.stmts[query] = s
	return s, func() { s.busy = false }, nil
}

func (c *cachingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	s, release, err := c.take(ctx, query)
	if err != nil {
		return nil, err
	}
	defer release()
	return s.stmt.ExecContext(ctx, args)
}

func (c *cachingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	s, release, err := c.take(ctx, query)
	if err != nil {
		return nil, err
	}
	rows, err := s.stmt.QueryContext(ctx, args)
	if err != nil {
		release()
		return nil, err
	}
	return &releasingRows{Rows: rows, release: release}, nil
}

// Close closes the cached statements, then the connection.
func (c *cachingConn) Close() error {
	var errs []error
	for query, s := range c.stmts {
		errs = append(errs, s.stmt.Close())
		delete(c.stmts, query)
	}
	return errors.Join(append(errs, c.sqliteConn.Close())...)
}

// releasingRows gives its statement back when closed.
type releasingRows struct {
	driver.Rows
	release func()
	closed  bool
}

func (r *releasingRows) Close() error {
	err := r.Rows.Close()
	if !r.closed {
		r.closed = true
		r.release()
	}
	return err
}

// modernc.org/sqlite's rows tell their columns' types, which database/sql
// asks for through these optional interfaces: forwarded.
type typedRows interface {
	driver.RowsColumnTypeDatabaseTypeName
	driver.RowsColumnTypeLength
	driver.RowsColumnTypeNullable
	driver.RowsColumnTypePrecisionScale
	driver.RowsColumnTypeScanType
}

var _ typedRows = (*releasingRows)(nil)

func (r *releasingRows) typed() typedRows {
	t, _ := r.Rows.(typedRows)
	return t
}

func (r *releasingRows) ColumnTypeDatabaseTypeName(i int) string {
	if t := r.typed(); t != nil {
		return t.ColumnTypeDatabaseTypeName(i)
	}
	return ""
}

func (r *releasingRows) ColumnTypeLength(i int) (int64, bool) {
	if t := r.typed(); t != nil {
		return t.ColumnTypeLength(i)
	}
	return 0, false
}

func (r *releasingRows) ColumnTypeNullable(i int) (nullable, ok bool) {
	if t := r.typed(); t != nil {
		return t.ColumnTypeNullable(i)
	}
	return false, false
}

func (r *releasingRows) ColumnTypePrecisionScale(i int) (precision, scale int64, ok bool) {
	if t := r.typed(); t != nil {
		return t.ColumnTypePrecisionScale(i)
	}
	return 0, 0, false
}

func (r *releasingRows) ColumnTypeScanType(i int) reflect.Type {
	if t := r.typed(); t != nil {
		return t.ColumnTypeScanType(i)
	}
	return reflect.TypeFor[any]()
}
