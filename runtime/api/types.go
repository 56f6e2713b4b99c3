// Package api is journey server's HTTP API as Go values: the JSON request
// and response bodies of every route (the server encodes them, clients
// decode them) and a small client, used by journey's own commands
// (contacts import, events send, status). docs/api.md describes the
// routes; docs/openapi.yaml is their schema.
package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/journeyhq/journey/runtime"
)

// Error codes: what went wrong, for programs; the message says it for
// people.
const (
	CodeBadRequest           = "bad_request"
	CodeUnauthorized         = "unauthorized"
	CodeNotFound             = "not_found"
	CodeNoDeployment         = "no_deployment"
	CodeConflict             = "conflict"
	CodePayloadTooLarge      = "payload_too_large"
	CodeUnsupportedMediaType = "unsupported_media_type"
	CodeMethodNotAllowed     = "method_not_allowed"
	CodeUnprocessable        = "unprocessable"
	CodeInternal             = "internal"
)

// Error is an error response: {"error": {"code": ..., "message": ...}},
// with the HTTP status it came with.
type Error struct {
	Status  int    `json:"-"`
	Code    string `json:"code"`
	Message string `json:"message"`
	// Stranded are, in an apply_refused error, the removed elements that
	// contacts stand on, with how many and where --drain would send them.
	Stranded []runtime.Stranded `json:"stranded,omitempty"`
	// Serial is, in a stale_plan error, the deployment serial the server
	// runs now.
	Serial *int64 `json:"serial,omitempty"`
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s (%d %s): %s", e.Code, e.Status, http.StatusText(e.Status), e.Message)
}

// ErrorBody is the body of every error response.
type ErrorBody struct {
	Error *Error `json:"error"`
}

// ContactRef names a contact in a request: {"id": N}, {"external_id":
// "..."} or {"email": "..."}; the first one set is used.
type ContactRef = runtime.ContactRef

// Contact is a contact in responses. Fields are its declared and built-in
// fields other than the ones with their own member here.
type Contact struct {
	ID           int64          `json:"id"`
	ExternalID   string         `json:"external_id"`
	Email        string         `json:"email"`
	Fields       map[string]any `json:"fields"`
	Tags         []string       `json:"tags"`
	Points       float64        `json:"points"`
	Stage        string         `json:"stage"`
	Owner        string         `json:"owner"`
	DoNotContact []string       `json:"do_not_contact"`
	CreatedAt    time.Time      `json:"created_at"`
}

// ContactFields is a contact as a request gives it (POST /v1/contacts,
// PATCH /v1/contacts/{id}, a line of an NDJSON import): fields by name,
// "tags" and "external_id" among them, as a contact file has them; in a
// PATCH, nil unsets a field.
type ContactFields map[string]any

// Event is the body of POST /v1/events: the contact, the event's type and
// its arguments by name, exactly as an events file of journey simulate
// has them ({"type": "tag_added", "tag": "attended"}) without "at": the
// server's clock is the event's time.
type Event struct {
	Contact ContactRef
	Type    string
	// Args are the event's arguments: "tag", "form", "email", "name"...
	Args map[string]string
	// Value is a field_changed event's new value.
	Value any
	// Properties are what the event carries beyond what it names (an
	// amount, a URL), stored with it.
	Properties map[string]any
}

// MarshalJSON writes the event as the API takes it: its arguments beside
// "type".
func (ev Event) MarshalJSON() ([]byte, error) {
	obj := make(map[string]any, len(ev.Args)+4)
	for k, v := range ev.Args {
		obj[k] = v
	}
	obj["contact"], obj["type"] = ev.Contact, ev.Type
	if ev.Value != nil {
		obj["value"] = ev.Value
	}
	if len(ev.Properties) > 0 {
		obj["properties"] = ev.Properties
	}
	return json.Marshal(obj)
}

// UnmarshalJSON reads an event as MarshalJSON writes it.
func (ev *Event) UnmarshalJSON(data []byte) error {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(data, &obj); err != nil {
		return err
	}
	*ev = Event{Args: map[string]string{}}
	for k, raw := range obj {
		var err error
		switch k {
		case "contact":
			err = json.Unmarshal(raw, &ev.Contact)
		case "type":
			err = json.Unmarshal(raw, &ev.Type)
		case "value":
			err = json.Unmarshal(raw, &ev.Value)
		case "properties":
			err = json.Unmarshal(raw, &ev.Properties)
		default:
			var s string
			err = json.Unmarshal(raw, &s)
			ev.Args[k] = s
		}
		if err != nil {
			return fmt.Errorf("%s: %w", k, err)
		}
	}
	return nil
}

// EventAccepted is the answer to POST /v1/events (202). A repeated
// Idempotency-Key gets the first answer again, byte for byte, with the
// header Idempotent-Replayed: true.
type EventAccepted struct {
	EventID   int64 `json:"event_id"`
	ContactID int64 `json:"contact_id"`
}

// ImportMode says what an import does with a row naming a contact that
// exists.
type ImportMode string

const (
	// ImportUpsert updates it (the default).
	ImportUpsert ImportMode = "upsert"
	// ImportCreate refuses the row.
	ImportCreate ImportMode = "create"
)

// Import formats: the Content-Type of POST /v1/contacts/import.
const (
	ContentTypeCSV    = "text/csv"
	ContentTypeNDJSON = "application/x-ndjson"
	ContentTypeJSON   = "application/json"
)

// ImportLine is one line of an import's NDJSON answer: a row that failed
// (Row and Error), progress, or the last line (Done).
type ImportLine struct {
	Row      int           `json:"row,omitempty"`
	Error    string        `json:"error,omitempty"`
	Progress *ImportCounts `json:"progress,omitempty"`
	Done     *ImportCounts `json:"done,omitempty"`
}

// ImportCounts count an import's rows.
type ImportCounts struct {
	Rows    int `json:"rows"`
	Created int `json:"created"`
	Updated int `json:"updated"`
	Failed  int `json:"failed"`
}

// Timeline is a page of a contact's timeline, oldest first.
type Timeline struct {
	ContactID int64 `json:"contact_id"`
	// TimeZone is the account's time zone (IANA), the one the entries'
	// texts give their times in.
	TimeZone string          `json:"time_zone"`
	Entries  []TimelineEntry `json:"entries"`
	// NextAfter is the after= of the next page; 0 when this page is the
	// last.
	NextAfter int `json:"next_after,omitempty"`
}

// TimelineEntry is one step a contact took; Index counts from 1 in the
// contact's whole timeline, and Text is the sentence journey simulate
// prints for it.
type TimelineEntry struct {
	Index    int             `json:"index"`
	At       time.Time       `json:"at"`
	Campaign string          `json:"campaign,omitempty"`
	Sequence string          `json:"sequence,omitempty"`
	Element  string          `json:"element,omitempty"`
	Kind     string          `json:"kind,omitempty"`
	Outcome  string          `json:"outcome"`
	Detail   json.RawMessage `json:"detail,omitempty"`
	PlanHash string          `json:"plan_hash,omitempty"`
	Text     string          `json:"text"`
}

// Campaign is a campaign of the deployed plan.
type Campaign struct {
	Name     string `json:"name"`
	Elements int    `json:"elements"`
}

// CampaignStats count a campaign's contacts: its enrollments by status,
// and the positions on each element of the plan (0 too), in plan order.
type CampaignStats struct {
	Campaign   string         `json:"campaign"`
	Deployment DeploymentRef  `json:"deployment"`
	Enrolled   EnrolledCounts `json:"enrolled"`
	Elements   []ElementStats `json:"elements"`
}

// Segment is a segment of the deployed plan and its size: how many
// contacts are in it now.
type Segment struct {
	Name string `json:"name"`
	// Dynamic: its members are the contacts its where is true of (Where,
	// as written); else modify_segments adds and removes them.
	Dynamic  bool   `json:"dynamic"`
	Where    string `json:"where,omitempty"`
	Contacts int    `json:"contacts"`
}

// SegmentStats is one segment's size, and the deployment whose segment
// it is.
type SegmentStats struct {
	Segment
	Deployment DeploymentRef `json:"deployment"`
}

// DeploymentRef names a plan version.
type DeploymentRef struct {
	Serial int64  `json:"serial"`
	Hash   string `json:"hash"`
}

// EnrolledCounts count a campaign's enrollments by status.
type EnrolledCounts struct {
	Active int `json:"active"`
	Paused int `json:"paused"`
	Ended  int `json:"ended"`
	Exited int `json:"exited"`
}

// ElementStats count the contacts on one element, by the state of their
// position (waiting, awaiting, holding, stopped, paused, failed...).
type ElementStats struct {
	Element  string         `json:"element"`
	Kind     string         `json:"kind"`
	Contacts int            `json:"contacts"`
	ByState  map[string]int `json:"by_state"`
}

// Delivery is a delivery of the outbox.
type Delivery struct {
	ID             int64          `json:"id"`
	ContactID      int64          `json:"contact_id"`
	Channel        string         `json:"channel"`
	Asset          string         `json:"asset"`
	Source         string         `json:"source"`
	Key            string         `json:"key"`
	Marketing      bool           `json:"marketing"`
	Status         string         `json:"status"`
	Attempts       int            `json:"attempts"`
	LastError      string         `json:"last_error"`
	MessageID      string         `json:"message_id"`
	ResponseStatus int            `json:"response_status"`
	CreatedAt      time.Time      `json:"created_at"`
	SentAt         *time.Time     `json:"sent_at"`
	Payload        map[string]any `json:"payload"`
}

// Outbox is a page of the outbox, oldest first.
type Outbox struct {
	Deliveries []Delivery `json:"deliveries"`
	// NextAfter is the after= of the next page; 0 when this page is the
	// last.
	NextAfter int64 `json:"next_after,omitempty"`
}

// OutboxQuery filters the outbox; a zero field does not filter.
type OutboxQuery struct {
	Status  string
	Channel string
	Contact int64
	After   int64
	Limit   int
}

// Deployment is the plan version the server runs.
type Deployment struct {
	Serial    int64     `json:"serial"`
	Hash      string    `json:"hash"`
	AppliedAt time.Time `json:"applied_at"`
	Campaigns int       `json:"campaigns"`
}

// Health is the answer of GET /healthz.
type Health struct {
	Status string `json:"status"`
}

// Ready is the answer of GET /readyz: "ready" (200) or "not_ready" (503)
// with the reason.
type Ready struct {
	Status     string      `json:"status"`
	Reason     string      `json:"reason,omitempty"`
	Deployment *Deployment `json:"deployment"`
}

// Status is the answer of GET /v1/status: what journey status shows of a
// running server.
type Status struct {
	// Deployment is the plan version the server runs; nil before the
	// first plan.
	Deployment *Deployment `json:"deployment"`
	// Now is the server's clock when it answered: the backlog is counted
	// at this time.
	Now     time.Time `json:"now"`
	Backlog Backlog   `json:"backlog"`
	// Lateness says how late the scheduler ran due steps since the server
	// started; nil when it has run none (or runs no scheduler).
	Lateness *Lateness `json:"lateness"`
	// Outbox counts the deliveries by status, every status (0 too).
	Outbox map[string]int `json:"outbox"`
	// QueueDepth counts the delivery jobs waiting to run, now or at a
	// later retry; nil when the server runs no delivery queue.
	QueueDepth *int `json:"queue_depth"`
}

// Backlog is the waits due now that the scheduler has not run yet: more
// than a batch or two means it is behind.
type Backlog struct {
	Due int `json:"due"`
	// OldestDueAt is the earliest due time among them; nil when none is
	// due.
	OldestDueAt *time.Time `json:"oldest_due_at"`
}

// Lateness is how long after its due time the scheduler ran each due
// step, read from the histogram journey_timer_lateness_seconds: the
// quantiles are estimated within its buckets, as Prometheus's
// histogram_quantile does.
type Lateness struct {
	// Steps counts the due steps measured.
	Steps      uint64  `json:"steps"`
	P50Seconds float64 `json:"p50_seconds"`
	P99Seconds float64 `json:"p99_seconds"`
}

// DeliveryStatuses are the outbox's statuses in the order a delivery
// goes through them (docs/server.md describes each).
func DeliveryStatuses() []string {
	return []string{runtime.DeliveryPending, runtime.DeliveryHeld, runtime.DeliverySending,
		runtime.DeliverySent, runtime.DeliveryFailed, runtime.DeliveryUnknown}
}
