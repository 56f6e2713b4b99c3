package validate_test

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/journeyhq/journey/lang"
	"github.com/journeyhq/journey/validate"
	"github.com/journeyhq/journey/validate/report"
)

// The performance goals of journey validate (bench/validate.sh runs these
// and compares): on a workspace of 1,000 campaigns of about 30 elements
// (about 5 MB in 1,000 files),
//
//   - validate (the path of journey validate: validate.Dir on os.DirFS) takes
//     at most 1.5 times a bare sequential read + hclsyntax.ParseConfig of
//     the same files;
//   - at least 2,000 files per second;
//   - 10 times the input (10,000 campaigns) takes at most 11 times as long.
//
// The workspace is generated once per benchmark run, outside the timed
// loop (workspacegen_test.go).

const benchElements = 30

var benchNow = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

func BenchmarkValidate1000(b *testing.B)  { benchValidate(b, 1000) }
func BenchmarkParse1000(b *testing.B)     { benchParse(b, 1000) }
func BenchmarkValidate10000(b *testing.B) { benchValidate(b, 10000) }
func BenchmarkParse10000(b *testing.B)    { benchParse(b, 10000) }

// BenchmarkValidateOneCampaign validates one campaign of 2,000, 4,000 and
// 8,000 elements (a round of send, decision on email_opened, wait and
// branches repeated). Linear growth doubles ns/op at each step.
func BenchmarkValidateOneCampaign(b *testing.B) {
	for _, n := range []int{2000, 4000, 8000} {
		b.Run(fmt.Sprintf("elements=%d", n), func(b *testing.B) {
			dir, st := benchWorkspace(b, 1, n)
			b.SetBytes(st.Bytes)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				res, err := validate.Dir(os.DirFS(dir), ".", validate.Options{Now: benchNow})
				if err != nil {
					b.Fatal(err)
				}
				if len(res.Findings) > 0 {
					b.Fatalf("%d findings, the first: %s", len(res.Findings), line(res.Findings[0]))
				}
			}
		})
	}
}

// BenchmarkValidateGrowth validates 500, 1,000 and 2,000 campaigns: a quick
// look at how time and memory grow while the 10,000 run is slow. Linear
// growth doubles ns/op, B/op and allocs/op at each step.
func BenchmarkValidateGrowth(b *testing.B) {
	for _, n := range []int{500, 1000, 2000} {
		b.Run(fmt.Sprintf("campaigns=%d", n), func(b *testing.B) { benchValidate(b, n) })
	}
}

// benchWorkspace generates the workspace of a benchmark outside its timer.
func benchWorkspace(b *testing.B, campaigns, elements int) (string, genStats) {
	b.Helper()
	b.StopTimer()
	defer b.StartTimer()
	dir := b.TempDir()
	return dir, generateWorkspace(b, dir, campaigns, elements)
}

// startTimed generates the workspace of campaigns campaigns and starts the
// timer, the CPU clock and the byte and allocation counts of a benchmark.
func startTimed(b *testing.B, campaigns int) (string, genStats, cpuTimes) {
	dir, st := benchWorkspace(b, campaigns, benchElements)
	b.SetBytes(st.Bytes)
	b.ReportAllocs()
	cpu := processCPU()
	b.ResetTimer()
	return dir, st, cpu
}

// parseFile reads a campaign file and parses it with hclsyntax alone.
func parseFile(dir, name string) error {
	src, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		return err
	}
	if _, diags := hclsyntax.ParseConfig(src, name, hcl.InitialPos); diags.HasErrors() {
		return diags
	}
	return nil
}

// reportRates adds files/s next to the MB/s that SetBytes gives, and the
// CPU time the process spent per op (all threads), which a busy machine
// disturbs less than the wall time. The system part of it is mostly page
// faults: memory the process touches for the first time, or again after
// the runtime gave it back to the system.
func reportRates(b *testing.B, st genStats, start cpuTimes) {
	if s := b.Elapsed().Seconds(); s > 0 {
		b.ReportMetric(float64(st.Files)*float64(b.N)/s, "files/s")
	}
	b.ReportMetric(float64(st.Files), "files")
	if end := processCPU(); start.ok && end.ok {
		perOp := func(d time.Duration) float64 { return float64(d.Milliseconds()) / float64(b.N) }
		b.ReportMetric(perOp(end.user+end.sys-start.user-start.sys), "cpu-ms/op")
		b.ReportMetric(perOp(end.sys-start.sys), "sys-ms/op")
	}
}

// cpuTimes is the user and system CPU time of the process so far.
type cpuTimes struct {
	user, sys time.Duration
	ok        bool // false where there is no /proc
}

// processCPU reads the process's CPU times from /proc/self/stat (10 ms
// ticks).
func processCPU() cpuTimes {
	raw, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return cpuTimes{}
	}
	// The command name, in parentheses, may hold spaces: count from after it.
	s := string(raw)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return cpuTimes{}
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 13 {
		return cpuTimes{}
	}
	var utime, stime int64
	if _, err := fmt.Sscan(f[11], &utime); err != nil {
		return cpuTimes{}
	}
	if _, err := fmt.Sscan(f[12], &stime); err != nil {
		return cpuTimes{}
	}
	const ticksPerSecond = 100 // USER_HZ on every Linux
	return cpuTimes{user: time.Duration(utime) * time.Second / ticksPerSecond, sys: time.Duration(stime) * time.Second / ticksPerSecond, ok: true}
}

func benchValidate(b *testing.B, campaigns int) {
	dir, st, cpu := startTimed(b, campaigns)
	// Only the findings outlive a run: a run's workspace and program must
	// be garbage while the next one runs, as in a journey process, or the
	// heap holds two of them.
	var findings []validate.Finding
	heapBefore := liveHeap()
	var last *validate.Result
	for i := 0; i < b.N; i++ {
		res, err := validate.Dir(os.DirFS(dir), ".", validate.Options{Now: benchNow})
		if err != nil {
			b.Fatal(err)
		}
		findings = res.Findings
		if i == b.N-1 {
			last = res
		}
	}
	b.StopTimer()
	reportRates(b, st, cpu)
	// What a result holds is what a process needs at its peak, and what
	// the garbage collector walks while the next files are parsed.
	b.ReportMetric(float64(liveHeap()-heapBefore)/(1<<20), "live-MB")
	runtime.KeepAlive(last)
	if len(findings) > 0 {
		b.Fatalf("the generated workspace has %d findings (it must validate clean), the first: %s", len(findings), line(findings[0]))
	}
}

// liveHeap is the heap in use after a full collection.
func liveHeap() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

// BenchmarkParseParallel1000 reads and parses the files of
// BenchmarkParse1000 on every core, and does nothing else: the fastest any
// validate built on hclsyntax can be on this machine (bench/README.md).
func BenchmarkParseParallel1000(b *testing.B) {
	dir, st, cpu := startTimed(b, 1000)
	for i := 0; i < b.N; i++ {
		entries, err := os.ReadDir(dir)
		if err != nil {
			b.Fatal(err)
		}
		names := make(chan string, len(entries))
		for _, e := range entries {
			names <- e.Name()
		}
		close(names)
		var wg sync.WaitGroup
		for range runtime.GOMAXPROCS(0) {
			wg.Go(func() {
				for name := range names {
					if err := parseFile(dir, name); err != nil {
						b.Error(err)
					}
				}
			})
		}
		wg.Wait()
	}
	b.StopTimer()
	reportRates(b, st, cpu)
}

// benchParse is the baseline: list the directory, read every campaign file
// and parse it with hclsyntax.ParseConfig, one file after another.
func benchParse(b *testing.B, campaigns int) {
	dir, st, cpu := startTimed(b, campaigns)
	for i := 0; i < b.N; i++ {
		entries, err := os.ReadDir(dir)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for _, e := range entries {
			if !lang.IsCampaignFile(e.Name()) {
				continue
			}
			if err := parseFile(dir, e.Name()); err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != st.Files {
			b.Fatalf("parsed %d files, want %d", n, st.Files)
		}
	}
	b.StopTimer()
	reportRates(b, st, cpu)
}

// BenchmarkRenderManyFindings renders 5,000 findings as text: spread over
// the 1,000 files of the benchmark workspace, and all in one 5 MB file. The
// text format looks source lines up in a per-file line index; rescanning a
// file per finding would make the one-file case thousands of times slower
// than the spread one.
func BenchmarkRenderManyFindings(b *testing.B) {
	for _, tc := range []struct {
		name                string
		campaigns, elements int
	}{
		{"spread_over_1000_files", 1000, benchElements},
		{"one_5MB_file", 1, 33000},
	} {
		b.Run(tc.name, func(b *testing.B) {
			dir, st := benchWorkspace(b, tc.campaigns, tc.elements)
			rep := manyFindings(b, dir, 5000)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := report.Write(io.Discard, "text", rep, report.Options{}); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(len(rep.Findings))*float64(b.N)/b.Elapsed().Seconds(), "findings/s")
			b.ReportMetric(float64(st.Bytes)/1e6, "source-MB")
		})
	}
}

// manyFindings makes a report of n findings, one on each of n campaign
// elements taken evenly over the workspace, with a hint and a related
// location, as the rules write them.
func manyFindings(tb testing.TB, dir string, n int) *report.Report {
	tb.Helper()
	ws, diags, err := lang.Load(os.DirFS(dir), ".")
	if err != nil || diags.HasErrors() {
		tb.Fatal(err, diags)
	}
	var elements []*lang.Block
	for _, c := range ws.Of("campaign") {
		elements = append(elements, c.Elements()...)
	}
	if len(elements) < n {
		tb.Fatalf("only %d elements for %d findings", len(elements), n)
	}
	rep := &report.Report{Sources: map[string][]byte{}, FileCount: len(ws.FileNames)}
	for name, f := range ws.Files {
		rep.Sources[name] = f.Src
	}
	step := len(elements) / n
	for i := 0; i < n; i++ {
		el := elements[i*step]
		rep.Findings = append(rep.Findings, validate.Finding{
			Rule: "unreachable", Severity: validate.Warning,
			Message: fmt.Sprintf("no path from a trigger or goal reaches %s %q: no contact will ever get here", el.Type, el.Name),
			Hint:    fmt.Sprintf("point a next at %s.%s, or remove it", el.Type, el.Name),
			Range:   el.DefRange,
			Related: []validate.Related{{Message: "the campaign", Range: el.Parent.DefRange}},
		})
	}
	return rep
}

// TestRenderManyFindings checks the report used by the render benchmark at
// a small scale: every finding is printed with its source line.
func TestRenderManyFindings(t *testing.T) {
	dir := t.TempDir()
	generateWorkspace(t, dir, 10, benchElements)
	rep := manyFindings(t, dir, 200)
	var out strings.Builder
	if err := report.Write(&out, "text", rep, report.Options{}); err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(out.String(), "[unreachable]"); got != 200 {
		t.Errorf("%d findings printed, want 200", got)
	}
	if got := strings.Count(out.String(), " | "); got < 400 {
		t.Errorf("%d source and underline lines, want 400 (each finding shows its line)", got)
	}
	if !strings.Contains(out.String(), "0 errors, 200 warnings in 15 files.") {
		t.Errorf("no summary line in:\n%s", out.String()[max(0, out.Len()-300):])
	}
}
