package server

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/journeyhq/journey/runtime/api"
)

// importLines posts an import and reads its answer line by line.
func importLines(t *testing.T, ts *testServer, contentType, query, body string) (int, []api.ImportLine) {
	t.Helper()
	r := ts.do("POST", "/v1/contacts/import"+query, contentType, body)
	if r.status != http.StatusOK {
		return r.status, nil
	}
	if ct := r.header.Get("Content-Type"); ct != api.ContentTypeNDJSON {
		t.Errorf("the import answered %s, want %s", ct, api.ContentTypeNDJSON)
	}
	var lines []api.ImportLine
	sc := bufio.NewScanner(strings.NewReader(r.body))
	for sc.Scan() {
		var l api.ImportLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		lines = append(lines, l)
	}
	return r.status, lines
}

func TestImportCSVReportsTheBadRowAndImportsTheRest(t *testing.T) {
	ts := newTestServer(t, linkWorkspace(t, webinarWorkspace))
	ctx := context.Background()
	existing, err := ts.client.CreateContact(ctx, api.ContactFields{"email": "grace@example.com", "external_id": "crm-2", "score": 1})
	if err != nil {
		t.Fatal(err)
	}
	csv := "\ufeffemail,first_name,score,tags,external_id\n" +
		"ada@example.com,Ada,10,lead;attended,crm-1\n" +
		"bad@example.com,Bad,lots,,\n" +
		"grace@example.com,Grace,20,,crm-2\n" +
		"\"quoted@example.com\",\"Multi\nline\",3,,\n"
	status, lines := importLines(t, ts, "text/csv", "", csv)
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	if len(lines) != 2 || lines[0].Row != 3 || !strings.Contains(lines[0].Error, `column score: "lots" is not a number`) {
		t.Fatalf("lines %+v; want row 3 (its line) failed on score, then done", lines)
	}
	done := lines[len(lines)-1].Done
	if done == nil || *done != (api.ImportCounts{Rows: 4, Created: 2, Updated: 1, Failed: 1}) {
		t.Errorf("done %+v; want 4 rows: 2 created, 1 updated, 1 failed", done)
	}
	ada, err := ts.client.FindContact(ctx, api.ContactRef{ExternalID: "crm-1"})
	if err != nil || ada.Fields["score"] != 10.0 || len(ada.Tags) != 2 {
		t.Errorf("ada after the import: %+v, %v", ada, err)
	}
	if !containsText(ts.timelineTexts(ada.ID), "entered campaign webinar") {
		t.Error("the imported tag attended did not enroll ada: an import goes through the engine")
	}
	grace, err := ts.client.Contact(ctx, existing.ID)
	if err != nil || grace.Fields["score"] != 20.0 || grace.Fields["first_name"] != "Grace" {
		t.Errorf("grace after the import updated her: %+v, %v", grace, err)
	}
	if _, err := ts.client.FindContact(ctx, api.ContactRef{Email: "bad@example.com"}); !isAPIError(err, http.StatusNotFound) {
		t.Errorf("the bad row's contact exists (%v)", err)
	}
	multi, err := ts.client.FindContact(ctx, api.ContactRef{Email: "quoted@example.com"})
	if err != nil || multi.Fields["first_name"] != "Multi\nline" {
		t.Errorf("a quoted row: %+v, %v", multi, err)
	}
}

func TestImportNDJSONReportsTheBadRowAndImportsTheRest(t *testing.T) {
	ts := newTestServer(t, linkWorkspace(t, webinarWorkspace))
	body := `{"email": "a@example.com", "tags": ["lead"]}
{"email": "b@example.com", "score": "x"}

{"email": "c@example.com"
["not", "a", "contact"]
{"email": "a@example.com"}
{"email": "d@example.com", "plan": "pro"}
`
	_, lines := importLines(t, ts, "application/x-ndjson", "?mode=create", body)
	want := map[int]string{2: "field score: x is not a number", 4: "ends before", 5: "a line is one contact", 6: `has email "a@example.com" already`}
	failed := 0
	for _, l := range lines {
		if l.Row == 0 {
			continue
		}
		failed++
		if !strings.Contains(l.Error, want[l.Row]) || want[l.Row] == "" {
			t.Errorf("row %d: %q; want %q", l.Row, l.Error, want[l.Row])
		}
	}
	done := lines[len(lines)-1].Done
	if failed != 4 || done == nil || *done != (api.ImportCounts{Rows: 6, Created: 2, Failed: 4}) {
		t.Errorf("lines %+v; want 4 failed rows and done with 6 rows, 2 created", lines)
	}
}

func TestImportRefusesAnUnknownColumnBeforeAnyRow(t *testing.T) {
	ts := newTestServer(t, linkWorkspace(t, webinarWorkspace))
	r := ts.do("POST", "/v1/contacts/import", "text/csv", "email,scroe\nada@example.com,1\n")
	msg := errorOf(t, r, http.StatusBadRequest, api.CodeBadRequest)
	if !strings.Contains(msg, `column 2: the workspace has no field "scroe"; did you mean "score"?`) {
		t.Errorf("message %q", msg)
	}
	if _, err := ts.client.FindContact(context.Background(), api.ContactRef{Email: "ada@example.com"}); !isAPIError(err, http.StatusNotFound) {
		t.Error("a row of an import with a bad header was imported")
	}
	errorOf(t, ts.do("POST", "/v1/contacts/import", "application/json", `[]`), http.StatusUnsupportedMediaType, api.CodeUnsupportedMediaType)
	errorOf(t, ts.do("POST", "/v1/contacts/import?mode=merge", "text/csv", "email\n"), http.StatusBadRequest, api.CodeBadRequest)
}

// TestImportStreams sends more rows than one batch through a pipe and
// reads the first progress line before the body is finished: the server
// answers as it goes instead of holding the body.
func TestImportStreams(t *testing.T) {
	ts := newTestServer(t, linkWorkspace(t, webinarWorkspace))
	pr, pw := io.Pipe()
	defer pw.Close()
	go func() {
		for i := 0; i < importProgress; i++ {
			if _, err := fmt.Fprintf(pw, "{\"email\": \"c%d@example.com\"}\n", i); err != nil {
				return
			}
		}
	}()
	// A server that held the body would never answer before it ends: the
	// generous deadline fails the test instead of hanging it.
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "POST", ts.http.URL+"/v1/contacts/import", pr)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", api.ContentTypeNDJSON)
	req.Header.Set("Authorization", "Bearer "+testToken)
	resp, err := ts.http.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	if !sc.Scan() {
		t.Fatalf("no line before the body ended: %v", sc.Err())
	}
	var first api.ImportLine
	if err := json.Unmarshal(sc.Bytes(), &first); err != nil || first.Progress == nil || first.Progress.Created != importProgress {
		t.Fatalf("first line %s; want the progress of the first %d rows while the body is still open", sc.Text(), importProgress)
	}
	fmt.Fprintln(pw, `{"email": "last@example.com"}`)
	pw.Close()
	var last api.ImportLine
	for sc.Scan() {
		if err := json.Unmarshal(sc.Bytes(), &last); err != nil {
			t.Fatal(err)
		}
	}
	if last.Done == nil || last.Done.Created != importProgress+1 {
		t.Errorf("last line %+v; want done with %d created", last, importProgress+1)
	}
}

func TestImportRowTooLong(t *testing.T) {
	ts := newTestServer(t, linkWorkspace(t, webinarWorkspace))
	long := strings.Repeat("x", maxRow+10)
	_, lines := importLines(t, ts, "application/x-ndjson", "", `{"email": "a@example.com"}`+"\n"+`{"first_name": "`+long+`"}`+"\n"+`{"email": "b@example.com"}`+"\n")
	if len(lines) != 2 || lines[0].Row != 2 || !strings.Contains(lines[0].Error, "longer than 64 KiB") || lines[1].Done.Created != 2 {
		t.Errorf("NDJSON: %+v; want row 2 too long and the 2 others created", lines)
	}
	_, lines = importLines(t, ts, "text/csv", "", "email,first_name\nc@example.com,C\nd@example.com,"+long+long)
	last := lines[len(lines)-1]
	if last.Done != nil || !strings.Contains(last.Error, "longer than 64 KiB") || !strings.Contains(last.Error, "1 were imported") {
		t.Errorf("CSV: %+v; want the import stopped at the long row, after importing the one before", lines)
	}
}
