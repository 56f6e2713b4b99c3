package loadgen

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/journeyhq/journey/runtime/api"
)

// Bench runs the load benchmark's measurements (bench/README.md), each
// on a journey server of its own over a fresh SQLite database, from this
// process: a separate one on the same machine, talking over loopback.
type Bench struct {
	// Binary is the journey executable.
	Binary string
	// Dir holds the measurements' databases, one directory each.
	Dir string
	// Out takes the results, a line "BENCH name value unit" each.
	Out io.Writer
	// Log takes what the benchmark is doing, for a person watching.
	Log io.Writer
}

func (b *Bench) report(name string, value float64, unit string) {
	fmt.Fprintf(b.Out, "BENCH %s %s %s\n", name, strconv.FormatFloat(value, 'f', -1, 64), unit)
}

func (b *Bench) logf(format string, args ...any) {
	fmt.Fprintf(b.Log, "%s  %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
}

// start compiles the load workspace into Dir/name and starts a server on
// a fresh database there, with config's lines in journey.server.hcl.
func (b *Bench) start(ctx context.Context, name string, config ...string) (*Server, *api.Client, error) {
	dir := filepath.Join(b.Dir, name)
	if err := os.RemoveAll(dir); err != nil {
		return nil, nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, nil, err
	}
	plan, err := Compile(ctx, b.Binary, "load", dir, Workspace{})
	if err != nil {
		return nil, nil, err
	}
	if err := WriteConfig(dir, append([]string{`db = "journey.db"`, `listen = "127.0.0.1:0"`}, config...)...); err != nil {
		return nil, nil, err
	}
	token := NewToken()
	s := &Server{Binary: b.Binary, Dir: dir, Args: []string{"--plan", plan}, Env: []string{"JOURNEY_TOKEN=" + token}}
	if err := s.Start(ctx); err != nil {
		return nil, nil, err
	}
	return s, NewClient(s.URL(), token, 256), nil
}

// percentile is the p-th percentile (0 to 100) of sorted values.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(p/100*float64(len(sorted)))) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

func milliseconds(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// histogram is a Prometheus histogram as /metrics gives it: cumulative
// counts by upper bound.
type histogram struct {
	bounds []float64 // ascending, +Inf last
	counts []float64
}

// metricsHistogram reads a histogram of the server's /metrics.
func metricsHistogram(ctx context.Context, client *api.Client, name string) (histogram, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, client.BaseURL+"/metrics", nil)
	if err != nil {
		return histogram{}, err
	}
	req.Header.Set("Authorization", "Bearer "+client.Token)
	resp, err := client.HTTP.Do(req)
	if err != nil {
		return histogram{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return histogram{}, fmt.Errorf("GET /metrics: %s", resp.Status)
	}
	var h histogram
	prefix := name + `_bucket{le="`
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		rest, ok := strings.CutPrefix(line, prefix)
		if !ok {
			continue
		}
		bound, count, ok := strings.Cut(rest, `"} `)
		if !ok {
			continue
		}
		b, err1 := strconv.ParseFloat(bound, 64)
		c, err2 := strconv.ParseFloat(count, 64)
		if err1 != nil || err2 != nil {
			return histogram{}, fmt.Errorf("/metrics: %q", line)
		}
		h.bounds, h.counts = append(h.bounds, b), append(h.counts, c)
	}
	if err := sc.Err(); err != nil {
		return histogram{}, err
	}
	if len(h.bounds) == 0 || !slices.IsSorted(h.bounds) {
		return histogram{}, fmt.Errorf("/metrics has no histogram %s", name)
	}
	return h, nil
}

func (h histogram) total() float64 { return h.counts[len(h.counts)-1] }

// within is the share of the observations at most bound.
func (h histogram) within(bound float64) float64 {
	for i, b := range h.bounds {
		if b == bound {
			return h.counts[i] / h.total()
		}
	}
	return math.NaN()
}

// quantile estimates the q-th quantile (0 to 1) as Prometheus's
// histogram_quantile does: linearly within its bucket.
func (h histogram) quantile(q float64) float64 {
	rank := q * h.total()
	lower, below := 0.0, 0.0
	for i, b := range h.bounds {
		if h.counts[i] >= rank {
			if math.IsInf(b, 1) {
				return lower
			}
			in := h.counts[i] - below
			if in == 0 {
				return b
			}
			return lower + (b-lower)*(rank-below)/in
		}
		lower, below = b, h.counts[i]
	}
	return lower
}
