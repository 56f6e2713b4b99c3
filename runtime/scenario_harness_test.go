package runtime_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/journeyhq/journey/compiler"
	"github.com/journeyhq/journey/runtime"
	"github.com/journeyhq/journey/runtime/sqlstore"
	"github.com/journeyhq/journey/validate"
)

// The scenario tests run real HCL workspaces through the real front end and
// the real engine on a virtual clock, and check what a marketer would check
// on the contact's record afterwards.

// scenarioStart is a Wednesday afternoon in the account's zone.
const scenarioStart = "2026-06-10T13:37:00-04:00"

// preamble declares everything the scenarios refer to; each scenario adds
// its campaigns, sequences and rules.
const preamble = `
account {
  time_zone         = "America/New_York"
  default_send_time = "10:00"
  senders           = ["team@example.com"]
  sms_numbers       = ["+15550100"]
}

field "trial_ends" {
  type = date
}
field "birthday" {
  type = date
}
field "plan" {
  type = string
}
field "company" {
  type = string
}
field "score" {
  type = number
}
field "address" {
  type = string
}

tag "a" {}
tag "b" {}
tag "c" {}
tag "go" {}
tag "vip" {}
tag "customer" {}
tag "lead" {}

form "signup" {}

user "sam" {
  email = "sam@example.com"
  phone = "+15550111"
}
user "alice" {
  email = "alice@example.com"
  phone = "+15550112"
}
user "bob" {
  email = "bob@example.com"
  phone = "+15550113"
}

email "promo" {
  subject = "Hi ${contact.first_name}"
  body    = "Dear ${contact.first_name} ${contact.last_name} of ${contact.company}, see our offer."
}
email "promo2" {
  subject = "More for ${contact.first_name}"
  body    = "Another offer."
}
email "receipt" {
  subject  = "Your receipt, ${contact.first_name}"
  body     = "Plan: ${contact.plan}"
  reply_to = "billing@example.com"
  kind     = "transactional"
}

sms "nudge" {
  body = "Hi ${contact.first_name}, reply YES."
}

postcard "thanks" {
  front = "Thank you!"
  back  = "Dear ${contact.first_name}, thanks for being a customer."
}

task "call" {
  subject  = "Call ${contact.first_name}"
  assignee = user.sam
  due_in   = "2d"
}

fulfillment_list "kits" {
  fields     = [field.first_name, field.address]
  deliver_to = user.sam
}

webhook "crm" {
  url     = "https://crm.example.com/hook"
  method  = "PUT"
  headers = { X-Token = "abc" }
  body    = "{\"email\": \"${contact.email}\"}"
}

product "pro" {
  price     = 29
  recurring = true
}
product "book" {
  price = 10
}

lead_router "rr" {
  users    = [user.sam, user.alice, user.bob]
  strategy = "round_robin"
}
lead_router "weighted" {
  users    = [user.sam, user.alice]
  strategy = "weighted"
  weights  = [75, 25]
}
`

// workspace is the preamble plus the scenario's blocks.
func scenarioFiles(blocks string) map[string]string {
	return map[string]string{"assets.journey.hcl": preamble, "main.journey.hcl": blocks}
}

// linkScenario compiles a scenario through validate and the compiler; error
// findings fail the test except those of the rules allowed (a scenario may
// deliberately build what the validator refuses, to see that the engine
// still behaves).
func linkScenario(t *testing.T, blocks string, allow ...string) *runtime.Program {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, src := range scenarioFiles(blocks) {
		fsys[name] = &fstest.MapFile{Data: []byte(src)}
	}
	res, err := validate.Dir(fsys, ".", validate.Options{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	var errs []string
	seen := map[string]bool{}
	for _, f := range res.Findings {
		if f.Severity != validate.Error {
			continue
		}
		if slices.Contains(allow, f.Rule) {
			seen[f.Rule] = true
			continue
		}
		errs = append(errs, f.Range.String()+": ["+f.Rule+"] "+f.Message)
	}
	if len(errs) > 0 {
		t.Fatalf("workspace does not validate:\n%s", strings.Join(errs, "\n"))
	}
	for _, rule := range allow {
		if !seen[rule] {
			t.Fatalf("the scenario expects the validator to refuse it with %s, and it does not", rule)
		}
	}
	if res.Program == nil {
		t.Fatal("no program")
	}
	p, err := compiler.Plan(res.Program)
	if err != nil {
		t.Fatal(err)
	}
	prog, err := runtime.Link(p)
	if err != nil {
		t.Fatal(err)
	}
	return prog
}

// world is a store, an engine and a virtual clock shared by any number of
// contacts.
type world struct {
	t     *testing.T
	ctx   context.Context
	store *sqlstore.Store
	sim   *runtime.Simulation
	prog  *runtime.Program
	sink  *recordingSink
}

// recordingSink records what the engine hands over for delivery.
type recordingSink struct{ got []*runtime.Delivery }

func (r *recordingSink) Deliver(tx runtime.Tx, d *runtime.Delivery) error {
	r.got = append(r.got, d)
	return nil
}

func newWorld(t *testing.T, prog *runtime.Program, start string) *world {
	t.Helper()
	ctx := context.Background()
	store, err := sqlstore.OpenSQLite(ctx, ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	at := mustTime(t, start)
	sim := runtime.NewSimulation(prog, store, at)
	sink := &recordingSink{}
	// The simulation's engine with a recording sink: same program, store
	// and clock.
	sim.Engine = runtime.NewEngine(prog, store, sim.Clock, sink)
	return &world{t: t, ctx: ctx, store: store, sim: sim, prog: prog, sink: sink}
}

// scenario links blocks and starts a world at scenarioStart.
func scenario(t *testing.T, blocks string, allow ...string) *world {
	t.Helper()
	return newWorld(t, linkScenario(t, blocks, allow...), scenarioStart)
}

func (w *world) now() time.Time { return w.sim.Clock.Now() }

// contact creates a contact with these fields (tags under "tags").
func (w *world) contact(fields map[string]any) int64 {
	w.t.Helper()
	c := &runtime.Contact{Fields: map[string]any{}}
	for k, v := range fields {
		switch k {
		case "tags":
			c.Tags = v.([]string)
		case "points":
			c.Points = v.(float64)
		case "stage":
			c.Stage = v.(string)
		case "owner":
			c.Owner = v.(string)
		case "dnc":
			c.DNC = v.([]string)
		default:
			c.Fields[k] = v
		}
	}
	if err := w.sim.Engine.CreateContact(w.ctx, c); err != nil {
		w.t.Fatal(err)
	}
	return c.ID
}

// ada is the usual contact.
func (w *world) ada() int64 {
	return w.contact(map[string]any{"email": "ada@example.com", "first_name": "Ada", "last_name": "Lovelace", "phone": "+15550199"})
}

func (w *world) enroll(id int64, campaign string) {
	w.t.Helper()
	if err := w.sim.Engine.Enroll(w.ctx, id, runtime.Entry{Campaign: campaign}); err != nil {
		w.t.Fatal(err)
	}
}

// event delivers an event to the contact now.
func (w *world) event(id int64, kind string, args ...string) {
	w.t.Helper()
	ev := runtime.Event{Kind: kind, Args: map[string]string{}}
	for i := 0; i+1 < len(args); i += 2 {
		ev.Args[args[i]] = args[i+1]
	}
	if err := w.sim.Engine.Handle(w.ctx, id, ev); err != nil && err != runtime.ErrNoContact {
		w.t.Fatal(err)
	}
}

func (w *world) tag(id int64, tag string) { w.t.Helper(); w.event(id, "tag_added", "tag", tag) }

// carrying delivers an event with its properties to the contact now.
func (w *world) carrying(id int64, kind string, props map[string]any, args ...string) {
	w.t.Helper()
	ev := runtime.Event{Kind: kind, Args: map[string]string{}, Properties: props}
	for i := 0; i+1 < len(args); i += 2 {
		ev.Args[args[i]] = args[i+1]
	}
	if err := w.sim.Engine.Handle(w.ctx, id, ev); err != nil && err != runtime.ErrNoContact {
		w.t.Fatal(err)
	}
}

// advance runs every timer due within d from now, moving the clock to now+d.
func (w *world) advance(d time.Duration) {
	w.t.Helper()
	w.until(w.now().Add(d))
}

// until runs every timer due up to t and leaves the clock at t.
func (w *world) until(t time.Time) {
	w.t.Helper()
	truncated, err := w.sim.Advance(w.ctx, 0, nil, t)
	if err != nil {
		w.t.Fatal(err)
	}
	if truncated {
		w.t.Fatal("the simulation hit its step bound")
	}
	w.sim.Clock.Set(t)
	// What fell due exactly at t.
	if _, err := w.sim.Advance(w.ctx, 0, nil, t); err != nil {
		w.t.Fatal(err)
	}
}

// read runs fn in a read transaction.
func (w *world) read(fn func(tx runtime.Tx) error) {
	w.t.Helper()
	tx, err := w.store.Begin(w.ctx)
	if err != nil {
		w.t.Fatal(err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		w.t.Fatal(err)
	}
}

// get is the contact as stored (nil when it does not exist).
func (w *world) get(id int64) *runtime.Contact {
	w.t.Helper()
	var c *runtime.Contact
	w.read(func(tx runtime.Tx) error {
		var err error
		c, err = tx.Contact(id)
		if err == runtime.ErrNoContact {
			return nil
		}
		return err
	})
	return c
}

func (w *world) enrollments(id int64) []*runtime.Enrollment {
	w.t.Helper()
	var out []*runtime.Enrollment
	w.read(func(tx runtime.Tx) error {
		var err error
		out, err = tx.Enrollments(id)
		return err
	})
	return out
}

// enrollment is the contact's latest enrollment on a campaign or sequence.
func (w *world) enrollment(id int64, kind, name string) *runtime.Enrollment {
	w.t.Helper()
	var last *runtime.Enrollment
	for _, e := range w.enrollments(id) {
		if e.Kind == kind && e.Name == name {
			last = e
		}
	}
	return last
}

func (w *world) records(id int64, kind string) []*runtime.Record {
	w.t.Helper()
	var out []*runtime.Record
	w.read(func(tx runtime.Tx) error {
		var err error
		out, err = tx.Records(id, kind)
		return err
	})
	return out
}

func (w *world) deliveries(id int64) []*runtime.Delivery {
	w.t.Helper()
	var out []*runtime.Delivery
	w.read(func(tx runtime.Tx) error {
		var err error
		out, err = tx.Deliveries(id)
		return err
	})
	return out
}

// sent lists the deliveries of a kind (and asset, when given).
func (w *world) sent(id int64, kind string, asset ...string) []*runtime.Delivery {
	w.t.Helper()
	var out []*runtime.Delivery
	for _, d := range w.deliveries(id) {
		if d.Kind == kind && (len(asset) == 0 || d.Asset == asset[0]) {
			out = append(out, d)
		}
	}
	return out
}

func (w *world) timeline(id int64) []runtime.TimelineEntry {
	w.t.Helper()
	var out []runtime.TimelineEntry
	w.read(func(tx runtime.Tx) error {
		var err error
		out, err = tx.Timeline(id)
		return err
	})
	return out
}

func (w *world) final(id int64, campaign string) runtime.Final {
	w.t.Helper()
	res, err := w.sim.Collect(w.ctx, id, campaign)
	if err != nil {
		w.t.Fatal(err)
	}
	return res.Final
}

// story is the contact's timeline as text, for failure messages.
func (w *world) story(id int64) string {
	return timelineText(&runtime.Result{Timeline: w.timeline(id)})
}

// entries are the timeline entries of one element (campaign or sequence
// element or step name) whose outcome starts with prefix.
func (w *world) entries(id int64, element, prefix string) []runtime.TimelineEntry {
	w.t.Helper()
	var out []runtime.TimelineEntry
	for _, e := range w.timeline(id) {
		if e.Element == element && strings.HasPrefix(e.Outcome, prefix) {
			out = append(out, e)
		}
	}
	return out
}

// happened reports when the element first had an outcome starting with
// prefix.
func (w *world) happened(id int64, element, prefix string) (time.Time, bool) {
	w.t.Helper()
	if es := w.entries(id, element, prefix); len(es) > 0 {
		return es[0].At, true
	}
	return time.Time{}, false
}

// expectAt fails unless the element had the outcome at the given time.
func (w *world) expectAt(id int64, element, prefix, at string) {
	w.t.Helper()
	got, ok := w.happened(id, element, prefix)
	if !ok {
		w.t.Fatalf("%s never had an outcome %q\n%s", element, prefix, w.story(id))
	}
	want := mustTime(w.t, at)
	if !got.Equal(want) {
		w.t.Fatalf("%s: %q at %s, want %s\n%s", element, prefix, got.In(want.Location()).Format(time.RFC3339), at, w.story(id))
	}
}

// expectNever fails if the element ever had the outcome.
func (w *world) expectNever(id int64, element, prefix string) {
	w.t.Helper()
	if at, ok := w.happened(id, element, prefix); ok {
		w.t.Fatalf("%s had outcome %q at %s, want never\n%s", element, prefix, at.Format(time.RFC3339), w.story(id))
	}
}

// expectFinal checks where the contact stands on a campaign.
func (w *world) expectFinal(id int64, campaign, status, element string) {
	w.t.Helper()
	f := w.final(id, campaign)
	if f.Status != status || (element != "*" && f.Element != element) {
		w.t.Fatalf("final on %s: %s at %q, want %s at %q\n%s", campaign, f.Status, f.Element, status, element, w.story(id))
	}
}

// detail decodes a timeline entry's detail.
func entryDetail(t *testing.T, e runtime.TimelineEntry) map[string]any {
	t.Helper()
	var m map[string]any
	if len(e.Detail) > 0 {
		if err := json.Unmarshal(e.Detail, &m); err != nil {
			t.Fatal(err)
		}
	}
	return m
}

// testFuncNames lists the Test functions of this package's test files.
func testFuncNames(t *testing.T) map[string]bool {
	t.Helper()
	files, err := filepath.Glob("*_test.go")
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`(?m)^func (Test\w+)\(t \*testing\.T\)`)
	names := map[string]bool{}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(src), -1) {
			names[m[1]] = true
		}
	}
	return names
}
