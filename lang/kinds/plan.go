package kinds

import "slices"

// How the execution plan (compiler/plan) holds a block's attributes: the
// compiler emits settings by these rules, and internal/kindsgen derives the
// plan's JSON Schema and typed settings from them, so that the three agree.

// Shape says how a setting of the plan is made from the table.
type Shape int

const (
	// FromAttr: one attribute, normalized by its type.
	FromAttr Shape = iota
	// FromTimer: one normalized timer, made of a timer kind's timer
	// attributes (a wait's "timer") or of a timer block (an appointment's
	// "at").
	FromTimer
	// FromBlock: a nested block, as an object of its own settings.
	FromBlock
)

// TimerSetting is the setting a timer kind's timer attributes make.
const TimerSetting = "timer"

// DeadlineSetting is the setting a Deadline kind's timer attributes make
// (a decision's until or until_field), stated only when one is set: a
// deadline given as a duration stays its own setting, within.
const DeadlineSetting = "deadline"

// Setting is one key of a block's settings in the plan.
type Setting struct {
	Name  string
	Shape Shape
	Attr  *Attr  // FromAttr
	Block *Block // FromBlock, and FromTimer of a block
	// Always: every plan of a valid workspace states it, because it is
	// required or because the plan fills in its default.
	Always bool
	Doc    string
}

// InPlan reports whether an attribute is a setting in the plan: edges are
// the plan's edges, draft is the element's own flag, and what only
// reviewers read (description, ignore) is left out.
func InPlan(a *Attr) bool {
	switch a.Type {
	case Next, NextList, RuleNames:
		return false
	}
	return a.Name != "description" && a.Name != "draft"
}

// IsTimerAttr reports whether name is one of the timer attributes, which a
// timer kind's plan holds together as its timer.
func IsTimerAttr(name string) bool {
	for _, a := range TimerAttrs() {
		if a.Name == name {
			return true
		}
	}
	return false
}

// PlanDefault is the value the plan states for an unset attribute, and
// whether it states one: a Bool, String or Enum attribute's documented
// default. Other defaults are filled in where the value is normalized (a
// timer's zone) or are the runtime's (a task's assignee).
func (a *Attr) PlanDefault() (any, bool) {
	if a.Default == "" {
		return nil, false
	}
	switch a.Type {
	case Bool:
		return a.Default == "true", true
	case String, Enum:
		return a.Default, true
	}
	return nil, false
}

// PlanSettings lists the settings a block of the kind has in the plan, in
// table order.
func (k *Kind) PlanSettings() []Setting {
	out := settingsOf(k.Has(Timer) || k.Has(Deadline), k.Attrs, k.Blocks)
	if k.Has(Timer) {
		out = append(out, Setting{Name: TimerSetting, Shape: FromTimer, Always: true, Doc: "the timer"})
	}
	if k.Has(Deadline) {
		out = append(out, Setting{Name: DeadlineSetting, Shape: FromTimer, Doc: "the deadline, when it is a date (until or until_field)"})
	}
	return out
}

// PlanGroups are the kind's groups as the plan holds their attributes: a
// timer attribute of a timer or a deadline is its timer's setting.
func (k *Kind) PlanGroups() []Group {
	var out []Group
	for _, g := range k.Groups {
		var names []string
		for _, a := range g.Attrs {
			name := a
			switch {
			case k.Has(Timer) && IsTimerAttr(a):
				name = TimerSetting
			case k.Has(Deadline) && IsTimerAttr(a):
				name = DeadlineSetting
			}
			if !slices.Contains(names, name) {
				names = append(names, name)
			}
		}
		out = append(out, Group{Attrs: names, Rule: g.Rule, Why: g.Why})
	}
	return out
}

// PlanSettings lists the settings of a nested block that the plan holds as
// an object of its own (PlanObject).
func (b *Block) PlanSettings() []Setting { return settingsOf(false, b.Attrs, b.Blocks) }

func settingsOf(timerKind bool, attrs []Attr, blocks []Block) []Setting {
	var out []Setting
	for i := range attrs {
		a := &attrs[i]
		if !InPlan(a) || timerKind && IsTimerAttr(a.Name) {
			continue
		}
		_, defaulted := a.PlanDefault()
		out = append(out, Setting{Name: a.Name, Shape: FromAttr, Attr: a, Always: a.Required || defaulted && a.DefaultWith == "", Doc: a.Doc})
	}
	for i := range blocks {
		b := &blocks[i]
		switch b.Plan {
		case PlanObject:
			out = append(out, Setting{Name: b.Name, Shape: FromBlock, Block: b, Always: b.Required, Doc: b.Doc})
		case PlanTimer:
			out = append(out, Setting{Name: b.Name, Shape: FromTimer, Block: b, Always: b.Required, Doc: b.Doc})
		}
	}
	return out
}

// Block returns the named nested block of the kind, or nil.
func (k *Kind) Block(name string) *Block {
	for i := range k.Blocks {
		if k.Blocks[i].Name == name {
			return &k.Blocks[i]
		}
	}
	return nil
}
