package server

import (
	"encoding/json"
	"reflect"
	"strings"

	"github.com/journeyhq/journey/compiler/plan"
	"github.com/journeyhq/journey/runtime/api"
)

// summarize counts the top-level blocks (the account, fields, assets,
// sequences, rules, campaigns) that next adds, changes and removes from
// prev, as journey plan's footer counts them: a block renamed by a moved
// block is changed, and where a block is written (its source position) is
// no change. The history shows it beside each deployment; the server
// counts it itself (it never reads HCL, and so never runs compiler/diff).
func summarize(prev, next *plan.Plan) api.ChangeSummary {
	if prev == nil {
		prev = &plan.Plan{}
	}
	before, after := blocksOf(prev), blocksOf(next)
	renamed := map[string]string{} // new block -> old block
	for _, mv := range next.Moved {
		from, to := strings.Split(mv.From, "."), strings.Split(mv.To, ".")
		if len(from) == 2 && len(to) == 2 {
			renamed[mv.To] = mv.From
		}
	}
	var out api.ChangeSummary
	matched := map[string]bool{}
	for name, body := range after {
		old, ok := before[name]
		if !ok {
			if from := renamed[name]; from != "" && before[from] != nil {
				matched[from] = true
				out.Change++
			} else {
				out.Add++
			}
			continue
		}
		if !reflect.DeepEqual(old, body) {
			out.Change++
		}
		matched[name] = true
	}
	for name := range before {
		if !matched[name] {
			out.Remove++
		}
	}
	return out
}

// blocksOf is a plan's top-level blocks by address (campaign.NAME,
// email.NAME, account...), each as generic JSON without its source
// positions.
func blocksOf(p *plan.Plan) map[string]any {
	out := map[string]any{}
	add := func(address string, v any) { out[address] = withoutSources(v) }
	if !reflect.DeepEqual(p.Account, plan.Account{}) {
		add("account", p.Account)
	}
	for _, f := range p.Fields {
		add("field."+f.Name, f)
	}
	for _, a := range p.Assets {
		add(a.Kind+"."+a.Name, a)
	}
	for _, s := range p.Sequences {
		add("sequence."+s.Name, s)
	}
	for _, r := range p.Rules {
		add("rule."+r.Name, r)
	}
	for _, c := range p.Campaigns {
		add("campaign."+c.Name, c)
	}
	return out
}

// withoutSources is v as generic JSON with every "source" member (where a
// block or element is written) left out.
func withoutSources(v any) any {
	data, err := json.Marshal(v)
	if err != nil {
		return err.Error()
	}
	var generic any
	if err := json.Unmarshal(data, &generic); err != nil {
		return err.Error()
	}
	var strip func(any)
	strip = func(v any) {
		switch t := v.(type) {
		case map[string]any:
			delete(t, "source")
			for _, e := range t {
				strip(e)
			}
		case []any:
			for _, e := range t {
				strip(e)
			}
		}
	}
	strip(generic)
	return generic
}
