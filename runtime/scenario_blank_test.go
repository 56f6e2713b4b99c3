package runtime_test

import (
	"fmt"
	"testing"
)

func TestEmptyListIsBlank(t *testing.T) {
	// An empty list has nothing in it: only_if_blank fills it, and setting
	// an unset list to [] changes nothing.
	w := scenario(t, `
field "interests" {
  type = list(string)
}

campaign "c" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = update_contact.fill
  }
  update_contact "fill" {
    set           = { interests = ["news"] }
    only_if_blank = true
  }
}

campaign "clear" {
  trigger "t" {
    on   = tag_added(tag.lead)
    next = update_contact.clear
  }
  update_contact "clear" {
    set = { interests = [] }
  }
}

campaign "watch" {
  trigger "t" {
    on   = field_changed(field.interests)
    next = change_tags.changed
  }
  change_tags "changed" {
    add = [tag.a]
  }
}
`)
	empty := w.contact(map[string]any{"interests": []string{}})
	w.tag(empty, "go")
	if got := fmt.Sprint(w.get(empty).Fields["interests"]); got != "[news]" {
		t.Errorf("only_if_blank left an empty list as %s\n%s", got, w.story(empty))
	}
	unset := w.contact(map[string]any{})
	w.tag(unset, "lead")
	if w.get(unset).HasTag("a") {
		t.Errorf("setting an unset list to [] raised field_changed\n%s", w.story(unset))
	}
}
