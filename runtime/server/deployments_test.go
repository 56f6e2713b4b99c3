package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/journeyhq/journey/compiler/plan"
	"github.com/journeyhq/journey/runtime"
	"github.com/journeyhq/journey/runtime/api"
)

// renamedTwoDays is the webinar workspace with its wait renamed, and the
// moved block that carries its contacts.
func renamedTwoDays(src string) string {
	src = strings.Replace(src, "next  = wait.two_days", "next  = wait.pause", 1)
	src = strings.Replace(src, `wait "two_days" {`, `wait "pause" {`, 1)
	return src + "\nmoved {\n  from = campaign.webinar.wait.two_days\n  to   = campaign.webinar.wait.pause\n}\n"
}

// attend makes n contacts attend the webinar: each is sent the replay and
// stands on wait two_days.
func attend(t *testing.T, ts *testServer, n int) []int64 {
	t.Helper()
	var ids []int64
	for i := range n {
		got, err := ts.client.SendEvent(context.Background(), api.Event{
			Contact: api.ContactRef{Email: fmt.Sprintf("c%d@example.com", i)}, Type: "tag_added", Args: map[string]string{"tag": "attended"},
		}, "")
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, got.ContactID)
	}
	return ids
}

// apply posts a plan file and decodes a 201's answer; any other answer
// is returned as the API's error.
func (ts *testServer) apply(body string) (*api.Applied, error) {
	ts.t.Helper()
	return ts.client.Apply(context.Background(), []byte(body))
}

// head is the deployment serial the server reports.
func (ts *testServer) head() int64 {
	ts.t.Helper()
	d, err := ts.client.Deployment(context.Background())
	if err != nil {
		ts.t.Fatal(err)
	}
	return d.Serial
}

// elementsOf counts the contacts on each element of the webinar.
func (ts *testServer) elementsOf(campaign string) map[string]int {
	ts.t.Helper()
	st, err := ts.client.CampaignStats(context.Background(), campaign)
	if err != nil {
		ts.t.Fatal(err)
	}
	out := map[string]int{}
	for _, el := range st.Elements {
		if el.Contacts > 0 {
			out[el.Element] = el.Contacts
		}
	}
	return out
}

func apiErrorOf(t *testing.T, err error, status int, code string) *api.Error {
	t.Helper()
	var apiErr *api.Error
	if !errors.As(err, &apiErr) || apiErr.Status != status || apiErr.Code != code {
		t.Fatalf("got %v, want a %d %s error", err, status, code)
	}
	return apiErr
}

func TestApplyMovesTheHeadAndRecordsWhoAndWhat(t *testing.T) {
	ts := newTestServer(t, linkWorkspace(t, webinarWorkspace))
	attend(t, ts, 2)
	before := ts.srv.current()
	longer := linkWorkspace(t, strings.Replace(webinarWorkspace, `for  = "2d"`, `for  = "3d"`, 1)).Plan
	got, err := ts.apply(planFile(t, longer, 1, before.Hash, plan.ApplyOptions{}))
	if err != nil {
		t.Fatal(err)
	}
	if got.Deployment.Serial != 2 || got.Deployment.Hash != longer.Hash || got.Deployment.AppliedBy != "token" ||
		got.Deployment.Summary != (api.ChangeSummary{Change: 1}) {
		t.Errorf("deployment %+v; want serial 2, the new hash, applied by token, 1 block changed", got.Deployment)
	}
	if len(got.Report.Waits) != 1 || got.Report.Waits[0] != (runtime.ChangedWait{Element: "webinar/two_days", Contacts: 2}) {
		t.Errorf("report's waits %+v; want webinar/two_days with 2 contacts, due times kept", got.Report.Waits)
	}
	if ts.head() != 2 || ts.srv.current().Program.Plan.Hash != longer.Hash {
		t.Errorf("the server runs serial %d (%s) after the apply; want 2 (%s)", ts.head(), ts.srv.current().Hash, longer.Hash)
	}
	hist, err := ts.client.Deployments(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(hist.Deployments) != 2 || hist.Deployments[0].Serial != 2 || hist.Deployments[1].Serial != 1 || hist.Deployments[0].Summary.Change != 1 {
		t.Errorf("history %+v; want serials 2 then 1", hist.Deployments)
	}
	old, err := ts.client.DeploymentPlan(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if p, err := plan.Decode(old); err != nil || p.Hash != before.Hash {
		t.Errorf("GET /v1/deployments/1's plan: %v, hash %v; want the first plan, as applied", err, p)
	}
}

// A plan file made against any other deployment than the one running is
// refused, whatever its plan: after an apply of another plan, of the same
// plan, and after a rollback that brought the same hash back.
func TestStalePlanIsAlwaysRefused(t *testing.T) {
	ts := newTestServer(t, linkWorkspace(t, webinarWorkspace))
	ids := attend(t, ts, 1)
	first := ts.srv.current().Program.Plan
	longer := linkWorkspace(t, strings.Replace(webinarWorkspace, `for  = "2d"`, `for  = "3d"`, 1)).Plan
	shorter := linkWorkspace(t, strings.Replace(webinarWorkspace, `for  = "2d"`, `for  = "1d"`, 1)).Plan

	if _, err := ts.apply(planFile(t, longer, 1, first.Hash, plan.ApplyOptions{})); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		body string
	}{
		{"the same plan file again", planFile(t, longer, 1, first.Hash, plan.ApplyOptions{})},
		{"another plan made against serial 1", planFile(t, shorter, 1, first.Hash, plan.ApplyOptions{})},
		{"a plan file made against a file, not a server", strings.Replace(planFile(t, shorter, 1, first.Hash, plan.ApplyOptions{}), `"serial": 1,`, "", 1)},
		{"serial 2 with another hash", planFile(t, shorter, 2, first.Hash, plan.ApplyOptions{})},
		{"a serial from the future", planFile(t, shorter, 7, longer.Hash, plan.ApplyOptions{})},
	}
	// Back to the first plan (serial 3, the first plan's hash): a file
	// made against serial 1 has the hash that runs, and is still stale.
	if _, err := ts.apply(planFile(t, first, 2, longer.Hash, plan.ApplyOptions{})); err != nil {
		t.Fatal(err)
	}
	cases = append(cases, struct{ name, body string }{"after a rollback to the hash it was made against", planFile(t, longer, 1, first.Hash, plan.ApplyOptions{})})
	timeline := ts.timelineTexts(ids[0])
	for _, tc := range cases {
		_, err := ts.apply(tc.body)
		e := apiErrorOf(t, err, http.StatusConflict, api.CodeStalePlan)
		if e.Serial == nil || *e.Serial != 3 || !strings.Contains(e.Message, "serial 3") {
			t.Errorf("%s: %q (serial %v); want the message and the serial to name serial 3", tc.name, e.Message, e.Serial)
		}
		if strings.Contains(tc.name, "made against serial 1") && !strings.Contains(e.Message, "made against deployment serial 1") {
			t.Errorf("%s: %q does not name the serial the plan was made against", tc.name, e.Message)
		}
	}
	if ts.head() != 3 || ts.srv.current().Hash != first.Hash {
		t.Errorf("after the refusals the server runs %d (%s); want 3 (%s)", ts.head(), ts.srv.current().Hash, first.Hash)
	}
	if after := ts.timelineTexts(ids[0]); len(after) != len(timeline) {
		t.Errorf("a refused apply wrote to the timeline:\n%s", strings.Join(after[len(timeline):], "\n"))
	}
}

// Two applies made against the same serial at once: exactly one wins, the
// other is told its plan is stale, every time.
func TestConcurrentAppliesHaveExactlyOneWinner(t *testing.T) {
	ts := newTestServer(t, linkWorkspace(t, webinarWorkspace))
	attend(t, ts, 3)
	plans := [2]*plan.Plan{
		linkWorkspace(t, strings.Replace(webinarWorkspace, `for  = "2d"`, `for  = "3d"`, 1)).Plan,
		linkWorkspace(t, strings.Replace(webinarWorkspace, `for  = "2d"`, `for  = "1d"`, 1)).Plan,
	}
	for round := range 100 {
		head := ts.srv.current()
		var wg sync.WaitGroup
		var errs [2]error
		var won [2]*api.Applied
		for i := range 2 {
			body := planFile(t, plans[i], head.Serial, head.Hash, plan.ApplyOptions{})
			wg.Go(func() { won[i], errs[i] = ts.client.Apply(context.Background(), []byte(body)) })
		}
		wg.Wait()
		winners := 0
		for i, err := range errs {
			if err == nil {
				winners++
				if won[i].Deployment.Serial != head.Serial+1 {
					t.Fatalf("round %d: the winner made serial %d; want %d", round, won[i].Deployment.Serial, head.Serial+1)
				}
				continue
			}
			apiErrorOf(t, err, http.StatusConflict, api.CodeStalePlan)
		}
		if winners != 1 {
			t.Fatalf("round %d: %d applies won (%v); want exactly one", round, winners, errs)
		}
		if got := ts.srv.current().Serial; got != head.Serial+1 {
			t.Fatalf("round %d: the server runs serial %d; want %d", round, got, head.Serial+1)
		}
	}
	if got := ts.elementsOf("webinar"); got["two_days"] != 3 {
		t.Errorf("after 100 rounds the webinar's contacts are %v; want 3 still on two_days", got)
	}
}

func TestApplyRefusedWhileContactsStandOnARemovedElement(t *testing.T) {
	ts := newTestServer(t, linkWorkspace(t, webinarWorkspace))
	attend(t, ts, 3)
	head := ts.srv.current()
	body := planFile(t, linkWorkspace(t, withoutTwoDays(webinarWorkspace)).Plan, 1, head.Hash, plan.ApplyOptions{})
	_, err := ts.apply(body)
	e := apiErrorOf(t, err, http.StatusUnprocessableEntity, api.CodeApplyRefused)
	want := []runtime.Stranded{{Where: "webinar/two_days", Contacts: 3, DrainTo: "webinar/done", Why: "the new plan removes"}}
	if fmt.Sprint(e.Stranded) != fmt.Sprint(want) {
		t.Errorf("stranded %+v; want %+v", e.Stranded, want)
	}
	if !strings.Contains(e.Message, "3 contacts on webinar/two_days") || !strings.Contains(e.Message, "--drain would send them to webinar/done") {
		t.Errorf("the refusal says %q; want it to name the element, its 3 contacts and where --drain sends them", e.Message)
	}
	// The preview says the same, and neither changed anything.
	_, err = ts.client.PreviewApply(context.Background(), []byte(body))
	apiErrorOf(t, err, http.StatusUnprocessableEntity, api.CodeApplyRefused)
	if ts.head() != 1 || fmt.Sprint(ts.elementsOf("webinar")) != "map[two_days:3]" {
		t.Errorf("after the refusal: serial %d, contacts %v; want serial 1 and 3 contacts on two_days", ts.head(), ts.elementsOf("webinar"))
	}
}

func TestApplyWithDrainSendsContactsToTheNext(t *testing.T) {
	ts := newTestServer(t, linkWorkspace(t, webinarWorkspace))
	ids := attend(t, ts, 3)
	next := linkWorkspace(t, withoutTwoDays(webinarWorkspace)).Plan
	got, err := ts.apply(planFile(t, next, 1, ts.srv.current().Hash, plan.ApplyOptions{Drain: true}))
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got.Report.Drained) != fmt.Sprint([]runtime.Carried{{From: "webinar/two_days", To: "webinar/done", Contacts: 3}}) {
		t.Errorf("drained %+v; want the 3 contacts of two_days sent to done", got.Report.Drained)
	}
	if _, err := ts.srv.engine.RunDue(context.Background(), 100); err != nil {
		t.Fatal(err)
	}
	texts := ts.timelineTexts(ids[0])
	if !containsText(texts, "drained by the new plan to done") {
		t.Errorf("the timeline does not say the contact was drained:\n%s", strings.Join(texts, "\n"))
	}
	tl, err := ts.client.Timeline(context.Background(), ids[0], 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	last := tl.Entries[len(tl.Entries)-1]
	if last.Element != "done" || last.PlanHash != next.Hash {
		t.Errorf("the contact's last step is %+v; want the end done, on the new plan %s", last, next.Hash)
	}
}

func TestApplyWithMovedCarriesContactsToTheNewName(t *testing.T) {
	ts := newTestServer(t, linkWorkspace(t, webinarWorkspace))
	ids := attend(t, ts, 2)
	next := linkWorkspace(t, renamedTwoDays(webinarWorkspace)).Plan
	got, err := ts.apply(planFile(t, next, 1, ts.srv.current().Hash, plan.ApplyOptions{}))
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got.Report.Moved) != fmt.Sprint([]runtime.Carried{{From: "webinar/two_days", To: "webinar/pause", Contacts: 2}}) {
		t.Errorf("moved %+v; want two_days's 2 contacts carried to pause", got.Report.Moved)
	}
	if fmt.Sprint(ts.elementsOf("webinar")) != "map[pause:2]" {
		t.Errorf("the webinar's contacts are %v; want 2 on pause", ts.elementsOf("webinar"))
	}
	// Their wait goes on where it was: due two days after they arrived.
	ts.clock.Set(testStart.Add(48 * time.Hour))
	if n, err := ts.srv.engine.RunDue(context.Background(), 100); err != nil || n != 2 {
		t.Fatalf("ran %d due steps (%v); want the 2 contacts' waits", n, err)
	}
	tl, err := ts.client.Timeline(context.Background(), ids[1], 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var onNew []string
	for _, e := range tl.Entries {
		if e.PlanHash == next.Hash {
			onNew = append(onNew, e.Text)
		}
	}
	if len(onNew) == 0 || !strings.Contains(strings.Join(onNew, "\n"), "moved by the new plan from two_days") {
		t.Errorf("the timeline's entries on the new plan:\n%s\nwant the move, then the end", strings.Join(onNew, "\n"))
	}
}

// blockingSink holds the first delivery's step (and its transaction)
// until released.
type blockingSink struct {
	once     sync.Once
	holding  chan struct{}
	released chan struct{}
}

func (b *blockingSink) Deliver(tx runtime.Tx, d *runtime.Delivery) error {
	b.once.Do(func() {
		close(b.holding)
		<-b.released
	})
	return nil
}

// A step running when an apply comes finishes on the plan it started on;
// the apply migrates the contact from where that step left it, and its
// next step runs on the new plan.
func TestStepRunningDuringAnApplyFinishesOnTheOldPlan(t *testing.T) {
	prog := linkWorkspace(t, webinarWorkspace)
	ts := newTestServerWith(t, prog, &blockingSink{holding: make(chan struct{}), released: make(chan struct{})})
	sink := ts.srv.sink.(*blockingSink)
	event := make(chan error, 1)
	go func() {
		_, err := ts.client.SendEvent(context.Background(), api.Event{
			Contact: api.ContactRef{Email: "ada@example.com"}, Type: "tag_added", Args: map[string]string{"tag": "attended"},
		}, "")
		event <- err
	}()
	<-sink.holding
	next := linkWorkspace(t, renamedTwoDays(webinarWorkspace)).Plan
	applied := make(chan error, 1)
	var report *api.Applied
	go func() {
		var err error
		report, err = ts.client.Apply(context.Background(), []byte(planFile(t, next, 1, prog.Plan.Hash, plan.ApplyOptions{})))
		applied <- err
	}()
	close(sink.released)
	if err := <-event; err != nil {
		t.Fatal(err)
	}
	if err := <-applied; err != nil {
		t.Fatal(err)
	}
	// The apply saw the step's result: the contact on two_days, moved.
	if report.Report.Counts["webinar/two_days"] != 1 || len(report.Report.Moved) != 1 {
		t.Errorf("the apply's report %+v; want it to have found the contact on two_days and moved it", report.Report)
	}
	ts.clock.Set(testStart.Add(48 * time.Hour))
	if _, err := ts.srv.engine.RunDue(context.Background(), 100); err != nil {
		t.Fatal(err)
	}
	tl, err := ts.client.Timeline(context.Background(), 1, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range tl.Entries {
		wantHash := prog.Plan.Hash
		if e.Element == "pause" || e.Element == "done" {
			wantHash = next.Hash
		}
		if e.PlanHash != wantHash {
			t.Errorf("%q ran on plan %s; want %s (the step in flight on the old plan, what follows on the new)", e.Text, e.PlanHash, wantHash)
		}
	}
	if last := tl.Entries[len(tl.Entries)-1]; last.Element != "done" {
		t.Errorf("the contact ended at %q; want done", last.Element)
	}
}

// A deployment applied by another process (another server on the same
// database) is what this one reports and runs next.
func TestServerFollowsADeploymentAppliedElsewhere(t *testing.T) {
	ts := newTestServer(t, linkWorkspace(t, webinarWorkspace))
	other, err := New(Options{Store: ts.store, Deployment: ts.srv.current(), Token: testToken, Clock: ts.clock})
	if err != nil {
		t.Fatal(err)
	}
	next := linkWorkspace(t, strings.Replace(webinarWorkspace, `for  = "2d"`, `for  = "3d"`, 1)).Plan
	rec := httpRecorder(other, "POST", "/v1/deployments", planFile(t, next, 1, ts.srv.current().Hash, plan.ApplyOptions{}))
	if rec.status != http.StatusCreated {
		t.Fatalf("the other server's apply: %d %s", rec.status, rec.body)
	}
	d, err := ts.client.Deployment(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if d.Serial != 2 || d.Hash != next.Hash {
		t.Errorf("this server reports %+v; want serial 2, %s", d, next.Hash)
	}
}

// httpRecorder sends one request to a server's handler in process.
func httpRecorder(s *Server, method, path, body string) response {
	rec := &recorder{header: http.Header{}}
	req, _ := http.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+testToken)
	req.Header.Set("Content-Type", api.ContentTypeJSON)
	s.Handler().ServeHTTP(rec, req)
	return response{status: rec.status, header: rec.header, body: rec.body.String()}
}

type recorder struct {
	header http.Header
	status int
	body   strings.Builder
}

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) WriteHeader(s int) {
	if r.status == 0 {
		r.status = s
	}
}
func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}

func TestPositionsCountWhatRunsNow(t *testing.T) {
	ts := newTestServer(t, linkWorkspace(t, webinarWorkspace))
	attend(t, ts, 2)
	got, err := ts.client.Positions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got.Deployment.Serial != 1 || got.Counts["webinar/two_days"] != 2 {
		t.Errorf("positions %+v; want serial 1 with 2 contacts on webinar/two_days", got)
	}
	data, _ := json.Marshal(got)
	if strings.Contains(string(data), `"webinar/replay"`) {
		t.Errorf("an element nobody stands on is counted: %s", data)
	}
}

// A server that runs nothing takes its first plan by apply: made against
// serial 0 and no hash, it becomes serial 1, and events run it at once.
func TestFirstApplyOnAServerThatRunsNothing(t *testing.T) {
	ts := newTestServer(t, nil)
	if _, err := ts.client.Deployment(context.Background()); !api.NotFound(err) {
		t.Fatalf("before the first apply: %v; want no deployment", err)
	}
	first := linkWorkspace(t, webinarWorkspace).Plan
	got, err := ts.apply(planFile(t, first, 0, "", plan.ApplyOptions{}))
	if err != nil {
		t.Fatal(err)
	}
	if got.Deployment.Serial != 1 || got.Deployment.Summary.Add == 0 || got.Deployment.Summary.Remove != 0 {
		t.Errorf("the first deployment %+v; want serial 1 adding every block", got.Deployment)
	}
	ids := attend(t, ts, 1)
	if texts := ts.timelineTexts(ids[0]); !containsText(texts, "entered campaign webinar") {
		t.Errorf("an event after the first apply did not run the plan:\n%s", strings.Join(texts, "\n"))
	}
}
