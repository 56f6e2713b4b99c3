package nodeproof

import (
	"context"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/dustin/go-humanize"
)

// outboxRow is a delivery as the outcome checks read it.
type outboxRow struct {
	id, contact     int64
	key, status     string
	created, sentAt int64 // Unix seconds; sentAt 0 when not sent
}

// checkOutcome reads the timeline and the outbox once the nodes have
// stopped, and sets them against what the sink received.
func (r *run) checkOutcome(ctx context.Context, s settled, k *killResult, keys map[string]int, mails int) error {
	n := r.cfg.Contacts
	contacts, err := r.mon.count(ctx, `SELECT COUNT(*) FROM contacts`)
	if err != nil {
		return err
	}
	fired := map[int]int{} // times a contact's wait fired -> contacts
	rows, err := r.mon.conn.Query(ctx, `SELECT times, COUNT(*) FROM
		(SELECT contact_id, COUNT(*) AS times FROM timeline WHERE campaign = $1 AND element = $2 AND outcome = 'waited' GROUP BY contact_id) AS t
		GROUP BY times`, campaignName, waitName)
	if err != nil {
		return err
	}
	for rows.Next() {
		var times, count int
		if err := rows.Scan(&times, &count); err != nil {
			rows.Close()
			return err
		}
		fired[times] = count
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	more, firedContacts := 0, 0
	for times, count := range fired {
		firedContacts += count
		if times > 1 {
			more += count
		}
	}
	r.report.check(contacts == n && fired[1] == n && more == 0, "each wait fired exactly once",
		"%s of %s contacts have one \"waited\" entry for wait %s on their timeline; %d have more, %d none",
		humanize.Comma(int64(fired[1])), humanize.Comma(int64(contacts)), waitName, more, contacts-firedContacts)

	outbox, err := r.outbox(ctx)
	if err != nil {
		return err
	}
	byStatus := map[string]int{}
	perContact := map[int64]int{}
	for _, d := range outbox {
		byStatus[d.status]++
		perContact[d.contact]++
	}
	r.report.check(len(outbox) == n && len(perContact) == n, "one email per contact in the outbox",
		"%s deliveries for %s contacts", humanize.Comma(int64(len(outbox))), humanize.Comma(int64(len(perContact))))

	cut := map[int64]bool{} // deliveries whose job the killed node held
	if k != nil {
		for _, d := range k.jobs {
			cut[d] = true
		}
	}
	var unknownOutsideKill, unknownAtSink int
	for _, d := range outbox {
		if d.status != "unknown" {
			continue
		}
		if !cut[d.id] {
			unknownOutsideKill++
		}
		if keys[d.key] > 0 {
			unknownAtSink++
		}
	}
	sent, unknown := byStatus["sent"], byStatus["unknown"]
	// A node sends one marketing email at a time between its mark and its
	// recorded outcome (docs/deliveries.md, "Crashes"): a kill leaves at
	// most that one unknown.
	kills := 0
	if k != nil {
		kills = 1
	}
	r.report.check(sent+unknown == len(outbox) && unknownOutsideKill == 0 && unknown <= kills, "every delivery is final",
		"%s sent, %d unknown (at most one per killed node: the marketing email the kill cut off mid-send, never sent again), %d otherwise%s",
		humanize.Comma(int64(sent)), unknown, len(outbox)-sent-unknown, statusList(byStatus))

	var sentMissing, sentTwice int
	inOutbox := make(map[string]bool, len(outbox))
	for _, d := range outbox {
		inOutbox[d.key] = true
		if d.status == "sent" {
			switch keys[d.key] {
			case 0:
				sentMissing++
			case 1:
			default:
				sentTwice++
			}
		}
	}
	var twice, foreign, keyed int
	for key, c := range keys {
		keyed += c
		if c > 1 {
			twice++
		}
		if !inOutbox[key] {
			foreign++
		}
	}
	r.report.check(sentMissing == 0 && twice == 0 && foreign == 0 && keyed == mails,
		"the sink received each email at most once, and every sent one",
		"journey mailsink received %s mails: %s sent deliveries arrived once each, %d never arrived, %d keys came twice or more, %d keys are not in the outbox, %d mails had no key",
		humanize.Comma(int64(mails)), humanize.Comma(int64(sent-sentMissing-sentTwice)), sentMissing, twice, foreign, mails-keyed)
	if k != nil {
		r.report.figure("unknown deliveries", "%d (%d of them reached the sink before the kill cut the node off; %d never left)", unknown, unknownAtSink, unknown-unknownAtSink)
	}
	r.figures(s, k, outbox)
	return nil
}

// percentiles describes seconds after the due minute.
func percentiles(seconds []int64) string {
	slices.Sort(seconds)
	at := func(p float64) int64 { return seconds[min(len(seconds)-1, int(p*float64(len(seconds))))] }
	return fmt.Sprintf("median %d s, 95th percentile %d s, last %d s", at(0.5), at(0.95), seconds[len(seconds)-1])
}

func statusList(byStatus map[string]int) string {
	var parts []string
	for _, status := range slices.Sorted(maps.Keys(byStatus)) {
		if status != "sent" && status != "unknown" {
			parts = append(parts, fmt.Sprintf("%s %d", status, byStatus[status]))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

func (r *run) outbox(ctx context.Context) ([]outboxRow, error) {
	rows, err := r.mon.conn.Query(ctx, `SELECT id, contact_id, key, status, created_at, COALESCE(sent_at, 0) FROM deliveries`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []outboxRow
	for rows.Next() {
		var d outboxRow
		if err := rows.Scan(&d.id, &d.contact, &d.key, &d.status, &d.created, &d.sentAt); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// figures reports the rates and the lateness: a step's delivery is
// written in the step, so its created_at is when the step ran.
func (r *run) figures(s settled, k *killResult, outbox []outboxRow) {
	if len(outbox) == 0 {
		return
	}
	due := r.due.Unix()
	var late, sentLate []int64
	first, last := outbox[0].created, outbox[0].created
	for _, d := range outbox {
		late = append(late, d.created-due)
		first, last = min(first, d.created), max(last, d.created)
		if d.sentAt > 0 {
			sentLate = append(sentLate, d.sentAt-due)
		}
	}
	span := float64(last-first) + 1
	r.report.figure("steps", "%s in %.0f s (%s to %s): %.0f steps/s",
		humanize.Comma(int64(len(outbox))), span, time.Unix(first, 0).UTC().Format("15:04:05"), time.Unix(last, 0).UTC().Format("15:04:05"), float64(len(outbox))/span)
	r.report.figure("steps run after the due minute", "%s", percentiles(late))
	if len(sentLate) > 0 {
		r.report.figure("emails sent after the due minute", "%s", percentiles(sentLate))
	}
	if !s.allDone.IsZero() {
		r.report.figure("all done", "%.0f s after the due minute", s.allDone.Sub(r.due).Seconds())
	}
	if k != nil {
		role := "not River's leader"
		if k.leader {
			role = "River's leader"
		}
		r.report.figure("the kill", "%s (%s) at %s, %.1f s after the due minute: %s due steps, %s deliveries open, %s mails at the sink; %d delivery jobs running on it",
			k.node.name, role, k.at.UTC().Format("15:04:05"), k.at.Sub(r.due).Seconds(),
			humanize.Comma(int64(k.backlog)), humanize.Comma(int64(k.open)), humanize.Comma(int64(k.sent)), len(k.jobs))
		if !s.stepsDone.IsZero() {
			r.report.figure("due steps done after the kill", "%.1f s", s.stepsDone.Sub(k.at).Seconds())
		}
	}
	var logErrors []string
	for _, n := range r.nodes {
		data, _ := os.ReadFile(n.proc.logPath)
		logErrors = append(logErrors, fmt.Sprintf("%s %d", n.name, strings.Count(string(data), "level=ERROR")))
	}
	r.report.figure("ERROR lines in the nodes' logs", "%s", strings.Join(logErrors, ", "))
}
