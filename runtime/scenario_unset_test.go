package runtime_test

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/journeyhq/journey/compiler"
)

// unsetCases are conditions over a contact whose declared fields are all
// unset, and what each is: docs/language.md's table of unset values, row by
// row. Every case runs as written and inside !( ), which must take the
// other branch: ! always means not.
var unsetCases = []struct {
	cond string
	want bool
}{
	// Text (string, date, datetime): an unset one is empty text.
	{`contact.plan == ""`, true},
	{`contact.plan == "pro"`, false},
	{`contact.plan != ""`, false},
	{`contact.plan != "pro"`, true},
	{`contact.plan == null`, true},
	{`contact.stage == ""`, true},
	{`contact.trial_ends == "2026-07-04"`, false},
	{`contact.last_seen == ""`, true},
	{`"${contact.plan}x" == "x"`, true},
	// A list: an unset one is the empty list.
	{`contact.interests == []`, true},
	{`contact.interests != []`, false},
	{`contact.interests[0] == ""`, true},
	{`contact.tags[0] == ""`, true},
	// A bool: an unset one is false.
	{`contact.newsletter`, false},
	{`contact.newsletter == false`, true},
	{`contact.newsletter && true`, false},
	{`contact.newsletter || false`, false},
	{`(contact.newsletter ? "yes" : "no") == "no"`, true},
	// A number: an unset one is no number. Arithmetic gives no number,
	// an ordering is false, == holds only with another unset value.
	{`contact.score == 0`, false},
	{`contact.score != 0`, true},
	{`contact.score == null`, true},
	{`contact.score == contact.score`, true},
	{`contact.score < 10`, false},
	{`contact.score <= 10`, false},
	{`contact.score > 10`, false},
	{`contact.score >= 10`, false},
	{`contact.score + 1 >= 1`, false},
	{`contact.score - 1 <= 0`, false},
	{`contact.score * 2 == 0`, false},
	{`contact.score / 2 == 0`, false},
	{`contact.score % 2 == 0`, false},
	{`-contact.score <= 0`, false},
	// Functions.
	{`has_tag(contact.plan)`, false},
	{`days_since(contact.trial_ends) > 3`, false},
	{`days_since(contact.trial_ends) <= 3`, false},
	{`days_until(contact.last_seen) >= 0`, false},
	{`now() != ""`, true},
	{`today() != ""`, true},
	{`date_add(contact.trial_ends, "1d") == ""`, true},
	{`date_add(contact.last_seen, "-2h") == null`, true},
	{`days_until(date_add(contact.trial_ends, "1d")) >= 0`, false},
	{`abs(contact.score) >= 0`, false},
	{`ceil(contact.score) == 0`, false},
	{`floor(contact.score) == 0`, false},
	{`max(contact.score, 5) == 5`, true},
	{`min(contact.score, 5) == 5`, true},
	{`max(contact.score) >= 0`, false},
	{`coalesce(contact.plan, "free") == "free"`, true},
	{`coalesce(contact.score, 7) == 7`, true},
	{`contains(coalesce(contact.interests, ["none"]), "none")`, true},
	{`coalesce(contact.plan, contact.company) == ""`, true},
	{`contains(contact.interests, "x")`, false},
	{`contains(contact.tags, "x")`, false},
	{`contains(["a", ""], contact.plan)`, true},
	{`contains([1, 2], contact.score)`, false},
	{`length(contact.plan) == 0`, true},
	{`length(contact.interests) == 0`, true},
	{`lower(contact.plan) == ""`, true},
	{`upper(contact.plan) == ""`, true},
	{`trimspace(contact.plan) == ""`, true},
	{`join(",", contact.interests) == ""`, true},
	{`replace(contact.plan, "a", "b") == ""`, true},
	{`substr(contact.plan, 0, 3) == ""`, true},
	{`substr("abc", contact.score, 1) == "a"`, false},
	{`format("%s!", contact.plan) == "!"`, true},
	{`format("%d", contact.score) == ""`, true},
	// A dynamic segment's where over unset fields, and a contact with no
	// purchase.
	{`in_segment(segment.pro_plan)`, false},
	{`has_purchased(product.pro)`, false},
}

// unsetWorkspace is one campaign per case and per negation, whose
// condition takes then or else.
func unsetWorkspace() string {
	var b strings.Builder
	b.WriteString(`
field "interests" {
  type = list(string)
}
field "newsletter" {
  type = bool
}
field "last_seen" {
  type = datetime
}
segment "pro_plan" {
  where = contact.plan == "pro"
}
`)
	for i, c := range unsetCases {
		for _, neg := range []bool{false, true} {
			cond := c.cond
			if neg {
				cond = "!(" + cond + ")"
			}
			fmt.Fprintf(&b, `
campaign %q {
  trigger "t" {
    on   = form_submitted(form.signup)
    next = condition.check
  }
  condition "check" {
    if   = %s
    then = end.yes
    else = end.no
  }
  end "yes" {}
  end "no" {}
}
`, unsetCampaign(i, neg), cond)
		}
	}
	return b.String()
}

func unsetCampaign(i int, neg bool) string {
	if neg {
		return fmt.Sprintf("not_%d", i)
	}
	return fmt.Sprintf("case_%d", i)
}

func TestEveryOperatorAndFunctionOverUnsetValues(t *testing.T) {
	w := scenario(t, unsetWorkspace())
	for _, contact := range []struct {
		what   string
		fields map[string]any
	}{
		{"unset", map[string]any{}},
		// Empty text and an empty list are the same as unset ones.
		{"empty", map[string]any{"plan": "", "company": "", "interests": []string{}}},
	} {
		id := w.contact(contact.fields)
		for i, c := range unsetCases {
			for _, neg := range []bool{false, true} {
				want, cond := c.want, c.cond
				if neg {
					want, cond = !want, "!("+cond+")"
				}
				camp := unsetCampaign(i, neg)
				w.enroll(id, camp)
				var took string
				var detail map[string]any
				for _, e := range w.timeline(id) {
					if e.Campaign == camp && e.Element == "check" {
						took, detail = e.Outcome, entryDetail(t, e)
					}
				}
				wantBranch := map[bool]string{true: "then", false: "else"}[want]
				if took != wantBranch || detail["error"] != nil {
					t.Errorf("%s contact: %s took %q (%v), want %s", contact.what, cond, took, detail, wantBranch)
				}
			}
		}
	}
}

// TestUnsetCasesCoverEveryFunction keeps the table above complete: a new
// function needs a row that says what it does with an unset value.
func TestUnsetCasesCoverEveryFunction(t *testing.T) {
	called := map[string]bool{}
	call := regexp.MustCompile(`\b([a-z_]+)\(`)
	for _, c := range unsetCases {
		for _, m := range call.FindAllStringSubmatch(c.cond, -1) {
			called[m[1]] = true
		}
	}
	var missing []string
	for _, name := range compiler.FunctionNames() {
		if !called[name] {
			missing = append(missing, name)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("no unset case calls %s", strings.Join(missing, ", "))
	}
}

func TestTemplatesReadUnsetFieldsAsEmpty(t *testing.T) {
	// docs/language.md's own example: a contact without a company gets the
	// else text, not "Your team at  has".
	w := scenario(t, `
email "trial" {
  subject = "Hi ${contact.first_name}"
  body    = "%{if contact.company != ""}Your team at ${contact.company} has%{else}You have%{endif} two days left."
}

campaign "c" {
  trigger "t" {
    on   = tag_added(tag.go)
    next = send_email.trial
  }
  send_email "trial" {
    email = email.trial
  }
}
`)
	for _, c := range []struct {
		company, want string
	}{
		{"", "You have two days left."},
		{"Acme", "Your team at Acme has two days left."},
	} {
		fields := map[string]any{"email": "ada@example.com", "first_name": "Ada"}
		if c.company != "" {
			fields["company"] = c.company
		}
		id := w.contact(fields)
		w.tag(id, "go")
		sent := w.sent(id, "email", "trial")
		if len(sent) != 1 || sent[0].Payload["body"] != c.want {
			t.Errorf("company %q: sent %v, want the body %q\n%s", c.company, sent, c.want, w.story(id))
		}
	}
}

func TestJourneyFunctionsTakeWhatTheTypeCheckAccepts(t *testing.T) {
	// The type check lets a number stand for text, as HCL converts it;
	// has_tag and days_since read a number field as its text instead of
	// crashing the engine.
	w := scenario(t, `
campaign "tagged" {
  trigger "t" {
    on   = form_submitted(form.signup)
    next = condition.check
  }
  condition "check" {
    if   = has_tag(contact.score)
    then = end.yes
    else = end.no
  }
  end "yes" {}
  end "no" {}
}

campaign "dated" {
  trigger "t" {
    on   = form_submitted(form.signup)
    next = condition.check
  }
  condition "check" {
    if   = days_since(contact.score) > 0
    then = end.yes
    else = end.no
  }
  end "yes" {}
  end "no" {}
}
`)
	id := w.contact(map[string]any{"score": 5.0, "tags": []string{"5"}})
	w.enroll(id, "tagged")
	w.enroll(id, "dated")
	var outcomes []string
	for _, e := range w.timeline(id) {
		if e.Element == "check" {
			outcomes = append(outcomes, e.Campaign+": "+e.Outcome+" "+string(e.Detail))
		}
	}
	want := []string{`tagged: then `, `dated: else {"error":"\"5\" is not a date"}`}
	if fmt.Sprint(outcomes) != fmt.Sprint(want) {
		t.Errorf("got %q, want %q", outcomes, want)
	}
}
