package compiler

import (
	"sync"

	"github.com/journeyhq/journey/internal/suggest"
)

// declNames holds the did-you-mean index of each kind of declaration (and
// of the contact's fields, as kind "field"). An index is built the first
// time a reference to an unknown name of its kind asks, and kept for the
// rest of the compile: a workspace with 20,000 misspelled tags asks 20,000
// times about the same 5,000 names. The forks of a compile share it.
type declNames struct {
	mu     sync.Mutex
	byKind map[string]*suggest.Index
}

// closestName returns the declared name of a kind (or the field, for kind
// "field") closest to given, or "" when none is close.
func (p *Program) closestName(kind, given string) string {
	if p.names == nil { // a Program not made by Compile
		return suggest.Closest(given, p.namesOf(kind))
	}
	p.names.mu.Lock()
	index := p.names.byKind[kind]
	if index == nil {
		index = suggest.NewIndex(p.namesOf(kind))
		if p.names.byKind == nil {
			p.names.byKind = map[string]*suggest.Index{}
		}
		p.names.byKind[kind] = index
	}
	p.names.mu.Unlock()
	return index.Closest(given)
}

// declared is how many names of a kind (or fields, for "field") there are.
func (p *Program) declared(kind string) int {
	if kind == "field" {
		return len(p.Fields)
	}
	return len(p.Decls[kind])
}

func (p *Program) namesOf(kind string) []string {
	var names []string
	if kind == "field" {
		for n := range p.Fields {
			names = append(names, n)
		}
		return names
	}
	for n := range p.Decls[kind] {
		names = append(names, n)
	}
	return names
}

// closestElement returns the KIND.NAME of the campaign's element closest
// to given, indexing the campaign's elements on the first call.
func (c *Campaign) closestElement(given string, byKindName map[kindName]*Element) string {
	if c.elementNames == nil {
		names := make([]string, 0, len(byKindName))
		for key := range byKindName {
			names = append(names, key.kind+"."+key.name)
		}
		c.elementNames = suggest.NewIndex(names)
	}
	return c.elementNames.Closest(given)
}
