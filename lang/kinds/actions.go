package kinds

// actionKinds are the actions; channels are the assets do_not_contact may
// stop.
func actionKinds(channels []string) []*Kind {
	ref := func(name, target, doc string) Attr {
		return Attr{Name: name, Type: Ref, Required: true, Targets: []string{target}, Doc: doc}
	}
	optional := func(a Attr) Attr { a.Required = false; return a }
	campaignAction := func(name, doc, notes string) *Kind {
		return &Kind{Name: name, Attrs: []Attr{ref("campaign", "campaign", "the campaign")}, Traits: Internal, Doc: doc, Notes: notes,
			Example: name + ` "upsell" {
  campaign = campaign.upsell
}`}
	}
	sequenceAction := func(name, doc, notes string) *Kind {
		return &Kind{Name: name, Attrs: []Attr{ref("sequence", "sequence", "the sequence")}, Traits: Internal, Doc: doc, Notes: notes,
			Example: name + ` "nurture" {
  sequence = sequence.nurture
}`}
	}
	list := []*Kind{
		{
			Name: "send_email", Traits: SendsToContact | Sends, SendsOn: "email",
			Step: &StepContent{Attr: "email", Setting: "email", Doc: "send this email"},
			Attrs: []Attr{
				ref("email", "email", "the email to send"),
				{Name: "to", Type: RefOrString, Targets: []string{"user"}, StringForm: Email, Owner: true, Doc: "a user, the contact's owner or an address instead of the contact"},
			},
			Doc:   "Sends an email to the contact (marketing emails at most once per contact, never to a do-not-contact address).",
			Notes: "With `to`, the email goes to a user, the contact's owner (`to = owner`) or an address instead of the contact (a copy for the team); such a send is not a send to the contact for [`back-to-back-sends`](rules.md#back-to-back-sends), [`marketing-email-resent`](rules.md#marketing-email-resent) or [`event-never-happens`](rules.md#event-never-happens). " + ownerNote,
			Example: `send_email "welcome" {
  email = email.welcome
  next  = wait.two_days
}`,
		},
		{
			Name: "send_sms", Traits: SendsToContact | Sends, SendsOn: "sms",
			Step:  &StepContent{Attr: "sms", Setting: "sms", Doc: "send this text"},
			Attrs: []Attr{ref("sms", "sms", "the text message to send")},
			Doc:   "Sends a text message to the contact's phone.",
			Notes: "Needs a number to send from ([`sms-without-number`](rules.md#sms-without-number)).",
			Example: `send_sms "reminder" {
  sms = sms.reminder
}`,
		},
		{
			Name: "send_postcard", Traits: SendsToContact | Sends, SendsOn: "postcard", Edition: "plus",
			Step:  &StepContent{Attr: "postcard", Setting: "postcard", Doc: "mail this postcard"},
			Attrs: []Attr{ref("postcard", "postcard", "the postcard to mail")},
			Doc:   "Mails a postcard to the contact's address.",
			Example: `send_postcard "thanks" {
  postcard = postcard.thanks
}`,
		},
		{
			Name: "notify_email", Traits: Sends, SendsOn: "email",
			Attrs: []Attr{
				{Name: "to", Type: RefOrString, Required: true, Targets: []string{"user"}, StringForm: Email, Owner: true, Doc: "a user, the contact's owner or an address"},
				optional(ref("email", "email", "an email to send to them")),
				{Name: "subject", Type: Template, Doc: "with body, an inline message"},
				{Name: "body", Type: Template, Doc: "with subject, an inline message"},
			},
			Groups: []Group{{Attrs: []string{"email", "subject"}}},
			Doc:    "Tells a team member about the contact by email.",
			Notes:  "`to` is a `user.NAME` (its `email`), `owner` (the contact's owner's `email`) or an address. Give either a declared `email`, or an inline `subject` with a `body`. " + ownerNote,
			Example: `notify_email "sales" {
  to      = user.sam
  subject = "New trial: ${contact.email}"
  body    = "Call ${contact.first_name} today."
}`,
		},
		{
			Name: "notify_sms", Traits: Sends, SendsOn: "sms",
			Attrs: []Attr{
				{Name: "to", Type: RefOrString, Required: true, Targets: []string{"user"}, Owner: true, Doc: "a user, the contact's owner or a phone number"},
				{Name: "body", Type: Template, Required: true, Doc: "the text"},
			},
			Doc:   "Tells a team member about the contact by text message.",
			Notes: "`to` is a `user.NAME` (its `phone`), `owner` (the contact's owner's `phone`) or a phone number. Needs a number to send from, like `send_sms`. " + ownerNote,
			Example: `notify_sms "sales" {
  to   = user.sam
  body = "Hot lead: ${contact.email}"
}`,
		},
		{
			Name: "assign_task", Traits: Internal, Edition: "plus",
			Step: &StepContent{Attr: "task", Setting: "task", Doc: "create this task",
				Options: []StepOption{{Attr: "wait_for_completion", Doc: "with task: hold the sequence at this step until the task is completed; the next step counts from then"}}},
			Attrs: []Attr{
				ref("task", "task", "the task to create"),
				{Name: "assignee", Type: Ref, Targets: []string{"user"}, Doc: "overrides the task's assignee"},
				{Name: "due_in", Type: Duration, Doc: "overrides the task's due_in"},
				{Name: "wait_for_completion", Type: Bool, Default: "false", Doc: "hold the contact until the task is completed"},
			},
			Doc:   "Creates a task for a team member; with wait_for_completion the contact waits until it is done.",
			Notes: "With `wait_for_completion = true` the contact waits here until the task is completed; that counts as a hold (it breaks an instant loop, and separates two sends).",
			Example: `assign_task "call" {
  task                = task.call_lead
  wait_for_completion = true
  next                = send_email.follow_up
}`,
		},
		{
			Name: "change_tags", Traits: Internal,
			Attrs: []Attr{
				{Name: "add", Type: RefList, Targets: []string{"tag"}, Doc: "tags to add"},
				{Name: "remove", Type: RefList, Targets: []string{"tag"}, Doc: "tags to remove"},
				{Name: "set", Type: RefList, Targets: []string{"tag"}, Doc: "instead of add and remove: the contact's tags from now on, every other tag removed"},
			},
			Groups: []Group{
				{Attrs: []string{"add", "remove", "set"}, Rule: AtLeastOne},
				{Attrs: []string{"set", "add"}, Rule: AtMostOne},
				{Attrs: []string{"set", "remove"}, Rule: AtMostOne},
			},
			Doc:   "Adds and removes tags, or replaces them all (each change is a tag_added or tag_removed event).",
			Notes: "Each tag added or removed is a `tag_added` or `tag_removed` event for triggers, goals, decisions and rules. `set` replaces the contact's tags, as Mautic's \"overwrite\" does: `set = [tag.customer, tag.newsletter]` removes every other tag the contact has (declared or not) and adds those of the list it lacks, and `set = []` removes them all; only what actually changes raises an event (tags removed first, then tags added, in list order). `set` excludes `add` and `remove` (a [`schema`](rules.md#schema) error): the list is the whole answer.",
			Example: `change_tags "mark_customer" {
  add    = [tag.customer]
  remove = [tag.lead]
}`,
		},
		{
			Name: "update_contact", Traits: Internal,
			Attrs: []Attr{
				{Name: "set", Type: FieldValues, Required: true, Doc: "field = value or expression over the contact"},
				{Name: "only_if_blank", Type: Bool, Default: "false", Doc: "leave fields that already have a value"},
				{Name: "time_zone", Type: TimeZone, Default: "account", Doc: `the zone the values' dates count in (today(), date_add, now(), days_since, days_until): "account", "contact" or an IANA name`},
			},
			Doc:   "Sets contact fields.",
			Notes: "Each value is a literal or an [expression](#expressions), type-checked against the field (a date field takes a date). Read-only fields cannot be set ([`read-only-field`](rules.md#read-only-field)), nor, in a Keap-style account (`edition = \"keap\"`), the name, phone, main email or postal address ([`edition-protected-field`](rules.md#edition-protected-field)). With `only_if_blank = true`, fields that already have a value are left alone. A date field may be set relative to today or to another date with [`date_add`](#relative-dates), `trial_ends = date_add(today(), \"14d\")`, counted in `time_zone`; a date-time given to a `date` field is stored as its date in that zone, and a relative date given to a field that is not a date is a [`type`](rules.md#type) error.",
			Example: `update_contact "plan" {
  set = { plan = "pro" }
}`,
		},
		{
			Name: "adjust_points", Traits: Internal,
			Attrs: []Attr{{Name: "points", Type: Number, Required: true, Doc: "a signed number added to the contact's points"}},
			Doc:   "Adds to (or, negative, takes from) the contact's lead score.",
			Example: `adjust_points "engaged" {
  points = 10
}`,
		},
		{
			Name: "change_stage", Traits: Internal,
			Attrs: []Attr{{Name: "stage", Type: String, Required: true, Doc: "the contact's new lifecycle stage"}},
			Doc:   "Moves the contact to a lifecycle stage.",
			Notes: "The stage is free text; it is the built-in field `stage`.",
			Example: `change_stage "customer" {
  stage = "customer"
}`,
		},
		{
			Name: "assign_owner", Traits: Internal,
			Attrs: []Attr{
				{Name: "user", Type: Ref, Targets: []string{"user"}, Doc: "the new owner"},
				{Name: "lead_router", Type: Ref, Targets: []string{"lead_router"}, Doc: "a router that picks the owner"},
			},
			Groups: []Group{{Attrs: []string{"user", "lead_router"}}},
			Doc:    "Sets the contact's owner, directly or through a lead router.",
			Example: `assign_owner "sales" {
  lead_router = lead_router.sales
}`,
		},
		func() *Kind {
			k := campaignAction("add_to_campaign", "Adds the contact to another campaign (through its added_to_campaign trigger) and holds it here until it reaches an end there.", "The target campaign needs a trigger on `added_to_campaign()` ([`missing-added-trigger`](rules.md#missing-added-trigger)). With a `next`, the contact waits here until it reaches an `end` in the target campaign; see [waiting on another map](#waiting-on-another-map). Without `next`, the path simply ends here and nothing waits.")
			k.Traits |= HoldsUntilReturn
			return k
		}(),
		campaignAction("remove_from_campaign", "Removes the contact from a campaign (its own campaign: nothing after this runs).", "Removing the contact from its own campaign is like `end { exit = true }`: nothing may follow it ([`next-after-terminal`](rules.md#next-after-terminal))."),
		campaignAction("pause_campaign", "Pauses the contact on a campaign: its timers stop until unpaused.", "Every pause needs an `unpause_campaign` of the same campaign somewhere in the workspace ([`paused-forever`](rules.md#paused-forever))."),
		campaignAction("unpause_campaign", "Resumes a paused campaign for the contact; overdue timers fire at once.", ""),
		func() *Kind {
			k := sequenceAction("add_to_sequence", "Subscribes the contact to a sequence and holds it here until the sequence lets it go (after the last step, with unsubscribe_after_last_step).", "With a `next`, the contact waits here until the sequence lets it go, which a step sequence does only with `unsubscribe_after_last_step = true`, and a date sequence with an annual step never does ([`missing-fork-before-add-to-sequence`](rules.md#missing-fork-before-add-to-sequence)); see [waiting on another map](#waiting-on-another-map).")
			k.Traits |= HoldsUntilReturn
			k.Edition = "pro"
			return k
		}(),
		sequenceAction("remove_from_sequence", "Unsubscribes the contact from a sequence.", "Something must add contacts to the sequence ([`remove-never-added`](rules.md#remove-never-added))."),
		sequenceAction("pause_sequence", "Pauses the contact's sequence subscription.", "Every pause needs an `unpause_sequence` of the same sequence somewhere in the workspace ([`paused-forever`](rules.md#paused-forever))."),
		sequenceAction("unpause_sequence", "Resumes a paused sequence subscription; overdue steps fire at once.", ""),
		{
			Name: "send_to_fulfillment", Traits: Internal,
			Step:  &StepContent{Attr: "fulfillment", Setting: "list", Doc: "add a row to this list"},
			Attrs: []Attr{ref("list", "fulfillment_list", "the fulfillment list")},
			Doc:   "Adds a row for the contact to a fulfillment list (a CSV batch).",
			Example: `send_to_fulfillment "welcome_kit" {
  list = fulfillment_list.welcome_kits
}`,
		},
		{
			Name: "remove_from_fulfillment", Traits: Internal,
			Attrs: []Attr{ref("list", "fulfillment_list", "the fulfillment list")},
			Doc:   "Removes the contact's pending row from a fulfillment list.",
			Notes: "Something must add contacts to the list ([`remove-never-added`](rules.md#remove-never-added)).",
			Example: `remove_from_fulfillment "welcome_kit" {
  list = fulfillment_list.welcome_kits
}`,
		},
		{
			Name: "add_purchase", Traits: Internal, Edition: "pro",
			Attrs: []Attr{ref("product", "product", "the product bought")},
			Doc:   "Records a purchase (and an order) of a product for the contact.",
			Example: `add_purchase "bonus" {
  product = product.bonus_pack
}`,
		},
		{
			Name: "cancel_open_orders", Traits: Internal, Edition: "pro",
			Attrs:   []Attr{optional(ref("product", "product", "only orders of this product"))},
			Doc:     "Cancels the contact's open (recurring) orders.",
			Example: `cancel_open_orders "all" {}`,
		},
		{
			Name: "recharge_transactions", Traits: Internal, Edition: "pro",
			Attrs:   []Attr{optional(ref("product", "product", "only transactions of this product"))},
			Doc:     "Retries the contact's declined transactions.",
			Example: `recharge_transactions "retry" {}`,
		},
		{
			Name: "add_to_lead_router", Traits: Internal,
			Attrs: []Attr{ref("lead_router", "lead_router", "the router")},
			Doc:   "Hands the contact to a lead router, which assigns an owner.",
			Example: `add_to_lead_router "sales" {
  lead_router = lead_router.sales
}`,
		},
		{
			Name: "membership_access", Traits: Sends, Edition: "pro",
			Attrs: []Attr{
				{Name: "site", Type: String, Required: true, Doc: "the membership site"},
				{Name: "status", Type: Enum, Required: true, Values: []string{"enabled", "suspended", "disabled"}, Doc: "the contact's access"},
			},
			Doc:   "Grants, suspends or revokes the contact's access to a membership site.",
			Notes: "`site` names the membership site as the site's integration knows it.",
			Example: `membership_access "members" {
  site   = "academy"
  status = "enabled"
}`,
		},
		{
			Name: "custom_audience", Traits: Sends,
			Attrs: []Attr{
				{Name: "audience", Type: String, Required: true, Doc: "the ad platform audience"},
				{Name: "op", Type: Enum, Required: true, Values: []string{"add", "remove"}, Doc: "add or remove the contact"},
			},
			Doc:   "Adds the contact to, or removes it from, an advertising audience.",
			Notes: "`audience` names the audience as the ad platform knows it.",
			Example: `custom_audience "retarget" {
  audience = "trial-users"
  op       = "add"
}`,
		},
		{
			Name: "webhook", Traits: Sends, Edition: "plus",
			Attrs: []Attr{
				optional(ref("webhook", "webhook", "a declared webhook")),
				{Name: "url", Type: URL, Doc: "inline: the URL"},
				{Name: "method", Type: Enum, Values: httpMethods(), Default: "POST", DefaultWith: "url", Doc: "inline: the HTTP method"},
				{Name: "headers", Type: StringMap, Doc: "inline: extra headers"},
				{Name: "body", Type: Template, Doc: "inline: the request body"},
			},
			Groups: []Group{{Attrs: []string{"webhook", "url"}}},
			Doc:    "Calls an HTTP endpoint with the contact's data (signed, retried with backoff).",
			Notes:  "Either `webhook = webhook.NAME` (a declared, reusable call) or an inline `url` with optional `method`, `headers` and `body`. Requests are signed and retried with backoff by the runtime.",
			Example: `webhook "crm" {
  webhook = webhook.crm_sync
}`,
		},
		{
			Name: "apply_note", Traits: Internal,
			Attrs: []Attr{{Name: "text", Type: Template, Required: true, Doc: "the note"}},
			Doc:   "Adds a note to the contact's record.",
			Example: `apply_note "source" {
  text = "Signed up from the spring webinar."
}`,
		},
		{
			Name: "create_appointment", Traits: Internal,
			Attrs: []Attr{{Name: "title", Type: Template, Required: true, Doc: "the appointment's title"}},
			Blocks: []Block{{
				Name: "at", Required: true, Attrs: TimerAttrs(), Plan: PlanTimer,
				Doc: "when the appointment is, in timer attributes, counted from the moment the contact arrives",
			}},
			Doc:   "Books an appointment for the contact.",
			Notes: "The `at` block takes the [timer attributes](#timers), counted from the moment the contact arrives; the appointment is booked at that time and the contact goes on at once (it does not wait for the appointment).",
			Example: `create_appointment "demo" {
  title = "Demo with ${contact.first_name}"
  at {
    for = "2d"
    at  = "14:00"
  }
}`,
		},
		{
			Name: "create_opportunity", Traits: Internal,
			Attrs: []Attr{
				{Name: "stage", Type: String, Required: true, Doc: "the opportunity's pipeline stage"},
				{Name: "owner", Type: Ref, Targets: []string{"user", "lead_router"}, Doc: "a user or lead router"},
			},
			Doc:   "Opens a sales opportunity for the contact.",
			Notes: "`owner` is a `user.NAME` or a `lead_router.NAME` that picks one.",
			Example: `create_opportunity "deal" {
  stage = "qualified"
  owner = user.sam
}`,
		},
		{
			Name: "do_not_contact", Traits: Internal,
			Attrs: []Attr{
				{Name: "channel", Type: Enum, Required: true, Values: append(channels, AllChannels), Doc: "the channel"},
				{Name: "op", Type: Enum, Values: []string{"add", "remove"}, Default: "add", Doc: "set or clear the flag"},
			},
			Doc:   "Sets or clears a do-not-contact flag; sends on that channel are then skipped.",
			Notes: "Sends on a flagged channel are skipped at run time; `channel = \"all\"` covers every channel.",
			Example: `do_not_contact "unsubscribed" {
  channel = "email"
}`,
		},
		{
			Name: "modify_segments", Traits: Internal,
			Attrs: []Attr{
				{Name: "add", Type: RefList, Targets: []string{"segment"}, Doc: "static segments to add the contact to"},
				{Name: "remove", Type: RefList, Targets: []string{"segment"}, Doc: "static segments to remove the contact from"},
			},
			Groups: []Group{{Attrs: []string{"add", "remove"}, Rule: AtLeastOne}},
			Doc:    "Adds the contact to static segments and removes it from others (each change is a segment_entered or segment_left event).",
			Notes:  "Only a static segment, one without `where`, is changed by hand: a dynamic segment's members are the contacts its `where` is true of ([`modify-dynamic-segment`](rules.md#modify-dynamic-segment)). Each segment the contact enters or leaves is a `segment_entered` or `segment_left` event for triggers, goals, decisions and rules; adding a member or removing a contact that is not one changes nothing and raises nothing.",
			Example: `modify_segments "mark_vip" {
  add    = [segment.vip_list]
  remove = [segment.prospects]
}`,
		},
		{
			Name: "delete_contact", Traits: Internal | Terminal,
			Doc:     "Deletes the contact and every trace of it. Nothing may follow it.",
			Notes:   "Terminal: nothing may follow it ([`next-after-terminal`](rules.md#next-after-terminal)); for a calling campaign it counts as leaving this one.",
			Example: `delete_contact "erase" {}`,
		},
	}
	for _, k := range list {
		k.Class = Action
		k.Labels = []string{"name"}
		k.Attrs = append(k.Attrs, Attr{Name: "next", Type: Next, Doc: "the element the contact goes to next"})
		k.Edges = []string{"next"}
	}
	return list
}

// ownerNote says what to = owner does, for each action that takes it.
const ownerNote = "`owner` is the contact's owner (the built-in field `owner`, which `assign_owner` and lead routers set: a user's name), as Mautic and Keap notify the owner; a contact without an owner, or whose owner is no declared `user`, or whose owner has no address of the channel, is skipped, with the reason on its timeline."

func httpMethods() []string { return []string{"GET", "POST", "PUT", "PATCH", "DELETE"} }
