package runtime_test

import (
	"fmt"
	"testing"
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
