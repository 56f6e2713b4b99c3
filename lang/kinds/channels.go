package kinds

import (
	"strings"

	"github.com/journeyhq/journey/internal/words"
)

// Channel says how the messages of an asset kind (an email, an sms, a
// postcard) reach the contact. The channel is named after the kind: that
// is the value of do_not_contact's channel that stops it, and what a
// scenario's sent and never_sent name.
type Channel struct {
	// Numbers is the account attribute whose first number sends a message
	// that has no from of its own (sms_numbers); with neither, the message
	// is never sent (sms-without-number). "" when the channel sends from
	// no number.
	Numbers string
	// Marketing: the kind has a kind attribute, and a message whose kind is
	// "marketing" (the default) goes at most once per contact, so a second
	// send on one path is skipped (marketing-email-resent).
	Marketing bool
}

// AllChannels is do_not_contact's channel that stops every channel.
const AllChannels = "all"

// StepContent lets a sequence step do an action with one attribute:
// email = email.tip is a send_email of that email.
type StepContent struct {
	// Attr is the step's attribute; it names what the action's Setting
	// names, and takes the same kinds of declaration.
	Attr    string
	Setting string
	Doc     string
	// Options are attributes of the action that a step doing it may set
	// beside Attr, as a step's own (wait_for_completion beside task).
	Options []StepOption
}

// StepOption is an attribute of a step's action that the step may set: it
// takes the action attribute's type and default, and only goes with the
// content attribute of its StepContent.
type StepOption struct {
	Attr string
	Doc  string
}

// StepOptionOf returns the content attribute a step option goes with
// (task for wait_for_completion), or "" for a name that is no option.
func StepOptionOf(attr string) string {
	for _, k := range elementList {
		if k.Step == nil {
			continue
		}
		for _, o := range k.Step.Options {
			if o.Attr == attr {
				return k.Step.Attr
			}
		}
	}
	return ""
}

// StepRule is the step's block that runs actions instead.
const StepRule = "rule"

// Channels lists the asset kinds whose blocks are messages to the contact,
// in table order: each is a channel.
func Channels() []*Kind {
	var out []*Kind
	for _, k := range declList {
		if k.Channel != nil {
			out = append(out, k)
		}
	}
	return out
}

// ChannelNames are the names of Channels().
func ChannelNames() []string {
	var out []string
	for _, k := range Channels() {
		out = append(out, k.Name)
	}
	return out
}

// Message returns the attribute of an action that names the message it
// sends (one of its channel's assets), or nil: notify_sms sends text of
// its own.
func (k *Kind) Message() *Attr {
	if k == nil || k.SendsOn == "" {
		return nil
	}
	for i := range k.Attrs {
		a := &k.Attrs[i]
		if a.Type == Ref && len(a.Targets) == 1 && a.Targets[0] == k.SendsOn {
			return a
		}
	}
	return nil
}

// StepSplit is the step's block that sends one of several messages, by
// weight: a split test.
const StepSplit = "split"

// StepBlocks are the step's blocks that are its content, in table order.
func StepBlocks() []string { return []string{StepRule, StepSplit} }

// StepContents are a step's mutually exclusive parts, of which exactly one
// is set: StepAttrs and StepBlocks.
func StepContents() []string { return append(StepAttrs(), StepBlocks()...) }

// SplitMessages are the attributes of a split step's path, one of which
// names the path's message: the step contents of the actions that send to
// the contact, in table order.
func SplitMessages() []string {
	var out []string
	for _, k := range elementList {
		if k.Step != nil && k.Has(SendsToContact) {
			out = append(out, k.Step.Attr)
		}
	}
	return out
}

// StepAttrs are the step's attributes that do an action, one for each
// action with a Step, in table order.
func StepAttrs() []string {
	var out []string
	for _, k := range elementList {
		if k.Step != nil {
			out = append(out, k.Step.Attr)
		}
	}
	return out
}

// StepAction returns the action a step's content attribute does and the
// action's setting that the attribute's value fills; nil for the rule
// block or a name that is no content.
func StepAction(content string) (*Kind, string) {
	for _, k := range elementList {
		if k.Step != nil && k.Step.Attr == content {
			return k, k.Step.Setting
		}
	}
	return nil, ""
}

// UsedByNameKinds lists the declarations that do nothing unless something
// names them, in table order.
func UsedByNameKinds() []*Kind {
	var out []*Kind
	for _, k := range declList {
		if k.Has(UsedByName) {
			out = append(out, k)
		}
	}
	return out
}

// Noun is the kind's name as messages say it: "fulfillment list".
func (k *Kind) Noun() string { return strings.ReplaceAll(k.Name, "_", " ") }

// PluralNoun is the plural of Noun: "fulfillment lists", "sms".
func (k *Kind) PluralNoun() string {
	if k.Plural != "" {
		return strings.ReplaceAll(k.Plural, "_", " ")
	}
	return words.Plural(k.Noun())
}
