package server

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/journeyhq/journey/internal/sinks"
	"github.com/journeyhq/journey/runtime"
	"github.com/journeyhq/journey/runtime/api"
	"github.com/journeyhq/journey/runtime/delivery"
)

// kitsWorkspace sends every contact tagged kit to two lists: welcome_kits
// (mailed to sam, cut at 3 rows or 2 days) and badges (cut by hand only,
// never mailed).
const kitsWorkspace = `
account {
  time_zone = "UTC"
  senders   = ["team@acme.example"]
}

field "address" {
  type = string
}
field "interests" {
  type = list(string)
}
field "size" {
  type = number
}

tag "kit" {}

user "sam" {
  email = "sam@fulfil.example"
}

fulfillment_list "welcome_kits" {
  fields     = [field.first_name, field.address, field.interests, field.size]
  deliver_to = user.sam
  batch {
    min_size = 3
    max_age  = "2d"
  }
}

fulfillment_list "badges" {
  fields = [field.first_name]
}

campaign "kits" {
  trigger "tagged" {
    on   = tag_added(tag.kit)
    next = send_to_fulfillment.kit
  }
  send_to_fulfillment "kit" {
    list = fulfillment_list.welcome_kits
    next = send_to_fulfillment.badge
  }
  send_to_fulfillment "badge" {
    list = fulfillment_list.badges
    next = end.done
  }
  end "done" {}
}
`

// addToLists creates a contact tagged kit: it gets a row on both lists.
func (ts *testServer) addToLists(fields api.ContactFields) int64 {
	ts.t.Helper()
	fields["tags"] = []string{"kit"}
	c, err := ts.client.CreateContact(context.Background(), fields)
	if err != nil {
		ts.t.Fatal(err)
	}
	return c.ID
}

func (ts *testServer) fulfillment(list string) *api.FulfillmentList {
	ts.t.Helper()
	l, err := ts.client.FulfillmentList(context.Background(), list)
	if err != nil {
		ts.t.Fatalf("GET /v1/fulfillment/%s: %v", list, err)
	}
	return l
}

func (ts *testServer) batchCSV(list string, id int64) string {
	ts.t.Helper()
	var buf bytes.Buffer
	if err := ts.client.FulfillmentCSV(context.Background(), list, id, &buf); err != nil {
		ts.t.Fatalf("GET the CSV of batch %d of %s: %v", id, list, err)
	}
	return buf.String()
}

func (ts *testServer) cutDue() {
	ts.t.Helper()
	if err := ts.srv.CutDueBatches(context.Background()); err != nil {
		ts.t.Fatalf("CutDueBatches: %v", err)
	}
}

func (ts *testServer) outboxOf(channel string) []api.Delivery {
	ts.t.Helper()
	out, err := ts.client.Outbox(context.Background(), api.OutboxQuery{Channel: channel, Limit: 1000})
	if err != nil {
		ts.t.Fatal(err)
	}
	return out.Deliveries
}

// The CSV holds what RFC 4180 quotes (commas, quotes, line breaks) and
// text beyond ASCII exactly, a list joined with ";", and reads back with
// any CSV reader.
func TestFulfillmentCSVQuotesWhatItMust(t *testing.T) {
	ts := newTestServer(t, linkWorkspace(t, kitsWorkspace))
	ada := ts.addToLists(api.ContactFields{"email": "ada@example.com", "first_name": "Ada, Countess", "address": "12 \"The Grove\"\nLondon", "interests": []string{"maths", "poetry"}, "size": 12.5})
	zoe := ts.addToLists(api.ContactFields{"email": "zoe@example.com", "first_name": "Zoë 👋", "address": "Østergade 3, 1100 København", "size": 1e6})
	bob := ts.addToLists(api.ContactFields{"email": "bob@example.com"})

	r := ts.do("POST", "/v1/fulfillment/welcome_kits/batches", "", "")
	if r.status != http.StatusCreated {
		t.Fatalf("POST batches: %d %s", r.status, r.body)
	}
	var batch api.FulfillmentBatch
	if err := json.Unmarshal([]byte(r.body), &batch); err != nil {
		t.Fatal(err)
	}
	if batch.Rows != 3 || batch.CSV != "/v1/fulfillment/welcome_kits/batches/"+itoa(batch.ID)+".csv" || r.header.Get("Location") != batch.CSV {
		t.Errorf("the cut answered %+v with Location %q; want 3 rows and the CSV's path", batch, r.header.Get("Location"))
	}

	got := ts.do("GET", batch.CSV, "", "")
	if got.status != http.StatusOK {
		t.Fatalf("GET %s: %d %s", batch.CSV, got.status, got.body)
	}
	if ct := got.header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("Content-Type %q; want text/csv; charset=utf-8", ct)
	}
	if cd := got.header.Get("Content-Disposition"); cd != `attachment; filename=welcome_kits-`+itoa(batch.ID)+`.csv` {
		t.Errorf("Content-Disposition %q", cd)
	}
	want := "contact_id,first_name,address,interests,size\r\n" +
		itoa(ada) + ",\"Ada, Countess\",\"12 \"\"The Grove\"\"\r\nLondon\",maths;poetry,12.5\r\n" +
		itoa(zoe) + ",Zoë 👋,\"Østergade 3, 1100 København\",,1000000\r\n" +
		itoa(bob) + ",,,,\r\n"
	if got.body != want {
		t.Errorf("the CSV is\n%q\nwant\n%q", got.body, want)
	}
	records, err := csv.NewReader(strings.NewReader(got.body)).ReadAll()
	if err != nil {
		t.Fatalf("the CSV does not read back: %v", err)
	}
	if len(records) != 4 || records[1][1] != "Ada, Countess" || records[1][2] != "12 \"The Grove\"\nLondon" || records[2][1] != "Zoë 👋" {
		t.Errorf("the CSV reads back as %q", records)
	}
}

func TestFulfillmentListShowsWhatWaitsAndItsBatches(t *testing.T) {
	ts := newTestServer(t, linkWorkspace(t, kitsWorkspace))
	ts.addToLists(api.ContactFields{"email": "ada@example.com", "first_name": "Ada"})
	ts.clock.Set(testStart.Add(time.Hour))
	ts.addToLists(api.ContactFields{"email": "bob@example.com", "first_name": "Bob"})

	before := ts.fulfillment("badges")
	if before.List != "badges" || before.Pending != 2 || before.OldestPendingAt == nil || !before.OldestPendingAt.Equal(testStart) || len(before.Batches) != 0 {
		t.Errorf("badges before a cut: %+v; want 2 pending since %s and no batch", before, testStart)
	}
	ts.clock.Set(testStart.Add(2 * time.Hour))
	first, err := ts.client.CutFulfillmentBatch(context.Background(), "badges")
	if err != nil {
		t.Fatal(err)
	}
	if first.Rows != 2 || !first.CreatedAt.Equal(testStart.Add(2*time.Hour)) || first.DeliveryID != nil || first.MailedAt != nil {
		t.Errorf("a cut of badges (no deliver_to): %+v; want 2 rows, cut now, no email", first)
	}
	var apiErr *api.Error
	if _, err := ts.client.CutFulfillmentBatch(context.Background(), "badges"); !errors.As(err, &apiErr) || apiErr.Status != http.StatusConflict ||
		!strings.Contains(apiErr.Message, "no pending row") {
		t.Errorf("a second cut with nothing pending: %v; want 409 saying nothing is pending", err)
	}
	ts.addToLists(api.ContactFields{"email": "cy@example.com", "first_name": "Cy"})
	second, err := ts.client.CutFulfillmentBatch(context.Background(), "badges")
	if err != nil {
		t.Fatal(err)
	}
	after := ts.fulfillment("badges")
	if after.Pending != 0 || after.OldestPendingAt != nil || len(after.Batches) != 2 || after.Batches[0].ID != second.ID || after.Batches[1].ID != first.ID ||
		after.Batches[1].Rows != 2 || after.Batches[0].Rows != 1 {
		t.Errorf("badges after two cuts: %+v; want nothing pending and both batches, newest first", after)
	}
	if csv := ts.batchCSV("badges", first.ID); csv != "contact_id,first_name\r\n1,Ada\r\n2,Bob\r\n" {
		t.Errorf("the first batch's CSV is %q", csv)
	}
}

func TestFulfillmentRoutesSayWhatIsWrong(t *testing.T) {
	ts := newTestServer(t, linkWorkspace(t, kitsWorkspace))
	ts.addToLists(api.ContactFields{"email": "ada@example.com"})
	batch, err := ts.client.CutFulfillmentBatch(context.Background(), "badges")
	if err != nil {
		t.Fatal(err)
	}
	id := itoa(batch.ID)
	for _, c := range []struct {
		method, path string
		status       int
		code, says   string
	}{
		{"GET", "/v1/fulfillment/welcome_kit", 404, api.CodeNotFound, `no fulfillment_list "welcome_kit"; did you mean "welcome_kits"?`},
		{"POST", "/v1/fulfillment/badgez/batches", 404, api.CodeNotFound, `did you mean "badges"?`},
		{"GET", "/v1/fulfillment/zzz", 404, api.CodeNotFound, `it declares "badges", "welcome_kits"`},
		{"GET", "/v1/fulfillment/welcome_kits/batches/" + id + ".csv", 404, api.CodeNotFound, "welcome_kits\" has no batch " + id},
		{"GET", "/v1/fulfillment/badges/batches/99.csv", 404, api.CodeNotFound, "has no batch 99"},
		{"GET", "/v1/fulfillment/badges/batches/" + id, 404, api.CodeNotFound, "/v1/fulfillment/badges/batches/1.csv"},
		{"GET", "/v1/fulfillment/badges/batches/one.csv", 400, api.CodeBadRequest, `batch id "one" is not an id`},
		{"GET", "/v1/fulfillment/badges/batches/0.csv", 400, api.CodeBadRequest, `batch id "0" is not an id`},
		{"GET", "/v1/fulfillment/badges?pending=1", 400, api.CodeBadRequest, `unknown query parameter "pending"`},
	} {
		msg := errorOf(t, ts.do(c.method, c.path, "", ""), c.status, c.code)
		if !strings.Contains(msg, c.says) {
			t.Errorf("%s %s says %q; want it to say %q", c.method, c.path, msg, c.says)
		}
	}

	var apiErr *api.Error
	if err := ts.client.FulfillmentCSV(context.Background(), "badges", 99, &bytes.Buffer{}); !errors.As(err, &apiErr) || apiErr.Status != http.StatusNotFound {
		t.Errorf("the client downloading an unknown batch: %v; want the 404 as an *api.Error", err)
	}

	none := newTestServer(t, nil)
	errorOf(t, none.do("GET", "/v1/fulfillment/badges", "", ""), http.StatusNotFound, api.CodeNoDeployment)
	errorOf(t, none.do("POST", "/v1/fulfillment/badges/batches", "", ""), http.StatusNotFound, api.CodeNoDeployment)
}

// The batch rule, on the server's clock: a batch when min_size rows wait,
// or when the oldest has waited max_age; never for a list without a rule.
func TestCutDueBatchesBySizeThenByAge(t *testing.T) {
	ts := newTestServer(t, linkWorkspace(t, kitsWorkspace))
	ts.addToLists(api.ContactFields{"email": "ada@example.com", "first_name": "Ada"})
	ts.addToLists(api.ContactFields{"email": "bob@example.com", "first_name": "Bob"})
	ts.cutDue()
	if l := ts.fulfillment("welcome_kits"); len(l.Batches) != 0 || l.Pending != 2 {
		t.Fatalf("2 rows of min_size 3, just added: %+v; want no batch yet", l)
	}
	ts.addToLists(api.ContactFields{"email": "cy@example.com", "first_name": "Cy"})
	ts.cutDue()
	l := ts.fulfillment("welcome_kits")
	if len(l.Batches) != 1 || l.Batches[0].Rows != 3 || l.Pending != 0 {
		t.Fatalf("3 rows of min_size 3: %+v; want a batch of the 3", l)
	}
	ts.cutDue()
	if l := ts.fulfillment("welcome_kits"); len(l.Batches) != 1 {
		t.Fatalf("a second run with nothing pending cut again: %+v", l)
	}

	// One row, added an hour on: due when it has waited 2 days.
	added := testStart.Add(time.Hour)
	ts.clock.Set(added)
	ts.addToLists(api.ContactFields{"email": "dee@example.com", "first_name": "Dee"})
	ts.clock.Set(added.Add(48*time.Hour - time.Minute))
	ts.cutDue()
	if l := ts.fulfillment("welcome_kits"); len(l.Batches) != 1 || l.Pending != 1 {
		t.Fatalf("a row a minute short of max_age: %+v; want it still pending", l)
	}
	ts.clock.Set(added.Add(48 * time.Hour))
	ts.cutDue()
	l = ts.fulfillment("welcome_kits")
	if len(l.Batches) != 2 || l.Batches[0].Rows != 1 || !l.Batches[0].CreatedAt.Equal(added.Add(48*time.Hour)) {
		t.Fatalf("a row max_age old: %+v; want a batch of it, cut now", l)
	}
	if csv := ts.batchCSV("welcome_kits", l.Batches[0].ID); !strings.HasSuffix(csv, ",Dee,,,\r\n") || strings.Count(csv, "\r\n") != 2 {
		t.Errorf("the age batch's CSV is %q; want Dee's row only", csv)
	}

	// badges has no rule: 4 rows wait, days old, and stay.
	if b := ts.fulfillment("badges"); len(b.Batches) != 0 || b.Pending != 4 {
		t.Errorf("badges, a list without a batch rule: %+v; want its 4 rows pending, no batch", b)
	}
	if !strings.Contains(ts.logs.String(), "fulfillment batch cut") || !strings.Contains(ts.logs.String(), "max_age 2d") {
		t.Errorf("the log does not say a batch was cut and why:\n%s", ts.logs.String())
	}
}

// A batch of a list with deliver_to goes to the outbox as an email, the
// CSV attached, in the transaction of the cut; mailed_at follows the
// delivery.
func TestBatchEmailCarriesTheCSV(t *testing.T) {
	ts := newTestServer(t, linkWorkspace(t, kitsWorkspace))
	for _, name := range []string{"Ada", "Bob", "Cy"} {
		ts.addToLists(api.ContactFields{"email": strings.ToLower(name) + "@example.com", "first_name": name, "address": "1, \"Main\" St"})
	}
	ts.cutDue()
	l := ts.fulfillment("welcome_kits")
	if len(l.Batches) != 1 || l.Batches[0].DeliveryID == nil || l.Batches[0].MailedAt != nil {
		t.Fatalf("welcome_kits after its cut: %+v; want a batch with its email, not yet sent", l)
	}
	batch := l.Batches[0]
	mails := ts.outboxOf(FulfillmentEmail)
	if len(mails) != 1 || mails[0].ID != *batch.DeliveryID {
		t.Fatalf("the outbox has %d fulfillment emails (%+v); want the batch's", len(mails), mails)
	}
	m := mails[0]
	if m.ContactID != 0 || m.Status != runtime.DeliveryPending || m.Marketing || m.Asset != "welcome_kits" || m.Key != "fulfillment/welcome_kits/"+itoa(batch.ID) {
		t.Errorf("the batch's email: %+v; want contact 0, pending, transactional, keyed by the batch", m)
	}
	if m.Payload["to"] != "sam@fulfil.example" || !strings.Contains(m.Payload["subject"].(string), "welcome_kits: batch "+itoa(batch.ID)+", 3 rows") {
		t.Errorf("the email goes to %v with subject %v", m.Payload["to"], m.Payload["subject"])
	}
	attachments, _ := m.Payload["attachments"].([]any)
	if len(attachments) != 1 {
		t.Fatalf("attachments %v; want the CSV", m.Payload["attachments"])
	}
	a := attachments[0].(map[string]any)
	if a["filename"] != "welcome_kits-"+itoa(batch.ID)+".csv" || a["content_type"] != "text/csv; charset=utf-8" || a["content"] != ts.batchCSV("welcome_kits", batch.ID) {
		t.Errorf("the attachment %v is not the batch's CSV %q", a, ts.batchCSV("welcome_kits", batch.ID))
	}
	if len(ts.outboxOf("email")) != 0 {
		t.Error("the cut put contact emails in the outbox")
	}

	// The worker sends it: mailed_at is the delivery's sent_at.
	sent := testStart.Add(5 * time.Minute)
	tx, err := ts.store.Begin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	d, err := tx.Delivery(*batch.DeliveryID)
	if err != nil {
		t.Fatal(err)
	}
	d.Status, d.SentAt, d.UpdatedAt = runtime.DeliverySent, &sent, sent
	if err := tx.UpdateDelivery(d); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := ts.fulfillment("welcome_kits").Batches[0].MailedAt; got == nil || !got.Equal(sent) {
		t.Errorf("mailed_at after the email was sent: %v; want %s", got, sent)
	}
}

// failingSink refuses every delivery, as a queue whose insert fails.
type failingSink struct{ calls int }

func (f *failingSink) Deliver(tx runtime.Tx, d *runtime.Delivery) error {
	f.calls++
	return errors.New("the queue is gone")
}

// recordingSink takes deliveries without sending them.
type recordingSink struct{ kinds []string }

func (r *recordingSink) Deliver(tx runtime.Tx, d *runtime.Delivery) error {
	r.kinds = append(r.kinds, d.Kind)
	return nil
}

// The batch and its email commit together: an email that cannot be queued
// undoes the cut, and its rows wait for the next one.
func TestBatchAndItsEmailCommitTogether(t *testing.T) {
	ts := newTestServer(t, linkWorkspace(t, kitsWorkspace))
	for _, name := range []string{"Ada", "Bob", "Cy"} {
		ts.addToLists(api.ContactFields{"email": strings.ToLower(name) + "@example.com", "first_name": name})
	}
	sink := &failingSink{}
	ts.srv.sink = sink
	err := ts.srv.CutDueBatches(context.Background())
	if err == nil || !strings.Contains(err.Error(), "fulfillment_list welcome_kits") || !strings.Contains(err.Error(), "the queue is gone") {
		t.Errorf("CutDueBatches with a failing queue = %v; want the list and the queue's error", err)
	}
	if sink.calls != 1 {
		t.Errorf("the sink was asked %d times; want once", sink.calls)
	}
	if l := ts.fulfillment("welcome_kits"); len(l.Batches) != 0 || l.Pending != 3 {
		t.Errorf("after the failed cut: %+v; want no batch and the 3 rows pending", l)
	}
	if n := len(ts.outboxOf(FulfillmentEmail)); n != 0 {
		t.Errorf("the outbox kept %d fulfillment emails of a cut undone", n)
	}
	msg := errorOf(t, ts.do("POST", "/v1/fulfillment/welcome_kits/batches", "", ""), http.StatusInternalServerError, api.CodeInternal)
	if strings.Contains(msg, "queue") {
		t.Errorf("a 500 tells the client the server's insides: %q", msg)
	}

	recording := &recordingSink{}
	ts.srv.sink = recording
	ts.cutDue()
	if l := ts.fulfillment("welcome_kits"); len(l.Batches) != 1 || l.Batches[0].Rows != 3 {
		t.Errorf("the next run: %+v; want the batch of 3", l)
	}
	if !slices.Equal(recording.kinds, []string{FulfillmentEmail}) {
		t.Errorf("the sink took %v; want the batch's email", recording.kinds)
	}
}

// The batch's email, as the worker would load it from the outbox and hand
// it to runtime/delivery, arrives at an SMTP server with the CSV attached
// byte for byte.
func TestBatchEmailArrivesWithTheCSVAttached(t *testing.T) {
	ts := newTestServer(t, linkWorkspace(t, kitsWorkspace))
	ts.addToLists(api.ContactFields{"email": "ada@example.com", "first_name": "Zoë, \"Ada\"", "address": "line one\nline two"})
	batch, err := ts.client.CutFulfillmentBatch(context.Background(), "welcome_kits")
	if err != nil {
		t.Fatal(err)
	}
	tx, err := ts.store.Begin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	d, err := tx.Delivery(*batch.DeliveryID)
	tx.Rollback()
	if err != nil {
		t.Fatal(err)
	}
	sink, err := sinks.StartSMTP(sinks.SMTPOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sink.Close() })
	router, err := delivery.NewRouter(delivery.Config{SMTP: &delivery.SMTPConfig{
		Host: sink.Host(), Port: sink.Port(), TLS: delivery.TLSNone, From: "journey@acme.example"}})
	if err != nil {
		t.Fatal(err)
	}

	out := router.Send(context.Background(), &delivery.Message{ID: d.ID, Kind: d.Kind, Key: d.Key, Marketing: d.Marketing, Payload: d.Payload, Attempt: 1})

	if out.Status != delivery.Sent {
		t.Fatalf("sending the batch's email: %s, %v", out.Status, out.Err)
	}
	mails := sink.Messages()
	if len(mails) != 1 || len(mails[0].Attachments) != 1 {
		t.Fatalf("the SMTP server received %d mails (%+v); want one with the CSV attached", len(mails), mails)
	}
	got := mails[0]
	if strings.Join(got.To, ",") != "sam@fulfil.example" || got.IdempotencyKey != d.Key {
		t.Errorf("the email went to %v with key %q; want sam@fulfil.example and %q", got.To, got.IdempotencyKey, d.Key)
	}
	if a := got.Attachments[0]; string(a.Data) != ts.batchCSV("welcome_kits", batch.ID) || a.Filename != "welcome_kits-"+itoa(batch.ID)+".csv" {
		t.Errorf("the attachment %s arrived as %q; want the batch's CSV %q", a.Filename, a.Data, ts.batchCSV("welcome_kits", batch.ID))
	}
	if !strings.Contains(got.Text, "GET /v1/fulfillment/welcome_kits/batches/"+itoa(batch.ID)+".csv") {
		t.Errorf("the body does not say where the batch downloads again:\n%s", got.Text)
	}
}

// addPendingRow puts a row on a list as send_to_fulfillment does, for a
// workspace where no campaign does.
func addPendingRow(t *testing.T, ts *testServer, contactID int64, list string, data map[string]any) {
	t.Helper()
	tx, err := ts.store.Begin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if err := tx.AddRecord(&runtime.Record{ContactID: contactID, Kind: runtime.FulfillmentKind, Name: list,
		Status: runtime.RowPending, Data: data, CreatedAt: ts.clock.Now()}); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}
