package compiler_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	goruntime "runtime"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/journeyhq/journey/compiler"
	"github.com/journeyhq/journey/lang"
)

// manyCampaigns is a workspace large enough for Compile to split its work
// between cores, with references across campaigns and mistakes in some of
// them (unknown tags with a suggestion, a wrong element kind, a jump into
// another campaign).
func manyCampaigns(t *testing.T, n int, mistakes bool) fstest.MapFS {
	t.Helper()
	fsys := readWorkspace(t, "../examples/onboarding")
	bodies, _ := filepath.Glob("../examples/onboarding/emails/*")
	for _, f := range bodies {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		fsys["emails/"+filepath.Base(f)] = &fstest.MapFile{Data: data}
	}
	for i := range n {
		var b strings.Builder
		fmt.Fprintf(&b, "campaign \"c%03d\" {\n", i)
		fmt.Fprintf(&b, "  trigger \"start\" {\n    on   = tag_added(tag.trial)\n    next = change_tags.mark\n  }\n")
		tag := "tag.customer"
		if mistakes && i%7 == 3 {
			tag = "tag.custmer"
		}
		fmt.Fprintf(&b, "  change_tags \"mark\" {\n    add  = [%s]\n    next = wait.later\n  }\n", tag)
		next := "add_to_campaign.onward"
		if mistakes && i%11 == 5 {
			next = "end.c000_done"
		}
		fmt.Fprintf(&b, "  wait \"later\" {\n    for  = \"%dd\"\n    next = %s\n  }\n", 1+i%5, next)
		fmt.Fprintf(&b, "  add_to_campaign \"onward\" {\n    campaign = campaign.c%03d\n    next     = end.c%03d_done\n  }\n", (i+1)%n, i)
		fmt.Fprintf(&b, "  send_email \"hello\" {\n    email = email.welcome\n    next  = end.c%03d_done\n  }\n", i)
		fmt.Fprintf(&b, "  end \"c%03d_done\" {}\n}\n", i)
		fsys[fmt.Sprintf("c%03d.journey.hcl", i)] = &fstest.MapFile{Data: []byte(b.String())}
	}
	return fsys
}

// compiledView is what a compile produced, in comparable form.
type compiledView struct {
	Diags     []string
	Uses      map[string][]string
	Campaigns []string
	Targets   []string // sorted
}

func view(t *testing.T, ws *lang.Workspace) compiledView {
	t.Helper()
	prog, diags := compiler.Compile(ws)
	var v compiledView
	for _, d := range diags {
		v.Diags = append(v.Diags, fmt.Sprintf("%s: %s (%s)", d.Subject, d.Summary, d.Detail))
	}
	v.Uses = map[string][]string{}
	for target, uses := range prog.Uses {
		for _, u := range uses {
			v.Uses[lang.Describe(target)] = append(v.Uses[lang.Describe(target)], fmt.Sprintf("%s.%s@%s", lang.Describe(u.From), u.Attr, u.Range))
		}
	}
	for _, c := range prog.Campaigns {
		v.Campaigns = append(v.Campaigns, c.Name)
		for _, el := range c.Elements {
			for _, t := range el.Targets {
				v.Targets = append(v.Targets, el.ID()+"."+t.Attr+"="+lang.Describe(t.Decl))
			}
			for _, e := range el.Edges {
				if e.To != nil {
					v.Targets = append(v.Targets, el.ID()+" -> "+e.To.ID())
				}
			}
		}
	}
	for _, b := range ws.Blocks {
		if prog.Suggested[b] {
			v.Targets = append(v.Targets, "suggested "+lang.Describe(b))
		}
	}
	sort.Strings(v.Targets)
	return v
}

// Compile splits its work between cores; what it returns must not depend
// on that.
func TestCompileOnManyCoresEqualsOneCore(t *testing.T) {
	ws, diags, err := lang.Load(manyCampaigns(t, 400, true), ".")
	if err != nil || diags.HasErrors() {
		t.Fatal(err, diags)
	}
	prev := goruntime.GOMAXPROCS(1)
	serial := view(t, ws)
	goruntime.GOMAXPROCS(max(prev, 4))
	parallel := view(t, ws)
	goruntime.GOMAXPROCS(prev)

	if len(serial.Diags) == 0 || len(serial.Campaigns) != 401 {
		t.Fatalf("the workspace should compile to 401 campaigns with findings; got %d campaigns, %d findings", len(serial.Campaigns), len(serial.Diags))
	}
	if !reflect.DeepEqual(serial, parallel) {
		for i := range min(len(serial.Diags), len(parallel.Diags)) {
			if serial.Diags[i] != parallel.Diags[i] {
				t.Errorf("finding %d: one core %q, several %q", i, serial.Diags[i], parallel.Diags[i])
				break
			}
		}
		t.Fatalf("compiling on several cores differs from one core (%d vs %d findings)", len(serial.Diags), len(parallel.Diags))
	}
}

// The plan of a large workspace is emitted on several cores; its bytes
// must be those of one core.
func TestPlanOnManyCoresEqualsOneCore(t *testing.T) {
	fsys := manyCampaigns(t, 400, false)
	prev := goruntime.GOMAXPROCS(1)
	serial, _ := compileBytes(t, fsys)
	goruntime.GOMAXPROCS(max(prev, 4))
	parallel, p := compileBytes(t, fsys)
	goruntime.GOMAXPROCS(prev)
	if len(p.Campaigns) != 401 {
		t.Fatalf("%d campaigns in the plan, want 401", len(p.Campaigns))
	}
	if !bytes.Equal(serial, parallel) {
		t.Fatal("the plan compiled on several cores differs from the one compiled on one")
	}
}
