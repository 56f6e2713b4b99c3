package runtime_test

import "testing"

// Expressions run in the engine as they type-check in the compiler: the
// standard library over contact fields, set or not.
func TestExpressionsOverSetAndUnsetFields(t *testing.T) {
	w := scenario(t, `
campaign "c" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = update_contact.calc
  }
  update_contact "calc" {
    set = {
      plan    = coalesce(contact.plan, "free")
      company = format("%s-%d", upper(contact.first_name), length(contact.tags))
      address = join(",", contact.tags)
      score   = max(contact.points, 5) + days_since("2026-06-01")
    }
    next = condition.check
  }
  condition "check" {
    if   = contains(contact.tags, "vip") && lower(contact.plan) == "free" && contact.score == 14
    then = change_tags.ok
    else = change_tags.not_ok
  }
  change_tags "ok" {
    add = [tag.a]
  }
  change_tags "not_ok" {
    add = [tag.b]
  }
}
`)
	id := w.contact(map[string]any{"first_name": "ada", "tags": []string{"vip"}})
	w.tag(id, "go")
	c := w.get(id)
	want := map[string]any{"plan": "free", "company": "ADA-2", "address": "vip,go", "score": 14.0}
	for k, v := range want {
		if c.Fields[k] != v {
			t.Fatalf("%s = %#v, want %#v\n%s", k, c.Fields[k], v, w.story(id))
		}
	}
	if !c.HasTag("a") {
		t.Fatalf("condition: tags %v\n%s", c.Tags, w.story(id))
	}
}
