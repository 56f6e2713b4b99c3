package runtime

// A Store learns what SaveEnrollment must write from marks the engine
// leaves on enrollments and tokens (IsNew, Changed, Removed). The engine
// sets them itself; these let code outside it write through a Store the
// same way: a store's conformance suite (runtime/storetest) above all.

// NewEnrollment marks e, and the tokens it holds, as not yet stored: the
// next SaveEnrollment inserts them and sets their IDs.
func NewEnrollment(e *Enrollment) *Enrollment {
	e.isNew = true
	for _, t := range e.Tokens {
		t.ContactID = e.ContactID
		t.isNew = true
	}
	return e
}

// AddToken appends t to the enrollment as a new position of its contact:
// the next SaveEnrollment inserts it and sets its ID.
func (e *Enrollment) AddToken(t *Token) *Token {
	t.EnrollmentID, t.ContactID, t.isNew = e.ID, e.ContactID, true
	e.Tokens = append(e.Tokens, t)
	return t
}

// MarkChanged tells the next SaveEnrollment to write the enrollment's own
// row (its status and whether it returned).
func (e *Enrollment) MarkChanged() { e.dirty = true }

// MarkChanged tells the next SaveEnrollment to write the token.
func (t *Token) MarkChanged() { t.dirty = true }

// MarkRemoved tells the next SaveEnrollment to delete the token.
func (t *Token) MarkRemoved() { t.remove() }
