package kinds_test

import (
	"slices"
	"testing"

	"github.com/journeyhq/journey/lang/kinds"
)

// The parts of an entry that other parts are derived from must hang
// together, or a new kind is silently wrong: a sending action names a
// channel the table has, a step's attribute fills a setting its action
// has, and what follows from them (do_not_contact's channels, a step's
// attributes, a scenario's messages) is what the table says.
func TestTableHangsTogether(t *testing.T) {
	channels := kinds.ChannelNames()
	for _, c := range kinds.Channels() {
		if !c.Has(kinds.Asset) || c.Class != kinds.Declaration {
			t.Errorf("%s has a Channel but is not an asset declaration: a channel's messages are assets", c.Name)
		}
		if c.Channel.Numbers != "" && kinds.LookupDeclaration("account").Attr(c.Channel.Numbers) == nil {
			t.Errorf("channel %s sends from account.%s, which the account does not have", c.Name, c.Channel.Numbers)
		}
	}
	for _, k := range kinds.Actions() {
		if k.SendsOn != "" && !slices.Contains(channels, k.SendsOn) {
			t.Errorf("%s sends on %q, which is no channel (%v)", k.Name, k.SendsOn, channels)
		}
		if k.Has(kinds.SendsToContact) && k.Message() == nil {
			t.Errorf("%s sends to the contact but names no message of a channel: give it SendsOn and an attribute that names one of the channel's assets", k.Name)
		}
		if k.Step == nil {
			continue
		}
		setting := k.Attr(k.Step.Setting)
		if setting == nil || setting.Type != kinds.Ref || len(setting.Targets) != 1 {
			t.Errorf("%s: a step's %s fills %s, which must be a reference to one kind of declaration", k.Name, k.Step.Attr, k.Step.Setting)
		}
		if got, setting := kinds.StepAction(k.Step.Attr); got != k || setting != k.Step.Setting {
			t.Errorf("a step's %s is %v's %s, want %s's %s: two actions claim it", k.Step.Attr, got.Name, setting, k.Name, k.Step.Setting)
		}
		for _, o := range k.Step.Options {
			if k.Attr(o.Attr) == nil {
				t.Errorf("%s: a step's option %s is no attribute of the action", k.Name, o.Attr)
			}
			if got := kinds.StepOptionOf(o.Attr); got != k.Step.Attr {
				t.Errorf("a step's option %s goes with %q, want %q: two actions claim it", o.Attr, got, k.Step.Attr)
			}
			if !slices.ContainsFunc(kinds.LookupDeclaration("sequence").Block("step").Attrs, func(a kinds.Attr) bool { return a.Name == o.Attr }) {
				t.Errorf("a step has no attribute %s, the option of its %s", o.Attr, k.Step.Attr)
			}
		}
	}

	dnc := kinds.LookupElement("do_not_contact").Attr("channel")
	if want := append(channels, kinds.AllChannels); !slices.Equal(dnc.Values, want) {
		t.Errorf("do_not_contact's channels are %v, want %v", dnc.Values, want)
	}
	var stepAttrs []string
	for _, a := range kinds.LookupDeclaration("sequence").Block("step").Attrs {
		stepAttrs = append(stepAttrs, a.Name)
	}
	for _, content := range kinds.StepAttrs() {
		if !slices.Contains(stepAttrs, content) {
			t.Errorf("a step has no attribute %s", content)
		}
	}
	step := kinds.LookupDeclaration("sequence").Block("step")
	if got, want := kinds.StepContents(), append(kinds.StepAttrs(), kinds.StepBlocks()...); !slices.Equal(got, want) {
		t.Errorf("a step's contents are %v, want its attributes and then its content blocks, %v", got, want)
	}
	for _, name := range kinds.StepBlocks() {
		if !slices.ContainsFunc(step.Blocks, func(b kinds.Block) bool { return b.Name == name }) {
			t.Errorf("a step's content %s is no block of the step", name)
		}
	}
	// A split step's path names one message: a content of a step whose
	// action sends to the contact.
	var path *kinds.Block
	for i := range step.Blocks {
		if step.Blocks[i].Name == kinds.StepSplit && len(step.Blocks[i].Blocks) == 1 {
			path = &step.Blocks[i].Blocks[0]
		}
	}
	if path == nil || path.Name != "path" {
		t.Fatalf("a step's %s block has no path block", kinds.StepSplit)
	}
	for _, m := range kinds.SplitMessages() {
		k, _ := kinds.StepAction(m)
		if k == nil || !k.Has(kinds.SendsToContact) {
			t.Errorf("a split path's %s does not send to the contact", m)
		}
		if !slices.ContainsFunc(path.Attrs, func(a kinds.Attr) bool { return a.Name == m }) {
			t.Errorf("a split path has no attribute %s", m)
		}
	}
	if len(path.Groups) != 1 || path.Groups[0].Rule != kinds.ExactlyOne || !slices.Equal(path.Groups[0].Attrs, kinds.SplitMessages()) {
		t.Errorf("a split path's groups are %+v, want exactly one of %v", path.Groups, kinds.SplitMessages())
	}
	for _, x := range kinds.Scenario().Blocks {
		if x.Name != "expect" {
			continue
		}
		for _, a := range x.Attrs {
			if (a.Name == "sent" || a.Name == "never_sent") && !slices.Equal(a.Targets, channels) {
				t.Errorf("a scenario's %s names %v, want the channels %v", a.Name, a.Targets, channels)
			}
		}
	}
}
