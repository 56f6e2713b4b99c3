package validate_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/journeyhq/journey/validate"
)

// BenchmarkValidateUnknownTags validates a workspace of 5,000 tags and
// 20,000 references to misspelled ones ("segmnet_N" for "segment_N"):
// every reference gets a did-you-mean hint, so the search for the closest
// name must not cost a pass over every tag (it took 36 s; lang's
// BenchmarkSuggestUnknownTags sets the old search against the new).
func BenchmarkValidateUnknownTags(b *testing.B) {
	const declared, unknown, perElement = 5000, 20000, 20
	dir := b.TempDir()
	var tags strings.Builder
	for i := range declared {
		fmt.Fprintf(&tags, "tag %q {}\n", genTagName(i))
	}
	var camp strings.Builder
	camp.WriteString("form \"signup\" {}\n\ncampaign \"c\" {\n  trigger \"start\" {\n    on   = form_submitted(form.signup)\n    next = change_tags.t0\n  }\n\n")
	elements := unknown / perElement
	for e := range elements {
		refs := make([]string, perElement)
		for k := range refs {
			refs[k] = fmt.Sprintf("tag.segmnet_%d", e*perElement+k)
		}
		next := fmt.Sprintf("change_tags.t%d", e+1)
		if e == elements-1 {
			next = "end.done"
		}
		fmt.Fprintf(&camp, "  change_tags \"t%d\" {\n    add  = [%s]\n    next = %s\n  }\n\n", e, strings.Join(refs, ", "), next)
	}
	camp.WriteString("  end \"done\" {}\n}\n")
	for name, src := range map[string]string{"tags.journey.hcl": tags.String(), "main.journey.hcl": camp.String()} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for b.Loop() {
		res, err := validate.Dir(os.DirFS(dir), ".", validate.Options{Now: benchNow})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if len(res.Findings) != unknown {
			b.Fatalf("%d findings, want one per misspelled tag (%d)", len(res.Findings), unknown)
		}
		for _, f := range res.Findings {
			if f.Rule != "unknown-reference" || !strings.HasPrefix(f.Hint, "did you mean tag.segment_") {
				b.Fatalf("want unknown-reference with a did-you-mean hint, got %s", line(f))
			}
		}
		b.StartTimer()
	}
}
