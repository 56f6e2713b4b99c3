package lang

import (
	"fmt"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/journeyhq/journey/lang/kinds"
)

// bodySpec is what a body accepts, with its HCL schema; built once per kind
// (or nested block) per load and shared by the files' decoders.
type bodySpec struct {
	attrs  []kinds.Attr
	blocks []kinds.Block
	groups []kinds.Group
	// elements: the body holds labeled campaign elements (a campaign).
	elements bool
	// actions: the body holds unlabeled actions (a rule's then).
	actions bool
	schema  *hcl.BodySchema
	// attrNames and blockTypes index the schema for native-syntax bodies.
	attrNames  map[string]bool
	blockTypes map[string]hcl.BlockHeaderSchema
}

// specs caches the body specs of one load.
type specs struct {
	mu     sync.Mutex
	kinds  map[kindKey]*bodySpec
	blocks map[*kinds.Block]*bodySpec
}

type kindKey struct {
	kind   *kinds.Kind
	inRule bool
}

func newSpecs() *specs {
	return &specs{kinds: map[kindKey]*bodySpec{}, blocks: map[*kinds.Block]*bodySpec{}}
}

// kind is the body of a kind; inRule drops what an action inside a rule's
// then may not have.
func (s *specs) kind(k *kinds.Kind, inRule bool) *bodySpec {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := kindKey{k, inRule}
	if spec, ok := s.kinds[key]; ok {
		return spec
	}
	spec := &bodySpec{attrs: k.Attrs, blocks: k.Blocks, groups: k.Groups, elements: k.Name == "campaign"}
	if k.Class == kinds.Flow || k.Class == kinds.Action {
		spec.attrs = append(append([]kinds.Attr(nil), k.Attrs...), kinds.CommonElementAttrs()...)
	}
	if inRule {
		var attrs []kinds.Attr
		for _, a := range k.Attrs {
			if a.Name != "next" {
				attrs = append(attrs, a)
			}
		}
		spec.attrs = append(attrs, kinds.Attr{Name: "description", Type: kinds.String})
	}
	spec.index()
	s.kinds[key] = spec
	return spec
}

// block is the body of a nested block such as a split's path.
func (s *specs) block(bs *kinds.Block) *bodySpec {
	s.mu.Lock()
	defer s.mu.Unlock()
	if spec, ok := s.blocks[bs]; ok {
		return spec
	}
	spec := &bodySpec{attrs: bs.Attrs, blocks: bs.Blocks, actions: bs.Actions, groups: bs.Groups}
	spec.index()
	s.blocks[bs] = spec
	return spec
}

func (spec *bodySpec) index() {
	spec.schema = schemaOf(spec)
	spec.attrNames = map[string]bool{}
	for _, a := range spec.schema.Attributes {
		spec.attrNames[a.Name] = true
	}
	spec.blockTypes = map[string]hcl.BlockHeaderSchema{}
	for _, b := range spec.schema.Blocks {
		spec.blockTypes[b.Type] = b
	}
}

// unknownAttrs reports the attributes of a native-syntax body that its
// spec does not take, in the words hcl.Body.Content would use. The bodies of
// a large workspace are decoded by the hundred thousand, so the decoder
// reads native bodies directly instead of through Content's copies.
func (spec *bodySpec) unknownAttrs(body *hclsyntax.Body) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for name, attr := range body.Attributes {
		if !spec.attrNames[name] {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Unsupported argument",
				Detail:   fmt.Sprintf("An argument named %q is not expected here.", name),
				Subject:  &attr.NameRange,
			})
		}
	}
	return diags
}

// nativeHeader checks a native-syntax block's type and labels against the
// spec as hcl.Body.Content would, and returns its header, or the
// diagnostic when the spec does not take the block as written.
func (spec *bodySpec) nativeHeader(block *hclsyntax.Block) (hb hcl.Block, diag *hcl.Diagnostic) {
	want, ok := spec.blockTypes[block.Type]
	switch {
	case !ok:
		return hb, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Unsupported block type",
			Detail:   fmt.Sprintf("Blocks of type %q are not expected here.", block.Type),
			Subject:  &block.TypeRange,
		}
	case len(block.Labels) > len(want.LabelNames):
		detail := fmt.Sprintf("No labels are expected for %s blocks.", block.Type)
		if len(want.LabelNames) > 0 {
			detail = fmt.Sprintf("Only %d labels (%s) are expected for %s blocks.", len(want.LabelNames), strings.Join(want.LabelNames, ", "), block.Type)
		}
		return hb, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  fmt.Sprintf("Extraneous label for %s", block.Type),
			Detail:   detail,
			Subject:  block.LabelRanges[len(want.LabelNames)].Ptr(),
		}
	case len(block.Labels) < len(want.LabelNames):
		return hb, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  fmt.Sprintf("Missing %s for %s", want.LabelNames[len(block.Labels)], block.Type),
			Detail:   fmt.Sprintf("All %s blocks must have %d labels (%s).", block.Type, len(want.LabelNames), strings.Join(want.LabelNames, ", ")),
			Subject:  &block.OpenBraceRange,
		}
	}
	return hcl.Block{
		Type:        block.Type,
		Labels:      block.Labels,
		Body:        block.Body,
		DefRange:    block.DefRange(),
		TypeRange:   block.TypeRange,
		LabelRanges: block.LabelRanges,
	}, nil
}

func schemaOf(spec *bodySpec) *hcl.BodySchema {
	schema := &hcl.BodySchema{}
	for _, a := range spec.attrs {
		schema.Attributes = append(schema.Attributes, hcl.AttributeSchema{Name: a.Name})
	}
	for _, bs := range spec.blocks {
		schema.Blocks = append(schema.Blocks, hcl.BlockHeaderSchema{Type: bs.Name, LabelNames: bs.Labels})
	}
	if spec.elements {
		for _, k := range kinds.Elements() {
			schema.Blocks = append(schema.Blocks, hcl.BlockHeaderSchema{Type: k.Name, LabelNames: k.Labels})
		}
	}
	if spec.actions {
		for _, k := range kinds.Actions() {
			schema.Blocks = append(schema.Blocks, hcl.BlockHeaderSchema{Type: k.Name})
		}
	}
	return schema
}
