package compiler

import (
	"fmt"
	"slices"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/journeyhq/journey/lang"
	"github.com/journeyhq/journey/lang/kinds"
)

// Defaults of the account block.
const (
	DefaultTimeZone = "UTC"
	DefaultSendTime = "10:00"
)

// account fills in the account settings and their defaults.
func (c *compiler) account() {
	a := &c.prog.Account
	a.TimeZone, a.Location, a.DefaultSendTime = DefaultTimeZone, time.UTC, DefaultSendTime
	b := a.Block
	if b == nil {
		return
	}
	if s, ok := b.String("time_zone"); ok {
		if loc, err := LoadZone(s); err == nil {
			a.TimeZone, a.Location = s, loc
		}
	}
	if s, ok := b.String("default_send_time"); ok {
		if t, _, err := ParseTimeOfDay(s); err == nil {
			a.DefaultSendTime = t
		}
	}
	for _, lit := range b.Strings("senders") {
		if addr, err := ParseEmail(lit.Val.AsString()); err == nil {
			a.Senders = append(a.Senders, addr)
		}
	}
	for _, lit := range b.Strings("sms_numbers") {
		a.SMSNumbers = append(a.SMSNumbers, lit.Val.AsString())
	}
	a.Edition, _ = b.String("edition")
}

// fields collects the built-in and declared contact fields.
func (c *compiler) fields() {
	for _, bf := range kinds.BuiltinFields() {
		c.prog.Fields[bf.Name] = &Field{
			Name: bf.Name, Type: bf.Type, Builtin: true,
			Block:    &lang.Block{Type: "field", Name: bf.Name},
			ReadOnly: bf.Name == "created_at" || bf.Name == "tags",
		}
	}
	for _, b := range c.prog.Workspace.Of("field") {
		if c.prog.Decls["field"][b.Name] != b {
			continue // a duplicate, already reported
		}
		if f := c.prog.Fields[b.Name]; f != nil && f.Builtin {
			c.add(lang.Errorf(lang.RuleDuplicateName, b.DefRange,
				fmt.Sprintf("field %q is built in; it cannot be declared again", b.Name),
				"remove this block, or give the field another name"))
			continue
		}
		f := &Field{Name: b.Name, Type: "string", Block: b, ReadOnly: b.Bool("read_only")}
		if a := b.Attr("type"); a != nil {
			if kw, ok := a.Value.(*lang.Keyword); ok && slices.Contains(kinds.FieldTypes(), kw.Name) {
				f.Type = kw.Name
			}
		}
		if a := b.Attr("default"); a != nil {
			if lit, ok := a.Value.(*lang.Literal); ok {
				f.Default = lit.Val
				c.checkFieldValue(f, lit.Val, lit.Range)
			}
		}
		c.prog.Fields[b.Name] = f
	}
}

// checkFieldValue reports a known value that does not fit the field's type.
func (c *compiler) checkFieldValue(f *Field, v cty.Value, at hcl.Range) {
	if msg, hint := fieldValueProblem(f, v); msg != "" {
		c.add(lang.Errorf(lang.RuleType, at, msg, hint))
	}
}
