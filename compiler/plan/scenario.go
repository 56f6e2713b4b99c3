package plan

import "time"

// Scenario is a compiled *.journeytest.hcl scenario: a contact, a campaign,
// timed events and expectations, every reference resolved.
type Scenario struct {
	Name     string
	Source   Source
	Campaign string
	Trigger  string
	Start    time.Time
	Until    time.Time
	// Contact holds the contact's fields by name, tags under "tags".
	Contact map[string]any
	// Properties are those of the event the contact enters with.
	Properties map[string]any
	Events     []ScenarioEvent
	Expects    []Expectation
}

// ScenarioEvent is an event at a moment of a scenario.
type ScenarioEvent struct {
	At         time.Time
	Kind       string
	Args       map[string]string
	Value      any
	Properties map[string]any
	Source     Source
}

// Expectation is one thing that must hold. Kind is sent, never_sent,
// at_element, has_tag, lacks_tag, fields or status.
type Expectation struct {
	Kind   string
	Source Source
	// The message of sent and never_sent is a channel's asset (an email,
	// an sms...): MessageKind is its kind (the channel), Name its name;
	// Name is also the element or tag of the others.
	MessageKind string
	Name        string
	At          *time.Time
	Within      *Duration
	Fields      map[string]any
	Status      string
}
