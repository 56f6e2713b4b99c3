package storetest_test

import (
	"context"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/journeyhq/journey/runtime"
	"github.com/journeyhq/journey/runtime/sqlstore"
	"github.com/journeyhq/journey/runtime/storetest"
)

// breakageEnv names the breakage TestBrokenStore runs the suite on.
const breakageEnv = "JOURNEY_STORETEST_BREAKAGE"

// breakages are stores that each break one promise, wrapping a good one,
// and the subtests that must fail for it: those and no other, so that a
// store's author reads from the names what to fix.
func breakages() map[string]struct {
	wrap     func(runtime.Tx) runtime.Tx
	failures []string
} {
	return map[string]struct {
		wrap     func(runtime.Tx) runtime.Tx
		failures []string
	}{
		"due_ignores_limit": {
			func(tx runtime.Tx) runtime.Tx { return dueIgnoresLimit{tx} },
			[]string{"Due/LimitHonoured"},
		},
		"tokens_reversed": {
			func(tx runtime.Tx) runtime.Tx { return tokensReversed{tx} },
			[]string{"Enrollment/InTheOrderCreated", "Enrollment/RoundTrip", "Enrollment/NewTokenInserted"},
		},
		"created_at_in_local_time": {
			func(tx runtime.Tx) runtime.Tx { return createdAtLocal{tx} },
			[]string{"Times/Contact.CreatedAt", "Contact/RoundTrip", "Contact/SaveWritesEveryMember"},
		},
		"delete_keeps_marketing_sent": {
			func(tx runtime.Tx) runtime.Tx { return deleteKeepsMarketing{tx} },
			[]string{"DeleteContact/RemovesEveryTrace", "DeleteContact/InTheTransactionThatWrote"},
		},
		"rollback_commits": {
			func(tx runtime.Tx) runtime.Tx { return rollbackCommits{tx} },
			[]string{"Transaction/RollbackLeavesNothing", "Transaction/RolledBackWorkNeverSeen"},
		},
	}
}

// TestBrokenStore runs the suite on the breakage $JOURNEY_STORETEST_BREAKAGE
// names; TestSuiteNamesWhatABreakageBroke runs it in a child process.
func TestBrokenStore(t *testing.T) {
	name := os.Getenv(breakageEnv)
	if name == "" {
		t.Skip("run by TestSuiteNamesWhatABreakageBroke, on one breakage at a time")
	}
	b, ok := breakages()[name]
	if !ok {
		t.Fatalf("no breakage %q", name)
	}
	storetest.Run(t, func(t *testing.T) runtime.Store {
		s, err := sqlstore.OpenSQLite(context.Background(), ":memory:")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return brokenStore{s, b.wrap}
	})
}

func TestSuiteNamesWhatABreakageBroke(t *testing.T) {
	failed := regexp.MustCompile(`(?m)^\s*--- FAIL: TestBrokenStore/(\S+)`)
	for name, b := range breakages() {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestBrokenStore$", "-test.v")
			cmd.Env = append(os.Environ(), breakageEnv+"="+name)
			out, err := cmd.CombinedOutput()
			if ctx.Err() != nil {
				t.Fatalf("the suite on %s did not end within two minutes:\n%s", name, out)
			}
			if err == nil {
				t.Fatalf("the suite passed a store that breaks a promise (%s):\n%s", name, out)
			}
			// The leaves that failed: a parent fails with its children.
			var got []string
			for _, m := range failed.FindAllStringSubmatch(string(out), -1) {
				got = append(got, m[1])
			}
			var leaves []string
			for _, g := range got {
				if !slices.ContainsFunc(got, func(other string) bool { return len(other) > len(g) && other[:len(g)+1] == g+"/" }) {
					leaves = append(leaves, g)
				}
			}
			want := slices.Clone(b.failures)
			slices.Sort(leaves)
			slices.Sort(want)
			if !slices.Equal(leaves, want) {
				t.Errorf("on a store that breaks %s, the suite failed\n %q\nwant\n %q\n%s", name, leaves, want, out)
			}
		})
	}
}

type brokenStore struct {
	runtime.Store
	wrap func(runtime.Tx) runtime.Tx
}

func (s brokenStore) Begin(ctx context.Context) (runtime.Tx, error) {
	tx, err := s.Store.Begin(ctx)
	if err != nil {
		return nil, err
	}
	return s.wrap(tx), nil
}

type dueIgnoresLimit struct{ runtime.Tx }

func (tx dueIgnoresLimit) Due(t time.Time, limit int) ([]runtime.DueToken, error) {
	return tx.Tx.Due(t, 1000)
}

type tokensReversed struct{ runtime.Tx }

func (tx tokensReversed) Enrollments(contactID int64) ([]*runtime.Enrollment, error) {
	enrs, err := tx.Tx.Enrollments(contactID)
	for _, e := range enrs {
		slices.Reverse(e.Tokens)
	}
	return enrs, err
}

type createdAtLocal struct{ runtime.Tx }

func (tx createdAtLocal) Contact(id int64) (*runtime.Contact, error) {
	c, err := tx.Tx.Contact(id)
	if c != nil {
		c.CreatedAt = c.CreatedAt.In(time.FixedZone("CEST", 2*3600))
	}
	return c, err
}

type deleteKeepsMarketing struct{ runtime.Tx }

func (tx deleteKeepsMarketing) DeleteContact(id int64) error {
	if err := tx.Tx.DeleteContact(id); err != nil {
		return err
	}
	_, err := tx.Tx.MarkSent(id, "welcome")
	return err
}

type rollbackCommits struct{ runtime.Tx }

func (tx rollbackCommits) Rollback() error { return tx.Tx.Commit() }
