package runtime

// EventKind is an event the runtime takes from outside (an events file, the
// API): its name and the arguments that say what it is about.
//
// The language's table of events is lang/kinds, which the runtime does not
// import (docs/architecture.md); this is the runtime's copy of the part it
// reads, and a test holds the two to the same events, in the same order,
// with the same arguments.
type EventKind struct {
	Name   string
	Params []EventParam
}

// EventParam is one argument of an event.
type EventParam struct {
	Name     string
	Required bool
	// Declared is the kind of declaration the argument names (a tag for
	// tag_added's "tag"), which the workspace must declare; "" for a plain
	// value (api's "name", date_reached's "offset").
	Declared string
}

// EventKinds lists the events in the language's order.
func EventKinds() []EventKind {
	one := func(name, declared string) EventKind {
		return EventKind{Name: name, Params: []EventParam{{Name: declared, Required: true, Declared: declared}}}
	}
	return []EventKind{
		one("form_submitted", "form"),
		one("tag_added", "tag"),
		one("tag_removed", "tag"),
		one("field_changed", "field"),
		one("product_purchased", "product"),
		one("email_opened", "email"),
		one("link_clicked", "email"),
		one("sms_replied", "sms"),
		one("task_completed", "task"),
		{Name: "added_to_campaign"},
		{Name: "contact_created"},
		{Name: "date_reached", Params: []EventParam{
			{Name: "field", Required: true, Declared: "field"},
			{Name: "offset"},
			{Name: "annual"},
		}},
		{Name: "api", Params: []EventParam{{Name: "name", Required: true}}},
	}
}

// lookupEvent returns the event kind by name.
func lookupEvent(name string) (EventKind, bool) {
	for _, k := range EventKinds() {
		if k.Name == name {
			return k, true
		}
	}
	return EventKind{}, false
}
