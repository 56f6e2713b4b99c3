package loadgen

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/journeyhq/journey/internal/sinks"
	"github.com/journeyhq/journey/runtime/api"
	"github.com/journeyhq/journey/runtime/sqlstore"
)

// crashSettings size the crash test; the environment overrides them
// (bench/crash.sh runs the full size).
type crashSettings struct {
	contacts int           // JOURNEY_CRASH_CONTACTS
	spread   time.Duration // JOURNEY_CRASH_SPREAD: the contacts sign up evenly over it
	kills    int           // JOURNEY_CRASH_KILLS
	seed     uint64        // JOURNEY_CRASH_SEED: the kills' moments
}

func crashSettingsFromEnv(t *testing.T) crashSettings {
	s := crashSettings{contacts: 3000, spread: 30 * time.Second, kills: 5, seed: uint64(time.Now().UnixNano())}
	number := func(name string, into *int) {
		if v := os.Getenv(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				t.Fatalf("%s=%q: give a whole number above 0", name, v)
			}
			*into = n
		}
	}
	number("JOURNEY_CRASH_CONTACTS", &s.contacts)
	number("JOURNEY_CRASH_KILLS", &s.kills)
	if v := os.Getenv("JOURNEY_CRASH_SPREAD"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			t.Fatalf("JOURNEY_CRASH_SPREAD=%q: give a duration such as 60s", v)
		}
		s.spread = d
	}
	if v := os.Getenv("JOURNEY_CRASH_SEED"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("JOURNEY_CRASH_SEED=%q: give the seed a failed run printed", v)
		}
		s.seed = n
	}
	return s
}

// The crash test's bounds: each is far beyond what its stage takes, so
// that only a hang reaches it, and it fails the test.
const (
	// settleTimeout: after the last kill, River's rescuer (once the killed
	// process's leader lease has run out, within about a minute) runs the
	// jobs the kill cut short, and every contact reaches its end.
	settleTimeout = 5 * time.Minute
	callTimeout   = 5 * time.Minute
)

// TestCrashSafety runs contacts through a campaign with marketing and
// transactional emails, a webhook and a short wait, on the real journey
// binary over SQLite, and kills the server with SIGKILL at random moments
// (at least five times), starting it again each time. The contacts are
// created and signed up over HTTP by clients that try again, with the
// same Idempotency-Key, until the server answers. At the end:
//
//   - every contact stands where the plan says: at end vip or end plain by
//     its tag, with nothing left waiting;
//   - no marketing email reached the SMTP sink twice;
//   - every transactional email and webhook arrived at least once, every
//     repeat with the same Message-ID or Idempotency-Key as the first;
//   - the deliveries whose outcome a kill left unknown are listed (the
//     test's log), marketing emails only, at most one per kill;
//   - no job of the delivery queue is left running, or waiting.
//
// JOURNEY_CRASH=1 runs it (.ci/run sets it): 3,000 contacts over 30 s,
// about three minutes. bash bench/crash.sh runs 10,000 over 60 s.
func TestCrashSafety(t *testing.T) {
	if os.Getenv("JOURNEY_CRASH") == "" {
		t.Skip("a crash test (minutes: the real server, killed and started again): JOURNEY_CRASH=1 runs it, as .ci/run does")
	}
	settings := crashSettingsFromEnv(t)
	t.Logf("%d contacts over %s, %d kills, JOURNEY_CRASH_SEED=%d", settings.contacts, settings.spread, settings.kills, settings.seed)
	ctx := context.Background()
	dir := t.TempDir()
	binary := filepath.Join(dir, "journey")
	if err := Build(ctx, filepath.Join("..", ".."), binary); err != nil {
		t.Fatal(err)
	}

	mail, err := sinks.StartSMTP(sinks.SMTPOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer mail.Close()
	const webhookSecret = "crash-test-webhook-secret-0123456789"
	hooks, err := sinks.StartHTTP(sinks.HTTPOptions{Secret: webhookSecret})
	if err != nil {
		t.Fatal(err)
	}
	defer hooks.Close()
	plan, err := Compile(ctx, binary, "crash", dir, Workspace{WebhookURL: hooks.URL()})
	if err != nil {
		t.Fatal(err)
	}
	// A fixed port: the clients keep their address across restarts.
	listen := freeAddr(t)
	if err := WriteConfig(dir,
		`db     = "journey.db"`,
		fmt.Sprintf(`listen = %q`, listen),
		`smtp {`,
		fmt.Sprintf(`  host = %q`, mail.Host()),
		fmt.Sprintf(`  port = %d`, mail.Port()),
		`  tls  = "none"`,
		`}`,
		`webhook {`,
		`  secret_env = "WEBHOOK_SECRET"`,
		`}`,
	); err != nil {
		t.Fatal(err)
	}
	token := NewToken()
	server := &Server{Binary: binary, Dir: dir, Args: []string{"--plan", plan},
		Env: []string{"JOURNEY_TOKEN=" + token, "WEBHOOK_SECRET=" + webhookSecret}}
	if err := server.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if server.PID() != 0 {
			server.Kill()
		}
	}()
	client := NewClient("http://"+listen, token, 16)

	// The signups, evenly over the spread, and the kills, at random
	// moments from the first signups to the marketing emails a minute
	// after the last.
	start := time.Now()
	var retried atomic.Int64
	// The signups' own duration: they may end before the last kill, which
	// this goroutine waits for before it reads their end.
	var signedUpAfter time.Duration
	signups := make(chan error, 1)
	go func() {
		err := signUp(ctx, client, settings, start, &retried)
		signedUpAfter = time.Since(start)
		signups <- err
	}()
	kills := killMoments(settings, start)
	for i, at := range kills {
		time.Sleep(time.Until(at))
		if err := server.Kill(); err != nil {
			t.Fatalf("kill %d: %v", i+1, err)
		}
		t.Logf("kill %d at %s", i+1, time.Since(start).Round(time.Millisecond))
		if err := server.Start(ctx); err != nil {
			t.Fatalf("starting again after kill %d: %v", i+1, err)
		}
	}
	if err := <-signups; err != nil {
		t.Fatal(err)
	}
	t.Logf("signed up %d contacts in %s; %d calls tried again while the server was down",
		settings.contacts, signedUpAfter.Round(time.Millisecond), retried.Load())

	if err := settle(ctx, client, settings.contacts); err != nil {
		t.Fatalf("%v; the server's log: %s", err, server.LogFile())
	}
	t.Logf("settled %s after the start", time.Since(start).Round(time.Millisecond))
	if err := server.Stop(); err != nil {
		t.Fatal(err)
	}

	store, err := sqlstore.OpenSQLite(ctx, filepath.Join(dir, "journey.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	db := store.DB()
	checkPositions(t, db, settings.contacts)
	outbox := readOutbox(t, db)
	checkOutbox(t, outbox, settings.contacts, len(kills))
	checkMail(t, outbox, mail.Messages())
	checkWebhooks(t, outbox, hooks.Requests())
	checkQueueEmpty(t, db)
}

// crashEmail is contact i's email address; every third contact is a vip.
func crashEmail(i int) string { return fmt.Sprintf("c%d@crash.example", i) }
func crashVIP(i int) bool     { return i%3 == 0 }

// signUp creates the contacts (vips with their tag) and sends each its
// signup, contact i at start + i*spread/contacts, every call tried again
// until the server answers.
func signUp(ctx context.Context, client *api.Client, s crashSettings, start time.Time, retried *atomic.Int64) error {
	ctx, cancel := context.WithTimeout(ctx, s.spread+callTimeout)
	defer cancel()
	next := make(chan int)
	go func() {
		defer close(next)
		for i := range s.contacts {
			time.Sleep(time.Until(start.Add(s.spread * time.Duration(i) / time.Duration(s.contacts))))
			select {
			case next <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for range 16 {
		wg.Go(func() {
			for i := range next {
				if err := signUpOne(ctx, client, i, retried); err != nil {
					errs <- err
					cancel()
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	return <-errs
}

func signUpOne(ctx context.Context, client *api.Client, i int, retried *atomic.Int64) error {
	contact := api.ContactFields{"email": crashEmail(i), "first_name": fmt.Sprintf("Contact%d", i)}
	if crashVIP(i) {
		contact["tags"] = []string{"vip"}
	}
	tries, err := Retrying(ctx, func(ctx context.Context) error {
		_, err := client.CreateContact(ctx, contact)
		return err
	})
	retried.Add(int64(tries - 1))
	// A create the server made before a kill cut its answer is made: the
	// retry finds the contact there.
	var apiErr *api.Error
	if err != nil && !(tries > 1 && errors.As(err, &apiErr) && apiErr.Code == "conflict") {
		return fmt.Errorf("creating %s: %w", crashEmail(i), err)
	}
	signup := api.Event{Contact: api.ContactRef{Email: crashEmail(i)}, Type: "form_submitted", Args: map[string]string{"form": "signup"}}
	tries, err = Retrying(ctx, func(ctx context.Context) error {
		_, err := client.SendEvent(ctx, signup, fmt.Sprintf("signup-%d", i))
		return err
	})
	retried.Add(int64(tries - 1))
	if err != nil {
		return fmt.Errorf("signing %s up: %w", crashEmail(i), err)
	}
	return nil
}

// killMoments are the kills' times: at random from 2 s after the start
// to a minute and a quarter after the last signup (the wait of a minute,
// then the marketing emails), at least 3 s apart.
func killMoments(s crashSettings, start time.Time) []time.Time {
	r := rand.New(rand.NewPCG(s.seed, 0x6a6f75726e6579))
	window := s.spread + 75*time.Second
	const first, gap = 2 * time.Second, 3 * time.Second
	for {
		var at []time.Duration
		for range s.kills {
			at = append(at, first+time.Duration(r.Int64N(int64(window-first))))
		}
		slices.Sort(at)
		spaced := true
		for i := 1; i < len(at); i++ {
			spaced = spaced && at[i]-at[i-1] >= gap
		}
		if spaced {
			var out []time.Time
			for _, d := range at {
				out = append(out, start.Add(d))
			}
			return out
		}
	}
}

// settle waits until every contact has left the campaign, and the outbox
// and the queue have nothing left to do.
func settle(ctx context.Context, client *api.Client, contacts int) error {
	deadline := time.Now().Add(settleTimeout)
	last := "nothing asked yet"
	for time.Now().Before(deadline) {
		stats, err := client.CampaignStats(ctx, "crash")
		if err == nil {
			var status *api.Status
			status, err = client.Status(ctx)
			if err == nil {
				done := stats.Enrolled.Ended + stats.Enrolled.Exited
				depth := -1
				if status.QueueDepth != nil {
					depth = *status.QueueDepth
				}
				last = fmt.Sprintf("%d of %d contacts out of the campaign (%d active); outbox %v; %d jobs waiting",
					done, contacts, stats.Enrolled.Active, status.Outbox, depth)
				if done == contacts && stats.Enrolled.Active == 0 && depth == 0 &&
					status.Outbox["pending"] == 0 && status.Outbox["sending"] == 0 {
					return nil
				}
			}
		}
		if err != nil {
			last = err.Error()
		}
		time.Sleep(500 * time.Millisecond)
	}
	return fmt.Errorf("not settled %s after the last kill: %s", settleTimeout, last)
}

func checkPositions(t *testing.T, db *sql.DB, contacts int) {
	t.Helper()
	ends := map[string][]string{}
	rows, err := db.Query(`SELECT c.email, t.element FROM timeline t JOIN contacts c ON c.id = t.contact_id
		WHERE t.campaign = 'crash' AND t.kind = 'end' ORDER BY t.id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var email, end string
		if err := rows.Scan(&email, &end); err != nil {
			t.Fatal(err)
		}
		ends[email] = append(ends[email], end)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM contacts`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != contacts {
		t.Errorf("%d contacts in the database, want %d: a contact was lost or made twice", n, contacts)
	}
	wrong := 0
	for i := range contacts {
		want := "plain"
		if crashVIP(i) {
			want = "vip"
		}
		if got := ends[crashEmail(i)]; len(got) != 1 || got[0] != want {
			if wrong++; wrong <= 10 {
				t.Errorf("%s reached the ends %q, want [%s] once", crashEmail(i), got, want)
			}
		}
	}
	if wrong > 10 {
		t.Errorf("... %d contacts in all did not stand where the plan says", wrong)
	}
	var left, events int
	if err := db.QueryRow(`SELECT count(*) FROM tokens`).Scan(&left); err != nil {
		t.Fatal(err)
	}
	if left != 0 {
		t.Errorf("%d positions left in the campaign, want none", left)
	}
	if err := db.QueryRow(`SELECT count(*) FROM events WHERE kind = 'form_submitted'`).Scan(&events); err != nil {
		t.Fatal(err)
	}
	if events != contacts {
		t.Errorf("%d signup events stored, want %d: one per Idempotency-Key", events, contacts)
	}
}

// outboxRow is a delivery as the test reads it from the database.
type outboxRow struct {
	id                     int64
	email, kind, asset     string
	key, status, messageID string
	marketing              bool
	attempts               int
	lastError              string
}

func readOutbox(t *testing.T, db *sql.DB) []outboxRow {
	t.Helper()
	rows, err := db.Query(`SELECT d.id, c.email, d.kind, d.asset, d.key, d.status, d.message_id, d.marketing, d.attempts, d.last_error
		FROM deliveries d JOIN contacts c ON c.id = d.contact_id ORDER BY d.id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []outboxRow
	for rows.Next() {
		var r outboxRow
		if err := rows.Scan(&r.id, &r.email, &r.kind, &r.asset, &r.key, &r.status, &r.messageID, &r.marketing, &r.attempts, &r.lastError); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// checkOutbox: each contact has its three deliveries, sent, but for the
// marketing emails a kill cut off after they may have left: unknown, at
// most one per kill, listed.
func checkOutbox(t *testing.T, outbox []outboxRow, contacts, kills int) {
	t.Helper()
	per := map[string][]string{}
	var unknown []outboxRow
	resent := 0
	for _, d := range outbox {
		per[d.email] = append(per[d.email], d.asset+d.kind)
		switch {
		case d.status == "unknown" && d.marketing:
			unknown = append(unknown, d)
		case d.status != "sent":
			t.Errorf("delivery %d (%s %s to %s) is %s after %d attempts (%s), want sent", d.id, d.kind, d.asset, d.email, d.status, d.attempts, d.lastError)
		}
		if d.attempts > 1 {
			resent++
		}
	}
	for i := range contacts {
		want := []string{"welcomeemail", "crmwebhook", "offeremail"}
		if crashVIP(i) {
			want[2] = "tipemail"
		}
		got := per[crashEmail(i)]
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s has the deliveries %q, want %q", crashEmail(i), got, want)
		}
	}
	for _, d := range unknown {
		t.Logf("outcome unknown: delivery %d, %s %s to %s, after %d attempts: %s", d.id, d.kind, d.asset, d.email, d.attempts, d.lastError)
	}
	t.Logf("%d deliveries: %d took more than one attempt, %d unknown after %d kills", len(outbox), resent, len(unknown), kills)
	if len(unknown) > kills {
		t.Errorf("%d deliveries are unknown after %d kills: more than one per kill", len(unknown), kills)
	}
}

// checkMail: no marketing email reached the sink twice, every sent one
// once; every transactional email at least once, with one Message-ID. An
// email is matched to its delivery by its idempotency key: a delivery a
// kill left unknown has no Message-ID recorded (the attempt's outcome,
// which carries it, was never written), yet its email may have left.
func checkMail(t *testing.T, outbox []outboxRow, mails []sinks.Mail) {
	t.Helper()
	byKey := map[string][]sinks.Mail{}
	for _, m := range mails {
		byKey[m.IdempotencyKey] = append(byKey[m.IdempotencyKey], m)
	}
	known := map[string]bool{}
	repeats := 0
	for _, d := range outbox {
		if d.kind != "email" {
			continue
		}
		known[d.key] = true
		got := byKey[d.key]
		for _, m := range got {
			if len(m.To) != 1 || m.To[0] != d.email {
				t.Errorf("delivery %d's email (key %q) came to %q, want %s", d.id, d.key, m.To, d.email)
			}
			if m.MessageID != got[0].MessageID || (d.messageID != "" && m.MessageID != d.messageID) {
				t.Errorf("delivery %d's email (key %q) came with the Message-ID %s, want %s every time", d.id, d.key, m.MessageID, cmp.Or(d.messageID, got[0].MessageID))
			}
		}
		switch {
		case d.marketing && len(got) > 1:
			t.Errorf("marketing email %s to %s reached the sink %d times, want at most once", d.asset, d.email, len(got))
		case d.marketing && d.status == "sent" && len(got) != 1:
			t.Errorf("marketing email %s to %s is sent, and reached the sink %d times, want once", d.asset, d.email, len(got))
		case !d.marketing && len(got) == 0:
			t.Errorf("transactional email %s to %s (%s) never reached the sink", d.asset, d.email, d.status)
		case !d.marketing:
			repeats += len(got) - 1
		}
	}
	for key, got := range byKey {
		if !known[key] {
			t.Errorf("the sink got %d emails with the idempotency key %q, which no delivery has (to %q, subject %q)", len(got), key, got[0].To, got[0].Subject)
		}
	}
	t.Logf("%d emails reached the sink; %d were transactional repeats with their first Message-ID", len(mails), repeats)
}

// checkWebhooks: every webhook arrived at least once, every repeat with
// its Idempotency-Key, signed.
func checkWebhooks(t *testing.T, outbox []outboxRow, requests []sinks.Request) {
	t.Helper()
	byKey := map[string]int{}
	for _, r := range requests {
		byKey[r.Header.Get("Idempotency-Key")]++
		if r.SignatureErr != nil {
			t.Errorf("a webhook call (key %q) is not signed right: %v", r.Header.Get("Idempotency-Key"), r.SignatureErr)
		}
	}
	known := map[string]bool{}
	repeats := 0
	for _, d := range outbox {
		if d.kind != "webhook" {
			continue
		}
		known[d.key] = true
		if byKey[d.key] == 0 {
			t.Errorf("the webhook of %s (delivery %d, %s) never arrived", d.email, d.id, d.status)
		}
		repeats += max(0, byKey[d.key]-1)
	}
	for key, n := range byKey {
		if !known[key] {
			t.Errorf("%d webhook calls carried the Idempotency-Key %q, which no delivery has", n, key)
		}
	}
	t.Logf("%d webhook calls; %d were repeats with their first Idempotency-Key", len(requests), repeats)
}

// checkQueueEmpty: no job of River's is left running, or waiting to.
func checkQueueEmpty(t *testing.T, db *sql.DB) {
	t.Helper()
	rows, err := db.Query(`SELECT state, count(*) FROM river_job WHERE state NOT IN ('completed', 'cancelled', 'discarded') GROUP BY state`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var state string
		var n int
		if err := rows.Scan(&state, &n); err != nil {
			t.Fatal(err)
		}
		t.Errorf("%d jobs of the delivery queue are left %s, want none", n, state)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
}

// freeAddr is a loopback address nothing listens on now.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}
