package runtime_test

// The engine benchmark: bench/engine.sh runs it (see bench/README.md). It is
// a test guarded by an environment variable, never part of the normal suite:
//
//	JOURNEY_BENCH_CONTACTS=100000 go test -v -timeout 0 -run '^TestEngineBench$' ./runtime/
//
// It enrolls the contacts in examples/onboarding's trial_onboarding on a
// SQLite file (as journey server would use it), drives them through every
// wait on the virtual clock with Engine.RunDue, and then runs a raw-SQL
// baseline on a copy of the database taken after the enrollment: the same
// due-token claims and, per step, the same number of row writes of each kind
// as the engine made on average, issued with database/sql and prepared
// statements, with the same batch size per transaction. Results are lines
// "BENCH name value unit" on stdout.

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	goruntime "runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/journeyhq/journey/runtime"
	"github.com/journeyhq/journey/runtime/sqlstore"
)

// benchConfig is read from the environment.
type benchConfig struct {
	contacts int    // JOURNEY_BENCH_CONTACTS (required)
	batch    int    // JOURNEY_BENCH_BATCH: steps per RunDue transaction (500)
	first    int    // JOURNEY_BENCH_FIRST: steps timed on their own for the pending-count goal
	baseline int    // JOURNEY_BENCH_BASELINE_STEPS: -1 = as many as the engine ran; 0 = none
	dir      string // JOURNEY_BENCH_DIR: where the databases go (a temporary directory)
	profile  string // JOURNEY_BENCH_PROFILE: directory for enroll.cpu and drive.cpu
	// JOURNEY_BENCH_ENROLL_BATCH: contacts per transaction when enrolling;
	// 0 (the default) is the engine's API, two transactions per contact.
	// N > 0 runs the same engine calls inside one outer transaction per N
	// contacts: what a batch API in the engine would give.
	enrollBatch int
	// JOURNEY_BENCH_KEEP_ENROLLED: save a copy of the database as it is
	// after enrolling there. JOURNEY_BENCH_PENDING_DB: such a copy from a
	// smaller run; at the end, the first due steps run on it and on a copy
	// of this run's database in turns, one batch each, so that the
	// comparison of their cost per step sees the same machine load.
	keepEnrolled, pendingDB string
	progress                time.Duration
}

func envInt(t *testing.T, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		t.Fatalf("%s=%q: not a number", name, v)
	}
	return n
}

func TestEngineBench(t *testing.T) {
	if os.Getenv("JOURNEY_BENCH_CONTACTS") == "" {
		t.Skip("the engine benchmark runs with JOURNEY_BENCH_CONTACTS=N (bash bench/engine.sh)")
	}
	cfg := benchConfig{
		contacts:     envInt(t, "JOURNEY_BENCH_CONTACTS", 0),
		batch:        envInt(t, "JOURNEY_BENCH_BATCH", 500),
		baseline:     envInt(t, "JOURNEY_BENCH_BASELINE_STEPS", -1),
		dir:          os.Getenv("JOURNEY_BENCH_DIR"),
		profile:      os.Getenv("JOURNEY_BENCH_PROFILE"),
		enrollBatch:  envInt(t, "JOURNEY_BENCH_ENROLL_BATCH", 0),
		keepEnrolled: os.Getenv("JOURNEY_BENCH_KEEP_ENROLLED"),
		pendingDB:    os.Getenv("JOURNEY_BENCH_PENDING_DB"),
		progress:     time.Duration(envInt(t, "JOURNEY_BENCH_PROGRESS_SECONDS", 30)) * time.Second,
	}
	cfg.first = envInt(t, "JOURNEY_BENCH_FIRST", min(50000, cfg.contacts/2))
	if cfg.contacts <= 0 || cfg.batch <= 0 {
		t.Fatal("JOURNEY_BENCH_CONTACTS and JOURNEY_BENCH_BATCH must be positive")
	}
	if cfg.dir == "" {
		cfg.dir = t.TempDir()
	}
	runEngineBench(t, cfg)
}

// report prints one machine-readable result.
func report(name string, value any, unit string) {
	switch v := value.(type) {
	case float64:
		fmt.Printf("BENCH %s %.6g %s\n", name, v, unit)
	default:
		fmt.Printf("BENCH %s %v %s\n", name, v, unit)
	}
}

func progress(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "[%s] "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
}

// usage is the process's peak RSS (KiB) and CPU time so far.
func usage() (maxRSSKiB int64, cpu time.Duration) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, 0
	}
	return ru.Maxrss, time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// currentRSS is the resident set now (KiB), from /proc/self/statm.
func currentRSS() int64 {
	data, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(data))
	if len(f) < 2 {
		return 0
	}
	pages, _ := strconv.ParseInt(f[1], 10, 64)
	return pages * int64(os.Getpagesize()) / 1024
}

// ioCounts are the process's read and write system calls and bytes so far,
// from /proc/self/io: they do not depend on the machine's load.
type ioCounts struct{ syscr, syscw, rchar, wchar int64 }

func readIO() ioCounts {
	var c ioCounts
	data, err := os.ReadFile("/proc/self/io")
	if err != nil {
		return c
	}
	for _, line := range strings.Split(string(data), "\n") {
		name, value, ok := strings.Cut(line, ": ")
		if !ok {
			continue
		}
		n, _ := strconv.ParseInt(strings.TrimSpace(value), 10, 64)
		switch name {
		case "syscr":
			c.syscr = n
		case "syscw":
			c.syscw = n
		case "rchar":
			c.rchar = n
		case "wchar":
			c.wchar = n
		}
	}
	return c
}

func reportIO(prefix string, from, to ioCounts, per float64) {
	report(prefix+"_read_syscalls", float64(to.syscr-from.syscr)/per, "calls")
	report(prefix+"_write_syscalls", float64(to.syscw-from.syscw)/per, "calls")
	report(prefix+"_read_kib", float64(to.rchar-from.rchar)/1024/per, "KiB")
	report(prefix+"_write_kib", float64(to.wchar-from.wchar)/1024/per, "KiB")
}

// loadOnboarding compiles examples/onboarding through the real front end.
func loadOnboarding(t *testing.T) *runtime.Program {
	t.Helper()
	dir := filepath.Join("..", "examples", "onboarding")
	return linkFS(t, os.DirFS(dir), dir)
}

var (
	benchFirstNames = []string{"Ada", "Grace", "Alan", "Barbara", "Edsger", "Frances", "Donald", "Margaret", "Ken", "Radia", "Dennis", "Shafi", "Niklaus", "Leslie", "Tim", "Hedy", "John", "Katherine", "Linus", "Sophie", "Guido", "Anita", "Bjarne", "Jean", "Rob"}
	benchLastNames  = []string{"Lovelace", "Hopper", "Turing", "Liskov", "Dijkstra", "Allen", "Knuth", "Hamilton", "Thompson", "Perlman", "Ritchie", "Goldwasser", "Wirth", "Lamport", "Berners-Lee", "Lamarr", "Backus", "Johnson", "Torvalds", "Wilson", "van Rossum", "Borg", "Stroustrup", "Sammet", "Pike"}
	benchZones      = []string{"America/Los_Angeles", "America/Chicago", "Europe/London", "Europe/Berlin", "Asia/Tokyo", "Australia/Sydney"}
	benchSources    = []string{"google", "newsletter", "twitter", "partner", "direct", "podcast"}
)

// benchContact is contact i of the benchmark: deterministic, and varied so
// that every path of the campaign runs: 35% are activated (the condition's
// then), the others get the SMS nudge unless they have no phone (20%) or
// opted out of SMS; 2% opted out of email; 40% have their own time zone;
// trials end 10 to 30 days after signup, and 1% have no trial end at all
// (their wait can never fire).
func benchContact(i int, signup time.Time) *runtime.Contact {
	fields := map[string]any{
		"email":         fmt.Sprintf("%s.%s%d@example%d.com", strings.ToLower(benchFirstNames[i%25]), strings.ToLower(strings.ReplaceAll(benchLastNames[(i/25)%25], " ", "")), i, i%97),
		"first_name":    benchFirstNames[i%25],
		"last_name":     benchLastNames[(i/25)%25],
		"signup_source": benchSources[i%len(benchSources)],
	}
	if i%5 != 0 {
		fields["phone"] = fmt.Sprintf("+1555%07d", i%10000000)
	}
	if i%3 == 0 {
		fields["company"] = benchLastNames[(i/7)%25] + " Studio"
	}
	if i%10 < 4 {
		fields["time_zone"] = benchZones[(i/10)%len(benchZones)]
	}
	if i%100 != 99 {
		fields["trial_ends"] = signup.AddDate(0, 0, 10+(i*7)%21).Format("2006-01-02")
	}
	c := &runtime.Contact{Fields: fields}
	if (i*13)%100 < 35 {
		c.Tags = append(c.Tags, "activated")
	}
	if i%4 == 0 {
		c.Tags = append(c.Tags, "newsletter")
	}
	switch {
	case i%50 == 7:
		c.DNC = []string{"email"}
	case i%50 == 11:
		c.DNC = []string{"sms"}
	}
	return c
}

// writeCounts counts what the engine asked the store to do.
type writeCounts struct {
	contactIns, contactUpd, contactDel     int64
	enrIns, enrUpd                         int64
	tokIns, tokUpd, tokDel                 int64
	timeline, deliveries, marketing, recIn int64
	recUpd                                 int64
	contactReads, enrReads, dueQueries     int64
	nextDue, txs                           int64
}

func (c writeCounts) minus(o writeCounts) writeCounts {
	return writeCounts{
		c.contactIns - o.contactIns, c.contactUpd - o.contactUpd, c.contactDel - o.contactDel,
		c.enrIns - o.enrIns, c.enrUpd - o.enrUpd,
		c.tokIns - o.tokIns, c.tokUpd - o.tokUpd, c.tokDel - o.tokDel,
		c.timeline - o.timeline, c.deliveries - o.deliveries, c.marketing - o.marketing, c.recIn - o.recIn,
		c.recUpd - o.recUpd,
		c.contactReads - o.contactReads, c.enrReads - o.enrReads, c.dueQueries - o.dueQueries,
		c.nextDue - o.nextDue, c.txs - o.txs,
	}
}

// countingStore wraps the SQL store and counts the writes it is asked for
// (one goroutine: plain counters). The wrapper costs a method call.
type countingStore struct {
	runtime.Store
	n *writeCounts
}

func (s countingStore) Begin(ctx context.Context) (runtime.Tx, error) {
	tx, err := s.Store.Begin(ctx)
	if err != nil {
		return nil, err
	}
	s.n.txs++
	return &countingTx{Tx: tx, n: s.n}, nil
}

type countingTx struct {
	runtime.Tx
	n *writeCounts
}

func (t *countingTx) CreateContact(c *runtime.Contact) error {
	t.n.contactIns++
	return t.Tx.CreateContact(c)
}

func (t *countingTx) Contact(id int64) (*runtime.Contact, error) {
	t.n.contactReads++
	return t.Tx.Contact(id)
}

func (t *countingTx) SaveContact(c *runtime.Contact) error {
	t.n.contactUpd++
	return t.Tx.SaveContact(c)
}

func (t *countingTx) DeleteContact(id int64) error {
	t.n.contactDel++
	return t.Tx.DeleteContact(id)
}

func (t *countingTx) Enrollments(id int64) ([]*runtime.Enrollment, error) {
	t.n.enrReads++
	return t.Tx.Enrollments(id)
}

// SaveEnrollment counts as the SQL store decides what to write.
func (t *countingTx) SaveEnrollment(e *runtime.Enrollment) error {
	switch {
	case e.IsNew():
		t.n.enrIns++
	case e.Changed():
		t.n.enrUpd++
	}
	for _, tok := range e.Tokens {
		switch {
		case tok.Removed():
			if tok.ID != 0 {
				t.n.tokDel++
			}
		case tok.IsNew():
			t.n.tokIns++
		case tok.Changed():
			t.n.tokUpd++
		}
	}
	return t.Tx.SaveEnrollment(e)
}

func (t *countingTx) AddTimeline(entries []runtime.TimelineEntry) error {
	t.n.timeline += int64(len(entries))
	return t.Tx.AddTimeline(entries)
}

func (t *countingTx) AddDelivery(d *runtime.Delivery) (bool, error) {
	ok, err := t.Tx.AddDelivery(d)
	if ok {
		t.n.deliveries++
	}
	return ok, err
}

func (t *countingTx) AddMarketingDelivery(d *runtime.Delivery) (bool, bool, error) {
	first, stored, err := t.Tx.AddMarketingDelivery(d)
	if first {
		t.n.marketing++
	}
	if stored {
		t.n.deliveries++
	}
	return first, stored, err
}

func (t *countingTx) MarkSent(contactID int64, email string) (bool, error) {
	ok, err := t.Tx.MarkSent(contactID, email)
	if ok {
		t.n.marketing++
	}
	return ok, err
}

func (t *countingTx) AddRecord(r *runtime.Record) error {
	t.n.recIn++
	return t.Tx.AddRecord(r)
}

func (t *countingTx) UpdateRecord(r *runtime.Record) error {
	t.n.recUpd++
	return t.Tx.UpdateRecord(r)
}

func (t *countingTx) Due(tm time.Time, limit int) ([]runtime.DueToken, error) {
	t.n.dueQueries++
	return t.Tx.Due(tm, limit)
}

func (t *countingTx) NextDue() (*time.Time, error) {
	t.n.nextDue++
	return t.Tx.NextDue()
}

// batchStore, when on, runs every transaction the engine begins inside
// one outer transaction that the driver commits (flush).
type batchStore struct {
	runtime.Store
	on  bool
	cur runtime.Tx
	n   int // outer transactions committed
}

func (b *batchStore) Begin(ctx context.Context) (runtime.Tx, error) {
	if !b.on {
		return b.Store.Begin(ctx)
	}
	if b.cur == nil {
		tx, err := b.Store.Begin(ctx)
		if err != nil {
			return nil, err
		}
		b.cur = tx
	}
	return nestedTx{b.cur}, nil
}

func (b *batchStore) flush() error {
	if b.cur == nil {
		return nil
	}
	err := b.cur.Commit()
	b.cur = nil
	b.n++
	return err
}

// nestedTx leaves committing to the outer transaction. (An engine error
// fails the benchmark, so its rollback need not undo anything.)
type nestedTx struct{ runtime.Tx }

func (nestedTx) Commit() error   { return nil }
func (nestedTx) Rollback() error { return nil }

// tableCounts are row counts of the runtime's tables.
type tableCounts map[string]int64

func countTables(t *testing.T, db *sql.DB) tableCounts {
	t.Helper()
	out := tableCounts{}
	for _, q := range []struct{ name, sql string }{
		{"contacts", `SELECT COUNT(*) FROM contacts`},
		{"enrollments", `SELECT COUNT(*) FROM enrollments`},
		{"tokens", `SELECT COUNT(*) FROM tokens`},
		{"tokens_pending", `SELECT COUNT(*) FROM tokens WHERE due_at IS NOT NULL`},
		{"timeline", `SELECT COUNT(*) FROM timeline`},
		{"deliveries", `SELECT COUNT(*) FROM deliveries`},
		{"marketing_sent", `SELECT COUNT(*) FROM marketing_sent`},
		{"timeline_max_id", `SELECT COALESCE(MAX(id), 0) FROM timeline`},
		{"deliveries_max_id", `SELECT COALESCE(MAX(id), 0) FROM deliveries`},
	} {
		var n int64
		if err := db.QueryRow(q.sql).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q.sql, err)
		}
		out[q.name] = n
	}
	return out
}

// startProfile starts a CPU profile into dir/name, if profiling.
func startProfile(t *testing.T, dir, name string) func() {
	if dir == "" {
		return func() {}
	}
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		t.Fatal(err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}

func runEngineBench(t *testing.T, cfg benchConfig) {
	ctx := context.Background()
	prog := loadOnboarding(t)
	const campaign = "trial_onboarding"
	if prog.Campaign(campaign) == nil {
		t.Fatalf("no campaign %s in examples/onboarding", campaign)
	}
	dbPath := filepath.Join(cfg.dir, "engine.db")
	store, err := sqlstore.OpenSQLite(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	counts := &writeCounts{}
	// Signups over one Monday, 00:00 to 20:00 in the account's zone: nothing
	// falls due before Tuesday 08:30, so enrolling and driving do not mix.
	ny, _ := time.LoadLocation("America/New_York")
	start := time.Date(2026, 6, 1, 0, 0, 0, 0, ny)
	clock := runtime.NewVirtualClock(start)
	batcher := &batchStore{Store: store, on: cfg.enrollBatch > 0}
	eng := runtime.NewEngine(prog, countingStore{Store: batcher, n: counts}, clock, nil)

	report("contacts", cfg.contacts, "contacts")
	report("batch", cfg.batch, "steps/tx")
	report("gomaxprocs", goruntime.GOMAXPROCS(0), "")
	report("db_dir", cfg.dir, "")

	// Enrolling: journey server's path, one transaction per call, as the
	// engine offers no other: create the contact (raising contact_created),
	// then the signup form, whose trigger enrolls it.
	stop := startProfile(t, cfg.profile, "enroll.cpu")
	_, cpu0 := usage()
	io0 := readIO()
	t0 := time.Now()
	lastProgress := t0
	signupSpan := 20 * time.Hour
	form := runtime.Event{Kind: "form_submitted", Args: map[string]string{"form": "trial_signup"}}
	for i := 0; i < cfg.contacts; i++ {
		at := start.Add(time.Duration(int64(signupSpan) * int64(i) / int64(cfg.contacts)))
		clock.Set(at)
		c := benchContact(i, at)
		if err := eng.CreateContact(ctx, c); err != nil {
			t.Fatalf("contact %d: %v", i, err)
		}
		if err := eng.Handle(ctx, c.ID, form); err != nil {
			t.Fatalf("contact %d: %v", i, err)
		}
		if batcher.on && (i+1)%cfg.enrollBatch == 0 {
			if err := batcher.flush(); err != nil {
				t.Fatal(err)
			}
		}
		if time.Since(lastProgress) > cfg.progress {
			lastProgress = time.Now()
			el := time.Since(t0).Seconds()
			progress("enrolled %d/%d (%.0f contacts/s)", i+1, cfg.contacts, float64(i+1)/el)
		}
	}
	if err := batcher.flush(); err != nil {
		t.Fatal(err)
	}
	batcher.on = false
	enrollSecs := time.Since(t0).Seconds()
	_, cpu1 := usage()
	io1 := readIO()
	stop()
	afterEnroll := *counts
	rssEnroll, _ := usage()
	report("enroll_seconds", enrollSecs, "s")
	report("enroll_contacts_per_s", float64(cfg.contacts)/enrollSecs, "contacts/s")
	if cfg.enrollBatch > 0 {
		report("enroll_batch", cfg.enrollBatch, "contacts/tx")
		report("enroll_tx", batcher.n, "tx")
	} else {
		report("enroll_tx", afterEnroll.txs, "tx")
	}
	report("enroll_us_per_contact", enrollSecs*1e6/float64(cfg.contacts), "us")
	report("enroll_cpu_us_per_contact", float64((cpu1-cpu0).Microseconds())/float64(cfg.contacts), "us")
	report("rss_peak_after_enroll", rssEnroll, "KiB")
	reportIO("enroll_per_contact", io0, io1, float64(cfg.contacts))

	report("db_mib_after_enroll", dbSize(dbPath)/1024/1024, "MiB")
	db := store.DB()
	before := countTables(t, db)
	for _, k := range []string{"timeline", "deliveries", "tokens", "tokens_pending", "enrollments"} {
		report("rows_after_enroll_"+k, before[k], "rows")
	}

	// The baseline works on a copy of the database as it is now.
	basePath := filepath.Join(cfg.dir, "baseline.db")
	pendingLarge := filepath.Join(cfg.dir, "pending.db")
	copies := map[string]bool{basePath: cfg.baseline != 0, cfg.keepEnrolled: cfg.keepEnrolled != "", pendingLarge: cfg.pendingDB != ""}
	if _, err := db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	for path, want := range copies {
		if want {
			if err := copyFile(dbPath, path); err != nil {
				t.Fatal(err)
			}
		}
	}

	// Driving: the clock jumps to the next due time; RunDue in batches until
	// nothing is due then.
	goruntime.GC()
	stop = startProfile(t, cfg.profile, "drive.cpu")
	var steps, firstSteps int
	var firstSecs, firstCPU float64
	_, cpu0 = usage()
	io0 = readIO()
	t0 = time.Now()
	lastProgress = t0
	instants := 0
	for {
		next, err := eng.NextDue(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if next == nil {
			break
		}
		clock.Set(*next)
		instants++
		for {
			n, err := eng.RunDue(ctx, cfg.batch)
			if err != nil {
				t.Fatal(err)
			}
			steps += n
			if firstSteps == 0 && steps >= cfg.first {
				_, c := usage()
				firstSteps, firstSecs, firstCPU = steps, time.Since(t0).Seconds(), (c - cpu0).Seconds()
			}
			if time.Since(lastProgress) > cfg.progress {
				lastProgress = time.Now()
				el := time.Since(t0).Seconds()
				progress("drive: %d steps (%.0f steps/s), clock %s, rss %d MiB", steps, float64(steps)/el, next.In(ny).Format(time.RFC3339), currentRSS()/1024)
			}
			if n == 0 {
				break
			}
		}
	}
	driveSecs := time.Since(t0).Seconds()
	_, cpu1 = usage()
	io1 = readIO()
	stop()
	rssDrive, _ := usage()
	drive := counts.minus(afterEnroll)
	after := countTables(t, db)
	if steps == 0 {
		t.Fatal("no step ran")
	}
	report("engine_steps", steps, "steps")
	report("engine_instants", instants, "due times")
	report("engine_seconds", driveSecs, "s")
	report("engine_steps_per_s", float64(steps)/driveSecs, "steps/s")
	report("engine_us_per_step", driveSecs*1e6/float64(steps), "us")
	report("engine_cpu_us_per_step", (cpu1-cpu0).Seconds()*1e6/float64(steps), "us")
	report("engine_tx", drive.txs, "tx")
	reportIO("engine_per_step", io0, io1, float64(steps))
	if firstSteps > 0 {
		report("first_steps", firstSteps, "steps")
		report("first_us_per_step", firstSecs*1e6/float64(firstSteps), "us")
		report("first_cpu_us_per_step", firstCPU*1e6/float64(firstSteps), "us")
		report("first_pending_at_start", before["tokens_pending"], "tokens")
	}
	report("rss_peak_after_engine", rssDrive, "KiB")
	var ms goruntime.MemStats
	goruntime.ReadMemStats(&ms)
	report("go_heap_inuse", ms.HeapInuse/1024, "KiB")
	report("go_sys", ms.Sys/1024, "KiB")
	for _, k := range []string{"timeline", "deliveries", "tokens", "tokens_pending", "enrollments", "marketing_sent"} {
		report("rows_after_drive_"+k, after[k], "rows")
	}

	// What one step writes on average, from the engine's own calls (and
	// checked against the tables' row counts).
	per := func(n int64) float64 { return float64(n) / float64(steps) }
	mix := writeMix{
		tokUpd: per(drive.tokUpd), tokIns: per(drive.tokIns), tokDel: per(drive.tokDel),
		enrIns: per(drive.enrIns), enrUpd: per(drive.enrUpd),
		timeline: per(drive.timeline), deliveries: per(drive.deliveries), marketing: per(drive.marketing),
		contactUpd: per(drive.contactUpd), recIns: per(drive.recIn), recUpd: per(drive.recUpd),
	}
	if got := after["timeline"] - before["timeline"]; got != drive.timeline {
		t.Errorf("timeline rows: the engine asked for %d, the table grew by %d", drive.timeline, got)
	}
	if got := after["deliveries"] - before["deliveries"]; got != drive.deliveries {
		t.Errorf("deliveries: the engine stored %d, the table grew by %d", drive.deliveries, got)
	}
	report("per_step_token_updates", mix.tokUpd, "rows")
	report("per_step_token_inserts", mix.tokIns, "rows")
	report("per_step_token_deletes", mix.tokDel, "rows")
	report("per_step_enrollment_inserts", mix.enrIns, "rows")
	report("per_step_enrollment_updates", mix.enrUpd, "rows")
	report("per_step_timeline_inserts", mix.timeline, "rows")
	report("per_step_delivery_inserts", mix.deliveries, "rows")
	report("per_step_marketing_inserts", mix.marketing, "rows")
	report("per_step_contact_updates", mix.contactUpd, "rows")
	report("per_step_record_writes", mix.recIns+mix.recUpd, "rows")
	report("per_step_writes", mix.total(), "rows")
	report("per_step_contact_reads", per(drive.contactReads), "queries")
	report("per_step_enrollment_loads", per(drive.enrReads), "loads")
	sizes := measureSizes(t, db, before)
	report("db_mib_after_drive", dbSize(dbPath)/1024/1024, "MiB")
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}

	// The baseline: the same claims and writes in raw SQL.
	if cfg.baseline != 0 {
		n := cfg.baseline
		if n < 0 {
			n = steps
		}
		_, c0 := usage()
		bsteps, bsecs := runBaseline(t, ctx, basePath, cfg, n, mix, sizes)
		_, c1 := usage()
		report("baseline_steps", bsteps, "steps")
		report("baseline_cpu_us_per_step", (c1-c0).Seconds()*1e6/float64(bsteps), "us")
		report("baseline_seconds", bsecs, "s")
		report("baseline_steps_per_s", float64(bsteps)/bsecs, "steps/s")
		report("baseline_us_per_step", bsecs*1e6/float64(bsteps), "us")
		report("engine_vs_baseline", (float64(steps)/driveSecs)/(float64(bsteps)/bsecs), "ratio")
		report("engine_vs_baseline_cpu", ((c1-c0).Seconds()/float64(bsteps))/((cpu1-cpu0).Seconds()/float64(steps)), "ratio")
	}
	rssEnd, _ := usage()
	report("rss_peak_process", rssEnd, "KiB")

	if cfg.pendingDB != "" {
		// The databases of this run are done with: at 1,000,000 contacts
		// they are most of the machine's memory, and left in the page
		// cache they would push out the small database, whose steps would
		// then wait on the disk and not on the engine.
		for _, path := range []string{dbPath, basePath} {
			for _, suffix := range []string{"", "-wal", "-shm"} {
				os.Remove(path + suffix)
			}
		}
		comparePending(t, ctx, prog, cfg, [2]string{cfg.pendingDB, pendingLarge})
	}
}

// comparePending runs the first due steps of two enrolled databases (a
// small and a large one) in turns, a batch on one, then a batch on the
// other (each first in every other round), and reports the time per step
// of each: cfg.first steps, after cfg.first/10 untimed ones that fill
// SQLite's cache of the freshly opened stores. Both files are read once
// before, so that neither starts from the disk.
func comparePending(t *testing.T, ctx context.Context, prog *runtime.Program, cfg benchConfig, paths [2]string) {
	type side struct {
		path    string
		eng     *runtime.Engine
		clock   *runtime.VirtualClock
		pending int64
		steps   int
		wall    time.Duration
		cpu     time.Duration
	}
	var sides [2]*side
	// The large one is read first, so that reading it cannot push the
	// small one out of the page cache.
	for _, path := range []string{paths[1], paths[0]} {
		if err := readThrough(path); err != nil {
			t.Fatal(err)
		}
	}
	for i, path := range paths {
		store, err := sqlstore.OpenSQLite(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer store.Close()
		sd := &side{path: path}
		if err := store.DB().QueryRow(`SELECT COUNT(*) FROM tokens WHERE due_at IS NOT NULL`).Scan(&sd.pending); err != nil {
			t.Fatal(err)
		}
		sd.clock = runtime.NewVirtualClock(time.Unix(0, 0))
		sd.eng = runtime.NewEngine(prog, store, sd.clock, nil)
		sides[i] = sd
	}
	warm := cfg.first / 10
	for _, sd := range sides {
		sd.steps = -warm
	}
	goruntime.GC()
	for round := 0; sides[0].steps < cfg.first || sides[1].steps < cfg.first; round++ {
		// Each goes first in every other round.
		for k := range sides {
			sd := sides[(k+round)%2]
			if sd.steps >= cfg.first {
				continue
			}
			if sd.steps == 0 {
				sd.wall, sd.cpu = 0, 0
			}
			_, c0 := usage()
			t0 := time.Now()
			limit := cfg.batch
			if sd.steps < 0 {
				limit = min(limit, -sd.steps)
			} else {
				limit = min(limit, cfg.first-sd.steps)
			}
			n, err := sd.eng.RunDue(ctx, limit)
			if err != nil {
				t.Fatal(err)
			}
			if n == 0 {
				next, err := sd.eng.NextDue(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if next == nil {
					t.Fatalf("%s: nothing due after %d steps", sd.path, sd.steps)
				}
				sd.clock.Set(*next)
				continue
			}
			sd.wall += time.Since(t0)
			_, c1 := usage()
			sd.cpu += c1 - c0
			sd.steps += n
		}
	}
	for i, name := range []string{"pending_small", "pending_large"} {
		sd := sides[i]
		report(name+"_tokens", sd.pending, "tokens")
		report(name+"_steps", sd.steps, "steps")
		report(name+"_us_per_step", sd.wall.Seconds()*1e6/float64(sd.steps), "us")
		report(name+"_cpu_us_per_step", sd.cpu.Seconds()*1e6/float64(sd.steps), "us")
	}
	report("pending_large_vs_small", (sides[1].wall.Seconds()/float64(sides[1].steps))/(sides[0].wall.Seconds()/float64(sides[0].steps)), "ratio")
	report("pending_large_vs_small_cpu", (sides[1].cpu.Seconds()/float64(sides[1].steps))/(sides[0].cpu.Seconds()/float64(sides[0].steps)), "ratio")
}

// dbSize is the size of a SQLite database with its WAL, in bytes.
func dbSize(path string) float64 {
	var n int64
	for _, p := range []string{path, path + "-wal"} {
		if fi, err := os.Stat(p); err == nil {
			n += fi.Size()
		}
	}
	return float64(n)
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	// Written back now, not while a later phase is being timed.
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// readThrough reads a file once, so that both databases of a comparison
// start from the operating system's cache rather than one from the disk.
func readThrough(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(io.Discard, f)
	return err
}

// writeMix is the average number of rows of each kind one step writes.
type writeMix struct {
	tokUpd, tokIns, tokDel, enrIns, enrUpd      float64
	timeline, deliveries, marketing, contactUpd float64
	recIns, recUpd                              float64
}

func (m writeMix) total() float64 {
	return m.tokUpd + m.tokIns + m.tokDel + m.enrIns + m.enrUpd + m.timeline + m.deliveries + m.marketing + m.contactUpd + m.recIns + m.recUpd
}

// rowSizes are the average sizes of what the engine wrote while driving,
// so that the baseline writes rows of the same size.
type rowSizes struct {
	element, outcome, detail float64 // timeline
	detailShare              float64 // the share of timeline rows with a detail
	payload, key, source     float64 // deliveries
	fields, tags             float64 // contacts
	tokenData                float64
}

func measureSizes(t *testing.T, db *sql.DB, before tableCounts) rowSizes {
	t.Helper()
	var s rowSizes
	q := func(query string, args []any, dst ...any) {
		if err := db.QueryRow(query, args...).Scan(dst...); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
	}
	q(`SELECT COALESCE(AVG(LENGTH(element)), 0), COALESCE(AVG(LENGTH(outcome)), 0), COALESCE(AVG(LENGTH(detail)), 0), COALESCE(AVG(detail IS NOT NULL), 0) FROM timeline WHERE id > ?`,
		[]any{before["timeline_max_id"]}, &s.element, &s.outcome, &s.detail, &s.detailShare)
	q(`SELECT COALESCE(AVG(LENGTH(payload)), 0), COALESCE(AVG(LENGTH(key)), 0), COALESCE(AVG(LENGTH(source)), 0) FROM deliveries WHERE id > ?`,
		[]any{before["deliveries_max_id"]}, &s.payload, &s.key, &s.source)
	q(`SELECT COALESCE(AVG(LENGTH(fields)), 0), COALESCE(AVG(LENGTH(tags)), 0) FROM contacts`, nil, &s.fields, &s.tags)
	q(`SELECT COALESCE(AVG(LENGTH(data)), 0) FROM tokens`, nil, &s.tokenData)
	return s
}

// filler is a JSON-safe string of n bytes.
func filler(n float64) string {
	return strings.Repeat("x", int(math.Round(n)))
}

// jsonFiller is a JSON object of about n bytes.
func jsonFiller(n float64) string {
	k := int(math.Round(n)) - len(`{"b":""}`)
	if k < 0 {
		k = 0
	}
	return `{"b":"` + strings.Repeat("x", k) + `"}`
}

// spread hands out a fractional rate as whole rows: at step i, how many of
// a kind of row to write so that the total follows rate*i exactly.
func spread(rate float64, i int) int {
	return int(math.Floor(rate*float64(i+1)+1e-9) - math.Floor(rate*float64(i)+1e-9))
}

// runBaseline claims due tokens and writes the engine's average rows per
// step with database/sql, batch steps per transaction, on the copy of the
// database taken after enrolling (the same schema and pragmas: it is opened
// by sqlstore). "Now" is the end of time, so every pending token is due; a
// token updated is pushed back a week, so it comes round again.
func runBaseline(t *testing.T, ctx context.Context, path string, cfg benchConfig, steps int, mix writeMix, sz rowSizes) (int, float64) {
	store, err := sqlstore.OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	db := store.DB()
	// The engine also deletes tokens that wait for no time (a contact held
	// while its sequence runs, a wait that can never fire); the baseline
	// deletes the tokens it claims, so every token must be claimable.
	if _, err := db.ExecContext(ctx, `UPDATE tokens SET due_at = arrived_at + 86400 WHERE due_at IS NULL`); err != nil {
		t.Fatal(err)
	}
	element, outcome, detail := filler(sz.element), filler(sz.outcome), jsonFiller(sz.detail)
	payload, source := jsonFiller(sz.payload), filler(sz.source)
	fields, tags := jsonFiller(sz.fields), jsonFiller(sz.tags)
	tokenData := jsonFiller(sz.tokenData)
	planHash := "sha256:" + strings.Repeat("0", 64)
	const week = 7 * 24 * 3600

	done, tlRows := 0, 0
	t0 := time.Now()
	last := t0
	for done < steps {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		prep := func(q string) *sql.Stmt {
			st, err := tx.PrepareContext(ctx, q)
			if err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			return st
		}
		claim := prep(`SELECT id, contact_id, enrollment_id, due_at FROM tokens WHERE due_at IS NOT NULL AND due_at <= ? ORDER BY due_at, id LIMIT ?`)
		updTok := prep(`UPDATE tokens SET element = ?, state = ?, due_at = ?, arrived_at = ?, waiting_on = ?, data = ? WHERE id = ?`)
		insTok := prep(`INSERT INTO tokens (enrollment_id, contact_id, element, state, due_at, arrived_at, waiting_on, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`)
		delTok := prep(`DELETE FROM tokens WHERE id = ?`)
		insEnr := prep(`INSERT INTO enrollments (contact_id, kind, name, status, entered_at, entries, returned) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`)
		updEnr := prep(`UPDATE enrollments SET status = ?, returned = ? WHERE id = ?`)
		insTL := prep(`INSERT INTO timeline (contact_id, at, campaign, sequence, element, kind, outcome, detail, plan_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		insDel := prep(`INSERT INTO deliveries (contact_id, kind, asset, source, key, marketing, payload, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (contact_id, key) DO NOTHING RETURNING id`)
		insMkt := prep(`INSERT INTO marketing_sent (contact_id, email) VALUES (?, ?) ON CONFLICT DO NOTHING`)
		updCon := prep(`UPDATE contacts SET fields = ?, tags = ?, points = ?, stage = ?, owner = ?, dnc = ? WHERE id = ?`)
		insRec := prep(`INSERT INTO records (contact_id, kind, name, status, at, data, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`)

		type claimed struct{ id, contact, enrollment, due int64 }
		rows, err := claim.QueryContext(ctx, int64(math.MaxInt64), min(cfg.batch, steps-done))
		if err != nil {
			t.Fatal(err)
		}
		var batch []claimed
		for rows.Next() {
			var c claimed
			if err := rows.Scan(&c.id, &c.contact, &c.enrollment, &c.due); err != nil {
				t.Fatal(err)
			}
			batch = append(batch, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		if len(batch) == 0 {
			tx.Rollback()
			break
		}
		must := func(err error) {
			if err != nil {
				t.Helper()
				t.Fatal(err)
			}
		}
		for _, c := range batch {
			i := done
			for k := spread(mix.tokUpd, i); k > 0; k-- {
				_, err := updTok.ExecContext(ctx, element, "waiting", c.due+week, c.due, 0, tokenData, c.id)
				must(err)
			}
			for k := spread(mix.tokIns, i); k > 0; k-- {
				var id int64
				must(insTok.QueryRowContext(ctx, c.enrollment, c.contact, element, "waiting", c.due+week, c.due, 0, tokenData).Scan(&id))
			}
			for k := spread(mix.enrIns, i); k > 0; k-- {
				var id int64
				must(insEnr.QueryRowContext(ctx, c.contact, "sequence", "trial_tips", "active", c.due, 1, 0).Scan(&id))
			}
			for k := spread(mix.enrUpd, i); k > 0; k-- {
				_, err := updEnr.ExecContext(ctx, "ended", 1, c.enrollment)
				must(err)
			}
			for k := spread(mix.timeline, i); k > 0; k-- {
				var d any
				if spread(sz.detailShare, tlRows) > 0 {
					d = detail
				}
				tlRows++
				_, err := insTL.ExecContext(ctx, c.contact, c.due, "trial_onboarding", "", element, "wait", outcome, d, planHash)
				must(err)
			}
			for k := spread(mix.deliveries, i); k > 0; k-- {
				var id int64
				key := fmt.Sprintf("%d/%s/%d/%d", c.contact, source, i, k)
				must(insDel.QueryRowContext(ctx, c.contact, "email", "tip_branding", source, key, 1, payload, "pending", c.due).Scan(&id))
			}
			for k := spread(mix.marketing, i); k > 0; k-- {
				_, err := insMkt.ExecContext(ctx, c.contact, "bench_"+strconv.Itoa(i)+"_"+strconv.Itoa(k))
				must(err)
			}
			for k := spread(mix.contactUpd, i); k > 0; k-- {
				_, err := updCon.ExecContext(ctx, fields, tags, 0.0, "", "", "[]", c.contact)
				must(err)
			}
			for k := spread(mix.recIns+mix.recUpd, i); k > 0; k-- {
				var id int64
				must(insRec.QueryRowContext(ctx, c.contact, "purchase", "starter", "paid", nil, "{}", c.due).Scan(&id))
			}
			for k := spread(mix.tokDel, i); k > 0; k-- {
				_, err := delTok.ExecContext(ctx, c.id)
				must(err)
			}
			done++
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		if time.Since(last) > cfg.progress {
			last = time.Now()
			progress("baseline: %d/%d steps (%.0f steps/s)", done, steps, float64(done)/time.Since(t0).Seconds())
		}
	}
	return done, time.Since(t0).Seconds()
}
