package main

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/journeyhq/journey/runtime/api"
)

// Every operator command says which setting to check when the server
// cannot be reached or refuses the token, and exits 1.
func TestOperatorCommandsNameWhatToCheck(t *testing.T) {
	s := newOpServer(t)
	closed := closedAddress(t)
	file := filepath.Join(t.TempDir(), "contacts.csv")
	os.WriteFile(file, []byte("email\na@example.com\n"), 0o644)
	commands := [][]string{
		{"contacts", "import", file},
		{"contacts", "get", "12"},
		{"contacts", "delete", "ada@example.com"},
		{"contacts", "timeline", "ext:crm-1"},
		{"events", "send", "--contact", "12", "--type", "tag_added", "--tag", "attended"},
		{"status"},
	}
	for _, args := range commands {
		name := strings.Join(args, " ")
		code, stdout, stderr := s.run("", map[string]string{"JOURNEY_SERVER": closed}, args...)
		if code != 1 || stdout != "" || !strings.Contains(stderr, "cannot reach the journey server at "+closed+" (from JOURNEY_SERVER)") ||
			!strings.Contains(stderr, "connection refused") || !strings.Contains(stderr, "check JOURNEY_SERVER (or --server)") {
			t.Errorf("journey %s, server down: exit %d, stdout %q, stderr %q", name, code, stdout, stderr)
		}
		code, _, stderr = s.run("", nil, append(args, "--server", closed)...)
		if code != 1 || !strings.Contains(stderr, "(from --server)") {
			t.Errorf("journey %s --server down: exit %d, stderr %q", name, code, stderr)
		}
		code, stdout, stderr = s.run("", map[string]string{"JOURNEY_TOKEN": "not-the-token"}, args...)
		if code != 1 || stdout != "" || !strings.Contains(stderr, "the journey server at "+s.url+" refused the token (from JOURNEY_TOKEN)") ||
			!strings.Contains(stderr, "check JOURNEY_TOKEN (or --token)") || strings.Contains(stderr, opToken) {
			t.Errorf("journey %s, wrong token: exit %d, stdout %q, stderr %q", name, code, stdout, stderr)
		}
		code, _, stderr = s.run("", nil, append(args, "--token", "nope")...)
		if code != 1 || !strings.Contains(stderr, "refused the token (from --token)") {
			t.Errorf("journey %s --token nope: exit %d, stderr %q", name, code, stderr)
		}
	}
	if _, err := s.client.FindContact(t.Context(), api.ContactRef{Email: "a@example.com"}); !api.NotFound(err) {
		t.Errorf("a refused import imported its row (%v)", err)
	}
}

func TestEventsSendAndTheTimelineItLeaves(t *testing.T) {
	s := newOpServer(t)
	code, stdout, stderr := s.run("", nil, "events", "send", "--contact", "ada@example.com", "--type", "tag_added", "--tag", "attended",
		"--idempotency-key", "attended-ada", "--property", "webinar=june", "--property", "minutes=42")
	if code != 0 || stdout != "event 1 for contact 1\n" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	// The same key again: the first answer, and nothing new happens.
	code, stdout, _ = s.run("", nil, "events", "send", "--contact", "ada@example.com", "--type", "tag_added", "--tag", "attended",
		"--idempotency-key", "attended-ada", "--format", "json")
	var got api.EventAccepted
	if err := json.Unmarshal([]byte(stdout), &got); code != 0 || err != nil || got != (api.EventAccepted{EventID: 1, ContactID: 1}) {
		t.Errorf("the repeat: exit %d, %q (%v); want event 1 for contact 1 again", code, stdout, err)
	}
	code, stdout, _ = s.run("", nil, "events", "send", "--contact", "1", "--type", "field_changed", "--field", "plan", "--value", "pro")
	if code != 0 || stdout != "event 2 for contact 1\n" {
		t.Errorf("field_changed: exit %d, %q", code, stdout)
	}
	code, stdout, _ = s.run("", nil, "contacts", "timeline", "1")
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if code != 0 || len(lines) < 3 || !strings.HasPrefix(lines[0], "Wed 10 Jun 13:37 EDT  ") || !strings.Contains(stdout, "entered campaign webinar") ||
		!strings.Contains(stdout, "waiting at wait two_days until Fri 12 Jun 13:37 EDT") {
		t.Errorf("timeline: exit %d\n%s\nwant simulate's lines, times in New York", code, stdout)
	}
	code, stdout, _ = s.run("", nil, "contacts", "timeline", "ada@example.com", "--format", "json")
	var tl api.Timeline
	if err := json.Unmarshal([]byte(stdout), &tl); code != 0 || err != nil || tl.ContactID != 1 || len(tl.Entries) != len(lines) || tl.TimeZone != "America/New_York" {
		t.Errorf("timeline --format json: exit %d, %v\n%s", code, err, stdout)
	}
}

func TestEventsSendRefusals(t *testing.T) {
	s := newOpServer(t)
	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"events", "send", "--type", "tag_added"}, 2, "give --contact and --type"},
		{[]string{"events", "send", "--contact", "ada", "--type", "tag_added", "--tag", "attended"}, 2, `"ada" is not a contact`},
		{[]string{"events", "send", "--contact", "1", "--type", "api", "--name", "x", "--property", "amount"}, 2, "NAME=VALUE"},
		{[]string{"events", "send", "--file", "e.ndjson", "--contact", "1"}, 2, "give either --file or --contact"},
		{[]string{"events", "send", "--file", "missing.ndjson"}, 2, "cannot read the events file"},
		{[]string{"events", "send", "--contact", "1", "--type", "tag_added", "--tag", "attended", "--format", "yaml"}, 2, `unknown format "yaml"`},
		{[]string{"events", "send", "--contact", "ada@example.com", "--type", "tag_added", "--tag", "attendd"}, 1, `tag "attendd"`},
		{[]string{"events", "send", "--contact", "99", "--type", "tag_added", "--tag", "attended"}, 1, "contact 99 does not exist"},
		{[]string{"events"}, 2, "give a subcommand: journey events send"},
	} {
		code, stdout, stderr := s.run("", nil, c.args...)
		if code != c.code || stdout != "" || !strings.Contains(stderr, c.msg) {
			t.Errorf("journey %s: exit %d, stdout %q, stderr %q; want exit %d saying %q", strings.Join(c.args, " "), code, stdout, stderr, c.code, c.msg)
		}
	}
}

func TestEventsSendFile(t *testing.T) {
	s := newOpServer(t)
	file := filepath.Join(t.TempDir(), "events.ndjson")
	os.WriteFile(file, []byte(`{"contact": {"email": "ada@example.com"}, "type": "tag_added", "tag": "attended"}
{"contact": {"email": "ada@example.com"}, "type": "tag_added", "tag": "nope"}

{"contact": {"email": "grace@example.com"}, "type": "api", "name": "renewed", "properties": {"amount": 29}, "idempotency_key": "renewal-1"}
{"contact": 
`), 0o644)
	code, stdout, stderr := s.run("", nil, "events", "send", "--file", file, "--idempotency-key", "batch-1")
	want := "line 1: event 1 for contact 1\n" +
		"line 2: tag_added names tag \"nope\", which the workspace does not declare\n" +
		"line 4: event 2 for contact 2\n"
	if code != 1 || !strings.HasPrefix(stdout, want) || !strings.Contains(stdout, "line 5: column") ||
		!strings.HasSuffix(stdout, "2 events sent from "+file+"; 2 lines failed (above).\n") {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	// Sent again with the same key: lines 1 and 4 get their first answers.
	_, stdout, _ = s.run("", nil, "events", "send", "--file", file, "--idempotency-key", "batch-1", "--format", "json")
	if !strings.Contains(stdout, `{"contact_id":1,"event_id":1,"line":1}`) || !strings.Contains(stdout, `{"contact_id":2,"event_id":2,"line":4}`) {
		t.Errorf("the file again with its keys: %s", stdout)
	}
}

func TestContactsGetAndDelete(t *testing.T) {
	s := newOpServer(t)
	s.run(`{"email": "ada@example.com", "external_id": "crm-1", "first_name": "Ada", "score": 3, "tags": ["lead"]}`+"\n", nil,
		"contacts", "import", "-", "--format", "ndjson")
	code, stdout, _ := s.run("", nil, "contacts", "get", "ext:crm-1")
	for _, want := range []string{"id              1\n", "email           ada@example.com\n", "external_id     crm-1\n", "tags            lead\n",
		"first_name      Ada\n", "score           3\n", "stage           -\n", "created_at      2026-06-10 17:37:00 UTC\n"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("contacts get does not print %q:\n%s", want, stdout)
		}
	}
	if code != 0 {
		t.Errorf("exit %d", code)
	}
	code, stdout, _ = s.run("", nil, "contacts", "get", "ada@example.com", "--format", "json")
	var c api.Contact
	if err := json.Unmarshal([]byte(stdout), &c); code != 0 || err != nil || c.ExternalID != "crm-1" || !c.CreatedAt.Equal(opStart) {
		t.Errorf("contacts get --format json: exit %d, %v\n%s", code, err, stdout)
	}
	code, stdout, _ = s.run("", nil, "contacts", "delete", "1")
	if code != 0 || stdout != "deleted contact 1 (ada@example.com) and every trace of it\n" {
		t.Errorf("delete: exit %d, %q", code, stdout)
	}
	for _, args := range [][]string{{"contacts", "get", "1"}, {"contacts", "delete", "1"}, {"contacts", "timeline", "ada@example.com"}} {
		code, stdout, stderr := s.run("", nil, args...)
		if code != 1 || stdout != "" || !strings.Contains(stderr, "journey: no contact") {
			t.Errorf("journey %s after the delete: exit %d, stdout %q, stderr %q", strings.Join(args, " "), code, stdout, stderr)
		}
	}
	if code, _, stderr := s.run("", nil, "contacts", "get", "ada"); code != 2 || !strings.Contains(stderr, `"ada" is not a contact`) {
		t.Errorf("contacts get ada: exit %d, %q", code, stderr)
	}
}

func TestStatus(t *testing.T) {
	s := newOpServer(t)
	s.run("", nil, "events", "send", "--contact", "ada@example.com", "--type", "tag_added", "--tag", "attended")
	s.clock.Set(opStart.Add(50 * time.Hour)) // the two-day wait is due, two hours ago
	code, stdout, stderr := s.run("", nil, "status")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"server      " + s.url + "\n",
		"deployment  serial 1, sha256:",
		", applied 2026-06-10 17:37:00 UTC (50h0m0s ago), 1 campaign\n",
		"backlog     1 wait due now, the oldest due 2026-06-12 17:37:00 UTC (2h0m0s ago)\n",
		"lateness    no due step run since the server started\n",
		"queue       none: this server runs no delivery queue\n",
		"outbox      1 pending, 0 held, 0 sending, 0 sent, 0 failed, 0 unknown\n",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("status does not say %q:\n%s", want, stdout)
		}
	}
	code, stdout, _ = s.run("", nil, "status", "--format", "json")
	var st api.Status
	if err := json.Unmarshal([]byte(stdout), &st); code != 0 || err != nil || st.Backlog.Due != 1 || st.Outbox["pending"] != 1 || st.Deployment.Serial != 1 {
		t.Errorf("status --format json: exit %d, %v\n%s", code, err, stdout)
	}
}

// Every flag of the operator commands is shown in use in its --help's
// examples.
func TestOperatorCommandsShowEveryFlagInAnExample(t *testing.T) {
	c := NewCLI(nil, io.Discard, io.Discard)
	for _, parent := range []*cobra.Command{c.contactsCommand(), c.eventsCommand(), c.statusCommand()} {
		cmds := parent.Commands()
		if len(cmds) == 0 {
			cmds = []*cobra.Command{parent}
		}
		for _, cmd := range cmds {
			cmd.Flags().VisitAll(func(f *pflag.Flag) {
				if !strings.Contains(cmd.Example, "--"+f.Name) {
					t.Errorf("journey %s %s: no example uses --%s", parent.Name(), cmd.Name(), f.Name)
				}
			})
		}
	}
}
