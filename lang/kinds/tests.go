package kinds

// Scenario is the top-level block of *.journeytest.hcl files: a contact run
// through a campaign on a virtual clock, with timed events and
// expectations (journey test).
func Scenario() *Kind {
	messages := ChannelNames()
	return &Kind{
		Name: "scenario", Class: Declaration, Labels: []string{"name"}, FreeName: true,
		Attrs: []Attr{
			{Name: "campaign", Type: Ref, Required: true, Targets: []string{"campaign"}, Doc: "the campaign the contact enters"},
			{Name: "trigger", Type: String, Doc: "the trigger it enters through (default: the campaign's first)"},
			{Name: "start", Type: String, Required: true, Doc: `when it enters, RFC 3339: "2026-06-10T13:37:00-04:00"`},
			{Name: "for", Type: Duration, Default: "365d", Doc: "how long the clock runs"},
			{Name: "contact", Type: Any, Doc: `the contact's fields and tags: { email = "ada@example.com", tags = ["lead"] }`},
			{Name: "properties", Type: Any, Doc: `the properties of the event it enters with: { appointment_id = "a-1" }`},
			{Name: "description", Type: String, Doc: "what the scenario shows"},
		},
		Blocks: []Block{
			{
				Name: "event", Repeated: true,
				Attrs: []Attr{
					{Name: "on", Type: Event, Required: true, Doc: "the event, as in a trigger: product_purchased(product.pro)"},
					{Name: "at", Type: String, Doc: "when, RFC 3339"},
					{Name: "after", Type: Duration, Doc: "or how long after start"},
					{Name: "value", Type: Any, Doc: "a field_changed event's new value"},
					{Name: "properties", Type: Any, Doc: `what the event carries: { amount = 29 }`},
				},
				Doc: "something the contact does, at a time",
			},
			{
				Name: "expect", Repeated: true,
				Attrs: []Attr{
					{Name: "sent", Type: Ref, Targets: messages, Doc: "this message was sent to the contact"},
					{Name: "never_sent", Type: Ref, Targets: messages, Doc: "this message was never sent"},
					{Name: "at_element", Type: Next, Doc: "the contact stands on this element of the campaign"},
					{Name: "has_tag", Type: Ref, Targets: []string{"tag"}, Doc: "the contact has the tag at the end"},
					{Name: "lacks_tag", Type: Ref, Targets: []string{"tag"}, Doc: "the contact lacks the tag at the end"},
					{Name: "fields", Type: Any, Doc: `the contact's fields at the end: { plan = "pro" }`},
					{Name: "status", Type: Enum, Values: []string{"active", "waiting", "paused", "ended", "exited", "deleted"}, Doc: "where the contact stands in the campaign at the end"},
					{Name: "at", Type: String, Doc: "with sent: sent exactly then; with at_element: standing there then (RFC 3339)"},
					{Name: "within", Type: Duration, Doc: "with sent: sent no later than this after start"},
				},
				Groups: []Group{{Attrs: []string{"sent", "never_sent", "at_element", "has_tag", "lacks_tag", "fields", "status"}}},
				Doc:    "one thing that must hold",
			},
		},
		Doc: "A test of a campaign: a contact, timed events, and what must happen.",
		Example: `scenario "trial converts" {
  campaign = campaign.onboarding
  start    = "2026-06-10T13:37:00-04:00"
  contact  = { email = "ada@example.com", first_name = "Ada" }

  event {
    at = "2026-06-12T10:00:00-04:00"
    on = product_purchased(product.pro)
  }

  expect {
    sent = email.welcome
    at   = "2026-06-10T13:37:00-04:00"
  }
  expect {
    has_tag = tag.customer
  }
}`,
	}
}
