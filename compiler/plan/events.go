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

// ParamNames are the names of the event's arguments, in order.
func (k EventKind) ParamNames() []string {
	out := make([]string, len(k.Params))
	for i, p := range k.Params {
		out[i] = p.Name
	}
	return out
}
