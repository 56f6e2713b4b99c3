package validate

import (
	"fmt"
	"slices"

	"github.com/journeyhq/journey/compiler"
	"github.com/journeyhq/journey/lang"
	"github.com/journeyhq/journey/lang/kinds"
)

// Rules about what contacts receive.

func marketingEmailResent() Rule {
	return Rule{
		Name: "marketing-email-resent", Severity: Warning,
		Summary: "one marketing email sent twice on one path: the second send is skipped at run time",
		Check: func(p *Pass) {
			for _, c := range p.Program.Campaigns {
				// Only an email sent from two elements, or from one on a
				// loop, can go twice: search from those alone.
				sends := map[*lang.Block]int{}
				for _, el := range c.Elements {
					if msg := marketingMessage(el); msg != nil {
						sends[msg]++
					}
				}
				onLoop := map[*compiler.Element]bool{}
				for _, comp := range stronglyConnected(c, func(*compiler.Element) bool { return true }) {
					for _, el := range comp {
						onLoop[el] = len(comp) > 1 || selfLoop(el)
					}
				}
				reported := map[*compiler.Element]bool{}
				for _, first := range c.Elements {
					sent := marketingMessage(first)
					if sent == nil || (sends[sent] < 2 && !onLoop[first]) {
						continue
					}
					noun := sent.Kind.Noun()
					for again := range reachable(first.Next()) {
						if reported[again] || marketingMessage(again) != sent {
							continue
						}
						reported[again] = true
						msg := fmt.Sprintf("%s sends marketing %s %q again after %s: marketing %s go once per contact, so this send is skipped", label(again), noun, sent.Name, label(first), sent.Kind.PluralNoun())
						if again == first {
							msg = fmt.Sprintf("%s is on a loop and sends marketing %s %q each time round: marketing %s go once per contact, so every repeat is skipped", label(again), noun, sent.Name, sent.Kind.PluralNoun())
						}
						p.Report(again.Block.DefRange, msg,
							fmt.Sprintf(`set kind = "transactional" on %s %q, or remove the repeat`, noun, sent.Name),
							Related{Message: "the first send", Range: first.Block.DefRange})
					}
				}
			}
		},
	}
}

// marketingMessage returns the marketing message (an email, or a message
// of another channel with Marketing) an element sends to the contact, or
// nil.
func marketingMessage(el *compiler.Element) *lang.Block {
	msg := messageTo(el)
	if msg == nil || msg.Kind == nil || msg.Kind.Channel == nil || !msg.Kind.Channel.Marketing {
		return nil
	}
	if kind, ok := msg.String("kind"); ok && kind != "marketing" {
		return nil
	}
	return msg
}

// messageTo returns the message an element sends to the contact, or nil.
func messageTo(el *compiler.Element) *lang.Block {
	if !sendsToContact(el) {
		return nil
	}
	if m := el.Kind.Message(); m != nil {
		return el.Target(m.Name)
	}
	return nil
}

func backToBackSends() Rule {
	return Rule{
		Name: "back-to-back-sends", Severity: Warning,
		Summary: "two sends to the contact with no wait, decision or goal between them on a path",
		Check: func(p *Pass) {
			for _, c := range p.Program.Campaigns {
				reported := map[*compiler.Element]bool{}
				for _, first := range c.Elements {
					if !sendsToContact(first) {
						continue
					}
					for _, second := range instantlyAfter(first) {
						if reported[second] || !sendsToContact(second) {
							continue
						}
						reported[second] = true
						p.Report(second.Block.DefRange,
							fmt.Sprintf("%s sends in the same instant as %s: the contact gets both messages together", label(second), label(first)),
							"put a wait between them, or merge the messages",
							Related{Message: "the first send", Range: first.Block.DefRange})
					}
				}
			}
		},
	}
}

// instantlyAfter returns the elements a contact reaches from el without any
// delay, in source order of discovery.
func instantlyAfter(el *compiler.Element) []*compiler.Element {
	var out []*compiler.Element
	seen := map[*compiler.Element]bool{}
	stack := append([]*compiler.Element(nil), el.Next()...)
	for len(stack) > 0 {
		cur := stack[0]
		stack = stack[1:]
		if seen[cur] || cur.Kind.Has(kinds.Entry) {
			continue
		}
		seen[cur] = true
		out = append(out, cur)
		if !delays(cur) && !sendsToContact(cur) {
			stack = append(stack, cur.Next()...)
		}
	}
	return out
}

func eventNeverHappens() Rule {
	return Rule{
		Name: "event-never-happens", Severity: Error,
		Summary: "a decision on a message event of a message that no path into the decision sends",
		Check: func(p *Pass) {
			memo := sentMemo{}
			for _, c := range p.Program.Campaigns {
				for _, el := range c.Elements {
					if el.Kind.Name != "decision" || el.Event == nil || !el.Event.Kind.AnswersMessage || el.Event.Target == nil {
						continue
					}
					msg := el.Event.Target
					if p.facts.sentBefore(el, msg, memo) {
						continue
					}
					outcome := "only its no path can ever run"
					if !el.Block.Has("no") {
						outcome = "every contact waits out within and stops there"
						if !el.Block.Has("within") {
							outcome = "every contact waits until its deadline and stops there"
						}
					}
					p.Report(el.Event.Call.Range,
						fmt.Sprintf("%s waits for %s of %s, but no path into it sends %s: %s", label(el), el.Event.Kind.Name, lang.Describe(msg), lang.Describe(msg), outcome),
						fmt.Sprintf("send %s.%s on the way to the decision, or decide on another event", msg.Type, msg.Name))
				}
			}
		},
	}
}

// sentBefore reports whether some path into el (or into the add_to_campaign
// elements that add to el's campaign) sends the message to the contact.
func (f *facts) sentBefore(el *compiler.Element, msg *lang.Block, memo sentMemo) bool {
	return f.sentOnTheWay(el, msg) || f.sentIntoCampaign(el.Campaign, msg, memo)
}

// sentOnTheWay reports whether some path into el inside its campaign sends
// the message. Two ways in are not a single path back: a fork sends the
// contact down its other paths at the same time, so a send there counts;
// and a contact jumps to a goal from wherever it is on the campaign, so
// behind a goal any send on the campaign counts. Neither counts a send that
// only comes after el itself.
func (f *facts) sentOnTheWay(el *compiler.Element, msg *lang.Block) bool {
	c := el.Campaign
	seen := map[*compiler.Element]bool{}
	stack := append([]*compiler.Element(nil), el.Prev()...)
	for len(stack) > 0 {
		cur := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[cur] {
			continue
		}
		seen[cur] = true
		if f.sends(cur, msg) {
			return true
		}
		if cur.Kind.Has(kinds.Forks) && !cur.Draft && f.sendsAvoiding(cur.Next(), el, msg) {
			return true
		}
		if cur.Kind.Name == "goal" && !cur.Draft && f.sendsAvoiding(entries(c), el, msg) {
			return true
		}
		stack = append(stack, cur.Prev()...)
	}
	return false
}

// sentMemo remembers, per message and campaign, whether the message is
// sent on some path into an add_to_campaign that adds to the campaign. It
// keeps chains of campaigns adding to one another linear.
type sentMemo map[*lang.Block]map[*compiler.Campaign]bool

// sentIntoCampaign reports whether the message is sent on some path into
// an add_to_campaign element that adds to c, or into one that adds to the
// campaign of that element, and so on back. It searches the campaigns that
// add to c breadth first, so that a call cycle is one more campaign seen
// rather than a question still open: every answer it remembers is final.
func (f *facts) sentIntoCampaign(c *compiler.Campaign, msg *lang.Block, memo sentMemo) bool {
	known := memo[msg]
	if known == nil {
		known = map[*compiler.Campaign]bool{}
		memo[msg] = known
	}
	if sent, ok := known[c]; ok {
		return sent
	}
	// from[x] is the campaign whose adders led to x: a contact added to c
	// came through x, so once x is known to have had the message, so has
	// every campaign on the way from x to c.
	from := map[*compiler.Campaign]*compiler.Campaign{c: nil}
	sentAlong := func(x *compiler.Campaign) bool {
		for ; x != nil; x = from[x] {
			known[x] = true
		}
		return true
	}
	queue := []*compiler.Campaign{c}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		for _, adder := range f.adders[cur.Block] {
			if f.sentOnTheWay(adder, msg) {
				return sentAlong(cur)
			}
			next := adder.Campaign
			if _, seen := from[next]; seen {
				continue
			}
			if sent, ok := known[next]; ok {
				if sent {
					return sentAlong(cur)
				}
				continue
			}
			from[next] = cur
			queue = append(queue, next)
		}
	}
	// Nothing that adds to c, however far back, sends the message: that
	// holds for every campaign on the way too.
	for x := range from {
		known[x] = false
	}
	return false
}

// sendsAvoiding reports whether an element reachable from the given ones,
// without passing avoid, sends the message to the contact.
func (f *facts) sendsAvoiding(from []*compiler.Element, avoid *compiler.Element, msg *lang.Block) bool {
	seen := map[*compiler.Element]bool{avoid: true}
	stack := append([]*compiler.Element(nil), from...)
	for len(stack) > 0 {
		cur := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[cur] {
			continue
		}
		seen[cur] = true
		if f.sends(cur, msg) {
			return true
		}
		stack = append(stack, cur.Next()...)
	}
	return false
}

// sends reports whether the element sends the message to the contact,
// directly or through a sequence it subscribes the contact to.
func (f *facts) sends(el *compiler.Element, msg *lang.Block) bool {
	if el.Draft {
		return false
	}
	if sent := messageTo(el); sent != nil {
		return sent == msg
	}
	switch el.Kind.Name {
	case "add_to_sequence":
		if s := f.sequenceOf(el); s != nil {
			for _, st := range liveSteps(s) {
				if slices.Contains(st.Messages(), msg) {
					return true
				}
			}
		}
	}
	return false
}
