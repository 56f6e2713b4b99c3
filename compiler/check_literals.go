package compiler

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/journeyhq/journey/compiler/plan"
	"github.com/journeyhq/journey/internal/suggest"
	"github.com/journeyhq/journey/lang"
	"github.com/journeyhq/journey/lang/kinds"
)

// literal reports malformed literals: durations, times, weekdays, dates,
// zones, addresses, URLs and enum values.
func (c *compiler) literal(b *lang.Block, spec *kinds.Attr, v lang.Value) {
	switch spec.Type {
	case kinds.Window:
		l, ok := v.(*lang.List)
		if !ok {
			return
		}
		if len(l.Items) != 2 {
			c.add(lang.Errorf(lang.RuleInvalidValue, l.Range, fmt.Sprintf("%s needs an opening and a closing time, not %d values", spec.Name, len(l.Items)),
				`write between = ["09:00", "17:00"]`))
			return
		}
		for _, it := range l.Items {
			c.literalString(it, func(s string) error { _, _, err := ParseTimeOfDay(s); return err })
		}
	case kinds.Weekdays:
		if kw, ok := v.(*lang.Keyword); ok {
			if _, ok := weekdayKeyword(kw.Name); !ok {
				c.add(lang.Errorf(lang.RuleInvalidValue, kw.Range, fmt.Sprintf("%s is not a set of weekdays", kw.Name),
					`use weekdays, weekends or a list such as ["mon", "wed"]`))
			}
			return
		}
		if l, ok := v.(*lang.List); ok {
			for _, it := range l.Items {
				c.literalString(it, func(s string) error { _, err := parseWeekday(s); return err })
			}
		}
	case kinds.EmailList:
		if l, ok := v.(*lang.List); ok {
			for _, it := range l.Items {
				c.literalString(it, func(s string) error { _, err := ParseEmail(s); return err })
			}
		}
	case kinds.FieldType:
		if kw, ok := v.(*lang.Keyword); ok && !slices.Contains(kinds.FieldTypes(), kw.Name) {
			hint := "use one of " + strings.Join(kinds.FieldTypes(), ", ")
			if s := suggest.Closest(kw.Name, kinds.FieldTypes()); s != "" {
				hint = fmt.Sprintf("did you mean %s?", s)
			}
			c.add(lang.Errorf(lang.RuleInvalidValue, kw.Range, fmt.Sprintf("%s is not a field type", kw.Name), hint))
		}
	case kinds.RefOrString:
		if spec.StringForm != kinds.String {
			form := *spec
			form.Type = spec.StringForm
			if check := stringCheck(&form); check != nil {
				c.literalString(v, check)
			}
		}
	default:
		if check := stringCheck(spec); check != nil {
			c.literalString(v, check)
		}
	}
}

// stringCheck returns the parser of a string-typed attribute, or nil.
func stringCheck(spec *kinds.Attr) func(string) error {
	switch spec.Type {
	case kinds.Duration:
		return func(s string) error {
			d, err := ParseDuration(s)
			if err == nil && spec.Name != "offset" && (d.Days < 0 || d.Minutes < 0) {
				return bad("only offsets may be negative", "%s = %q is negative", spec.Name, s)
			}
			return err
		}
	case kinds.TimeOfDay:
		return func(s string) error { _, _, err := ParseTimeOfDay(s); return err }
	case kinds.DateTime:
		return func(s string) error { _, _, err := ParseDateTime(s); return err }
	case kinds.Date:
		return func(s string) error {
			_, hasTime, err := ParseDateTime(s)
			if err == nil && hasTime {
				return bad(`write the date alone, "2026-07-04"`, "%q is a date-time; %s takes a date", s, spec.Name)
			}
			return err
		}
	case kinds.Zone:
		return func(s string) error { _, err := LoadZone(s); return err }
	case kinds.TimeZone:
		return func(s string) error {
			if s == "account" || s == "contact" {
				return nil
			}
			_, err := LoadZone(s)
			return err
		}
	case kinds.Email:
		return func(s string) error { _, err := ParseEmail(s); return err }
	case kinds.URL:
		return ParseURL
	case kinds.URLPattern:
		return func(s string) error {
			if _, err := plan.ParseURLPattern(s); err != nil {
				return bad(`write the page's URL, "https://example.com/pricing", or the start of it followed by *, "https://example.com/pricing*"`,
					"%q is not a page: %v", s, err)
			}
			return nil
		}
	case kinds.Enum:
		return func(s string) error {
			if slices.Contains(spec.Values, s) {
				return nil
			}
			hint := "use one of " + strings.Join(quoteAll(spec.Values), ", ")
			if sug := suggest.Closest(s, spec.Values); sug != "" {
				hint = fmt.Sprintf("did you mean %q?", sug)
			}
			return bad(hint, "%s = %q is not one of %s", spec.Name, s, strings.Join(quoteAll(spec.Values), ", "))
		}
	case kinds.Reentry:
		return func(s string) error {
			if s == "once" || s == "always" {
				return nil
			}
			if _, err := ParseDuration(s); err != nil {
				return bad(`use "once", "always" or a duration such as "30d"`, "reentry = %q is neither once, always nor a duration", s)
			}
			return nil
		}
	}
	return nil
}

// literalString runs check on a literal string value and reports its error
// as an invalid value at the literal.
func (c *compiler) literalString(v lang.Value, check func(string) error) {
	lit, ok := v.(*lang.Literal)
	if !ok || lit.Val.Type() != cty.String {
		return
	}
	if err := check(lit.Val.AsString()); err != nil {
		c.add(invalid(lit.Range, err))
	}
}

// invalid turns a literal error into an invalid-value diagnostic.
func invalid(at hcl.Range, err error) *hcl.Diagnostic {
	var le *literalError
	hint := ""
	if errors.As(err, &le) {
		hint = le.hint
	}
	return lang.Errorf(lang.RuleInvalidValue, at, err.Error(), hint)
}

func quoteAll(list []string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}
