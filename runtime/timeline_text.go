package runtime

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/journeyhq/journey/compiler/plan"
)

// timelineTimeLayout is how a timeline says when, short enough to lead
// every line: "Tue 11 Jun 07:00 EDT".
const timelineTimeLayout = "Mon 02 Jan 15:04 MST"

// Line is the entry as a timeline prints it for people, its time in loc:
// "Tue 11 Jun 07:00 EDT  sent email welcome "Welcome, Ada"".
func (e TimelineEntry) Line(loc *time.Location) string {
	return e.At.In(loc).Format(timelineTimeLayout) + "  " + e.Sentence(loc)
}

// Sentence says what the entry records in a marketer's words, times in loc:
// "sent email welcome "Welcome, Ada"", "waiting at wait two_days until Fri
// 12 Jun 13:37 EDT", "condition is_customer: took else". An entry of a kind
// with no sentence of its own is said as what it is and its outcome, with
// its detail as JSON.
func (e TimelineEntry) Sentence(loc *time.Location) string {
	var d map[string]any
	_ = json.Unmarshal(e.Detail, &d)
	str := func(k string) string { s, _ := d[k].(string); return s }
	when := func(k string) string {
		t, err := time.Parse(time.RFC3339, str(k))
		if err != nil {
			return str(k)
		}
		return t.In(loc).Format(timelineTimeLayout)
	}
	what := strings.TrimSpace(e.Kind + " " + e.Element)
	if e.Sequence != "" {
		what = strings.TrimSpace("sequence " + e.Sequence + " step " + e.Element)
	}
	switch {
	case e.Sequence != "" && e.Element == "":
		return fmt.Sprintf("sequence %s: %s", e.Sequence, e.Outcome)
	case e.Kind == "change_tags":
		var parts []string
		for _, t := range stringsOf(d["added"]) {
			parts = append(parts, "+"+t)
		}
		for _, t := range stringsOf(d["removed"]) {
			parts = append(parts, "-"+t)
		}
		if len(parts) == 0 {
			return fmt.Sprintf("change_tags %s: no change", e.Element)
		}
		return fmt.Sprintf("tagged %s (change_tags %s)", strings.Join(parts, " "), e.Element)
	case e.Kind == "modify_segments":
		return segmentsChanged(e.Element, d)
	case (e.Kind == "segment_entered" || e.Kind == "segment_left") && str("segment") != "":
		return e.Outcome
	case e.Kind == "trigger" && e.Outcome == "entered" && str("key") != "":
		return fmt.Sprintf("entered campaign %s (trigger %s, key %s)", e.Campaign, e.Element, str("key"))
	case e.Kind == "trigger" && e.Outcome == "entered":
		return fmt.Sprintf("entered campaign %s (trigger %s)", e.Campaign, e.Element)
	case e.Outcome == "sent" && sentMessage(d) != "":
		channel := sentMessage(d)
		text, _ := messageText(d)
		return fmt.Sprintf("sent %s %s %q%s", channel, str(channel), text, e.fromStep())
	case (e.Outcome == "waiting" || strings.HasPrefix(e.Outcome, "waiting for")) && str("until") != "":
		return waitingUntil(e.Outcome, what, when("until"))
	case e.Outcome == "waited":
		return fmt.Sprintf("%s is over", what)
	case e.Kind == "end" && e.Outcome == "ended":
		return fmt.Sprintf("reached end %s", e.Element)
	case e.Kind == "end" && e.Outcome == "exited":
		return fmt.Sprintf("left campaign %s at end %s", e.Campaign, e.Element)
	case e.Kind == "condition":
		return fmt.Sprintf("condition %s: took %s", e.Element, e.Outcome)
	case e.Kind == "step" && strings.HasPrefix(e.Outcome, "took path "):
		if channel := pathMessage(d); channel != "" {
			weight, _ := d["weight"].(float64)
			return fmt.Sprintf("%s: split test, %s, %s %s (%s%%)", what, e.Outcome, channel, str(channel), strconv.FormatFloat(weight, 'f', -1, 64))
		}
	}
	s := what + ": " + e.Outcome
	if len(d) > 0 && e.Outcome != "sent" {
		s += " " + compactJSON(e.Detail)
	}
	return s
}

// segmentsChanged says what a modify_segments did: "segments +vip
// -prospects (modify_segments mark)", and the dynamic segments it left to
// their where.
func segmentsChanged(element string, d map[string]any) string {
	var parts []string
	for _, g := range stringsOf(d["added"]) {
		parts = append(parts, "+"+g)
	}
	for _, g := range stringsOf(d["removed"]) {
		parts = append(parts, "-"+g)
	}
	s := fmt.Sprintf("modify_segments %s: no change", element)
	if len(parts) > 0 {
		s = fmt.Sprintf("segments %s (modify_segments %s)", strings.Join(parts, " "), element)
	}
	if skipped := stringsOf(d["skipped_dynamic"]); len(skipped) > 0 {
		it := "it is"
		if len(skipped) > 1 {
			it = "they are"
		}
		s += fmt.Sprintf(", %s skipped: %s dynamic", strings.Join(skipped, ", "), it)
	}
	return s
}

// sentMessage is the channel of the message a send's detail names, with
// the text it went with ({"sms": "nudge", "body": "Come back"}), or "". A
// send without a text of its own (a postcard) is said as its kind and
// outcome.
func sentMessage(d map[string]any) string {
	for _, channel := range plan.Channels() {
		if name, _ := d[channel].(string); name != "" {
			if _, ok := messageText(d); ok {
				return channel
			}
		}
	}
	return ""
}

// pathMessage is the channel of the message a split step's path names
// ({"email": "tip_b", "weight": 30}), or "".
func pathMessage(d map[string]any) string {
	for _, channel := range plan.Channels() {
		if name, _ := d[channel].(string); name != "" {
			return channel
		}
	}
	return ""
}

// messageText is what a sent message says first: its subject, or its
// body.
func messageText(d map[string]any) (string, bool) {
	for _, key := range []string{"subject", "body"} {
		if text, ok := d[key].(string); ok {
			return text, true
		}
	}
	return "", false
}

// waitingUntil says where a contact waits and until when: "waiting at wait
// two_days until ...", "waiting for email_opened(email.promo) at decision
// opened until ...".
func waitingUntil(outcome, where, until string) string {
	if outcome == "waiting" {
		return "waiting at " + where + " until " + until
	}
	return outcome + " at " + where + " until " + until
}

// fromStep names the sequence step a message went from, when it did.
func (e TimelineEntry) fromStep() string {
	if e.Sequence != "" {
		return fmt.Sprintf(" (sequence %s, step %s)", e.Sequence, e.Element)
	}
	return ""
}

// Sentence says where the contact stands: "exited in campaign
// trial_onboarding at converted".
func (f Final) Sentence() string {
	s := fmt.Sprintf("%s in campaign %s", f.Status, f.Campaign)
	if f.Element != "" {
		s += " at " + f.Element
	}
	return s
}

func compactJSON(raw json.RawMessage) string {
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return string(raw)
	}
	return b.String()
}

// stringsOf is the strings of a JSON list.
func stringsOf(v any) []string {
	items, _ := v.([]any)
	var out []string
	for _, it := range items {
		if s, ok := it.(string); ok {
			out = append(out, s)
		}
	}
	return out
}
