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
