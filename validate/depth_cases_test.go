package validate_test

import (
	"fmt"
	"strings"
)

// The workspaces of the expression-too-deep cases in languageCases.

// pointsChain is a campaign whose condition tests contact.points against
// 1 to terms: a chain of || as deep as it is long, whose first term is a
// level more, terms+1 levels. extra goes into the condition.
func pointsChain(terms int, extra string) string {
	var chain []string
	for i := 1; i <= terms; i++ {
		chain = append(chain, fmt.Sprintf("contact.points == %d", i))
	}
	return `campaign "c" {
  trigger "new" {
    on   = contact_created()
    next = condition.scored
  }

  condition "scored" {
    if   = ` + strings.Join(chain, " || ") + `
    then = end.yes
    else = end.no
` + extra + `  }

  end "yes" {}
  end "no" {}
}
`
}

// upperCalls is contact.first_name in n calls of upper: n+1 levels.
func upperCalls(n int) string {
	return strings.Repeat("upper(", n) + "contact.first_name" + strings.Repeat(")", n)
}
