package kinds

// CommonElementAttrs are accepted by every campaign element.
func CommonElementAttrs() []Attr {
	return []Attr{
		{Name: "description", Type: String, Doc: "free text for reviewers"},
		{Name: "draft", Type: Bool, Default: "false", Doc: "skip this element at run time: contacts go straight to its next"},
		{Name: "ignore", Type: RuleNames, Doc: "rule names to silence on this element"},
	}
}

// TimerAttrs are shared by wait blocks, create_appointment's at block and
// (as a subset) sequence step schedules.
func TimerAttrs() []Attr {
	return []Attr{
		{Name: "for", Type: Duration, Doc: `a delay: "30m", "4h", "2d", "1w", "1d10h"`},
		{Name: "at", Type: TimeOfDay, Doc: `a time of day, "07:00"`},
		{Name: "on_days", Type: Weekdays, Doc: `allowed weekdays, ["mon", "tue"], or weekdays / weekends`},
		{Name: "between", Type: Window, Doc: `a window, ["09:00", "17:00"]; a due time outside it moves to the next opening`},
		{Name: "until", Type: DateTime, Doc: `an absolute date or date-time, "2026-12-24" or "2026-12-24T09:00:00"`},
		{Name: "until_field", Type: Ref, Targets: []string{"field"}, Doc: "a date field of the contact"},
		{Name: "until_event", Type: EventProperty, Doc: "a date or datetime property of the event the contact entered with"},
		{Name: "offset", Type: Duration, Doc: `with until_field or until_event: "-2d" is two days before the date`},
		{Name: "annual", Type: Bool, Doc: "with until_field: the next yearly occurrence of the date"},
		{Name: "time_zone", Type: TimeZone, Default: "account", Doc: `"account", "contact" or an IANA name`},
	}
}

// deadlineAttrs are the timer attributes a decision's deadline takes: a
// date, absolute or read from a field, and what places it; a duration is
// its own attribute, within.
func deadlineAttrs() []Attr {
	return []Attr{
		{Name: "until", Type: DateTime, Doc: `the deadline as an absolute date or date-time, "2026-12-24" or "2026-12-24T09:00"`},
		{Name: "until_field", Type: Ref, Targets: []string{"field"}, Doc: "the deadline as a date field of the contact"},
		{Name: "until_event", Type: EventProperty, Doc: "the deadline as a date property of the event the contact entered with"},
		{Name: "offset", Type: Duration, Doc: `with until_field or until_event: "-2d" is two days before the date`},
		{Name: "annual", Type: Bool, Doc: "with until_field: the next yearly occurrence of the date"},
		{Name: "at", Type: TimeOfDay, Doc: `with until (a date alone), until_field or until_event: the deadline's time of day, "23:00"`},
		{Name: "time_zone", Type: TimeZone, Default: "account", Doc: `with a date deadline: the zone the date is read in, "account", "contact" or an IANA name`},
	}
}

// TimerSettings are the timer attributes that make a timer configured.
var timerSettings = []string{"for", "until", "until_field", "until_event", "at", "between", "on_days"}

// TimerSettings returns the attributes of which a timer needs at least one.
func TimerSettings() []string { return append([]string(nil), timerSettings...) }

func flowKinds() []*Kind {
	next := Attr{Name: "next", Type: Next, Doc: "the element the contact goes to next"}
	return []*Kind{
		{
			Name: "trigger", Class: Flow, Labels: []string{"name"}, Traits: Entry,
			Attrs: []Attr{
				{Name: "on", Type: Event, Required: true, Doc: "the event that enrols the contact"},
				{Name: "where", Type: Condition, Doc: "only contacts for whom this is true enter"},
				{Name: "key", Type: EventProperty, Doc: "a property of the event that tells a contact's entries apart: one entry per contact and key at a time"},
				next,
			},
			Edges: []string{"next"},
			Doc:   "A contact enters the campaign when the event happens.",
			Example: `trigger "signup" {
  on   = form_submitted(form.trial_signup)
  next = send_email.welcome
}`,
		},
		{
			Name: "goal", Class: Flow, Labels: []string{"name"}, Traits: Entry,
			Attrs: []Attr{
				{Name: "on", Type: Event, Required: true, Doc: "the event that moves the contact here"},
				{Name: "where", Type: Condition, Doc: "only contacts for whom this is true jump"},
				{Name: "key", Type: EventProperty, Doc: "in a keyed campaign: the property of the event that names the entry it moves (else it moves every entry)"},
				next,
			},
			Edges: []string{"next"},
			Doc:   "A contact already on the campaign jumps here when the event happens, leaving whatever it was waiting on.",
			Example: `goal "bought" {
  on   = product_purchased(product.pro)
  next = send_email.thanks
}`,
		},
		{
			Name: "wait", Class: Flow, Labels: []string{"name"}, Traits: Timer,
			Attrs: append(TimerAttrs(), next),
			Edges: []string{"next"},
			Doc:   "Holds the contact until the timer is due.",
			Example: `wait "two_days" {
  for     = "2d"
  at      = "09:30"
  on_days = weekdays
  next    = condition.bought
}`,
		},
		{
			Name: "decision", Class: Flow, Labels: []string{"name"}, Traits: AwaitsEvent | Branches | Deadline,
			Attrs: append(append([]Attr{
				{Name: "on", Type: Event, Required: true, Doc: "the event the contact may do"},
				{Name: "key", Type: EventProperty, Doc: "in a keyed campaign: the property of the event that names the entry it answers (else it answers every entry)"},
				{Name: "within", Type: Duration, Doc: "how long to wait for it"},
			}, deadlineAttrs()...),
				Attr{Name: "yes", Type: Next, Doc: "where the contact goes when the event happens"},
				Attr{Name: "no", Type: Next, Doc: "where the contact goes when the deadline passes"},
			),
			Groups: []Group{{Attrs: []string{"within", "until", "until_field", "until_event"}, Rule: ExactlyOne,
				Why: "the decision has no deadline, so the contact would wait for the event forever and no would never be taken"}},
			Edges: []string{"yes", "no"},
			Doc:   "Waits for the contact to act; `no` is taken when the deadline passes: `within` a duration, or `until` a date.",
			Example: `decision "upgraded" {
  on     = product_purchased(product.pro)
  within = "3d"
  yes    = send_email.thanks
  no     = end.done
}`,
		},
		{
			Name: "condition", Class: Flow, Labels: []string{"name"}, Traits: Branches,
			Attrs: []Attr{
				{Name: "if", Type: Condition, Required: true, Doc: "a bool expression over the contact"},
				{Name: "then", Type: Next, Doc: "where the contact goes when it is true"},
				{Name: "else", Type: Next, Doc: "where the contact goes otherwise"},
			},
			Edges: []string{"then", "else"},
			Doc:   "Branches at once on a bool expression over the contact.",
			Example: `condition "bought" {
  if   = has_tag(tag.customer)
  then = end.done
  else = send_sms.reminder
}`,
		},
		{
			Name: "fork", Class: Flow, Labels: []string{"name"}, Traits: Forks,
			Attrs: []Attr{
				{Name: "paths", Type: NextList, Required: true, Doc: "at least two elements; the contact continues on each"},
			},
			Edges: []string{"paths"},
			Doc:   "The contact continues on every path at once.",
			Example: `fork "nurture_and_continue" {
  paths = [add_to_sequence.nurture, wait.two_days]
}`,
		},
		{
			Name: "split", Class: Flow, Labels: []string{"name"}, Traits: Branches,
			Blocks: []Block{{
				Name: "path", Repeated: true, Required: true, Plan: PlanEdges,
				Attrs: []Attr{
					{Name: "weight", Type: Number, Required: true, Doc: "percent of contacts, all paths summing to 100"},
					{Name: "next", Type: Next, Required: true, Doc: "where contacts on this path go"},
				},
				Doc: "one arm of the A/B test",
			}},
			Edges: []string{"path"},
			Doc:   "An A/B test: each contact takes one path, by weight, and always the same one.",
			Example: `split "subject_test" {
  path {
    weight = 50
    next   = send_email.a
  }
  path {
    weight = 50
    next   = send_email.b
  }
}`,
		},
		{
			Name: "end", Class: Flow, Labels: []string{"name"}, Traits: Ends,
			Attrs: []Attr{
				{Name: "exit", Type: Bool, Default: "false", Doc: "remove the contact from the campaign (every path)"},
			},
			Doc: "Ends a path. A campaign that added the contact with add_to_campaign resumes when it reaches an end.",
			Example: `end "done" {
  exit = true
}`,
		},
	}
}
