package runtime_test

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/journeyhq/journey/runtime"
)

const fulfillmentWorkspace = `
account {
  time_zone = "America/New_York"
}

field "address" {
  type = string
}

user "sam" {
  email = "sam@acme.example"
}

fulfillment_list "welcome_kits" {
  fields     = [field.first_name, field.address, field.email]
  deliver_to = user.sam
  batch {
    min_size = 2.5
    max_age  = "1d"
  }
}

fulfillment_list "badges" {
  fields     = [field.address]
  deliver_to = "print@badges.example"
}

fulfillment_list "by_hand" {
  fields = [field.first_name]
}
`

func fulfillmentProgram(t *testing.T) *runtime.Program {
	t.Helper()
	return link(t, map[string]string{"main.journey.hcl": fulfillmentWorkspace})
}

func TestFulfillmentListsAsTheServerWorksThem(t *testing.T) {
	prog := fulfillmentProgram(t)
	var names []string
	for _, l := range prog.FulfillmentLists() {
		names = append(names, l.Name)
	}
	if want := []string{"badges", "by_hand", "welcome_kits"}; !slices.Equal(names, want) {
		t.Errorf("FulfillmentLists() = %v; want %v, by name", names, want)
	}
	kits := prog.FulfillmentList("welcome_kits")
	if kits == nil {
		t.Fatal("FulfillmentList(welcome_kits) = nil")
	}
	if want := []string{"first_name", "address", "email"}; !slices.Equal(kits.Fields, want) {
		t.Errorf("welcome_kits' fields = %v; want %v, in the plan's order", kits.Fields, want)
	}
	if kits.DeliverTo != "sam@acme.example" || kits.DeliverToUser != "sam" {
		t.Errorf("welcome_kits goes to %q (user %q); want user sam's email", kits.DeliverTo, kits.DeliverToUser)
	}
	if kits.MinSize != 3 || kits.MaxAge == nil || kits.MaxAge.Days != 1 || !kits.HasBatchRule() {
		t.Errorf("welcome_kits' rule is min_size %d, max_age %v; want 3 (2.5 rows are reached with 3) and 1d", kits.MinSize, kits.MaxAge)
	}
	if badges := prog.FulfillmentList("badges"); badges.DeliverTo != "print@badges.example" || badges.DeliverToUser != "" || badges.HasBatchRule() {
		t.Errorf("badges = %+v; want mailed to print@badges.example and no batch rule", badges)
	}
	if byHand := prog.FulfillmentList("by_hand"); byHand.DeliverTo != "" || byHand.HasBatchRule() {
		t.Errorf("by_hand = %+v; want neither a recipient nor a rule", byHand)
	}
	if prog.FulfillmentList("welcome_kit") != nil {
		t.Error("FulfillmentList of an undeclared list is not nil")
	}
}

func TestBatchDueBySizeOrByAge(t *testing.T) {
	prog := fulfillmentProgram(t)
	kits := prog.FulfillmentList("welcome_kits")
	oldest := time.Date(2026, 6, 10, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name string
		rows int
		now  time.Time
		due  bool
	}{
		{"nothing waits, long after", 0, oldest.AddDate(1, 0, 0), false},
		{"fewer rows than min_size, younger than max_age", 2, oldest.Add(23 * time.Hour), false},
		{"min_size reached", 3, oldest.Add(time.Minute), true},
		{"more than min_size", 40, oldest, true},
		{"max_age reached", 1, oldest.Add(24 * time.Hour), true},
		{"a second short of max_age", 1, oldest.Add(24*time.Hour - time.Second), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			pending := runtime.FulfillmentPending{Rows: c.rows}
			if c.rows > 0 {
				pending.Oldest = oldest
			}
			due, why := prog.BatchDue(kits, pending, c.now)
			if due != c.due {
				t.Errorf("BatchDue(%d rows, oldest %s, at %s) = %v (%q); want %v", c.rows, oldest, c.now, due, why, c.due)
			}
			if due && why == "" {
				t.Error("a due batch without the reason, which the log gives")
			}
		})
	}
	if due, _ := prog.BatchDue(prog.FulfillmentList("by_hand"), runtime.FulfillmentPending{Rows: 1000, Oldest: oldest}, oldest.AddDate(1, 0, 0)); due {
		t.Error("a list without a batch rule became due: it is only cut by hand")
	}
}

// max_age counts days as the account's calendar days, as waits do: a row
// added the day before the clocks go forward is a day old 23 hours later.
func TestBatchDueCountsMaxAgeInTheAccountsDays(t *testing.T) {
	prog := fulfillmentProgram(t)
	kits := prog.FulfillmentList("welcome_kits")
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	added := time.Date(2026, 3, 7, 12, 0, 0, 0, ny) // noon EST; on 8 March clocks go to EDT
	pending := runtime.FulfillmentPending{Rows: 1, Oldest: added.UTC()}
	dayLater := time.Date(2026, 3, 8, 12, 0, 0, 0, ny)
	if elapsed := dayLater.Sub(added); elapsed != 23*time.Hour {
		t.Fatalf("the test's day is %s long, want 23h", elapsed)
	}
	if due, _ := prog.BatchDue(kits, pending, dayLater.Add(-time.Second)); due {
		t.Errorf("due at %s, before noon on the next day", dayLater.Add(-time.Second))
	}
	if due, _ := prog.BatchDue(kits, pending, dayLater); !due {
		t.Errorf("not due at %s, noon on the next day in the account's zone", dayLater)
	}
}

func TestCellTextIsWhatAContactCSVReadsBack(t *testing.T) {
	for _, c := range []struct {
		value any
		want  string
	}{
		{nil, ""},
		{"12 Rue de l'Été, Paris", "12 Rue de l'Été, Paris"},
		{12.5, "12.5"},
		{1e6, "1000000"},
		{float64(3), "3"},
		{json.Number("7"), "7"},
		{true, "true"},
		{[]any{"vip", "lead"}, "vip;lead"},
		{[]string{"a", "b"}, "a;b"},
		{[]any{}, ""},
		{map[string]any{"b": 1.0, "a": "x"}, `{"a":"x","b":1}`},
	} {
		if got := runtime.CellText(c.value); got != c.want {
			t.Errorf("CellText(%#v) = %q; want %q", c.value, got, c.want)
		}
	}
}
