package lang

import (
	"sync"

	"github.com/hashicorp/hcl/v2"

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
	spec.schema = schemaOf(spec)
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
	spec.schema = schemaOf(spec)
	s.blocks[bs] = spec
	return spec
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
