package plan

// EventKind is an event a contact does or that happens to it, as the
// runtime takes it from outside (an events file, the API): its name and
// the arguments that say what it is about. EventKinds and LookupEvent,
// generated from the language's table, hold them.
type EventKind struct {
	Name   string
	Params []EventParam
	// RaisedByJourney: only the runtime raises it (segment_entered, from
	// the memberships it keeps); it is not taken from outside.
	RaisedByJourney bool
	// Properties are what every event of the kind carries beyond what it
	// names (product_purchased's amount), by type; an argument of the same
	// name is its property too (page_visited's url). The workspace's
	// event and form declarations declare more, which the plan's
	// expressions read by name.
	Properties []EventProperty
}

// EventProperty is a value an event carries, with its type (a field
// type: string, number, bool, date, datetime, list(string)).
type EventProperty struct {
	Name string
	Type string
}

// EventParam is one argument of an event.
type EventParam struct {
	Name     string
	Required bool
	// Declared is the kind of declaration the argument names (a tag for
	// tag_added's "tag"), which the workspace must declare; "" for a plain
	// value (api's "name", date_reached's "offset").
	Declared string
	// Pattern: the plan's argument is a URL pattern that the event's value
	// matches (page_visited's url: "https://example.com/pricing*"), rather
	// than the value itself.
	Pattern bool
}

// ParamNames are the names of the event's arguments, in order.
func (k EventKind) ParamNames() []string {
	out := make([]string, len(k.Params))
	for i, p := range k.Params {
		out[i] = p.Name
	}
	return out
}
