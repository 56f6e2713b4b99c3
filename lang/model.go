// Package lang loads journey workspaces: every *.journey.hcl and
// *.journey.json file of a directory, decoded into a typed model that keeps
// the source range of every block, attribute and reference.
//
// lang knows HCL and the vocabulary of the kinds table; it knows nothing of
// graphs or time. A decoder returns what it could decode together with its
// diagnostics, so that one run reports every problem.
package lang

import (
	"iter"
	"math/bits"

	"github.com/hashicorp/hcl/v2"

	"github.com/journeyhq/journey/lang/kinds"
)

// Workspace is one directory of campaign files, decoded.
type Workspace struct {
	// Dir is the directory as given to Load ("." for the root).
	Dir string
	// Files are the loaded files by name (relative to the root given to
	// Load), including template files that email bodies read.
	Files map[string]*File
	// FileNames lists the campaign files in sorted order.
	FileNames []string
	// Blocks are the top-level blocks, files in sorted order, blocks in
	// source order.
	Blocks []*Block
	// Incomplete is set when a file could not be read or parsed: its blocks
	// are missing, so whole-workspace judgements (unknown references,
	// unused declarations) would be wrong.
	Incomplete bool
}

// File is one source file with its bytes, kept for rendering findings.
type File struct {
	Name string
	Src  []byte
}

// Block is any block of the language: a declaration, a campaign element, a
// step, a schedule, a split path or an action inside a rule.
type Block struct {
	// Type is the block type as written: "email", "wait", "step", "path".
	Type string
	// Name is the block's label ("" for unlabeled blocks).
	Name string
	// Kind is the table entry for declarations, elements and actions; nil
	// for structural blocks (step, schedule, path, at, then, batch, rule
	// inside a step).
	Kind *kinds.Kind
	// DefRange covers the type and labels; Range covers the whole block.
	DefRange hcl.Range
	Range    hcl.Range

	// Attrs are the attributes that are set, in the order of Specs. A
	// block has a handful: one array of them is smaller than a map.
	Attrs []Attribute
	// Specs are the attributes the block's body accepts.
	Specs []kinds.Attr
	// set has bit i for Specs[i] when that attribute is in Attrs (for the
	// first 64 specs), so that Attr finds an attribute, or its absence,
	// without reading Attrs: the rules ask for attributes that are
	// seldom set ("draft") of every element.
	set uint64
	// Blocks are the nested blocks in source order.
	Blocks []*Block
	Parent *Block
}

// Attribute is one decoded attribute.
type Attribute struct {
	Name      string
	NameRange hcl.Range
	// ValueRange covers the expression after the equals sign. The syntax
	// tree itself is not kept (an expression's Value keeps its own):
	// trees of literals would be most of a large workspace's memory.
	ValueRange hcl.Range
	// Value is the decoded value; nil when the attribute could not be
	// decoded (the diagnostics say why).
	Value Value
}

// Range covers the whole attribute, name to value.
func (a *Attribute) Range() hcl.Range { return hcl.RangeBetween(a.NameRange, a.ValueRange) }

// Attr returns the named attribute, or nil.
func (b *Block) Attr(name string) *Attribute {
	if b == nil {
		return nil
	}
	for i := range b.Specs {
		if b.Specs[i].Name != name {
			continue
		}
		if i >= 64 {
			return b.scanAttrs(name)
		}
		bit := uint64(1) << i
		if b.set&bit == 0 {
			return nil
		}
		return &b.Attrs[bits.OnesCount64(b.set&(bit-1))]
	}
	return nil // not an attribute of this block
}

func (b *Block) scanAttrs(name string) *Attribute {
	for i := range b.Attrs {
		if b.Attrs[i].Name == name {
			return &b.Attrs[i]
		}
	}
	return nil
}

// addAttr appends an attribute of Specs[spec]; the decoder adds them in
// the order of Specs.
func (b *Block) addAttr(spec int, a Attribute) {
	if spec < 64 {
		b.set |= uint64(1) << spec
	}
	b.Attrs = append(b.Attrs, a)
}

// SetAttrs yields every attribute that is set, with its table entry, in
// the order of Specs (the order Attrs keeps).
func (b *Block) SetAttrs() iter.Seq2[*kinds.Attr, *Attribute] {
	return func(yield func(*kinds.Attr, *Attribute) bool) {
		next := 0
		for i := range b.Specs {
			if next == len(b.Attrs) {
				return
			}
			if i < 64 && b.set&(uint64(1)<<i) == 0 || i >= 64 && b.Attrs[next].Name != b.Specs[i].Name {
				continue
			}
			if !yield(&b.Specs[i], &b.Attrs[next]) {
				return
			}
			next++
		}
	}
}

// Has reports whether the attribute is set.
func (b *Block) Has(name string) bool { return b.Attr(name) != nil }

// Nested returns the nested blocks of the given type.
func (b *Block) Nested(typ string) []*Block {
	var out []*Block
	for _, nb := range b.Blocks {
		if nb.Type == typ {
			out = append(out, nb)
		}
	}
	return out
}

// First returns the first nested block of the given type, or nil.
func (b *Block) First(typ string) *Block {
	for _, nb := range b.Blocks {
		if nb.Type == typ {
			return nb
		}
	}
	return nil
}

// Elements returns a campaign's elements in source order.
func (b *Block) Elements() []*Block {
	var out []*Block
	for _, nb := range b.Blocks {
		if nb.Kind != nil {
			out = append(out, nb)
		}
	}
	return out
}

// Of returns the top-level blocks of one type in order.
func (w *Workspace) Of(typ string) []*Block {
	var out []*Block
	for _, b := range w.Blocks {
		if b.Type == typ {
			out = append(out, b)
		}
	}
	return out
}
