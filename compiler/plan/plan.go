package plan

import (
	"encoding/json"
	"fmt"
)

// FormatVersion is the version of the plan's JSON format.
const FormatVersion = "1"

// Plan is the execution plan: everything the runtime needs, normalized, and
// nothing it would have to re-derive. Plans are deterministic: the same
// workspace gives the same bytes whatever the file order or machine.
type Plan struct {
	FormatVersion string `json:"format_version"`
	// Hash names this version: a SHA-256 of the plan's content, source
	// positions excluded (reformatting a file changes no version).
	Hash      string     `json:"hash"`
	Account   Account    `json:"account"`
	Fields    []Field    `json:"fields"`
	Assets    []Asset    `json:"assets"`
	Sequences []Sequence `json:"sequences"`
	Rules     []Rule     `json:"rules"`
	Campaigns []Campaign `json:"campaigns"`
	Moved     []Moved    `json:"moved"`
}

// Account holds the account settings with defaults filled in.
type Account struct {
	TimeZone        string   `json:"time_zone"`
	DefaultSendTime string   `json:"default_send_time"`
	Senders         []string `json:"senders"`
	SMSNumbers      []string `json:"sms_numbers"`
	Edition         string   `json:"edition,omitempty"`
	// PostalAddress names the contact fields of its postal address, in
	// the order a label prints them; left out when not set.
	PostalAddress []string `json:"postal_address,omitempty"`
}

// Field is a contact field of the schema.
type Field struct {
	Name     string          `json:"name"`
	Type     string          `json:"type"`
	ReadOnly bool            `json:"read_only"`
	Builtin  bool            `json:"builtin"`
	Default  json.RawMessage `json:"default,omitempty"`
}

// Asset is a declaration the elements use: an email, a tag, a user...
type Asset struct {
	Kind     string   `json:"kind"`
	Name     string   `json:"name"`
	Settings Settings `json:"settings"`
	Source   *Source  `json:"source,omitempty"`
}

// Campaign is an automation map.
type Campaign struct {
	Name     string    `json:"name"`
	Reentry  Reentry   `json:"reentry"`
	Elements []Element `json:"elements"`
	Source   *Source   `json:"source,omitempty"`
}

// Reentry says when a contact may enter a campaign again.
type Reentry struct {
	Mode  string    `json:"mode"` // once, always, interval
	After *Duration `json:"after,omitempty"`
}

// Element is one element of a campaign.
type Element struct {
	// ID is stable: campaign/name.
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	Kind     string   `json:"kind"`
	Draft    bool     `json:"draft,omitempty"`
	Settings Settings `json:"settings"`
	Edges    []Edge   `json:"edges"`
	Source   *Source  `json:"source,omitempty"`
}

// Edge is one way out of an element.
type Edge struct {
	// Label is next, then, else, yes, no, or "path N" of a fork or split.
	Label  string  `json:"label"`
	To     string  `json:"to"`
	Weight float64 `json:"weight,omitempty"`
}

// Sequence is a legacy step or date sequence.
type Sequence struct {
	Name                     string  `json:"name"`
	Kind                     string  `json:"kind"`
	UnsubscribeAfterLastStep bool    `json:"unsubscribe_after_last_step"`
	Steps                    []Step  `json:"steps"`
	Source                   *Source `json:"source,omitempty"`
}

// Step is one step of a sequence: its schedule and what it does (a message
// step becomes the matching send action).
type Step struct {
	ID       string      `json:"id"` // sequence/step
	Name     string      `json:"name"`
	Draft    bool        `json:"draft,omitempty"`
	Schedule Schedule    `json:"schedule"`
	If       *Expression `json:"if,omitempty"`
	Actions  []Action    `json:"actions"`
	// Split, on a split step (whose Actions are empty), are its paths:
	// each contact gets one path's action, by weight.
	Split  []StepPath `json:"split,omitempty"`
	Source *Source    `json:"source,omitempty"`
}

// StepPath is one path of a split step: its weight (percent; a step's
// paths sum to 100) and the action that sends its message.
type StepPath struct {
	Weight float64 `json:"weight"`
	Action Action  `json:"action"`
}

// Rule is a legacy rule.
type Rule struct {
	Name    string      `json:"name"`
	When    Event       `json:"when"`
	If      *Expression `json:"if,omitempty"`
	Actions []Action    `json:"actions"`
	Source  *Source     `json:"source,omitempty"`
}

// Action is an action outside a campaign (a rule's or a step's).
type Action struct {
	Kind     string   `json:"kind"`
	Settings Settings `json:"settings"`
}

// Event is a normalized event: its kind and its arguments by name (tag,
// form, email..., or field/offset/annual for date_reached, name for api).
type Event struct {
	Kind string   `json:"kind"`
	Args Settings `json:"args,omitempty"`
}

// Moved is a rename for apply.
type Moved struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// Source is where a block is written.
type Source struct {
	File string `json:"file"`
	Line int    `json:"line"`
}

func (s *Source) String() string {
	if s == nil {
		return "(unknown)"
	}
	return fmt.Sprintf("%s:%d", s.File, s.Line)
}

// Settings are a block's normalized attributes by name, each as JSON so the
// plan keeps exact values. The runtime reads them strictly into the kind's
// typed settings (DecodeSettings) once, when it links a plan; the
// accessors below are lenient, for showing a plan to people (describe.go,
// the graph): a value of another type reads as its zero.
type Settings map[string]json.RawMessage

// Decode reads one setting into v; a missing setting leaves v unchanged.
func (s Settings) Decode(key string, v any) error {
	raw, ok := s[key]
	if !ok {
		return nil
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("setting %s: %w", key, err)
	}
	return nil
}

// String returns a string setting ("" when missing or not a string).
func (s Settings) String(key string) string {
	var v string
	_ = s.Decode(key, &v)
	return v
}

// Bool returns a bool setting (false when missing).
func (s Settings) Bool(key string) bool {
	var v bool
	_ = s.Decode(key, &v)
	return v
}

// Strings returns a list-of-strings setting.
func (s Settings) Strings(key string) []string {
	var v []string
	_ = s.Decode(key, &v)
	return v
}

// Has reports whether the setting is present.
func (s Settings) Has(key string) bool { _, ok := s[key]; return ok }

// Recipient is someone other than the contact: a user, an address, or
// the contact's owner (the user its owner field names when the message
// goes).
type Recipient struct {
	User    string `json:"user,omitempty"`
	Address string `json:"address,omitempty"`
	Owner   bool   `json:"owner,omitempty"`
}

// FieldSet is one assignment of update_contact.
type FieldSet struct {
	Field string     `json:"field"`
	Value Expression `json:"value"`
}
