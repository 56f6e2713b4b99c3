package lang

import (
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/journeyhq/journey/internal/suggest"
	"github.com/journeyhq/journey/internal/words"
	"github.com/journeyhq/journey/lang/kinds"
)

// decoder decodes the bodies of one file. It is not shared between
// goroutines.
type decoder struct {
	fsys fs.FS
	dir  string
	// src is the file's text, where a JSON array's items are found.
	src []byte
	// top are the top-level block kinds of the files decoded.
	top       []*kinds.Kind
	specs     *specs
	diags     hcl.Diagnostics
	templates []*File
	depth     depthWalk
}

func (d *decoder) add(diags ...*hcl.Diagnostic) { d.diags = append(d.diags, diags...) }

func (d *decoder) decodeFile(body hcl.Body) []*Block {
	schema := &hcl.BodySchema{}
	byName := map[string]*kinds.Kind{}
	for _, k := range d.top {
		schema.Blocks = append(schema.Blocks, hcl.BlockHeaderSchema{Type: k.Name, LabelNames: k.Labels})
		byName[k.Name] = k
	}
	content, diags := body.Content(schema)
	d.add(tagRule(rewordUnsupported(diags, &Block{Type: "file"}, schema), RuleSchema)...)
	var out []*Block
	if _, native := body.(*hclsyntax.Body); !native {
		content.Blocks = d.jsonBlocks(content.Blocks, nil)
	}
	for _, hb := range content.Blocks {
		k := byName[hb.Type]
		b := d.block(hb, k, nil, d.specs.kind(k, false))
		out = append(out, b)
	}
	return out
}

func (d *decoder) block(hb *hcl.Block, k *kinds.Kind, parent *Block, spec *bodySpec) *Block {
	b := &Block{Type: hb.Type, Kind: k, DefRange: hb.DefRange, Parent: parent}
	if len(hb.Labels) > 0 {
		b.Name = hb.Labels[0]
		if !(k != nil && k.FreeName) && !validIdentifier(b.Name) {
			d.add(Errorf(RuleSchema, hb.LabelRanges[0],
				fmt.Sprintf("%q cannot be the name of a %s: a name is referenced as %s.NAME, so it must be an identifier", b.Name, hb.Type, hb.Type),
				"use letters, digits, _ and -, starting with a letter, e.g. "+identifierLike(b.Name)))
		}
	}
	d.body(b, hb.Body, spec)
	b.Range = blockRange(hb, b)
	return b
}

// validIdentifier is hclsyntax.ValidIdentifier, which runs the whole
// lexer, with a fast path for the names nearly every block has: an ASCII
// letter, then ASCII letters, digits, _ and -.
func validIdentifier(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '_' || c == '-'):
		default:
			return hclsyntax.ValidIdentifier(name)
		}
	}
	return true
}

// blockRange is the whole block: exact for native syntax, the union of what
// it holds for JSON.
func blockRange(hb *hcl.Block, b *Block) hcl.Range {
	if body, ok := hb.Body.(*hclsyntax.Body); ok {
		return hcl.RangeBetween(hb.DefRange, body.SrcRange)
	}
	r := hb.DefRange
	for i := range b.Attrs {
		r = hcl.RangeOver(r, b.Attrs[i].Range())
	}
	for _, nb := range b.Blocks {
		r = hcl.RangeOver(r, nb.Range)
	}
	return r
}

func (d *decoder) body(b *Block, body hcl.Body, spec *bodySpec) {
	b.Specs = spec.attrs
	native, _ := body.(*hclsyntax.Body)
	var content *hcl.BodyContent
	if native != nil {
		if decoded := d.attrs(b, spec, native, nil); decoded < len(native.Attributes) {
			d.unsupported(b, spec, spec.unknownAttrs(native))
		}
	} else {
		var diags hcl.Diagnostics
		content, diags = body.Content(spec.schema)
		d.unsupported(b, spec, diags)
		d.attrs(b, spec, nil, content)
		content.Blocks = d.jsonBlocks(content.Blocks, b)
	}
	d.checkGroups(b, spec.groups)

	// seen counts the nested blocks of each of spec.blocks, on the stack
	// for the few a body has.
	var few [8]int
	var seen []int
	if len(spec.blocks) <= len(few) {
		seen = few[:len(spec.blocks)]
	} else {
		seen = make([]int, len(spec.blocks))
	}
	if native != nil {
		for _, nb := range native.Blocks {
			hb, diag := spec.nativeHeader(nb)
			if diag != nil {
				d.unsupported(b, spec, hcl.Diagnostics{diag})
				continue
			}
			d.nested(b, spec, &hb, seen)
		}
	} else {
		for _, hb := range content.Blocks {
			d.nested(b, spec, hb, seen)
		}
	}
	for i, bs := range spec.blocks {
		if bs.Required && seen[i] == 0 {
			d.add(Errorf(RuleSchema, b.DefRange,
				fmt.Sprintf("%s has no %s block: %s", describe(b), bs.Name, bs.Doc),
				fmt.Sprintf("add a %s { ... } block", bs.Name)))
		}
	}
	if b.Type == "step" {
		d.checkStepContent(b)
	}
}

func (d *decoder) unsupported(b *Block, spec *bodySpec, diags hcl.Diagnostics) {
	if len(diags) > 0 {
		d.add(tagRule(rewordUnsupported(diags, b, spec.schema), RuleSchema)...)
	}
}

// attrs decodes the attributes that are set, in the order of the spec,
// from a native body or from the content of a JSON one, reports the
// required ones that are not, and returns how many it decoded.
func (d *decoder) attrs(b *Block, spec *bodySpec, native *hclsyntax.Body, content *hcl.BodyContent) int {
	n := 0
	if native != nil {
		n = len(native.Attributes)
	} else {
		n = len(content.Attributes)
	}
	// Attr hands out pointers into this array: it never grows after this.
	b.Attrs = make([]Attribute, 0, n)
	for i := range spec.attrs {
		a := &spec.attrs[i]
		var nameRange hcl.Range
		var expr hcl.Expression
		if native != nil {
			if ha, ok := native.Attributes[a.Name]; ok {
				nameRange, expr = ha.NameRange, ha.Expr
			}
		} else if ha, ok := content.Attributes[a.Name]; ok {
			nameRange, expr = ha.NameRange, ha.Expr
		}
		if expr == nil {
			if a.Required {
				d.add(Errorf(RuleSchema, b.DefRange,
					fmt.Sprintf("%s has no %s: %s", describe(b), a.Name, a.Doc),
					fmt.Sprintf("add %s = %s", a.Name, example(*a))))
			}
			continue
		}
		b.addAttr(i, Attribute{Name: a.Name, NameRange: nameRange, ValueRange: expr.Range(), Value: d.shallowValue(a, expr)})
	}
	return len(b.Attrs)
}

// nested decodes a nested block the spec takes; seen counts them by
// spec.blocks.
func (d *decoder) nested(b *Block, spec *bodySpec, hb *hcl.Block, seen []int) {
	if k := kinds.LookupElement(hb.Type); k != nil && (spec.elements || spec.actions) {
		b.Blocks = append(b.Blocks, d.block(hb, k, b, d.specs.kind(k, spec.actions)))
		return
	}
	i := findBlockSpec(spec.blocks, hb.Type)
	if i < 0 {
		return
	}
	seen[i]++
	bs := &spec.blocks[i]
	if !bs.Repeated && seen[i] == 2 {
		d.add(Errorf(RuleSchema, hb.DefRange,
			fmt.Sprintf("%s has more than one %s block", describe(b), hb.Type),
			fmt.Sprintf("merge the %s blocks into one", hb.Type)))
	}
	b.Blocks = append(b.Blocks, d.block(hb, nil, b, d.specs.block(bs)))
}

var unsupportedName = regexp.MustCompile(`(?:An argument named|Blocks of type|No argument or block type is named) "([^"]+)"`)

// extraneousJSONKey is the summary of HCL's JSON body for an object key
// that is no attribute or block of the schema.
const extraneousJSONKey = "Extraneous JSON object property"

// rewordUnsupported replaces HCL's hint for an unknown attribute or block
// (the first name within two edits) with the closest name, or the list of
// what the block takes.
func rewordUnsupported(diags hcl.Diagnostics, b *Block, schema *hcl.BodySchema) hcl.Diagnostics {
	for _, diag := range diags {
		if diag.Summary != "Unsupported argument" && diag.Summary != "Unsupported block type" && diag.Summary != extraneousJSONKey {
			continue
		}
		m := unsupportedName.FindStringSubmatch(diag.Detail)
		if m == nil {
			continue
		}
		var names []string
		what := "attributes"
		if diag.Summary != "Unsupported block type" {
			for _, a := range schema.Attributes {
				names = append(names, a.Name)
			}
		}
		if diag.Summary != "Unsupported argument" {
			what = "blocks"
			for _, bs := range schema.Blocks {
				names = append(names, bs.Type)
			}
		}
		if diag.Summary == extraneousJSONKey && len(schema.Attributes) > 0 {
			what = "attributes"
			if len(schema.Blocks) > 0 {
				what = "attributes and blocks"
			}
		}
		first, _, _ := strings.Cut(diag.Detail, ". ")
		first = strings.TrimSuffix(first, ".") + "."
		switch s := suggest.Closest(m[1], names); {
		case s != "":
			diag.Detail = fmt.Sprintf("%s Did you mean %q?", first, s)
		case len(names) == 0:
			diag.Detail = fmt.Sprintf("%s %s takes no %s.", first, describe(b), what)
		default:
			sort.Strings(names)
			diag.Detail = fmt.Sprintf("%s Did you mean one of %s? (the %s %s takes)", first, strings.Join(names, ", "), what, describe(b))
		}
	}
	return diags
}

// findBlockSpec is the index of the nested block type in specs, or -1.
func findBlockSpec(specs []kinds.Block, typ string) int {
	for i := range specs {
		if specs[i].Name == typ {
			return i
		}
	}
	return -1
}

func (d *decoder) checkGroups(b *Block, groups []kinds.Group) {
	for _, g := range groups {
		var set []string
		for _, name := range g.Attrs {
			if b.Attr(name) != nil {
				set = append(set, name)
			}
		}
		list := words.JoinOr(g.Attrs)
		if g.Rule == kinds.Together {
			if len(set) > 0 && len(set) < len(g.Attrs) {
				d.add(Errorf(RuleSchema, b.DefRange,
					fmt.Sprintf("%s sets %s without %s; they go together", describe(b), set[0], missing(g.Attrs, set)),
					fmt.Sprintf("set %s too, or neither", missing(g.Attrs, set))))
			}
			continue
		}
		switch {
		case len(set) == 0 && g.Rule != kinds.AtMostOne:
			what := "one of"
			if g.Rule == kinds.AtLeastOne {
				what = "at least one of"
			}
			msg := fmt.Sprintf("%s sets none of %s", describe(b), list)
			if g.Why != "" {
				msg += ": " + g.Why
			}
			d.add(Errorf(RuleSchema, b.DefRange, msg, fmt.Sprintf("set %s %s", what, list)))
		case len(set) > 1 && g.Rule != kinds.AtLeastOne:
			d.add(Errorf(RuleSchema, b.Attr(set[1]).NameRange,
				fmt.Sprintf("%s sets both %s and %s; they exclude each other", describe(b), set[0], set[1]),
				fmt.Sprintf("keep only one of %s", list)))
		}
	}
}

func missing(all, set []string) string {
	var out []string
	for _, a := range all {
		if !slices.Contains(set, a) {
			out = append(out, a)
		}
	}
	return strings.Join(out, " and ")
}

// checkStepContent enforces a step's one part: exactly one of the
// table's step contents (email, sms... or a rule block), and an option
// (wait_for_completion) only beside its content (task).
func (d *decoder) checkStepContent(b *Block) {
	var set []string
	var second hcl.Range
	for _, name := range kinds.StepContents() {
		if a := b.Attr(name); a != nil {
			set = append(set, name)
			if len(set) == 2 {
				second = a.NameRange
			}
		}
		if rb := b.First(name); rb != nil {
			set = append(set, name)
			if len(set) == 2 {
				second = rb.DefRange
			}
		}
	}
	for i := range b.Attrs {
		a := &b.Attrs[i]
		if content := kinds.StepOptionOf(a.Name); content != "" && !b.Has(content) {
			k, setting := kinds.StepAction(content)
			d.add(Errorf(RuleSchema, a.NameRange,
				fmt.Sprintf("step %q sets %s without %s: it goes with %s, and does nothing here", b.Name, a.Name, content, content),
				fmt.Sprintf("remove %s, or make it a %s step (%s = %s.NAME)", a.Name, content, content, k.Attr(setting).Targets[0])))
		}
	}
	switch {
	case len(set) == 0:
		d.add(Errorf(RuleSchema, b.DefRange,
			fmt.Sprintf("step %q does nothing: it has none of %s", b.Name, strings.Join(kinds.StepContents(), ", ")),
			fmt.Sprintf("give the step exactly one of %s, a %s block or a %s block", strings.Join(kinds.StepAttrs(), ", "), kinds.StepRule, kinds.StepSplit)))
	case len(set) > 1:
		d.add(Errorf(RuleSchema, second,
			fmt.Sprintf("step %q has both %s and %s; a step does exactly one thing", b.Name, set[0], set[1]),
			"split it into two steps"))
	}
}

// describe names a block for messages: `wait "later"`, `account`.
func describe(b *Block) string {
	if b.Name != "" {
		return fmt.Sprintf("%s %q", b.Type, b.Name)
	}
	if b.Parent != nil && b.Kind == nil {
		return fmt.Sprintf("the %s block of %s", b.Type, describe(b.Parent))
	}
	return b.Type
}

// Describe names a block for messages: `wait "later"`, `account`.
func Describe(b *Block) string { return describe(b) }

// example is a placeholder value for a hint.
func example(a kinds.Attr) string {
	switch a.Type {
	case kinds.Ref, kinds.RefOrString:
		if len(a.Targets) > 0 {
			return a.Targets[0] + ".NAME"
		}
	case kinds.RefList:
		return "[" + a.Targets[0] + ".NAME]"
	case kinds.Next:
		return "KIND.NAME"
	case kinds.EventProperty:
		return "event.NAME"
	case kinds.NextList:
		return "[KIND.NAME, KIND.NAME]"
	case kinds.Event:
		return "tag_added(tag.NAME)"
	case kinds.Duration:
		return `"1d"`
	case kinds.Number:
		return "1"
	case kinds.Bool:
		return "true"
	case kinds.Condition:
		return "has_tag(tag.NAME)"
	case kinds.FieldValues:
		return `{ FIELD = "value" }`
	case kinds.FieldType:
		return "string"
	case kinds.Enum:
		return fmt.Sprintf("%q", a.Values[0])
	case kinds.Address:
		return "campaign.NAME.KIND.NAME"
	}
	return `"..."`
}

// identifierLike suggests an identifier for a name that is not one.
func identifierLike(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9' && b.Len() > 0:
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "_"):
			b.WriteRune('_')
		}
	}
	s := strings.Trim(b.String(), "_")
	if s == "" {
		s = "welcome_email"
	}
	return s
}
