package diff

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/journeyhq/journey/compiler/plan"
)

// TestDateFieldTimerChangeReadsAsWritten: a wait's (or a decision's
// deadline's) until_field is shown by the attributes it was written with,
// so a changed offset reads as that, not as two JSON objects.
func TestDateFieldTimerChangeReadsAsWritten(t *testing.T) {
	timer := func(offset plan.Duration) plan.Settings {
		raw, err := json.Marshal(plan.Timer{
			UntilField: &plan.FieldDate{Field: "trial_ends", Offset: offset, At: "23:59"},
			At:         "23:59",
			TimeZone:   plan.Zone{Mode: "contact", Name: "UTC"},
		})
		if err != nil {
			t.Fatal(err)
		}
		return plan.Settings{"deadline": raw}
	}
	got := compareSettings(timer(plan.Duration{}), timer(plan.Duration{Days: 3}))
	want := []Attr{{Name: "offset", Before: `"0m"`, After: `"3d"`}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("a changed offset is shown as %+v, want %+v", got, want)
	}
}

// TestChangedOffsetSaysTheDueTimesAreKept: contacts waiting on a timer
// whose date field's offset changed keep their due times, and the plan
// says so as it does for any other timer setting.
func TestChangedOffsetSaysTheDueTimesAreKept(t *testing.T) {
	n := 4
	ch := Change{Op: Update, Type: "decision", Name: "chose_starter", Attrs: []Attr{{Name: "offset", Before: `"0m"`, After: `"3d"`}}, Contacts: &n}
	if got, want := contactNote(ch, false), "(4 contacts waiting: their due times are kept)"; got != want {
		t.Errorf("the note is %q, want %q", got, want)
	}
}
