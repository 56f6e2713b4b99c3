package sqlstore

import (
	"strconv"
	"strings"
)

// dialect is what differs between SQLite and PostgreSQL. Queries are written
// once, with ? placeholders; PostgreSQL's are rebound to $1..$n when they
// are prepared, and the few that must differ are overridden.
type dialect struct {
	name string
	// migrations is the directory of the dialect's migrations under
	// migrations/: the same versions, tables and columns in both.
	migrations string
	// shared is true for a database several processes write at once
	// (PostgreSQL): reads that precede a write lock what they read.
	shared bool
	// overrides replace the queries that cannot be the same in both.
	overrides map[query]string
	// loadTogether: Contact reads the contact's enrollments in the same
	// query (load.go), where each query is a round trip.
	loadTogether bool
	// foldWrites: where each statement is a round trip, one statement
	// does the work of two: an enrollment's update and its first changed
	// token's write (Tx.SaveEnrollment), a marketing email's mark and its
	// delivery (Tx.AddMarketingDelivery).
	foldWrites bool
}

var sqliteDialect = &dialect{name: "SQLite", migrations: "migrations/sqlite"}

// postgresDialect locks what SQLite's one writer already holds (docs/runtime.md,
// "Several processes on PostgreSQL"):
//   - a contact a transaction loads (FOR UPDATE): an event and a step for one
//     contact take turns;
//   - the contacts of the due waits a batch claims, skipping those another
//     node holds (FOR UPDATE OF c SKIP LOCKED), so that two nodes never run
//     the same contact's steps;
//   - the deployment head: shared by every engine transaction, exclusive for
//     an apply, so that no step straddles two plan versions;
//   - a delivery the worker or the API reads before it writes it;
//   - a new contact's email or external id, while it is looked up and created.
var postgresDialect = &dialect{
	name:         "PostgreSQL",
	migrations:   "migrations/postgres",
	shared:       true,
	loadTogether: true,
	foldWrites:   true,
	overrides: map[query]string{
		qDeleteTokenEnrollment: withEnrollmentUpdate(qDeleteToken),
		qInsertTokenEnrollment: withEnrollmentUpdate(qInsertToken),
		qUpdateTokenEnrollment: withEnrollmentUpdate(qUpdateToken),
		// MarkSent, then AddDelivery only if the email was new to the
		// contact (the delivery's row comes from the marked one).
		qAddMarketingDelivery: `WITH sent AS (INSERT INTO marketing_sent (contact_id, email) VALUES (?, ?) ON CONFLICT DO NOTHING RETURNING contact_id, email),
			delivery AS (INSERT INTO deliveries (contact_id, kind, asset, source, key, marketing, payload, status, created_at)
				SELECT contact_id, CAST(? AS TEXT), email, CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS INTEGER), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS BIGINT) FROM sent
				ON CONFLICT (contact_id, key) DO NOTHING RETURNING id)
			SELECT EXISTS (SELECT 1 FROM sent), (SELECT id FROM delivery)`,
		qContact: queries[qContact] + ` FOR UPDATE`,
		// The contact, locked, with its enrollments and their tokens; the
		// contact's columns repeat on each row.
		qContactWithEnrollments: `SELECT c.external_id, c.email, c.fields, c.tags, c.points, c.stage, c.owner, c.dnc, c.created_at,
			e.id, e.kind, e.name, e.entry_key, e.status, e.entered_at, e.entries, e.returned, e.properties, t.id, t.element, t.state, t.due_at, t.arrived_at, t.waiting_on, t.data
			FROM contacts c LEFT JOIN enrollments e ON e.contact_id = c.id
			LEFT JOIN tokens t ON t.enrollment_id = e.id AND t.contact_id = e.contact_id
			WHERE c.id = ? ORDER BY e.id, t.id FOR UPDATE OF c`,
		qDue: `SELECT t.id, t.contact_id, t.due_at FROM tokens t JOIN contacts c ON c.id = t.contact_id
			WHERE t.due_at IS NOT NULL AND t.due_at <= ? ORDER BY t.due_at, t.id LIMIT ? FOR UPDATE OF c SKIP LOCKED`,
		qDeploymentHead:     queries[qDeploymentHead] + ` FOR SHARE`,
		qLockDeploymentHead: queries[qDeploymentHead] + ` FOR UPDATE`,
		qDelivery:           queries[qDelivery] + ` FOR UPDATE`,
		// A transaction-scoped lock on a contact's email or external id,
		// taken before it is looked up (contactBy): two transactions
		// creating the same new contact at once make one, as SQLite's one
		// writer does. hashtextextended gives a 64-bit key; two keys that
		// collide only make two unrelated lookups take turns.
		qLockContactKey: `SELECT pg_advisory_xact_lock(hashtextextended(?, 0))`,
	},
}

// withEnrollmentUpdate is a token's write preceded by its enrollment's
// update, in one statement: the update's values come first.
func withEnrollmentUpdate(token query) string {
	return `WITH enrollment AS (` + queries[qUpdateEnrollment] + `) ` + queries[token]
}

// texts are the dialect's query texts, ready to prepare.
func (d *dialect) texts() [numQueries]string {
	var out [numQueries]string
	for q, text := range queries {
		if o, ok := d.overrides[query(q)]; ok {
			text = o
		}
		out[q] = d.rebind(text)
	}
	return out
}

// rebind turns the ? placeholders of a query into PostgreSQL's $1..$n; a ?
// inside a quoted string or identifier is left alone. SQLite's queries are
// returned as they are.
func (d *dialect) rebind(text string) string {
	if d != postgresDialect || !strings.Contains(text, "?") {
		return text
	}
	var b strings.Builder
	b.Grow(len(text) + 16)
	n := 0
	var quote byte
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
