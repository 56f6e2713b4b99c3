package kinds

// EventKind is an event that enrols, moves or answers a contact: the function
// called in a trigger's, goal's or decision's on, or a rule's when.
type EventKind struct {
	Name string
	// Params are the call's arguments in order; optional ones may be left off.
	Params []Attr
	// Properties are what every event of the kind carries beyond what it
	// names, read as event.NAME (an argument of the same name is its
	// property too: page_visited's url).
	Properties []Property
	// PropertiesFrom is the declaration kind whose property blocks declare
	// more of the event's properties: the event declaration of an api
	// event's name, the form a form_submitted names.
	PropertiesFrom string
	// TriggerOnly events make sense only as a campaign trigger.
	TriggerOnly bool
	// AnswersMessage: a decision on it waits on a message the contact must
	// have been sent (email_opened, link_clicked, sms_replied).
	AnswersMessage bool
	// RaisedByJourney: only the runtime raises it, from what it keeps of
	// the contact (a segment's membership); a client may not post it.
	RaisedByJourney bool
	Doc             string
}

// Property is a value an event carries, with its type: one of
// FieldTypes, as a field's.
type Property struct {
	Name string
	Type string
	Doc  string
}

// Events lists every event kind in table order.
func Events() []*EventKind { return append([]*EventKind(nil), eventList...) }

// LookupEvent returns the event kind by function name, or nil.
func LookupEvent(name string) *EventKind { return byEvent[name] }

// PropertyBlock is the block that declares one property of an event: in
// an event declaration (api's events) and in a form (form_submitted's).
func PropertyBlock() Block {
	return Block{
		Name: "property", Labels: []string{"name"}, Repeated: true, Plan: PlanPart,
		Attrs: []Attr{
			{Name: "type", Type: FieldType, Required: true, Doc: "string, number, bool, date, datetime or list(string)"},
			{Name: "description", Type: String, Doc: "free text for reviewers"},
		},
		Doc: "a property the event carries, read as event.NAME",
	}
}

var (
	eventList = events()
	byEvent   = func() map[string]*EventKind {
		m := make(map[string]*EventKind, len(eventList))
		for _, e := range eventList {
			m[e.Name] = e
		}
		return m
	}()
)

func events() []*EventKind {
	one := func(name, target, doc string) *EventKind {
		return &EventKind{Name: name, Params: []Attr{{Name: target, Type: Ref, Required: true, Targets: []string{target}}}, Doc: doc}
	}
	answers := func(e *EventKind) *EventKind { e.AnswersMessage = true; return e }
	raisedByJourney := func(e *EventKind) *EventKind { e.RaisedByJourney = true; return e }
	carries := func(e *EventKind, props ...Property) *EventKind { e.Properties = props; return e }
	form := one("form_submitted", "form", "the contact submitted the form")
	form.PropertiesFrom = "form"
	return []*EventKind{
		form,
		one("tag_added", "tag", "the tag was added to the contact"),
		one("tag_removed", "tag", "the tag was removed from the contact"),
		one("field_changed", "field", "the field's value changed"),
		carries(one("product_purchased", "product", "the contact bought the product"),
			Property{Name: "amount", Type: "number", Doc: "what the contact paid"}),
		answers(one("email_opened", "email", "the contact opened the email")),
		answers(carries(one("link_clicked", "email", "the contact clicked a link in the email"),
			Property{Name: "url", Type: "string", Doc: "the link's URL"})),
		answers(one("sms_replied", "sms", "the contact replied to the text")),
		one("task_completed", "task", "a task of this kind about the contact was completed"),
		{
			Name:       "page_visited",
			Params:     []Attr{{Name: "url", Type: URLPattern, Required: true, Doc: `a URL, or the start of one followed by *: "https://example.com/pricing*"`}},
			Properties: []Property{{Name: "url", Type: "string", Doc: "the URL of the page visited"}},
			Doc:        "the contact visited a page whose URL matches",
		},
		{Name: "added_to_campaign", TriggerOnly: true, Doc: "another campaign's add_to_campaign added the contact"},
		{Name: "contact_created", Doc: "the contact was created"},
		{
			Name: "date_reached",
			Params: []Attr{
				{Name: "field", Type: Ref, Required: true, Targets: []string{"field"}},
				{Name: "offset", Type: Duration},
				{Name: "annual", Type: Bool},
			},
			Doc: "the contact's date field (plus offset) was reached, every year with annual",
		},
		{Name: "api", Params: []Attr{{Name: "name", Type: String, Required: true}}, PropertiesFrom: "event", Doc: "your system posted an event of this name"},
		raisedByJourney(one("segment_entered", "segment", "the contact came to match the segment's where, or modify_segments added it")),
		raisedByJourney(one("segment_left", "segment", "the contact stopped matching the segment's where, or modify_segments removed it")),
	}
}
