package runtime_test

import "testing"

// The scenario test a new sending channel comes with: the message goes out
// on its channel, rendered for the contact, and is held back when the
// contact has no phone or asked not to be contacted on the channel.
func TestActionSendWhatsapp(t *testing.T) {
	w := scenario(t, `
whatsapp "hello" {
  body = "Hello, ${contact.first_name}!"
}
`+oneCampaign(`
  send_whatsapp "hello" {
    whatsapp = whatsapp.hello
  }
`))
	id := w.ada()
	noPhone := w.contact(map[string]any{"first_name": "Bo"})
	optedOut := w.contact(map[string]any{"first_name": "Cy", "phone": "+15550198", "dnc": []string{"whatsapp"}})
	optedOutOfAll := w.contact(map[string]any{"first_name": "Di", "phone": "+15550197", "dnc": []string{"all"}})
	for _, c := range []int64{id, noPhone, optedOut, optedOutOfAll} {
		w.tag(c, "go")
	}

	d := onlyDelivery(t, w, id, "whatsapp")
	expectPayload(t, d, map[string]any{"to": "+15550199", "from": "+15550100", "body": "Hello, Ada!"})
	if d.Asset != "hello" || d.Source != "c/hello" || d.Status != "pending" {
		t.Fatalf("delivery: %+v", d)
	}
	w.expectAt(id, "hello", "sent", scenarioStart)
	w.expectAt(noPhone, "hello", "skipped: no phone number", scenarioStart)
	w.expectAt(optedOut, "hello", "skipped: the contact asked not to get WhatsApp messages", scenarioStart)
	w.expectAt(optedOutOfAll, "hello", "skipped: the contact asked not to get WhatsApp messages", scenarioStart)
	for _, c := range []int64{noPhone, optedOut, optedOutOfAll} {
		if got := w.sent(c, "whatsapp"); len(got) != 0 {
			t.Fatalf("contact %d got %d whatsapp deliveries, want none\n%s", c, len(got), w.story(c))
		}
	}
}
