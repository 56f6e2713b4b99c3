package runtime_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/journeyhq/journey/lang/kinds"
	"github.com/journeyhq/journey/runtime"
)

// Scenarios of the messages-and-data vocabulary: change_tags' set, sending
// to the contact's owner, an email's from_name, a postcard's address.

func TestActionChangeTagsSet(t *testing.T) {
	w := scenario(t, oneCampaign(`
  change_tags "overwrite" {
    set  = [tag.a, tag.customer]
    next = change_tags.clear
  }
  change_tags "clear" {
    set = []
  }
`)+`
campaign "lost_lead" {
  trigger "t" {
    on   = tag_removed(tag.lead)
    next = adjust_points.p
  }
  adjust_points "p" {
    points = 1
  }
}

campaign "welcome_customer" {
  trigger "t" {
    on   = tag_added(tag.customer)
    next = adjust_points.p
  }
  adjust_points "p" {
    points = 10
  }
}

campaign "readded" {
  trigger "t" {
    on   = tag_added(tag.a)
    next = adjust_points.p
  }
  adjust_points "p" {
    points = 100
  }
}
`)
	// "imported" is no tag of the workspace: it came with the contact, and
	// set replaces it too.
	id := w.contact(map[string]any{"email": "ada@example.com", "tags": []string{"lead", "a", "imported"}})
	w.tag(id, "go")

	overwrite := w.entries(id, "overwrite", "tags changed")
	if len(overwrite) != 1 {
		t.Fatalf("no tags changed entry for overwrite\n%s", w.story(id))
	}
	d := entryDetail(t, overwrite[0])
	if fmt.Sprint(d["removed"]) != "[lead imported go]" || fmt.Sprint(d["added"]) != "[customer]" {
		t.Fatalf("overwrite detail %v: want removed [lead imported go], added [customer] (a was already there)", d)
	}
	// Only what changed raised an event: lead's removal and customer's
	// addition ran their campaigns, a (kept) ran nothing.
	if got := w.get(id).Points; got != 11 {
		t.Fatalf("points %v, want 11: tag_removed(lead) and tag_added(customer) once each, no tag_added(a)\n%s", got, w.story(id))
	}

	clear := w.entries(id, "clear", "tags changed")
	if len(clear) != 1 {
		t.Fatalf("no tags changed entry for clear\n%s", w.story(id))
	}
	if d := entryDetail(t, clear[0]); fmt.Sprint(d["removed"]) != "[a customer]" || d["added"] != nil {
		t.Fatalf("clear detail %v: want removed [a customer], nothing added", d)
	}
	if tags := w.get(id).Tags; len(tags) != 0 {
		t.Fatalf("tags %v after set = [], want none", tags)
	}
}

func TestSendToOwner(t *testing.T) {
	w := scenario(t, oneCampaign(`
  notify_email "tell_owner" {
    to      = owner
    subject = "New lead: ${contact.first_name}"
    body    = "Call ${contact.phone}"
    next    = send_email.copy_owner
  }
  send_email "copy_owner" {
    email = email.promo
    to    = owner
    next  = notify_sms.text_owner
  }
  notify_sms "text_owner" {
    to   = owner
    body = "Lead ${contact.first_name}"
  }
`)+`
user "dora" {
  description = "Not reachable: neither email nor phone."
}

campaign "routed" {
  trigger "t" {
    on   = tag_added(tag.b)
    next = assign_owner.route
  }
  assign_owner "route" {
    lead_router = lead_router.rr
    next        = notify_email.tell_new_owner
  }
  notify_email "tell_new_owner" {
    to      = owner
    subject = "Yours now: ${contact.first_name}"
    body    = "."
  }
}
`)
	owned := w.contact(map[string]any{"email": "ada@example.com", "first_name": "Ada", "phone": "+15550199", "owner": "sam", "dnc": []string{"all"}})
	w.tag(owned, "go")
	// The owner's email and phone, whatever the contact's own flags: the
	// message is to the team, about the contact.
	expectPayload(t, onlyDelivery(t, w, owned, "notify_email"), map[string]any{"to": "sam@example.com", "subject": "New lead: Ada", "body": "Call +15550199", "about": owned})
	expectPayload(t, onlyDelivery(t, w, owned, "email"), map[string]any{"to": "sam@example.com", "subject": "Hi Ada"})
	expectPayload(t, onlyDelivery(t, w, owned, "notify_sms"), map[string]any{"to": "+15550111", "body": "Lead Ada"})
	if d := onlyDelivery(t, w, owned, "email"); d.Marketing {
		t.Fatal("a copy to the owner counts as the contact's marketing email")
	}

	for _, c := range []struct {
		name   string
		fields map[string]any
		why    string
		sms    string // why the text is skipped, when it differs
	}{
		{"no owner", map[string]any{"email": "bo@example.com"}, "the contact has no owner", ""},
		{"an owner the workspace does not declare", map[string]any{"email": "cy@example.com", "owner": "ghost"}, `the contact's owner "ghost" is no user of the workspace`, ""},
		{"an owner without an address", map[string]any{"email": "di@example.com", "owner": "dora"},
			"the contact's owner, user dora, has no email address", "the contact's owner, user dora, has no phone number"},
	} {
		t.Run(c.name, func(t *testing.T) {
			id := w.contact(c.fields)
			w.tag(id, "go")
			if ds := w.deliveries(id); len(ds) != 0 {
				t.Fatalf("%d deliveries, want none\n%s", len(ds), w.story(id))
			}
			sms := c.why
			if c.sms != "" {
				sms = c.sms
			}
			w.expectAt(id, "tell_owner", "skipped: "+c.why, scenarioStart)
			w.expectAt(id, "copy_owner", "skipped: "+c.why, scenarioStart)
			w.expectAt(id, "text_owner", "skipped: "+sms, scenarioStart)
		})
	}

	// The owner as it is when the message goes: the one just assigned.
	routed := w.contact(map[string]any{"email": "ed@example.com", "first_name": "Ed"})
	w.tag(routed, "b")
	owner := w.get(routed).Owner
	want := map[string]string{"sam": "sam@example.com", "alice": "alice@example.com", "bob": "bob@example.com"}[owner]
	if want == "" {
		t.Fatalf("owner %q after the lead router\n%s", owner, w.story(routed))
	}
	expectPayload(t, onlyDelivery(t, w, routed, "notify_email"), map[string]any{"to": want, "subject": "Yours now: Ed"})
}

func TestEmailFromNameAndOwnerInTemplates(t *testing.T) {
	w := scenario(t, `
user "dana" {
  name  = "Dana Reyes"
  email = "dana@example.com"
  phone = "+15550123"
}

email "personal" {
  subject   = "Hi ${contact.first_name}"
  from      = "team@example.com"
  from_name = "${coalesce(owner.name, "The team")} at Example"
  body      = "Your contact: ${owner.name} (${owner.email}, ${owner.phone})%{if owner.name == ""}nobody yet%{endif}"
}

email "fixed" {
  subject   = "News"
  from_name = "Dana at Tallybook"
  body      = "."
}

email "owner_only" {
  subject   = "News"
  from_name = "${owner.name}"
  body      = "."
}
`+oneCampaign(`
  send_email "personal" {
    email = email.personal
    next  = send_email.fixed
  }
  send_email "fixed" {
    email = email.fixed
    next  = send_email.owner_only
  }
  send_email "owner_only" {
    email = email.owner_only
  }
`))
	owned := w.contact(map[string]any{"email": "ada@example.com", "first_name": "Ada", "owner": "dana"})
	alone := w.contact(map[string]any{"email": "bo@example.com", "first_name": "Bo"})
	w.tag(owned, "go")
	w.tag(alone, "go")

	expectPayload(t, onlyEmail(t, w, owned, "personal"), map[string]any{
		"from": "team@example.com", "from_name": "Dana Reyes at Example",
		"body": "Your contact: Dana Reyes (dana@example.com, +15550123)"})
	expectPayload(t, onlyEmail(t, w, owned, "fixed"), map[string]any{"from": "team@example.com", "from_name": "Dana at Tallybook"})
	expectPayload(t, onlyEmail(t, w, owned, "owner_only"), map[string]any{"from_name": "Dana Reyes"})

	// Without an owner, owner.NAME is unset text: coalesce and %{if} see it.
	expectPayload(t, onlyEmail(t, w, alone, "personal"), map[string]any{
		"from_name": "The team at Example", "body": "Your contact:  (, )nobody yet"})
	// A name that renders to nothing is left out: the address alone.
	if d := onlyEmail(t, w, alone, "owner_only"); d.Payload["from_name"] != nil {
		t.Fatalf("from_name %q for a contact without an owner, want none (payload %v)", d.Payload["from_name"], d.Payload)
	}
}

// TestEveryOwnerAttributeRuns: each attribute the language lets an
// expression read of the owner (kinds.OwnerAttrs) is one the runtime
// reads, so that a new user attribute cannot validate and then fail to
// link.
func TestEveryOwnerAttributeRuns(t *testing.T) {
	var body strings.Builder
	for _, a := range kinds.OwnerAttrs() {
		body.WriteString(a + "=${owner." + a + "};")
	}
	w := scenario(t, `
user "dana" {
  name  = "Dana Reyes"
  email = "dana@example.com"
  phone = "+15550123"
}

email "every" {
  subject = "."
  body    = "`+body.String()+`"
}
`+oneCampaign(`
  send_email "every" {
    email = email.every
  }
`))
	id := w.contact(map[string]any{"email": "ada@example.com", "owner": "dana"})
	w.tag(id, "go")
	got := onlyDelivery(t, w, id, "email").Payload["body"]
	for _, want := range []string{"name=Dana Reyes;", "email=dana@example.com;", "phone=+15550123;"} {
		if !strings.Contains(fmt.Sprint(got), want) {
			t.Errorf("body %q does not hold %q", got, want)
		}
	}
}

// onlyEmail is the one email of this asset sent to the contact.
func onlyEmail(t *testing.T, w *world, id int64, asset string) *runtime.Delivery {
	t.Helper()
	got := w.sent(id, "email", asset)
	if len(got) != 1 {
		t.Fatalf("%d emails %s, want 1\n%s", len(got), asset, w.story(id))
	}
	return got[0]
}

// TestPostcardGoesToThePostalAddress: with account.postal_address the
// postcard's delivery carries the contact's address, field by field, and a
// contact without one is skipped, not mailed to nowhere.
func TestPostcardGoesToThePostalAddress(t *testing.T) {
	account := "  sms_numbers       = [\"+15550100\"]\n"
	files := map[string]string{
		"assets.journey.hcl": strings.Replace(preamble, account, account+"  postal_address    = [field.street, field.zip, field.country]\n", 1),
		"main.journey.hcl": `
field "street" {
  type = string
}
field "zip" {
  type = number
}
` + oneCampaign(`
  send_postcard "card" {
    postcard = postcard.thanks
  }
`),
	}
	if !strings.Contains(files["assets.journey.hcl"], "postal_address") {
		t.Fatal("the preamble's account changed: set postal_address another way")
	}
	prog, err := runtime.Link(compiledPlan(t, files))
	if err != nil {
		t.Fatal(err)
	}
	w := newWorld(t, prog, scenarioStart)

	housed := w.contact(map[string]any{"first_name": "Ada", "street": "12 Garden Row", "zip": 90210.0, "country": "US"})
	w.tag(housed, "go")
	expectPayload(t, onlyDelivery(t, w, housed, "postcard"), map[string]any{
		"address": map[string]string{"street": "12 Garden Row", "zip": "90210", "country": "US"},
		"back":    "Dear Ada, thanks for being a customer."})

	// Part of an address is the printer's to judge; none at all is not
	// an address.
	partial := w.contact(map[string]any{"first_name": "Bo", "street": "1 Main St"})
	w.tag(partial, "go")
	expectPayload(t, onlyDelivery(t, w, partial, "postcard"), map[string]any{"address": map[string]string{"street": "1 Main St", "zip": "", "country": ""}})

	homeless := w.contact(map[string]any{"first_name": "Cy", "street": "  "})
	w.tag(homeless, "go")
	if ds := w.deliveries(homeless); len(ds) != 0 {
		t.Fatalf("%d deliveries to a contact without an address\n%s", len(ds), w.story(homeless))
	}
	w.expectAt(homeless, "card", "skipped: no postal address (street, zip, country are empty)", scenarioStart)
}
