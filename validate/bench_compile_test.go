package validate_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/journeyhq/journey/compiler"
	"github.com/journeyhq/journey/compiler/diff"
	"github.com/journeyhq/journey/compiler/plan"
	"github.com/journeyhq/journey/validate"
)

// The compile and plan goals: each at most twice the validate time of the
// same workspace, measured in the same run (bench/validate.sh).

func BenchmarkCompile1000(b *testing.B) {
	dir, st, cpu := startTimed(b, 1000)
	for i := 0; i < b.N; i++ {
		if _, err := compileBytes(dir); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	reportRates(b, st, cpu)
}

// BenchmarkPlan1000 is journey plan --against: compile the workspace, read
// the deployed plan (the same workspace before a change to one wait in
// every campaign), compare, and print the changes.
func BenchmarkPlan1000(b *testing.B) {
	dir, st := benchWorkspace(b, 1000, benchElements)
	newBytes, err := compileBytes(dir)
	if err != nil {
		b.Fatal(err)
	}
	var old plan.Plan
	if err := json.Unmarshal([]byte(strings.ReplaceAll(string(newBytes), `"days":1,`, `"days":2,`)), &old); err != nil {
		b.Fatal(err)
	}
	if old.Hash, err = old.ComputeHash(); err != nil {
		b.Fatal(err)
	}
	oldBytes, err := plan.Encode(&old)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Bytes)
	b.ReportAllocs()
	cpu := processCPU()
	b.ResetTimer()
	changed := 0
	for i := 0; i < b.N; i++ {
		// As journey plan does (cmd/journey/plan.go): the deployed plan is
		// decoded while the workspace is validated and compiled.
		decoded := make(chan *plan.Plan, 1)
		go func() {
			deployed, _, err := plan.DecodeAny(oldBytes)
			if err != nil {
				b.Error(err)
			}
			decoded <- deployed
		}()
		res, err := validate.Dir(os.DirFS(dir), ".", validate.Options{Now: benchNow})
		if err != nil {
			b.Fatal(err)
		}
		next, err := compiler.Plan(res.Program)
		if err != nil {
			b.Fatal(err)
		}
		deployed := <-decoded
		if deployed == nil {
			b.FailNow()
		}
		changes := diff.Compare(deployed, next, nil)
		changed = len(changes.Changes)
		_ = diff.Text(changes, false)
	}
	b.StopTimer()
	reportRates(b, st, cpu)
	if changed == 0 {
		b.Fatal("the plan found no change")
	}
}

// compileBytes is journey compile: validate, plan, encode.
func compileBytes(dir string) ([]byte, error) {
	res, err := validate.Dir(os.DirFS(dir), ".", validate.Options{Now: benchNow})
	if err != nil {
		return nil, err
	}
	p, err := compiler.Plan(res.Program)
	if err != nil {
		return nil, err
	}
	return plan.Encode(p)
}
