// Package runtime runs execution plans: it keeps every contact's position,
// computes timers to the minute in the right time zone, performs the actions
// and records every step on the contact's timeline.
//
// The Engine holds the semantics only. It reads the plan (never HCL), and
// depends on a Store for state, a Clock for time and a Sink for deliveries,
// so the same code runs in journey server (wall clock, durable database),
// journey simulate and journey test (a virtual clock, recorded deliveries).
package runtime

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/journeyhq/journey/compiler/plan"
)

// Contact is a person the campaigns run for. Fields hold the declared and
// built-in fields other than the ones with their own member.
type Contact struct {
	ID int64
	// ExternalID is the client's own id for the contact (its CRM's, say),
	// given through the API or a contact file's "external_id"; "" when
	// none was given. The engine never changes it.
	ExternalID string
	Fields     map[string]any
	Tags       []string
	Points     float64
	Stage      string
	Owner      string
	DNC        []string // do-not-contact channels: of plan.Channels(), or plan.AllChannels
	CreatedAt  time.Time
}

// Field returns a field's value, built-in members included, or nil.
func (c *Contact) Field(name string) any {
	switch name {
	case "tags":
		return append([]string(nil), c.Tags...)
	case "points":
		return c.Points
	case "stage":
		return nilIfEmpty(c.Stage)
	case "owner":
		return nilIfEmpty(c.Owner)
	case "created_at":
		return c.CreatedAt.UTC().Format(time.RFC3339)
	}
	return c.Fields[name]
}

// Identity is who the contact is for every choice that must be stable per
// contact (a split's arm, a weighted router's user): the external id when
// one was given, else the email lower-cased and trimmed, else the store's
// row id. The row id comes last because it says nothing about the person:
// every contact of a simulation, alone on its store, is row 1.
func (c *Contact) Identity() string {
	if c.ExternalID != "" {
		return c.ExternalID
	}
	if email := NormalizeEmail(c.StringField("email")); email != "" {
		return email
	}
	return strconv.FormatInt(c.ID, 10)
}

// StringField returns a string field, "" when unset or not a string.
func (c *Contact) StringField(name string) string {
	s, _ := c.Field(name).(string)
	return s
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// HasTag reports whether the contact has the tag.
func (c *Contact) HasTag(tag string) bool { return slices.Contains(c.Tags, tag) }

// DoNotContact reports whether the channel (one of plan.Channels()) is
// blocked for the contact.
func (c *Contact) DoNotContact(channel string) bool {
	for _, ch := range c.DNC {
		if ch == channel || ch == plan.AllChannels {
			return true
		}
	}
	return false
}

// Enrollment is a contact's membership of a campaign or sequence.
type Enrollment struct {
	ID        int64
	ContactID int64
	Kind      string // campaign, sequence, or dates (the date_reached watches)
	Name      string
	// Key tells apart the entries of one contact in a keyed campaign (a
	// trigger with key = event.NAME): the key property's value, "" for a
	// campaign without keys.
	Key       string
	Status    string // active, paused, ended, exited
	EnteredAt time.Time
	// Entries counts how often the contact entered (for idempotency keys).
	Entries int
	// Returned is set once the enrollment let holders of it go.
	Returned bool
	// Properties are those of the event the contact entered with (or of
	// the goal that moved it last): what event.NAME reads on its path.
	Properties map[string]any
	// Tokens are the contact's positions in it: several after a fork.
	Tokens []*Token
	dirty  bool
	isNew  bool
	gone   bool
}

// Enrollment statuses.
const (
	StatusActive = "active"
	StatusPaused = "paused"
	StatusEnded  = "ended"
	StatusExited = "exited"
)

// Token is one position of a contact: the element (or step) it stands on.
// Contacts stand on names, never on positions, so new plans move nobody.
type Token struct {
	ID           int64
	EnrollmentID int64
	ContactID    int64
	Element      string
	State        string     // waiting, awaiting, holding, stopped, done
	DueAt        *time.Time // when the wait or the decision's timeout is due
	ArrivedAt    time.Time
	// WaitingOn is the enrollment or task the token holds for.
	WaitingOn int64
	Data      TokenData
	// holdingFor is the enrollment a new hold waits on, until it has an ID.
	holdingFor *Enrollment
	dirty      bool
	isNew      bool
	gone       bool
}

// Token states.
const (
	// Waiting on a timer (DueAt).
	StateWaiting = "waiting"
	// Awaiting an event, with a timeout at DueAt (a decision).
	StateAwaiting = "awaiting"
	// Holding until another enrollment returns or a task is completed.
	StateHolding = "holding"
	// Stopped where a path ends without an end: the contact stays there.
	StateStopped = "stopped"
	// Paused with the campaign or sequence; Data.PausedDue keeps DueAt.
	StatePaused = "paused"
	// Arriving: due to arrive at its element. A contact that reached the
	// element while its campaign was paused arrives there when unpaused.
	StateArriving = "arriving"
	// Returning: what the token held for came back (or its task was
	// completed) while the campaign was paused; it goes on when unpaused.
	StateReturning = "returning"
	// Failed: the engine could not run the step (the error is on the
	// contact's timeline); the position waits there for an operator.
	StateFailed = "failed"
)

// TokenData is what a token carries beyond its position.
type TokenData struct {
	// PausedDue is DueAt while the enrollment is paused.
	PausedDue *time.Time `json:"paused_due,omitempty"`
	// PausedState is the state before the pause.
	PausedState string `json:"paused_state,omitempty"`
	// Event is what a decision waits for.
	Event string `json:"event,omitempty"`
	// Fired lists the date-sequence steps already sent (non-annual).
	Fired []string `json:"fired,omitempty"`
	// LastStep is the sequence step passed last: sent, skipped for its
	// condition, or passed as a draft (a step that waits for its task is
	// passed when the task is completed).
	LastStep string `json:"last_step,omitempty"`
	// LastFired is when the previous sequence step was due (when it was
	// passed, for one the engine reached late only for a pause), or the
	// subscription: the next step counts its days from it.
	LastFired *time.Time `json:"last_fired,omitempty"`
	// Task is the task record a token holds for (wait_for_completion, on
	// a campaign element or a sequence step).
	Task int64 `json:"task,omitempty"`
}

// TimelineEntry is one step a contact took.
type TimelineEntry struct {
	ContactID int64           `json:"contact_id"`
	At        time.Time       `json:"at"`
	Campaign  string          `json:"campaign,omitempty"`
	Sequence  string          `json:"sequence,omitempty"`
	Element   string          `json:"element,omitempty"`
	Kind      string          `json:"kind,omitempty"`
	Outcome   string          `json:"outcome"`
	Detail    json.RawMessage `json:"detail,omitempty"`
	PlanHash  string          `json:"plan_hash,omitempty"`
}

// Delivery is a message or call to the outside world, kept in the outbox.
type Delivery struct {
	ID        int64
	ContactID int64
	Kind      string // email, sms, postcard, notify_email, notify_sms, webhook, membership, audience
	// Asset is the email, sms, postcard or webhook sent ("" for inline).
	Asset string
	// Source is the element or step ID that sent it.
	Source string
	// Key is the idempotency key: (contact, element, plan version, entry).
	Key string
	// Marketing deliveries are sent at most once, even after a crash.
	Marketing bool
	Payload   map[string]any
	// Status is pending, held (its channel is not configured), sending,
	// sent, failed or unknown (an interrupted marketing attempt that may
	// have left: never resent).
	Status    string
	CreatedAt time.Time
	// What the attempts learned (journey server; simulate leaves them).
	Attempts       int
	LastError      string
	MessageID      string
	ResponseStatus int
	ResponseBody   string
	SentAt         *time.Time
	UpdatedAt      time.Time
}

// Delivery statuses.
const (
	DeliveryPending = "pending"
	DeliveryHeld    = "held"
	DeliverySending = "sending"
	DeliverySent    = "sent"
	DeliveryFailed  = "failed"
	DeliveryUnknown = "unknown"
)

// NormalizeEmail is an address as contacts are found by it: trimmed and
// lower-cased.
func NormalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// Record is a row of the runtime's own data about a contact: a task, note,
// appointment, opportunity, purchase, order, fulfillment row or lead-router
// assignment.
type Record struct {
	ID        int64
	ContactID int64
	Kind      string
	Name      string // the task, product, list or router it concerns
	Status    string
	At        *time.Time
	Data      map[string]any
	CreatedAt time.Time
}

// The store reads these to write only what changed.

// IsNew reports an enrollment not yet stored.
func (e *Enrollment) IsNew() bool { return e.isNew }

// Changed reports an enrollment whose own row changed.
func (e *Enrollment) Changed() bool { return e.dirty || e.isNew }

// IsNew reports a token not yet stored.
func (t *Token) IsNew() bool { return t.isNew }

// Changed reports a token whose row changed.
func (t *Token) Changed() bool { return t.dirty }

// Removed reports a token to delete.
func (t *Token) Removed() bool { return t.gone }

// saved marks an enrollment and its tokens as written.
func (e *Enrollment) saved() {
	e.isNew, e.dirty = false, false
	live := e.Tokens[:0]
	for _, t := range e.Tokens {
		if t.gone {
			continue
		}
		t.isNew, t.dirty = false, false
		t.EnrollmentID = e.ID
		live = append(live, t)
	}
	e.Tokens = live
}
