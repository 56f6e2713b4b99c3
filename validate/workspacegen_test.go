package validate_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/journeyhq/journey/validate"
)

// This file generates large, realistic workspaces for the benchmarks of
// bench_test.go and for any test that needs volume. A generated workspace
// validates with no finding at all: every declaration is used, every path of
// every campaign reaches an end, sends are separated by waits or decisions,
// and the add_to_campaign calls between neighbouring campaigns hold only on
// campaigns that always let the contact go.

// genStats describes a generated workspace.
type genStats struct {
	Files    int   // campaign files written (campaigns and shared assets)
	Bytes    int64 // their total size
	Elements int   // campaign elements written
}

// Shared declarations live in a few asset files; their number grows with
// the workspace up to these caps, and never exceeds the number of
// campaigns, so that every one of them is used.
const (
	genTags      = 50
	genEmails    = 100
	genSMS       = 20
	genSequences = 10
	genForms     = 10
	genProducts  = 5
	genUsers     = 5
)

// roundSize is the number of elements of one round of a campaign body.
const roundSize = 9

// generateWorkspace writes a workspace of the given number of campaigns,
// one file each with about elementsPerCampaign elements (at least 24), plus
// the shared asset files, into dir. Campaign i calls campaign i+1 with
// add_to_campaign when i%3 is 0 (holding: the contact comes back when it
// reaches an end there) or 1 (from a fork path); i%3 == 2 ends a chain.
func generateWorkspace(tb testing.TB, dir string, campaigns, elementsPerCampaign int) genStats {
	tb.Helper()
	if campaigns < 1 {
		tb.Fatalf("generateWorkspace: need at least one campaign, not %d", campaigns)
	}
	g := &gen{n: campaigns, dir: dir, tb: tb}
	g.nTags = min(genTags, campaigns)
	g.nEmails = min(genEmails, campaigns)
	g.nSMS = min(genSMS, campaigns)
	g.nSeq = min(genSequences, campaigns)
	g.nForms = min(genForms, campaigns/2) // the odd campaigns start on a form
	g.nProducts = min(genProducts, campaigns)
	g.nUsers = min(genUsers, campaigns)
	g.writeAccount()
	g.writeTags()
	g.writeEmails()
	g.writeSMS()
	g.writeSequences()
	for i := 0; i < campaigns; i++ {
		g.writeCampaign(i, elementsPerCampaign)
	}
	return g.stats
}

type gen struct {
	tb                                                    testing.TB
	dir                                                   string
	n                                                     int
	nTags, nEmails, nSMS, nSeq, nForms, nProducts, nUsers int
	stats                                                 genStats
}

func (g *gen) write(name string, b *strings.Builder) {
	g.tb.Helper()
	if err := os.WriteFile(filepath.Join(g.dir, name), []byte(b.String()), 0o644); err != nil {
		g.tb.Fatal(err)
	}
	g.stats.Files++
	g.stats.Bytes += int64(b.Len())
}

func (g *gen) writeAccount() {
	var b strings.Builder
	b.WriteString(`account {
  time_zone         = "America/New_York"
  default_send_time = "10:00"
  senders           = ["team@example.com", "billing@example.com", "news@example.com"]
  sms_numbers       = ["+15550100", "+15550101"]
}

field "trial_ends" {
  type = date
}

field "plan" {
  type    = string
  default = "free"
}

field "last_contacted" {
  type = datetime
}

field "score_note" {
  type = string
}

`)
	for i := 0; i < g.nUsers; i++ {
		fmt.Fprintf(&b, "user \"rep_%d\" {\n  email = \"rep%d@example.com\"\n  phone = \"+1555020%d\"\n}\n\n", i, i, i)
	}
	for i := 0; i < g.nForms; i++ {
		fmt.Fprintf(&b, "form \"signup_%d\" {}\n", i)
	}
	b.WriteString("\n")
	for i := 0; i < g.nProducts; i++ {
		fmt.Fprintf(&b, "product \"plan_%d\" {\n  price = %d\n}\n\n", i, 19+10*i)
	}
	g.write("account.journey.hcl", &b)
}

func (g *gen) writeTags() {
	var b strings.Builder
	b.WriteString("# Tags shared by every campaign.\n\n")
	for i := 0; i < g.nTags; i++ {
		fmt.Fprintf(&b, "tag %q {}\n", genTagName(i))
	}
	g.write("tags.journey.hcl", &b)
}

func (g *gen) writeEmails() {
	var b strings.Builder
	b.WriteString("# Newsletters and notices shared by every campaign.\n\n")
	for i := 0; i < g.nEmails; i++ {
		kind := "marketing"
		if i%4 == 3 {
			kind = "transactional"
		}
		fmt.Fprintf(&b, `email "shared_%d" {
  subject = "Issue %d: news for ${contact.first_name}"
  from    = "news@example.com"
  body    = "Hi ${contact.first_name},\n\nthis is issue %d of our newsletter. Your plan: ${contact.plan}.\n"
  kind    = %q
}

`, i, i, i, kind)
	}
	g.write("emails.journey.hcl", &b)
}

func (g *gen) writeSMS() {
	var b strings.Builder
	for i := 0; i < g.nSMS; i++ {
		fmt.Fprintf(&b, "sms \"reminder_%d\" {\n  body = \"Hi ${contact.first_name}, reminder %d: reply STOP to opt out.\"\n}\n\n", i, i)
	}
	g.write("sms.journey.hcl", &b)
}

func (g *gen) writeSequences() {
	var b strings.Builder
	for i := 0; i < g.nSeq; i++ {
		fmt.Fprintf(&b, `sequence "nurture_%d" {
  kind                        = "step"
  unsubscribe_after_last_step = true

  step "tip_now" {
    schedule {
      days_after = 1
      at         = "09:00"
    }
    email = email.%s
  }

  step "tip_later" {
    schedule {
      days_after = 3
      at         = "07:30"
      on_days    = weekdays
    }
    email = email.%s
  }
}

`, i, genSharedEmail((2*i)%g.nEmails), genSharedEmail((2*i+1)%g.nEmails))
	}
	g.write("sequences.journey.hcl", &b)
}

func genTagName(i int) string      { return fmt.Sprintf("segment_%d", i) }
func genSharedEmail(i int) string  { return fmt.Sprintf("shared_%d", i) }
func genCampaignName(i int) string { return fmt.Sprintf("c%05d", i) }

// writeCampaign writes campaign i: its own emails, then the campaign with
// its triggers, a goal, the call of its neighbour, a nurture fork, rounds
// of send / decide / wait / branch, and fillers up to the element count.
func (g *gen) writeCampaign(i, elements int) {
	name := genCampaignName(i)
	targeted := i%3 != 0           // campaign i-1 adds to it
	calls := i%3 != 2 && i+1 < g.n // it adds to campaign i+1
	held := calls && i%3 == 0      // ... holding, without a fork
	// start, goal, enter, owner, entered, nurture fork, add_to_sequence,
	// nurtured, customer, won, done; added; the handoff.
	fixed := 11
	if targeted {
		fixed++
	}
	switch {
	case held:
		fixed++ // add_to_campaign
	case calls:
		fixed += 3 // fork, add_to_campaign, end
	}
	rounds := max(1, (elements-fixed+roundSize/2)/roundSize)
	fillers := max(0, elements-fixed-rounds*roundSize)
	tag := func(k int) string { return "tag." + genTagName((i+k)%g.nTags) }

	var b strings.Builder
	count := 0
	el := func(format string, args ...any) {
		count++
		fmt.Fprintf(&b, format, args...)
	}
	// The campaign's own emails: one per round after the first.
	for r := 1; r < rounds; r++ {
		fmt.Fprintf(&b, `email "%s_r%d" {
  subject = "${contact.first_name}, step %d of %s"
  from    = "team@example.com"
  body    = "Hello ${contact.first_name},\n\nhere is step %d. You have ${contact.points} points on the ${contact.plan} plan.\n"
  kind    = "transactional"
}

`, name, r, r, name, r)
	}
	fmt.Fprintf(&b, "campaign %q {\n  description = \"Generated campaign %d of %d: nurture, branch, convert.\"\n  reentry     = \"30d\"\n\n", name, i, g.n)

	trigger := fmt.Sprintf("tag_added(%s)", tag(0))
	if i%2 == 1 {
		trigger = fmt.Sprintf("form_submitted(form.signup_%d)", (i/2)%g.nForms)
	}
	el(`  trigger "start" {
    on    = %s
    where = contact.points >= 0 && !has_tag(%s)
    next  = change_tags.enter
  }

`, trigger, tag(3))
	if targeted {
		el(`  trigger "added" {
    on   = added_to_campaign()
    next = change_tags.enter
  }

`)
	}
	el(`  goal "bought" {
    on   = product_purchased(product.plan_%d)
    next = change_tags.customer
  }

`, i%g.nProducts)
	el(`  change_tags "enter" {
    add    = [%s]
    remove = [%s]
    next   = notify_email.owner
  }

`, tag(1), tag(3))
	el(`  notify_email "owner" {
    to      = user.rep_%d
    subject = "New contact in %s: ${contact.first_name} ${contact.last_name}"
    body    = "${contact.email} entered %s with ${contact.points} points."
    next    = apply_note.entered
  }

`, i%g.nUsers, name, name)
	next := "fork.nurture_fork"
	if calls {
		if held {
			next = "add_to_campaign.handoff"
		} else {
			next = "fork.handoff_fork"
		}
	}
	el(`  apply_note "entered" {
    text = "Entered %s on the ${contact.plan} plan"
    next = %s
  }

`, name, next)
	if calls {
		target := genCampaignName(i + 1)
		if held {
			el(`  add_to_campaign "handoff" {
    description = "waits until the contact reaches an end in %s"
    campaign    = campaign.%s
    next        = fork.nurture_fork
  }

`, target, target)
		} else {
			el(`  fork "handoff_fork" {
    paths = [add_to_campaign.handoff, fork.nurture_fork]
  }

`)
			el(`  add_to_campaign "handoff" {
    campaign = campaign.%s
    next     = end.handed_off
  }

`, target)
			el("  end \"handed_off\" {}\n\n")
		}
	}
	first := "send_email.send_0"
	if fillers > 0 {
		first = "adjust_points.fill_0"
	}
	el(`  fork "nurture_fork" {
    paths = [add_to_sequence.nurture, %s]
  }

`, first)
	el(`  add_to_sequence "nurture" {
    sequence = sequence.nurture_%d
    next     = end.nurtured
  }

`, i%g.nSeq)
	el("  end \"nurtured\" {}\n\n")
	for f := 0; f < fillers; f++ {
		next := fmt.Sprintf("adjust_points.fill_%d", f+1)
		if f == fillers-1 {
			next = "send_email.send_0"
		}
		el(`  adjust_points "fill_%d" {
    points = %d
    next   = %s
  }

`, f, 1+f%5, next)
	}
	for r := 0; r < rounds; r++ {
		email := fmt.Sprintf("%s_r%d", name, r)
		if r == 0 {
			email = genSharedEmail(i % g.nEmails)
		}
		after := fmt.Sprintf("send_email.send_%d", r+1)
		if r == rounds-1 {
			after = "end.done"
		}
		el(`  send_email "send_%[1]d" {
    description = "round %[1]d: the message of this round, then wait for it to be opened"
    email       = email.%[2]s
    next        = decision.opened_%[1]d
  }

`, r, email)
		el(`  decision "opened_%[1]d" {
    description = "engaged contacts move on at once; the others get a nudge after a day"
    on          = email_opened(email.%[2]s)
    within      = "3d"
    yes         = update_contact.engaged_%[1]d
    no          = wait.nudge_%[1]d
  }

`, r, email)
		el(`  update_contact "engaged_%[1]d" {
    set  = { plan = "engaged", score_note = "opened ${contact.first_name}'s email %[1]d" }
    next = condition.check_%[1]d
  }

`, r)
		el(`  wait "nudge_%[1]d" {
    for       = "1d"
    at        = "09:30"
    on_days   = weekdays
    time_zone = "contact"
    next      = condition.check_%[1]d
  }

`, r)
		el(`  condition "check_%[1]d" {
    description = "segment members with enough points go straight to the test"
    if          = has_tag(%[2]s) && contact.points > %[3]d
    then        = split.ab_%[1]d
    else        = change_tags.mark_%[1]d
  }

`, r, tag(2+r), 10*(r+1))
		el(`  change_tags "mark_%[1]d" {
    add  = [%[2]s]
    next = split.ab_%[1]d
  }

`, r, tag(2+r))
		el(`  split "ab_%[1]d" {
    description = "A/B test: half get an SMS reminder before the pause"

    path {
      weight = 50
      next   = send_sms.remind_%[1]d
    }
    path {
      weight = 50
      next   = wait.pause_%[1]d
    }
  }

`, r)
		el(`  send_sms "remind_%[1]d" {
    sms  = sms.reminder_%[2]d
    next = wait.pause_%[1]d
  }

`, r, (i+r)%g.nSMS)
		el(`  wait "pause_%[1]d" {
    description = "two days between rounds, delivered in office hours"
    for         = "2d"
    between     = ["08:00", "18:00"]
    next        = %[2]s
  }

`, r, after)
	}
	el(`  change_tags "customer" {
    add    = [tag.%s]
    remove = [%s]
    next   = end.won
  }

`, genTagName((i+4)%g.nTags), tag(1))
	el("  end \"won\" {\n    exit = true\n  }\n\n")
	el("  end \"done\" {}\n}\n")
	g.stats.Elements += count
	g.write(fmt.Sprintf("%s.journey.hcl", name), &b)
}

// TestGeneratedWorkspaceIsClean pins the generator: a generated workspace
// validates with no error and no warning, so the benchmarks measure the
// path of a clean run (and any finding here is a generator or rule bug).
func TestGeneratedWorkspaceIsClean(t *testing.T) {
	for _, tc := range []struct{ campaigns, elements int }{{1, 30}, {2, 30}, {3, 30}, {20, 30}, {31, 48}} {
		t.Run(fmt.Sprintf("%dx%d", tc.campaigns, tc.elements), func(t *testing.T) {
			dir := t.TempDir()
			st := generateWorkspace(t, dir, tc.campaigns, tc.elements)
			if want := tc.campaigns + 5; st.Files != want {
				t.Errorf("files = %d, want %d", st.Files, want)
			}
			if per := st.Elements / tc.campaigns; per < tc.elements-3 || per > tc.elements+3 {
				t.Errorf("%d elements per campaign, want about %d", per, tc.elements)
			}
			res, err := validate.Dir(os.DirFS(dir), ".", validate.Options{Now: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Findings) > 0 {
				t.Errorf("generated workspace has %d findings, want none:\n%s", len(res.Findings), dump(res.Findings))
			}
		})
	}
}

// TestWriteWorkspace writes the generated workspace where bench/validate.sh
// times the journey binary on it, a new process per run, as a user runs
// it: JOURNEY_BENCH_WRITE=DIR JOURNEY_BENCH_CAMPAIGNS=N.
func TestWriteWorkspace(t *testing.T) {
	dir := os.Getenv("JOURNEY_BENCH_WRITE")
	if dir == "" {
		t.Skip("bench/validate.sh sets JOURNEY_BENCH_WRITE")
	}
	n, err := strconv.Atoi(os.Getenv("JOURNEY_BENCH_CAMPAIGNS"))
	if err != nil || n <= 0 {
		t.Fatalf("JOURNEY_BENCH_CAMPAIGNS=%q: want a number of campaigns", os.Getenv("JOURNEY_BENCH_CAMPAIGNS"))
	}
	generateWorkspace(t, dir, n, benchElements)
}
