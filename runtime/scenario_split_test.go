package runtime_test

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/journeyhq/journey/runtime"
	"github.com/journeyhq/journey/runtime/sqlstore"
)

// A split (and a weighted lead router) picks its arm from who the contact
// is, not from the row the store gave it: journey simulate and journey test
// run every contact alone on a fresh store, where each is row 1, and the
// server must agree with them.

const abcSplit = `
campaign "c" {
  reentry = "always"

  trigger "t" {
    on   = form_submitted(form.signup)
    next = split.s
  }
  split "s" {
    path {
      weight = 50
      next   = change_tags.a
    }
    path {
      weight = 30
      next   = change_tags.b
    }
    path {
      weight = 20
      next   = change_tags.c
    }
  }
  change_tags "a" {
    add  = [tag.a]
    next = end.done
  }
  change_tags "b" {
    add  = [tag.b]
    next = end.done
  }
  change_tags "c" {
    add  = [tag.c]
    next = end.done
  }
  end "done" {}
}

campaign "routed" {
  trigger "t" {
    on   = form_submitted(form.signup)
    next = assign_owner.w
  }
  assign_owner "w" {
    lead_router = lead_router.weighted
  }
}
`

// splitContacts is how many contacts a share is measured over: with 1,000,
// an arm of a fair split strays 3 points from its weight one time in 17;
// with 2,000, one time in 150.
const splitContacts = 2000

// splitShares are the arms' weights in abcSplit, in percent.
var splitShares = map[string]float64{"a": 50, "b": 30, "c": 20}

// armOf is the split arm a contact took, by its tag.
func armOf(t *testing.T, c *runtime.Contact) string {
	t.Helper()
	arm := ""
	for _, tag := range []string{"a", "b", "c"} {
		if c != nil && c.HasTag(tag) {
			if arm != "" {
				t.Fatalf("the contact took two arms: %v", c.Tags)
			}
			arm = tag
		}
	}
	if arm == "" {
		t.Fatalf("the contact took no arm: %+v", c)
	}
	return arm
}

// simulateAlone runs one contact through a campaign on its own fresh
// store, as journey simulate and journey test do.
func simulateAlone(t *testing.T, prog *runtime.Program, c *runtime.Contact, campaign string) *runtime.Contact {
	t.Helper()
	ctx := context.Background()
	store, err := sqlstore.OpenSQLite(ctx, ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	start := mustTime(t, scenarioStart)
	res, err := runtime.NewSimulation(prog, store, start).Run(ctx, c, runtime.Entry{Campaign: campaign}, nil, start.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if res.Contact == nil {
		t.Fatalf("the contact is gone:\n%s", timelineText(res))
	}
	return res.Contact
}

// expectShares fails unless each arm's share is within 3 points of its
// weight.
func expectShares(t *testing.T, what string, counts map[string]int, want map[string]float64) {
	t.Helper()
	total := 0
	for _, n := range counts {
		total += n
	}
	for arm, weight := range want {
		share := 100 * float64(counts[arm]) / float64(total)
		if math.Abs(share-weight) > 3 {
			t.Errorf("%s: %.1f%% took %s (weight %.0f); the arms: %v", what, share, arm, weight, counts)
		}
	}
}

func TestSplitArmsFollowTheContactInOneStore(t *testing.T) {
	w := scenario(t, abcSplit)
	const n = splitContacts
	counts := map[string]int{}
	for i := 0; i < n; i++ {
		id := w.contact(map[string]any{"email": fmt.Sprintf("person%d@example.com", i)})
		w.event(id, "form_submitted", "form", "signup")
		counts[armOf(t, w.get(id))]++
	}
	expectShares(t, "one store", counts, splitShares)
}

// TestSplitArmsFollowTheContactInSimulations: a contact simulated alone, as
// journey simulate and journey test run it, takes the arm it takes in a
// store of many, so the shares measured there hold for simulations too
// (measuring them over 2,000 fresh stores would take seconds).
func TestSplitArmsFollowTheContactInSimulations(t *testing.T) {
	prog := linkScenario(t, abcSplit)
	w := newWorld(t, prog, scenarioStart)
	arms := map[string]bool{}
	for i := 0; i < 200; i++ {
		email := fmt.Sprintf("person%d@example.com", i)
		alone := armOf(t, simulateAlone(t, prog, runtime.NewContact(map[string]any{"email": email}), "c"))
		id := w.contact(map[string]any{"email": email})
		w.event(id, "form_submitted", "form", "signup")
		if shared := armOf(t, w.get(id)); shared != alone {
			t.Fatalf("%s took %s alone and %s as contact %d of a shared store", email, alone, shared, id)
		}
		arms[alone] = true
	}
	if len(arms) != len(splitShares) {
		t.Errorf("200 contacts simulated alone took only the arms %v", arms)
	}
}

func TestSplitArmIsTheSameAcrossStoresAndRuns(t *testing.T) {
	prog := linkScenario(t, abcSplit)
	// In a store of many contacts, each one at another row than in a
	// simulation of its own.
	w := newWorld(t, prog, scenarioStart)
	for i := 0; i < 7; i++ {
		w.contact(map[string]any{"email": fmt.Sprintf("someone%d@example.com", i)})
	}
	differ := 0
	for i := 0; i < 50; i++ {
		email := fmt.Sprintf("person%d@example.com", i)
		alone := armOf(t, simulateAlone(t, prog, runtime.NewContact(map[string]any{"email": email}), "c"))
		again := armOf(t, simulateAlone(t, prog, runtime.NewContact(map[string]any{"email": email}), "c"))
		// The email as people type it: case and spaces do not make
		// another contact.
		typed := armOf(t, simulateAlone(t, prog, runtime.NewContact(map[string]any{"email": "  Person" + email[len("person"):] + " "}), "c"))
		id := w.contact(map[string]any{"email": email})
		w.event(id, "form_submitted", "form", "signup")
		shared := armOf(t, w.get(id))
		if alone != again || alone != typed || alone != shared {
			t.Fatalf("%s took %s alone, %s on a second run, %s typed in capitals with spaces, %s as contact %d of a shared store",
				email, alone, again, typed, shared, id)
		}
		if alone != armOf(t, simulateAlone(t, prog, runtime.NewContact(map[string]any{"email": fmt.Sprintf("other%d@example.com", i)}), "c")) {
			differ++
		}
	}
	if differ == 0 {
		t.Fatal("50 pairs of contacts with different emails all took the same arms: the arm does not depend on the email")
	}
}

func TestSplitArmFollowsTheExternalIDBeforeTheEmail(t *testing.T) {
	w := scenario(t, abcSplit)
	counts := map[string]int{}
	const n = splitContacts
	for i := 0; i < n; i++ {
		c := runtime.NewContact(map[string]any{"email": "old@example.com"})
		c.ExternalID = fmt.Sprintf("crm-%d", i)
		if err := w.sim.Engine.CreateContact(w.ctx, c); err != nil {
			t.Fatal(err)
		}
		id := c.ID
		w.event(id, "form_submitted", "form", "signup")
		counts[armOf(t, w.get(id))]++
	}
	expectShares(t, "by external id", counts, splitShares)

	// The client's own id names the contact: a new email (or none) does
	// not move it to another arm.
	prog := linkScenario(t, abcSplit)
	for i := 0; i < 50; i++ {
		with := func(email string) *runtime.Contact {
			c := runtime.NewContact(map[string]any{"email": email})
			c.ExternalID = fmt.Sprintf("crm-%d", i)
			return c
		}
		first := armOf(t, simulateAlone(t, prog, with("old@example.com"), "c"))
		if later := armOf(t, simulateAlone(t, prog, with(""), "c")); later != first {
			t.Fatalf("crm-%d took %s with an email, then %s without", i, first, later)
		}
	}
}

func TestSplitWithoutEmailOrExternalIDFollowsTheRow(t *testing.T) {
	// A contact with neither is known only by its row: in a shared store
	// each takes its own arm (TestSplitIsStableAndWeighted); alone on a
	// fresh store, every one is row 1 and takes the same arm.
	prog := linkScenario(t, abcSplit)
	first := armOf(t, simulateAlone(t, prog, runtime.NewContact(nil), "c"))
	for i := 0; i < 20; i++ {
		if arm := armOf(t, simulateAlone(t, prog, runtime.NewContact(map[string]any{"first_name": fmt.Sprint(i)}), "c")); arm != first {
			t.Fatalf("an anonymous contact took %s, another %s: both are row 1", first, arm)
		}
	}
}

func TestWeightedRouterFollowsTheContact(t *testing.T) {
	prog := linkScenario(t, abcSplit)
	w := newWorld(t, prog, scenarioStart)
	const n = splitContacts
	counts := map[string]int{}
	for i := 0; i < n; i++ {
		email := fmt.Sprintf("person%d@example.com", i)
		id := w.contact(map[string]any{"email": email})
		w.enroll(id, "routed")
		owner := w.get(id).Owner
		counts[owner]++
		if i < 20 {
			if alone := simulateAlone(t, prog, runtime.NewContact(map[string]any{"email": email}), "routed"); alone.Owner != owner {
				t.Fatalf("%s went to %s in a shared store, then to %s simulated alone", email, owner, alone.Owner)
			}
		}
	}
	expectShares(t, "weighted router", counts, map[string]float64{"sam": 75, "alice": 25})
}
