package compiler

import (
	"reflect"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// variables must give hclsyntax.Variables' answer for every expression,
// those it reads itself and those it hands over.
func TestVariablesAgreesWithHCL(t *testing.T) {
	exprs := []string{
		`contact.points > 10`,
		`has_tag(tag.customer) && !has_tag(tag.churned)`,
		`(contact.points + 1) * 2 >= contact.score`,
		`contact.plan == "pro" ? contact.first_name : "friend"`,
		`"Hi ${contact.first_name}, your ${product.pro.name} is ready"`,
		`"%{ if contact.vip }VIP%{ else }${contact.first_name}%{ endif }"`,
		`[contact.a, contact.b, 3]`,
		`lower(trimspace(contact.email))`,
		`-contact.balance`,
		`true`,
		`"plain"`,
		// Handed to hclsyntax.Variables:
		`[for t in contact.tags : t if t != contact.first_name]`,
		`{ for k, v in contact.custom : k => v }`,
		`{ plan = contact.plan, (contact.key) = 1 }`,
		`contact.items[*].name`,
		`contact.items[contact.index]`,
		`contact.a + [for x in contact.list : x + y][0]`,
	}
	for _, src := range exprs {
		x, diags := hclsyntax.ParseExpression([]byte(src), "t.hcl", hcl.InitialPos)
		if diags.HasErrors() {
			x, diags = hclsyntax.ParseTemplate([]byte(src), "t.hcl", hcl.InitialPos)
		}
		if diags.HasErrors() {
			t.Fatalf("%s: %s", src, diags)
		}
		got, want := variables(x), hclsyntax.Variables(x)
		if len(got) == 0 && len(want) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %v\nwant %v", src, names(got), names(want))
		}
	}
}

func names(ts []hcl.Traversal) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.RootName()+"@"+t.SourceRange().String())
	}
	return out
}
