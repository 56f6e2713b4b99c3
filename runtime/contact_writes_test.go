package runtime_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/journeyhq/journey/runtime"
)

// What journey server's clients do to contacts goes through the engine:
// each change raises the events campaigns wait for.
const contactTriggers = `
campaign "welcome" {
  trigger "new" {
    on   = contact_created()
    next = end.done
  }
  end "done" {}
}

campaign "upgrade" {
  trigger "plan" {
    on   = field_changed(field.plan)
    next = end.done
  }
  end "done" {}
}

campaign "vips" {
  trigger "vip" {
    on   = tag_added(tag.vip)
    next = end.done
  }
  end "done" {}
}

campaign "lapsed" {
  trigger "unvip" {
    on   = tag_removed(tag.vip)
    next = end.done
  }
  end "done" {}
}
`

func changes(t *testing.T, prog *runtime.Program, raw map[string]any) runtime.ContactChanges {
	t.Helper()
	ch, err := prog.CheckContact(raw)
	if err != nil {
		t.Fatal(err)
	}
	return ch
}

func entered(w *world, id int64) []string {
	var out []string
	for _, e := range w.enrollments(id) {
		out = append(out, e.Name)
	}
	slices.Sort(out)
	return out
}

func TestUpsertCreatesThenUpdatesRaisingEvents(t *testing.T) {
	w := scenario(t, contactTriggers)
	ctx := context.Background()
	e := w.sim.Engine
	up, err := e.Upsert(ctx, changes(t, w.prog, map[string]any{"external_id": "crm-1", "email": "Ada@Example.com", "tags": []any{"lead"}}), runtime.CreateOrUpdate)
	if err != nil || !up.Created {
		t.Fatalf("Upsert of a new contact = %+v, %v; want it created", up, err)
	}
	if got := entered(w, up.ID); !slices.Equal(got, []string{"welcome"}) {
		t.Errorf("a created contact entered %v; want welcome (contact_created)", got)
	}
	again, err := e.Upsert(ctx, changes(t, w.prog, map[string]any{"external_id": "crm-1", "plan": "pro", "tags": []any{"lead", "vip"}}), runtime.CreateOrUpdate)
	if err != nil || again.Created || again.ID != up.ID {
		t.Fatalf("Upsert naming crm-1 again = %+v, %v; want contact %d updated", again, err, up.ID)
	}
	if got := entered(w, up.ID); !slices.Equal(got, []string{"upgrade", "vips", "welcome"}) {
		t.Errorf("after plan and vip changed, the contact entered %v; want upgrade (field_changed) and vips (tag_added) too", got)
	}
	tagged, err := e.Upsert(ctx, changes(t, w.prog, map[string]any{"email": "grace@example.com", "tags": []any{"vip"}}), runtime.CreateOnly)
	if err != nil {
		t.Fatal(err)
	}
	if got := entered(w, tagged.ID); !slices.Equal(got, []string{"vips", "welcome"}) {
		t.Errorf("a contact created with the tag vip entered %v; want welcome and vips (tag_added after contact_created)", got)
	}
	if c := w.get(tagged.ID); !slices.Equal(c.Tags, []string{"vip"}) {
		t.Errorf("the contact created with vip has tags %v", c.Tags)
	}
	byEmail, err := e.Upsert(ctx, changes(t, w.prog, map[string]any{"email": "ada@example.com ", "tags": []any{"lead"}}), runtime.CreateOrUpdate)
	if err != nil || byEmail.ID != up.ID || byEmail.Created {
		t.Fatalf("Upsert by the same email = %+v, %v; want contact %d updated", byEmail, err, up.ID)
	}
	if c := w.get(up.ID); !slices.Equal(c.Tags, []string{"lead"}) || c.StringField("plan") != "pro" {
		t.Errorf("contact after the updates: tags %v, plan %q; want tags replaced by [lead], plan kept", c.Tags, c.StringField("plan"))
	}
	if got := entered(w, up.ID); !slices.Contains(got, "lapsed") {
		t.Errorf("removing vip by replacing the tags did not raise tag_removed: entered %v", got)
	}
}

func TestUpsertRefusesDuplicates(t *testing.T) {
	w := scenario(t, contactTriggers)
	ctx := context.Background()
	e := w.sim.Engine
	first, err := e.Upsert(ctx, changes(t, w.prog, map[string]any{"external_id": "crm-1", "email": "ada@example.com"}), runtime.CreateOnly)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		raw  map[string]any
		mode runtime.UpsertMode
		by   string
	}{
		{"create with a known external id", map[string]any{"external_id": "crm-1"}, runtime.CreateOnly, "external_id"},
		{"create with a known email", map[string]any{"email": "ADA@example.com"}, runtime.CreateOnly, "email"},
		{"upsert with a new external id and a known email", map[string]any{"external_id": "crm-2", "email": "ada@example.com"}, runtime.CreateOrUpdate, "email"},
	} {
		_, err := e.Upsert(ctx, changes(t, w.prog, c.raw), c.mode)
		var exists *runtime.ContactExistsError
		if !errors.As(err, &exists) || exists.ID != first.ID || exists.By != c.by {
			t.Errorf("%s: %v; want contact %d exists by %s", c.name, err, first.ID, c.by)
		}
	}
	if err := e.Change(ctx, first.ID, changes(t, w.prog, map[string]any{"external_id": "crm-9"})); !errors.Is(err, runtime.ErrExternalIDChange) {
		t.Errorf("changing the external id: %v; want ErrExternalIDChange", err)
	}
}

func TestUpsertBatchKeepsTheRowsThatWork(t *testing.T) {
	w := scenario(t, contactTriggers)
	rows := []runtime.ContactChanges{
		changes(t, w.prog, map[string]any{"email": "a@example.com"}),
		changes(t, w.prog, map[string]any{"email": "a@example.com"}),
		changes(t, w.prog, map[string]any{"email": "b@example.com"}),
	}
	got, err := w.sim.Engine.UpsertBatch(context.Background(), rows, runtime.CreateOnly)
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Err != nil || got[2].Err != nil || !got[0].Created || !got[2].Created {
		t.Errorf("rows 1 and 3 = %+v, %+v; want created", got[0], got[2])
	}
	if got[1].Err == nil || got[1].ID != 0 {
		t.Errorf("row 2 duplicates row 1 = %+v; want an error", got[1])
	}
	if got := entered(w, got[2].ID); !slices.Equal(got, []string{"welcome"}) {
		t.Errorf("the row after a failed one entered %v; want welcome", got)
	}
}

func TestReceiveFromCreatesTheContactUnlessRepeated(t *testing.T) {
	w := scenario(t, contactTriggers)
	ctx := context.Background()
	e := w.sim.Engine
	vip := runtime.Event{Kind: "tag_added", Args: map[string]string{"tag": "vip"}, Properties: map[string]any{"source": "web"}}
	got, err := e.ReceiveFrom(ctx, runtime.ContactRef{Email: "grace@example.com"}, vip, "k1")
	if err != nil || !got.Created || got.Repeated {
		t.Fatalf("ReceiveFrom a new email = %+v, %v; want the contact created", got, err)
	}
	id := got.Event.ContactID
	if c := w.get(id); c.StringField("email") != "grace@example.com" || !c.HasTag("vip") {
		t.Errorf("the contact created = %+v; want its email and the tag the event added", c)
	}
	if got := entered(w, id); !slices.Equal(got, []string{"vips", "welcome"}) {
		t.Errorf("the contact entered %v; want welcome (contact_created) and vips", got)
	}
	again, err := e.ReceiveFrom(ctx, runtime.ContactRef{Email: "other@example.com"}, vip, "k1")
	if err != nil || !again.Repeated || again.Event.ID != got.Event.ID || again.Event.ContactID != id {
		t.Fatalf("ReceiveFrom with the key again = %+v, %v; want the first event", again, err)
	}
	var n int
	w.read(func(tx runtime.Tx) error {
		_, err := tx.ContactByEmail("other@example.com")
		if !errors.Is(err, runtime.ErrNoContact) {
			n++
		}
		return nil
	})
	if n != 0 {
		t.Error("a repeated key created the contact it named: a repeat must change nothing")
	}
	if _, err := e.ReceiveFrom(ctx, runtime.ContactRef{ID: 999}, vip, ""); !errors.Is(err, runtime.ErrNoContact) {
		t.Errorf("ReceiveFrom an unknown id: %v; want ErrNoContact", err)
	}
}

func TestDeleteContactThroughTheEngine(t *testing.T) {
	w := scenario(t, contactTriggers)
	id := w.ada()
	if err := w.sim.Engine.DeleteContact(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	if w.get(id) != nil {
		t.Error("the contact is still there")
	}
	if err := w.sim.Engine.DeleteContact(context.Background(), id); !errors.Is(err, runtime.ErrNoContact) {
		t.Errorf("deleting it again: %v; want ErrNoContact", err)
	}
}

func TestContactFromRow(t *testing.T) {
	prog := decodeProgram(t)
	header := []string{"email", "score", "vip", "interests", "tags", "external_id"}
	if err := prog.CheckColumns(header); err != nil {
		t.Fatal(err)
	}
	ch, err := prog.ContactFromRow(header, []string{"ada@example.com", "12.5", "TRUE", "maths; engines", "", "crm-1"})
	if err != nil {
		t.Fatal(err)
	}
	if ch.ExternalID != "crm-1" || ch.Fields["score"] != 12.5 || ch.Fields["vip"] != true || !slices.Equal(ch.Fields["interests"].([]string), []string{"maths", "engines"}) {
		t.Errorf("row read as %+v", ch)
	}
	if _, set := ch.Fields["tags"]; set {
		t.Error("an empty cell set its field: it must set nothing")
	}
	if _, err := prog.ContactFromRow(header, []string{"a@example.com", "many"}); err == nil || !strings.Contains(err.Error(), `column score: "many" is not a number`) {
		t.Errorf("a bad number: %v", err)
	}
	for _, c := range []struct {
		header []string
		want   string
	}{
		{[]string{"email", "scroe"}, `column 2: the workspace has no field "scroe"; did you mean "score"?`},
		{[]string{"email", "email"}, `column 2, "email", is column 1 again`},
	} {
		if err := prog.CheckColumns(c.header); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("CheckColumns(%v) = %v; want %s", c.header, err, c.want)
		}
	}
}

func TestCheckEventChecksAFieldChangedValue(t *testing.T) {
	prog := decodeProgram(t)
	if _, err := prog.CheckEvent(map[string]any{"type": "field_changed", "field": "score", "value": "high"}); err == nil || !strings.Contains(err.Error(), `"value" high is not a number`) {
		t.Errorf("a string for a number field: %v", err)
	}
	ev, err := prog.CheckEvent(map[string]any{"type": "field_changed", "field": "score", "value": 3.0})
	if err != nil || ev.Value != 3.0 {
		t.Errorf("a number for a number field: %+v, %v", ev, err)
	}
}
