package plan

import "encoding/json"

// Expression is a condition, a template or a computed field value, compiled
// to a small tree the runtime evaluates without parsing HCL. Text is the
// source as written, for people.
type Expression struct {
	Text string `json:"text"`
	Root *Node  `json:"root"`
}

// Node is one operation of an expression tree.
//
//	lit       Value (a JSON string, number, bool or null)
//	field     Name: the contact's field
//	event     Name: a property of the event, Type: its declared type
//	owner     Name: the attribute of the contact's owner, a user (name, email, phone)
//	call      Name: the function; Args
//	not, neg  Args[0]
//	+ - * / % == != < <= > >= && ||  Args[0], Args[1]
//	if        Args: condition, then, else
//	template  Args: the parts, each turned into text and joined
//	list      Args: the items
//	index     Args: the collection, the key
type Node struct {
	Op    string          `json:"op"`
	Name  string          `json:"name,omitempty"`
	Value json.RawMessage `json:"value,omitempty"`
	// Type is an event property's declared type (a field type), by which
	// the runtime reads its value: event nodes only, so that other nodes,
	// and every plan compiled before there were event properties, read
	// and hash as they did.
	Type string  `json:"type,omitempty"`
	Args []*Node `json:"args,omitempty"`
}

// Ops of expression nodes.
const (
	OpLit      = "lit"
	OpField    = "field"
	OpEvent    = "event"
	OpOwner    = "owner"
	OpCall     = "call"
	OpNot      = "not"
	OpNeg      = "neg"
	OpIf       = "if"
	OpTemplate = "template"
	OpList     = "list"
	OpIndex    = "index"
)

// BinaryOps are the binary operators, as written in HCL.
func BinaryOps() []string {
	return []string{"+", "-", "*", "/", "%", "==", "!=", "<", "<=", ">", ">=", "&&", "||"}
}
