package runtime_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/journeyhq/journey/runtime"
	"github.com/journeyhq/journey/runtime/sqlstore"
)

// BenchmarkReceiveEvents is what bench/server.sh's events measurement asks
// of the engine, in the process and on SQLite: batches of events as the
// server's group commit hands them over, half of them signups (a new
// contact, enrolled) and half upgrades (a contact advanced to its goal).
// One op is one event.
//
//	go test -run '^$' -bench ReceiveEvents -cpuprofile cpu.out ./runtime/
func BenchmarkReceiveEvents(b *testing.B) {
	ctx := context.Background()
	prog := linkFS(&testing.T{}, os.DirFS(filepath.Join("..", "internal", "loadgen", "workspaces", "load")), "load")
	store, err := sqlstore.OpenSQLite(ctx, filepath.Join(b.TempDir(), "events.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	eng := runtime.NewEngine(prog, store, runtime.NewVirtualClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)), nil)
	const batch = 32
	email := func(i int) string { return fmt.Sprintf("load%d@example.com", i) }
	var enrolled, advanced int
	b.ResetTimer()
	for done := 0; done < b.N; done += batch {
		in := make([]runtime.Inbound, 0, batch)
		for k := range min(batch, b.N-done) {
			if k%2 == 1 && enrolled-advanced > batch {
				in = append(in, runtime.Inbound{Contact: runtime.ContactRef{Email: email(advanced)}, Key: fmt.Sprintf("advance-%d", advanced),
					Event: runtime.Event{Kind: "tag_added", Args: map[string]string{"tag": "upgraded"}}})
				advanced++
			} else {
				in = append(in, runtime.Inbound{Contact: runtime.ContactRef{Email: email(enrolled)}, Key: fmt.Sprintf("signup-%d", enrolled),
					Event: runtime.Event{Kind: "form_submitted", Args: map[string]string{"form": "signup"}}})
				enrolled++
			}
		}
		_, errs, err := eng.ReceiveBatch(ctx, in)
		if err != nil {
			b.Fatal(err)
		}
		for _, err := range errs {
			if err != nil {
				b.Fatal(err)
			}
		}
	}
}
