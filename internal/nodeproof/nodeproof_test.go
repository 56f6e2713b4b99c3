package nodeproof

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	goruntime "runtime"
	"testing"
	"time"

	"github.com/journeyhq/journey/internal/pgtest"
)

// TestThreeNodesLoseNothingWhenOneIsKilled is bench/nodes.sh's proof at
// 3,000 contacts: three journey servers (the real binary) on one
// PostgreSQL database, every contact's wait due in the same minute, River's
// leader node killed with SIGKILL a third of the way through. Each wait
// fires once, each email reaches the sink at most once (every sent one
// does), and the killed node's work is taken over within a minute.
func TestThreeNodesLoseNothingWhenOneIsKilled(t *testing.T) {
	if os.Getenv("JOURNEY_CRASH") == "" {
		t.Skip("a crash test of about two minutes (the contacts wait for the next whole minute, River's rescue takes up to one): JOURNEY_CRASH=1 runs it, as .ci/run does")
	}
	db := pgtest.NewEmptyURL(t)
	dir := t.TempDir()
	bin := filepath.Join(dir, "journey")
	gobin := filepath.Join(goruntime.GOROOT(), "bin", "go")
	if out, err := exec.Command(gobin, "build", "-o", bin, "../../cmd/journey").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	// The whole proof, waits included, stays well inside this: reaching
	// it fails the test with what the run had found.
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	report, err := Run(ctx, Config{
		Journey: bin, Database: db, Contacts: 3000, Nodes: 3, Kill: true,
		Dir: filepath.Join(dir, "run"), Progress: t.Output(),
	})
	var out bytes.Buffer
	if report != nil {
		report.Write(&out)
	}
	if err != nil {
		t.Fatalf("the proof could not run: %v\n%s", err, out.String())
	}
	t.Logf("the proof's report:\n%s", out.String())
	if len(report.Checks) < 8 {
		t.Errorf("the proof made %d checks, want the 8 of a run with a kill", len(report.Checks))
	}
	for _, c := range report.Checks {
		if !c.Pass {
			t.Errorf("FAIL %s: %s", c.Name, c.Detail)
		}
	}
}
