// Package kinds is the one table of the journey language: every top-level
// block, campaign element, action and event, declared once with its
// attributes, their types and the traits the rest of the tool asks about.
//
// lang builds its HCL schemas from it, the compiler normalizes by it and
// validate asks it questions ("does this kind wait?") instead of listing
// kind names. The runtime does not import it: it dispatches on the kind
// names the execution plan carries, and what else it needs of the table
// (each kind's typed settings, the events, the channels) go generate
// writes into compiler/plan.
package kinds

// Type says how an attribute's expression is read and checked.
type Type int

const (
	String        Type = iota // a literal string
	Template                  // a string template; ${contact.X} is checked
	Number                    // a literal number
	Bool                      // a literal bool
	Duration                  // "30m", "4h", "2d", "1w", "1d10h"; negative with a leading "-"
	TimeOfDay                 // "07:00"
	Weekdays                  // ["mon", ...] or the keywords weekdays / weekends
	Window                    // ["09:00", "17:00"]
	DateTime                  // "2026-07-04" or "2026-07-04T09:00:00"
	Date                      // "2026-07-04"
	TimeZone                  // "account", "contact" or an IANA name
	Zone                      // an IANA name
	Email                     // an e-mail address
	URL                       // an absolute http(s) URL
	Enum                      // one of Attr.Values
	StringList                // a list of literal strings
	EmailList                 // a list of e-mail addresses
	NumberList                // a list of literal numbers
	StringMap                 // a map of string to literal string
	Ref                       // KIND.NAME of one of Attr.Targets
	RefList                   // a list of Ref
	RefOrString               // a Ref, or a literal string (an address or phone number)
	Next                      // an element of the same campaign
	NextList                  // a list of Element
	Event                     // an event call such as tag_added(tag.x)
	Condition                 // a bool expression over the contact
	FieldValues               // update_contact.set: { field = value or expression }
	FieldType                 // a type keyword: string, number, bool, date, datetime, list(string)
	Reentry                   // "once", "always" or a duration
	Address                   // campaign.NAME.KIND.NAME or sequence.NAME.step.NAME
	Any                       // any literal value (a field default)
	RuleNames                 // ignore = ["rule-name", ...]
	EventProperty             // event.NAME: a property of the event (docs/language.md, "Event properties")
	URLPattern                // a URL, or the start of one followed by *
)

// Attr is one attribute a block accepts.
type Attr struct {
	Name     string
	Type     Type
	Required bool
	Targets  []string // Ref, RefList, RefOrString: the kinds a reference may name
	Values   []string // Enum: the allowed values
	Default  string   // documented default, as the plan states it
	// DefaultWith names an attribute that must be set for Default to apply
	// (an inline webhook's method, not a declared webhook's).
	DefaultWith string
	// StringForm is what a RefOrString's literal string must be (Email for
	// an address; String for a phone number).
	StringForm Type
	// Owner: a RefOrString that also takes the bare word owner (OwnerWord),
	// the contact's owner, a user, as Mautic and Keap notify the owner.
	Owner bool
	Doc   string
}

// OwnerWord is the bare word an Owner attribute takes for the contact's
// owner: to = owner.
const OwnerWord = "owner"

// Block is a nested block a kind accepts, such as a split's path.
type Block struct {
	Name     string
	Labels   []string
	Repeated bool
	Required bool
	// Attrs and Blocks describe the nested body; Actions says the body holds
	// unlabeled action blocks (a rule's then).
	Attrs   []Attr
	Blocks  []Block
	Groups  []Group
	Actions bool
	// Plan says where the execution plan holds the block.
	Plan BlockPlan
	Doc  string
}

// BlockPlan says where the execution plan holds a nested block.
type BlockPlan int

const (
	// PlanObject: a setting of its own, an object of the block's settings
	// (a fulfillment list's batch).
	PlanObject BlockPlan = iota
	// PlanTimer: a setting that is one normalized timer (an appointment's
	// at).
	PlanTimer
	// PlanEdges: the owner's edges (a split's paths).
	PlanEdges
	// PlanPart: a part of the plan of its own, not a setting (a sequence's
	// steps, a step's schedule and rule, a rule's then).
	PlanPart
)

// Trait is a property of a kind that rules and the compiler ask about.
type Trait uint

const (
	// SendsToContact: the element sends a message to the contact.
	SendsToContact Trait = 1 << iota
	// Timer: the element holds the contact on a timer (wait).
	Timer
	// AwaitsEvent: the element holds the contact until an event or a timeout.
	AwaitsEvent
	// Terminal: nothing may follow the element; the contact is gone.
	Terminal
	// HoldsUntilReturn: the contact waits until it returns from another map.
	HoldsUntilReturn
	// Entry: contacts reach the element only through its event.
	Entry
	// Ends: the element ends a path.
	Ends
	// Branches: the element chooses one of several next elements.
	Branches
	// Forks: the contact continues on every path at once.
	Forks
	// Internal: the action changes only the runtime's own data.
	Internal
	// Sends: the action produces a delivery (to the contact or someone else).
	Sends
	// Asset: the declaration is one of the plan's assets, which elements
	// use by name (an email, a tag, a user...).
	Asset
	// UsedByName: the declaration does nothing on its own; a workspace uses
	// it by naming it, so one that nothing names is unused (every asset, a
	// sequence; not a field, which also describes data the API brings, nor
	// a campaign, which its triggers run).
	UsedByName
	// Deadline: the element awaits its event until a deadline that may be
	// a date (until, until_field and the timer attributes that go with
	// them) rather than a duration; the plan holds such a deadline as one
	// timer (DeadlineSetting).
	Deadline
)

// Class groups kinds by where they may appear.
type Class int

const (
	// Declaration is a top-level block such as tag, email or campaign.
	Declaration Class = iota
	// Flow is a campaign element that routes contacts: trigger, wait, fork...
	Flow
	// Action is a campaign element that does something, also usable in rules.
	Action
)

// Kind is one block kind of the language.
type Kind struct {
	Name   string
	Class  Class
	Labels []string // the block's labels; campaign elements take one, "name"
	Attrs  []Attr
	Blocks []Block
	Traits Trait
	// Edition is the lowest account edition that has this action ("" = all).
	Edition string
	// Groups constrain sets of attributes, e.g. assign_owner takes exactly
	// one of user and lead_router.
	Groups []Group
	// Edges names the attributes that pass the contact on, in the order a
	// diagram shows them (next; then, else; yes, no; paths).
	Edges []string
	// FreeName: the label is free text (a scenario's name), never
	// referenced as KIND.NAME.
	FreeName bool
	// Plural is the name's plural where adding "s" is wrong (sms), for
	// counts in messages.
	Plural string
	// Channel, on an asset kind whose blocks are messages to the contact,
	// says how they are sent; the kind's name is the channel's (email,
	// sms, postcard).
	Channel *Channel
	// SendsOn, on an action that sends a message, is the channel it sends
	// on; its attribute that names one of the channel's assets, if any, is
	// its Message.
	SendsOn string
	// Step, on an action a sequence step may do, is the step's attribute
	// that does it.
	Step *StepContent
	Doc  string
	// Notes are the language reference's words beyond Doc: what a rule
	// checks, what the runtime does (Markdown, one paragraph;
	// docs/language.md's generated sections print them).
	Notes   string
	Example string
}

// Group constrains how many of its attributes a block sets.
type Group struct {
	Attrs []string
	Rule  GroupRule
	// Why says what goes wrong when none of the attributes is set, for
	// the finding ("" when the list says enough).
	Why string
}

// GroupRule is how many attributes of a Group may be set.
type GroupRule int

const (
	// ExactlyOne of the attributes must be set.
	ExactlyOne GroupRule = iota
	// AtMostOne of the attributes may be set.
	AtMostOne
	// AtLeastOne of the attributes must be set.
	AtLeastOne
	// Together: all of the attributes or none.
	Together
)

// Has reports whether the kind has every trait in t.
func (k *Kind) Has(t Trait) bool { return k != nil && k.Traits&t == t }

// Attr returns the named attribute of the kind, or nil.
func (k *Kind) Attr(name string) *Attr {
	for i := range k.Attrs {
		if k.Attrs[i].Name == name {
			return &k.Attrs[i]
		}
	}
	return nil
}

// LookupElement returns the campaign element kind (flow or action) by name, or nil.
func LookupElement(name string) *Kind { return byElement[name] }

// LookupDeclaration returns the top-level block kind by name, or nil.
func LookupDeclaration(name string) *Kind { return byDecl[name] }

// Elements lists every campaign element kind: flow kinds first, then actions,
// each in table order.
func Elements() []*Kind { return append([]*Kind(nil), elementList...) }

// Actions lists the action kinds in table order.
func Actions() []*Kind {
	var out []*Kind
	for _, k := range elementList {
		if k.Class == Action {
			out = append(out, k)
		}
	}
	return out
}

// Declarations lists the top-level block kinds in table order.
func Declarations() []*Kind { return append([]*Kind(nil), declList...) }

// Assets lists the declarations the plan carries as assets, in table order.
func Assets() []*Kind {
	var out []*Kind
	for _, k := range declList {
		if k.Has(Asset) {
			out = append(out, k)
		}
	}
	return out
}

var (
	declList, elementList = table()
	byDecl                = index(declList)
	byElement             = index(elementList)
)

// table builds the table. Two of its parts follow from others, so that a
// new sending action is one entry: do_not_contact's channels are the
// assets that have a Channel, and a sequence step's attributes are the
// actions that have a Step (with the options each lets a step set); a
// split step's path takes those of them that send to the contact.
func table() (decls, elements []*Kind) {
	decls = declarations()
	var channels []string
	for _, k := range decls {
		if k.Channel != nil {
			channels = append(channels, k.Name)
		}
	}
	actions := actionKinds(channels)
	var contents, messages []Attr
	for _, k := range actions {
		if k.Step != nil {
			setting := k.Attr(k.Step.Setting)
			content := Attr{Name: k.Step.Attr, Type: Ref, Targets: setting.Targets, Doc: k.Step.Doc}
			contents = append(contents, content)
			if k.Has(SendsToContact) {
				messages = append(messages, content)
			}
			for _, o := range k.Step.Options {
				if a := k.Attr(o.Attr); a != nil { // TestTableHangsTogether says when not
					opt := *a
					opt.Doc = o.Doc
					contents = append(contents, opt)
				}
			}
		}
	}
	for _, k := range decls {
		if step := k.Block("step"); k.Name == "sequence" && step != nil {
			step.Attrs = append(contents, step.Attrs...)
			// A split step's paths send one message each.
			if path := splitPath(step); path != nil {
				path.Attrs = append(path.Attrs, messages...)
				path.Groups = []Group{{Attrs: attrNames(messages), Rule: ExactlyOne}}
			}
		}
	}
	return decls, append(flowKinds(), actions...)
}

// splitPath is the path block of a step's split block, or nil.
func splitPath(step *Block) *Block {
	for i := range step.Blocks {
		if step.Blocks[i].Name != StepSplit {
			continue
		}
		for j := range step.Blocks[i].Blocks {
			if step.Blocks[i].Blocks[j].Name == "path" {
				return &step.Blocks[i].Blocks[j]
			}
		}
	}
	return nil
}

func attrNames(attrs []Attr) []string {
	var out []string
	for _, a := range attrs {
		out = append(out, a.Name)
	}
	return out
}

func index(list []*Kind) map[string]*Kind {
	m := make(map[string]*Kind, len(list))
	for _, k := range list {
		m[k.Name] = k
	}
	return m
}
