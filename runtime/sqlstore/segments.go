package sqlstore

import (
	"time"

	"github.com/journeyhq/journey/runtime"
)

// Memberships lists the segments the contact is a member of, by name.
func (t *Tx) Memberships(contactID int64) ([]runtime.Membership, error) {
	rows, err := t.query(qMemberships, contactID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []runtime.Membership
	for rows.Next() {
		var m runtime.Membership
		var since int64
		if err := rows.Scan(&m.Segment, &since); err != nil {
			return nil, err
		}
		m.Since = fromUnix(since)
		out = append(out, m)
	}
	return out, rows.Err()
}

// JoinSegment makes the contact a member of the segment from at; a
// member stays one since it first joined.
func (t *Tx) JoinSegment(contactID int64, segment string, at time.Time) error {
	return t.exec(qJoinSegment, contactID, segment, unix(at))
}

// LeaveSegment ends the contact's membership of the segment, if it has one.
func (t *Tx) LeaveSegment(contactID int64, segment string) error {
	return t.exec(qLeaveSegment, contactID, segment)
}

// SegmentSize counts a segment's members (segment_members_segment answers
// it).
func (t *Tx) SegmentSize(segment string) (int, error) {
	var n int
	err := t.queryRow(qSegmentSize, segment).Scan(&n)
	return n, err
}
