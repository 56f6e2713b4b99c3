package loadgen

import (
	"context"
	"fmt"
	"time"
)

// Memory enrolls contacts in campaign hold (each then waits a month), reads
// the campaign's stats and the server's status, and reports the server's
// resident memory: once enrolled, once read, and its peak over it all.
func (b *Bench) Memory(ctx context.Context, contacts int) error {
	server, client, err := b.start(ctx, fmt.Sprintf("memory-%d", contacts))
	if err != nil {
		return err
	}
	defer server.Stop()
	b.logf("memory: enrolling %d contacts", contacts)
	took, err := importRows(ctx, client, "email,first_name,tags", contacts, func(i int) string {
		return fmt.Sprintf("%s,Contact%d,hold", loadEmail(i), i)
	})
	if err != nil {
		return err
	}
	enrolled, _, err := server.Memory()
	if err != nil {
		return err
	}
	// What an operator reads of it: the campaign's counts (every position
	// read) and the server's status.
	stats, err := client.CampaignStats(ctx, "hold")
	if err != nil {
		return err
	}
	if stats.Enrolled.Active != contacts {
		return fmt.Errorf("%d contacts enrolled in campaign hold, want %d", stats.Enrolled.Active, contacts)
	}
	if _, err := client.Status(ctx); err != nil {
		return err
	}
	// What the server holds once it has settled: a few garbage
	// collections later.
	time.Sleep(10 * time.Second)
	rss, peak, err := server.Memory()
	if err != nil {
		return err
	}
	b.report("memory_contacts", float64(contacts), "contacts")
	b.report("memory_enroll_per_s", float64(contacts)/took.Seconds(), "contacts/s")
	b.report("memory_rss_enrolled_kib", float64(enrolled), "KiB")
	b.report("memory_rss_kib", float64(rss), "KiB")
	b.report("memory_peak_rss_kib", float64(peak), "KiB")
	b.logf("memory: %d contacts enrolled in %s; RSS %d KiB, peak %d KiB", contacts, took.Round(time.Millisecond), rss, peak)
	return nil
}
