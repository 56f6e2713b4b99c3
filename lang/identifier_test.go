package lang

import (
	"testing"

	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// validIdentifier must agree with hclsyntax.ValidIdentifier, which it
// short-cuts for plain ASCII names.
func TestValidIdentifierAgreesWithHCL(t *testing.T) {
	for _, name := range []string{
		"welcome", "welcome_email", "day-3", "A1", "x", "true", "null",
		"", "_private", "-x", "3days", "welcome email", "a.b", "a\"b", "tag!",
		"café", "日本", "naïve-2", "a\u00a0b", "a\nb", "Ωmega", "a_", "a--",
	} {
		if got, want := validIdentifier(name), hclsyntax.ValidIdentifier(name); got != want {
			t.Errorf("validIdentifier(%q) = %v, hclsyntax.ValidIdentifier says %v", name, got, want)
		}
	}
}

func FuzzValidIdentifier(f *testing.F) {
	for _, seed := range []string{"welcome", "day-3", "_x", "café", "a b"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if got, want := validIdentifier(name), hclsyntax.ValidIdentifier(name); got != want {
			t.Errorf("validIdentifier(%q) = %v, hclsyntax.ValidIdentifier says %v", name, got, want)
		}
	})
}
