package runtime

// BatchSink is a Sink that takes the deliveries of a RunDue batch at once,
// just before the batch commits, rather than one Deliver call each: the
// server's queue inserts their jobs in one statement instead of one per
// step, a round trip each on PostgreSQL. The deliveries of a step that
// failed, and was undone, are not among them. Transactions other than
// RunDue's (events, contact writes, applies) call Deliver.
type BatchSink interface {
	Sink
	DeliverBatch(tx Tx, deliveries []*Delivery) error
}

// batchTx is a RunDue batch's transaction when the sink is a BatchSink:
// the steps' deliveries wait in it for the batch's commit.
type batchTx struct {
	Tx
	deliveries []*Delivery
}

// deferDelivery keeps d for the batch's DeliverBatch when tx is a batch's
// transaction; false when it is not, and d goes to the sink's Deliver now.
func deferDelivery(tx Tx, d *Delivery) bool {
	b, ok := tx.(*batchTx)
	if ok {
		b.deliveries = append(b.deliveries, d)
	}
	return ok
}

// batchMark is where a step's deliveries start in its batch, so that an
// undone step's can be dropped (forget).
func batchMark(tx Tx) int {
	if b, ok := tx.(*batchTx); ok {
		return len(b.deliveries)
	}
	return 0
}

// forget drops the deliveries kept since mark: the step that made them
// was rolled back to its savepoint.
func forget(tx Tx, mark int) {
	if b, ok := tx.(*batchTx); ok {
		b.deliveries = b.deliveries[:mark]
	}
}
