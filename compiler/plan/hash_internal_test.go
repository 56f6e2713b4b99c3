package plan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
)

// manyCampaigns is a plan with n campaigns whose settings hold
// expressions, a setting named text that is not one, and HTML-escaped
// characters, with expressions outside the campaigns too.
func manyCampaigns(n int, moved []Moved) *Plan {
	expr := json.RawMessage(`{"text":"Hi ${contact.first_name} <&>","root":{"op":"template","args":[{"op":"lit","value":"Hi "},{"op":"field","name":"first_name"}]}}`)
	p := &Plan{
		FormatVersion: FormatVersion,
		Account:       Account{TimeZone: "Europe/Berlin", DefaultSendTime: "09:00"},
		Rules:         []Rule{{Name: "r", If: &Expression{Text: "contact.points > 1", Root: &Node{Op: "lit", Value: json.RawMessage(`true`)}}}},
		Moved:         moved,
	}
	for i := range n {
		c := Campaign{Name: fmt.Sprintf("c%03d", i), Reentry: Reentry{Mode: "once"}}
		for j := range 3 {
			name := fmt.Sprintf("e%d", j)
			c.Elements = append(c.Elements, Element{
				ID: c.Name + "/" + name, Name: name, Kind: "send_email",
				Settings: Settings{"subject": expr, "text": json.RawMessage(`"plain <b>"`), "n": json.RawMessage(fmt.Sprint(i))},
				Edges:    []Edge{{Label: "next", To: "e9"}},
			})
		}
		p.Campaigns = append(p.Campaigns, c)
	}
	return p
}

// Encoding a large plan's campaigns apart, on every core, gives the bytes
// of one json.Marshal of the whole view, so the hash does not depend on
// the plan's size or the machine.
func TestHashedJSONIsOneMarshal(t *testing.T) {
	for _, tc := range []struct {
		campaigns int
		moved     []Moved
	}{
		{0, nil}, {parallelCampaigns - 1, nil}, {parallelCampaigns, nil}, {200, nil},
		{200, []Moved{{From: "campaign.a", To: "campaign.b"}}}, {200, []Moved{}},
	} {
		v := manyCampaigns(tc.campaigns, tc.moved).hashView()
		whole, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		want := withoutExpressionText(whole)
		var got bytes.Buffer
		if err := writeHashedJSON(&got, v); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want) {
			t.Errorf("%d campaigns, moved %v: the hashed bytes differ from one json.Marshal of the view:\n got %.300s\nwant %.300s", tc.campaigns, tc.moved, got.Bytes(), want)
		}
		if tc.campaigns > 0 && bytes.Contains(want, []byte(`"text":"Hi`)) {
			t.Errorf("%d campaigns: an expression's text is in the hashed bytes", tc.campaigns)
		}
	}
}
