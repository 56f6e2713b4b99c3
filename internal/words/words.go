// Package words holds the small pieces of English that every stage's
// messages share: counts with their noun ("2 campaigns"), lists ("a, b or
// c"), a value's type ("a list"). One copy of each, so that a finding, a
// simulate error and a server response say the same thing the same way.
package words

import (
	"strconv"
	"strings"

	"github.com/zclconf/go-cty/cty"
)

// Count is n and its noun: "1 campaign", "0 campaigns", "2 campaigns".
// The plural is the regular one (Plural); CountForms takes an irregular
// one.
func Count(n int, noun string) string {
	return CountForms(n, noun, Plural(noun))
}

// CountForms is n and the form of the noun (or noun and verb) for it:
// "1 file is", "2 files are"; "1 sms", "2 sms".
func CountForms(n int, one, many string) string {
	return strconv.Itoa(n) + " " + ForCount(n, one, many)
}

// ForCount is one for 1 and many for any other n, without the number: a
// pronoun ("it", "them") or a verb that agrees with a count said before.
func ForCount(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Plural is a noun's regular plural: "es" after s, x, z, ch and sh, "s"
// otherwise. It does not guess irregular plurals; say those with
// CountForms.
func Plural(noun string) string {
	for _, end := range []string{"s", "x", "z", "ch", "sh"} {
		if strings.HasSuffix(noun, end) {
			return noun + "es"
		}
	}
	return noun + "s"
}

// JoinOr lists alternatives: "a", "a or b", "a, b or c".
func JoinOr(list []string) string { return join(list, " or ") }

// JoinAnd lists all of several things: "a", "a and b", "a, b and c".
func JoinAnd(list []string) string { return join(list, " and ") }

func join(list []string, last string) string {
	if len(list) < 2 {
		return strings.Join(list, "")
	}
	return strings.Join(list[:len(list)-1], ", ") + last + list[len(list)-1]
}

// FriendlyType names a value's type for a message that compares it with
// what was wanted: "a string", "a number", "a bool", "a list", "an
// object"; cty's own name ("dynamic") for anything else.
func FriendlyType(t cty.Type) string {
	switch {
	case t == cty.String:
		return "a string"
	case t == cty.Number:
		return "a number"
	case t == cty.Bool:
		return "a bool"
	case t.IsListType() || t.IsTupleType() || t.IsSetType():
		return "a list"
	case t.IsObjectType() || t.IsMapType():
		return "an object"
	}
	return t.FriendlyName()
}
