package kinds

// BuiltinFields are the contact fields every workspace has, with their types.
func BuiltinFields() []BuiltinField {
	return []BuiltinField{
		{"email", "string"}, {"first_name", "string"}, {"last_name", "string"},
		{"phone", "string"}, {"time_zone", "string"}, {"country", "string"},
		{"created_at", "datetime"}, {"tags", "list(string)"}, {"points", "number"},
		{"stage", "string"}, {"owner", "string"},
	}
}

// OwnerAttrs are what an expression reads of the contact's owner,
// owner.NAME: the user's attributes that say who the person is and how to
// reach them (its text attributes but description).
func OwnerAttrs() []string {
	var out []string
	for _, a := range LookupDeclaration("user").Attrs {
		if a.Name != "description" {
			out = append(out, a.Name)
		}
	}
	return out
}

// BuiltinField is a field every contact has.
type BuiltinField struct {
	Name string
	Type string
}

// FieldTypes are the type keywords a field declaration accepts.
func FieldTypes() []string {
	return []string{"string", "number", "bool", "date", "datetime", "list(string)"}
}

// ScheduleAttrs are the attributes of a sequence step's schedule block.
func ScheduleAttrs() []Attr {
	return []Attr{
		{Name: "days_after", Type: Number, Doc: "whole days after the previous step (after the subscription for the first)"},
		{Name: "at", Type: TimeOfDay, Doc: "the time of day on the day reached (default: the account's default_send_time)"},
		{Name: "delay", Type: Duration, Doc: "instead of at: elapsed time after the day is reached"},
		{Name: "on_days", Type: Weekdays, Doc: "allowed weekdays"},
		{Name: "date", Type: DateTime, Doc: "date sequences: an absolute date"},
		{Name: "on_field", Type: Ref, Targets: []string{"field"}, Doc: "date sequences: a date field of the contact"},
		{Name: "offset", Type: Duration, Doc: "with on_field: days before (negative) or after the date"},
		{Name: "annual", Type: Bool, Doc: "with on_field: every year on the date"},
		{Name: "time_zone", Type: TimeZone, Default: "account", Doc: `"account", "contact" or an IANA name`},
	}
}

// stepCommonAttrs are the common element attributes as a sequence step
// takes them: a draft step keeps its place in the schedule.
func stepCommonAttrs() []Attr {
	attrs := CommonElementAttrs()
	for i := range attrs {
		if attrs[i].Name == "draft" {
			attrs[i].Doc = "pass this step on its day without doing it: the steps after it keep their days"
		}
	}
	return attrs
}

// ScheduleSettings are the schedule attributes that make it configured.
func ScheduleSettings() []string {
	return []string{"days_after", "at", "delay", "on_days", "date", "on_field"}
}

func declarations() []*Kind {
	name := []string{"name"}
	desc := Attr{Name: "description", Type: String, Doc: "free text for reviewers"}
	asset := Asset | UsedByName
	return []*Kind{
		{
			Name: "account",
			Attrs: []Attr{
				{Name: "time_zone", Type: Zone, Default: "UTC", Doc: "the IANA zone timers count in"},
				{Name: "default_send_time", Type: TimeOfDay, Default: "10:00", Doc: "when steps and dates without a time fire"},
				{Name: "senders", Type: EmailList, Doc: "the allowed from-addresses (when set, every email's from must be one)"},
				{Name: "sms_numbers", Type: StringList, Doc: "the numbers texts are sent from"},
				{Name: "edition", Type: Enum, Values: Editions(), Doc: "the feature tier; actions it lacks are errors"},
				{Name: "postal_address", Type: RefList, Targets: []string{"field"}, Doc: "the contact fields that hold its postal address, in the order a label prints them (postcards are mailed to it)"},
			},
			Doc: "Account-wide settings; at most one per workspace.",
			Example: `account {
  time_zone         = "America/New_York"
  default_send_time = "10:00"
  senders           = ["team@example.com"]
  sms_numbers       = ["+15550100"]
}`,
		},
		{
			Name: "field", Labels: name,
			Attrs: []Attr{
				{Name: "type", Type: FieldType, Required: true, Doc: "string, number, bool, date, datetime or list(string)"},
				{Name: "read_only", Type: Bool, Default: "false", Doc: "campaigns may read it but never set it"},
				{Name: "default", Type: Any, Doc: "the value a new contact gets"},
				desc,
			},
			Doc: "A contact field beyond the built-in ones (email, first_name, last_name, phone, time_zone, country, created_at, tags, points, stage, owner).",
			Example: `field "trial_ends" {
  type = date
}`,
		},
		{Name: "tag", Labels: name, Traits: asset, Attrs: []Attr{desc}, Doc: "A tag that campaigns may add, remove or test.", Example: `tag "customer" {}`},
		{
			Name: "user", Labels: name, Traits: asset,
			Attrs: []Attr{
				{Name: "name", Type: String, Doc: "the person's name, as messages show it (owner.name)"},
				{Name: "email", Type: Email, Doc: "for notifications and tasks"},
				{Name: "phone", Type: String, Doc: "for text notifications"},
				desc,
			},
			Doc: "A team member: a task assignee, a contact owner, a notification recipient.",
			Example: `user "sam" {
  name  = "Sam Reyes"
  email = "sam@example.com"
  phone = "+15550111"
}`,
		},
		{
			Name: "email", Labels: name, Traits: asset, Channel: &Channel{Marketing: true},
			Attrs: []Attr{
				{Name: "subject", Type: Template, Required: true, Doc: "the subject line"},
				{Name: "from", Type: Email, Doc: "the sender (one of account.senders when those are set)"},
				{Name: "from_name", Type: Template, Doc: "the sender's name the recipient sees, e.g. \"Dana at Tallybook\" or \"${owner.name} at Tallybook\""},
				{Name: "reply_to", Type: Email, Doc: "the reply-to address"},
				{Name: "body", Type: Template, Required: true, Doc: `the text, or template("path.html") to read a file beside the workspace`},
				{Name: "kind", Type: Enum, Values: []string{"marketing", "transactional"}, Default: "marketing", Doc: "marketing emails go at most once per contact"},
				desc,
			},
			Doc: "An email message.",
			Example: `email "welcome" {
  subject = "Welcome, ${contact.first_name}"
  from    = "team@example.com"
  body    = template("welcome.html")
  kind    = "transactional"
}`,
		},
		{
			Name: "sms", Labels: name, Traits: asset, Plural: "sms", Channel: &Channel{Numbers: "sms_numbers"},
			Attrs: []Attr{
				{Name: "body", Type: Template, Required: true, Doc: "the text"},
				{Name: "from", Type: String, Doc: "the number to send from (else the account's first sms_number)"},
				desc,
			},
			Doc: "A text message.",
			Example: `sms "reminder" {
  body = "Your trial ends soon, ${contact.first_name}."
}`,
		},
		{
			Name: "task", Labels: name, Traits: asset,
			Attrs: []Attr{
				{Name: "subject", Type: Template, Required: true, Doc: "what to do"},
				{Name: "body", Type: Template, Doc: "details"},
				{Name: "assignee", Type: Ref, Targets: []string{"user"}, Doc: "who does it (else the contact's owner)"},
				{Name: "due_in", Type: Duration, Doc: "how long after creation it is due"},
				desc,
			},
			Doc: "A task for a team member.",
			Example: `task "call_lead" {
  subject  = "Call ${contact.first_name}"
  assignee = user.sam
  due_in   = "2d"
}`,
		},
		{
			Name: "postcard", Labels: name, Traits: asset, Channel: &Channel{},
			Attrs: []Attr{
				{Name: "front", Type: Template, Required: true, Doc: "the front side"},
				{Name: "back", Type: Template, Doc: "the back side"},
				desc,
			},
			Doc:     "A printed postcard.",
			Example: "postcard \"thanks\" {\n  front = \"Thank you!\"\n  back  = \"Dear ${contact.first_name}, ...\"\n}",
		},
		{
			Name: "fulfillment_list", Labels: name, Traits: asset,
			Attrs: []Attr{
				{Name: "fields", Type: RefList, Required: true, Targets: []string{"field"}, Doc: "contact fields as the CSV's columns"},
				{Name: "deliver_to", Type: RefOrString, Targets: []string{"user"}, StringForm: Email, Doc: "a user or an address that gets the CSV"},
				desc,
			},
			Blocks: []Block{{
				Name: "batch",
				Attrs: []Attr{
					{Name: "min_size", Type: Number, Doc: "send when this many rows wait"},
					{Name: "max_age", Type: Duration, Doc: "or when the oldest row is this old"},
				},
				Doc: "when a batch is delivered",
			}},
			Doc: "A list of contacts to fulfil (ship a kit, print a badge), delivered as CSV batches.",
			Example: `fulfillment_list "welcome_kits" {
  fields     = [field.first_name, field.last_name, field.address]
  deliver_to = user.sam
  batch {
    min_size = 50
    max_age  = "7d"
  }
}`,
		},
		{
			Name: "webhook", Labels: name, Traits: asset,
			Attrs: []Attr{
				{Name: "url", Type: URL, Required: true, Doc: "the endpoint"},
				{Name: "method", Type: Enum, Values: httpMethods(), Default: "POST", Doc: "the HTTP method"},
				{Name: "headers", Type: StringMap, Doc: "extra headers"},
				{Name: "body", Type: Template, Doc: "the request body (default: the contact as JSON)"},
				desc,
			},
			Doc: "A reusable HTTP call.",
			Example: `webhook "crm_sync" {
  url    = "https://crm.example.com/hooks/journey"
  method = "POST"
}`,
		},
		{
			Name: "product", Labels: name, Traits: asset,
			Attrs: []Attr{
				{Name: "price", Type: Number, Doc: "the price"},
				{Name: "recurring", Type: Bool, Default: "false", Doc: "a subscription"},
				desc,
			},
			Doc:     "Something a contact can buy.",
			Example: "product \"pro\" {\n  price = 49\n}",
		},
		{
			Name: "lead_router", Labels: name, Traits: asset,
			Attrs: []Attr{
				{Name: "users", Type: RefList, Required: true, Targets: []string{"user"}, Doc: "the users it assigns"},
				{Name: "strategy", Type: Enum, Values: []string{"round_robin", "weighted"}, Default: "round_robin", Doc: "how it picks"},
				{Name: "weights", Type: NumberList, Doc: "with weighted: one weight per user"},
				desc,
			},
			Doc: "Assigns contacts to users in turn or by weight.",
			Example: `lead_router "sales" {
  users    = [user.sam, user.alice]
  strategy = "round_robin"
}`,
		},
		{
			Name: "form", Labels: name, Traits: asset, Attrs: []Attr{desc},
			Blocks: []Block{PropertyBlock()},
			Doc:    "An inbound form; form_submitted(form.x) is its event.",
			Example: `form "contact_us" {
  property "message" {
    type = string
  }
}`,
		},
		{
			Name: "event", Labels: name, Traits: UsedByName, Attrs: []Attr{desc},
			Blocks: []Block{PropertyBlock()},
			Doc:    `The properties that your system's events of one name carry: api("NAME") events.`,
			Example: `event "appointment_booked" {
  property "appointment_id" {
    type = string
  }
  property "starts_at" {
    type = datetime
  }
}`,
		},
		{
			Name: "segment", Labels: name, Traits: asset,
			Attrs: []Attr{
				{Name: "where", Type: Condition, Doc: "a dynamic segment's filter over the contact's fields, tags, points, purchases and other segments; without it the segment is static"},
				desc,
			},
			Doc: "A named set of contacts: dynamic, holding the contacts its where is true of, or static, changed by modify_segments.",
			Example: `segment "trial_users" {
  where = contact.stage == "trial" && !has_purchased(product.pro)
}`,
		},
		{
			Name: "sequence", Labels: name, Traits: UsedByName,
			Attrs: []Attr{
				{Name: "kind", Type: Enum, Values: []string{"step", "date"}, Default: "step", Doc: "step: days after subscription; date: on dates"},
				{Name: "unsubscribe_after_last_step", Type: Bool, Default: "false", Doc: "let contacts go after the last step"},
				desc,
			},
			Blocks: []Block{{
				Name: "step", Labels: name, Repeated: true, Required: true, Plan: PlanPart,
				// The attributes that make a step an action come first; the
				// table adds them from the actions' Step (table()).
				Attrs: stepCommonAttrs(),
				Blocks: []Block{
					{Name: "schedule", Attrs: ScheduleAttrs(), Plan: PlanPart, Doc: "when the step fires"},
					{Name: "rule", Attrs: []Attr{{Name: "if", Type: Condition, Doc: "run the actions only when true"}}, Plan: PlanPart,
						Blocks: []Block{{Name: "then", Required: true, Actions: true, Plan: PlanPart, Doc: "the actions"}}, Doc: "a step that runs actions"},
					{Name: "split", Plan: PlanPart, Doc: "a split test: each contact gets one path's message, by weight, always the same one",
						// The table adds each path's message attributes: the
						// step contents that send to the contact (table()).
						Blocks: []Block{{Name: "path", Repeated: true, Required: true, Plan: PlanPart, Doc: "one version of the message",
							Attrs: []Attr{{Name: "weight", Type: Number, Required: true, Doc: "percent of contacts, all paths summing to 100"}}}}},
				},
				Doc: "one step; steps run in block order",
			}},
			Doc: "A legacy step or date sequence.",
			Example: `sequence "nurture" {
  kind                        = "step"
  unsubscribe_after_last_step = true

  step "tip" {
    schedule {
      days_after = 1
      at         = "07:00"
      on_days    = weekdays
    }
    email = email.tip
  }
}`,
		},
		{
			Name: "rule", Labels: name,
			Attrs: []Attr{
				{Name: "when", Type: Event, Required: true, Doc: "the event"},
				{Name: "if", Type: Condition, Doc: "run only when true"},
				desc,
			},
			Blocks: []Block{{Name: "then", Required: true, Actions: true, Plan: PlanPart, Doc: "the actions, as unlabeled action blocks"}},
			Doc:    "A legacy rule: when an event happens, if a condition holds, run actions.",
			Example: `rule "tag_buyers" {
  when = product_purchased(product.pro)
  if   = !has_tag(tag.customer)
  then {
    change_tags {
      add = [tag.customer]
    }
  }
}`,
		},
		{
			Name: "campaign", Labels: name,
			Attrs: []Attr{
				desc,
				{Name: "reentry", Type: Reentry, Default: "once", Doc: `"once", "always", or a duration: again only after that long`},
			},
			Doc: "An automation map: elements passing contacts on with next.",
			Example: `campaign "onboarding" {
  reentry = "once"

  trigger "signup" {
    on   = form_submitted(form.trial_signup)
    next = end.done
  }

  end "done" {}
}`,
		},
		{
			Name: "moved",
			Attrs: []Attr{
				{Name: "from", Type: Address, Required: true, Doc: "the old address, campaign.NAME.KIND.NAME or sequence.NAME.step.NAME"},
				{Name: "to", Type: Address, Required: true, Doc: "the new address"},
			},
			Doc: "Records a rename so that apply carries contacts from the old element to the new one.",
			Example: `moved {
  from = campaign.onboarding.wait.one_day
  to   = campaign.onboarding.wait.two_days
}`,
		},
	}
}
