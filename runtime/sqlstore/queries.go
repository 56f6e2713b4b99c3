package sqlstore

import "strings"

// query names one of the store's statements. The store prepares them all
// when it opens; a transaction binds the ones it uses (Tx.stmt).
type query int

const (
	qCreateContact query = iota
	qContact
	qSaveContact
	qSaveContactKeepEmail
	qDeleteTokens
	qDeleteEnrollments
	qDeleteTimeline
	qDeleteDeliveries
	qDeleteMarketing
	qDeleteRecords
	qDeleteContact
	qEnrollments
	qInsertEnrollment
	qUpdateEnrollment
	qDeleteToken
	qInsertToken
	qUpdateToken
	qTimeline1 // one timeline row; the next seven insert 2 to 8 rows at once
	qTimeline2
	qTimeline3
	qTimeline4
	qTimeline5
	qTimeline6
	qTimeline7
	qTimeline8
	qAddDelivery
	qMarkSent
	qAddRecord
	qUpdateRecord
	qRecords
	qNextInTurn
	qDue
	qNextDue
	qTimeline
	qDeliveries
	qContactsOn
	qAddEvent
	qEventByKey
	qContactByEmail
	qContactByExternalID
	qDelivery
	qUpdateDelivery
	qElementCounts
	qDeleteEvents
	qDeploymentHead
	qSetDeploymentHead
	qAddDeployment
	qDeployment
	qDeployments
	qMoveTokens
	qAddTimelineOn
	qEnrollmentCounts
	qLockDeploymentHead
	qLockContactKey
	qContactWithEnrollments
	qMemberships
	qJoinSegment
	qLeaveSegment
	qDeleteMemberships
	qSegmentSize
	qDeleteTokenEnrollment
	qInsertTokenEnrollment
	qUpdateTokenEnrollment
	qAddMarketingDelivery
	numQueries
)

// maxTimelineRows is the most rows one timeline statement inserts. There
// is a statement for each count up to it, so that a step's entries (a
// handful) go in one round trip to the database: on PostgreSQL each
// statement is one.
const maxTimelineRows = 8

// timelineInsert is the statement inserting rows timeline rows (1 to
// maxTimelineRows).
func timelineInsert(rows int) query { return qTimeline1 + query(rows-1) }

// timelineStatements splits n entries into the row counts of the
// statements that insert them: as many full ones as fit, then the rest.
func timelineStatements(n int) []int {
	var out []int
	for ; n > 0; n -= maxTimelineRows {
		out = append(out, min(n, maxTimelineRows))
	}
	return out
}

// timelineColumns is the number of values one timeline row binds.
const timelineColumns = 9

func insertTimeline(rows int) string {
	values := make([]string, rows)
	for i := range values {
		values[i] = "(?, ?, ?, ?, ?, ?, ?, ?, ?)"
	}
	return `INSERT INTO timeline (contact_id, at, campaign, sequence, element, kind, outcome, detail, plan_hash) VALUES ` + strings.Join(values, ", ")
}

var queries = [numQueries]string{
	qCreateContact:        `INSERT INTO contacts (external_id, email, fields, tags, points, stage, owner, dnc, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
	qContact:              `SELECT external_id, email, fields, tags, points, stage, owner, dnc, created_at FROM contacts WHERE id = ?`,
	qSaveContact:          `UPDATE contacts SET email = ?, fields = ?, tags = ?, points = ?, stage = ?, owner = ?, dnc = ? WHERE id = ?`,
	qSaveContactKeepEmail: `UPDATE contacts SET fields = ?, tags = ?, points = ?, stage = ?, owner = ?, dnc = ? WHERE id = ?`,
	qDeleteTokens:         `DELETE FROM tokens WHERE contact_id = ?`,
	qDeleteEnrollments:    `DELETE FROM enrollments WHERE contact_id = ?`,
	qDeleteTimeline:       `DELETE FROM timeline WHERE contact_id = ?`,
	qDeleteDeliveries:     `DELETE FROM deliveries WHERE contact_id = ?`,
	qDeleteMarketing:      `DELETE FROM marketing_sent WHERE contact_id = ?`,
	qDeleteRecords:        `DELETE FROM records WHERE contact_id = ?`,
	qDeleteContact:        `DELETE FROM contacts WHERE id = ?`,
	qEnrollments: `SELECT e.id, e.kind, e.name, e.entry_key, e.status, e.entered_at, e.entries, e.returned, e.properties, t.id, t.element, t.state, t.due_at, t.arrived_at, t.waiting_on, t.data
		FROM enrollments e LEFT JOIN tokens t ON t.enrollment_id = e.id AND t.contact_id = e.contact_id
		WHERE e.contact_id = ? ORDER BY e.id, t.id`,
	qInsertEnrollment: `INSERT INTO enrollments (contact_id, kind, name, entry_key, status, entered_at, entries, returned, properties) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
	qUpdateEnrollment: `UPDATE enrollments SET status = ?, returned = ?, properties = ? WHERE id = ?`,
	qDeleteToken:      `DELETE FROM tokens WHERE id = ?`,
	qInsertToken:      `INSERT INTO tokens (enrollment_id, contact_id, element, state, due_at, arrived_at, waiting_on, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
	qUpdateToken:      `UPDATE tokens SET element = ?, state = ?, due_at = ?, arrived_at = ?, waiting_on = ?, data = ? WHERE id = ?`,
	qTimeline1:        insertTimeline(1),
	qTimeline2:        insertTimeline(2),
	qTimeline3:        insertTimeline(3),
	qTimeline4:        insertTimeline(4),
	qTimeline5:        insertTimeline(5),
	qTimeline6:        insertTimeline(6),
	qTimeline7:        insertTimeline(7),
	qTimeline8:        insertTimeline(8),
	qAddDelivery:      `INSERT INTO deliveries (contact_id, kind, asset, source, key, marketing, payload, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (contact_id, key) DO NOTHING RETURNING id`,
	qMarkSent:         `INSERT INTO marketing_sent (contact_id, email) VALUES (?, ?) ON CONFLICT DO NOTHING`,
	qAddRecord:        `INSERT INTO records (contact_id, kind, name, status, at, data, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
	qUpdateRecord:     `UPDATE records SET status = ?, at = ?, data = ? WHERE id = ?`,
	qRecords:          `SELECT id, name, status, at, data, created_at FROM records WHERE contact_id = ? AND kind = ? ORDER BY id`,
	qNextInTurn:       `INSERT INTO router_turns (name, next) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET next = router_turns.next + 1 RETURNING next`,
	qDue:              `SELECT id, contact_id, due_at FROM tokens WHERE due_at IS NOT NULL AND due_at <= ? ORDER BY due_at, id LIMIT ?`,
	qNextDue:          `SELECT MIN(due_at) FROM tokens WHERE due_at IS NOT NULL`,
	qTimeline:         `SELECT at, campaign, sequence, element, kind, outcome, detail, plan_hash FROM timeline WHERE contact_id = ? ORDER BY id`,
	qDeliveries:       `SELECT ` + deliveryColumns + ` FROM deliveries WHERE contact_id = ? ORDER BY id`,
	qContactsOn:       `SELECT DISTINCT contact_id FROM enrollments WHERE kind = ? AND name = ? AND status IN ('active', 'paused') ORDER BY contact_id`,
	qAddEvent: `INSERT INTO events (contact_id, kind, args, properties, idempotency_key, received_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING RETURNING id`,
	qEventByKey:     `SELECT id, contact_id, kind, args, properties, received_at FROM events WHERE idempotency_key = ?`,
	qContactByEmail: `SELECT id FROM contacts WHERE email = ? ORDER BY id LIMIT 1`,
	// "<> ''" lets SQLite use contacts_external_id, which holds only the
	// contacts that have one (the engine never looks up "").
	qContactByExternalID: `SELECT id FROM contacts WHERE external_id = ? AND external_id <> ''`,
	qDelivery:            `SELECT ` + deliveryColumns + ` FROM deliveries WHERE id = ?`,
	qUpdateDelivery: `UPDATE deliveries SET status = ?, attempts = ?, last_error = ?, message_id = ?, response_status = ?, response_body = ?, sent_at = ?, updated_at = ?
		WHERE id = ?`,
	// No GROUP BY: its sort would hold every position of the campaign
	// (ElementCounts counts them as they come).
	qElementCounts: `SELECT t.element, t.state FROM tokens t JOIN enrollments e ON e.id = t.enrollment_id
		WHERE e.kind = ? AND e.name = ? AND e.status IN ('active', 'paused')`,

	qDeleteEvents:      `DELETE FROM events WHERE contact_id = ?`,
	qDeploymentHead:    `SELECT serial FROM deployment_head WHERE id = 1`,
	qSetDeploymentHead: `UPDATE deployment_head SET serial = ? WHERE id = 1`,
	qAddDeployment:     `INSERT INTO deployments (serial, hash, plan, applied_at, applied_by, summary) VALUES (?, ?, ?, ?, ?, ?)`,
	qDeployment:        `SELECT serial, hash, plan, applied_at, applied_by, summary FROM deployments WHERE serial = ?`,
	qDeployments:       `SELECT serial, hash, '', applied_at, applied_by, summary FROM deployments ORDER BY serial DESC LIMIT ?`,
	qMoveTokens: `UPDATE tokens SET element = ? WHERE element = ? AND enrollment_id IN
		(SELECT id FROM enrollments WHERE kind = ? AND name = ? AND status IN ('active', 'paused'))`,
	// One entry per enrollment with a position there, in the order of the
	// enrollments_map index: no sort, whatever the number of contacts.
	qAddTimelineOn: `INSERT INTO timeline (contact_id, at, campaign, sequence, element, kind, outcome, detail, plan_hash)
		SELECT e.contact_id, ?, ?, ?, ?, ?, ?, ?, ? FROM enrollments e
		WHERE e.kind = ? AND e.name = ? AND e.status IN ('active', 'paused')
		AND EXISTS (SELECT 1 FROM tokens t WHERE t.enrollment_id = e.id AND t.element = ?)`,
	qEnrollmentCounts: `SELECT status, COUNT(*) FROM enrollments WHERE kind = ? AND name = ? GROUP BY status`,
	// SQLite's one writer holds the head already, and looks contacts up
	// one transaction at a time: these are PostgreSQL's (dialect.go).
	qLockDeploymentHead: `SELECT serial FROM deployment_head WHERE id = 1`,
	qLockContactKey:     ``,
	// SQLite reads in the process: PostgreSQL's (dialect.go) saves a
	// round trip a step.
	qContactWithEnrollments: ``,
	qMemberships:            `SELECT segment, entered_at FROM segment_members WHERE contact_id = ? ORDER BY segment`,
	qJoinSegment:            `INSERT INTO segment_members (contact_id, segment, entered_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
	qLeaveSegment:           `DELETE FROM segment_members WHERE contact_id = ? AND segment = ?`,
	qDeleteMemberships:      `DELETE FROM segment_members WHERE contact_id = ?`,
	qSegmentSize:            `SELECT COUNT(*) FROM segment_members WHERE segment = ?`,
	// A token's write with its enrollment's update before it: PostgreSQL's
	// (dialect.go), where they save a round trip; SQLite writes both in
	// the process.
	qDeleteTokenEnrollment: ``,
	qInsertTokenEnrollment: ``,
	qUpdateTokenEnrollment: ``,
	qAddMarketingDelivery:  ``,
}

// deliveryColumns are the columns a delivery is read from (scanDelivery).
const deliveryColumns = `id, contact_id, kind, asset, source, key, marketing, payload, status, created_at,
	attempts, last_error, message_id, response_status, response_body, sent_at, updated_at`
