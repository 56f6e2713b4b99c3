package runtime

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// CheckColumns checks the header of a CSV of contacts before any row is
// read: every column a declared or built-in field, or "external_id", and
// none named twice. A typo is an error of the whole file, not of every row.
func (p *Program) CheckColumns(header []string) error {
	names := make([]string, 0, len(p.Plan.Fields))
	for _, f := range p.Plan.Fields {
		names = append(names, f.Name)
	}
	seen := map[string]int{}
	for i, col := range header {
		if first, twice := seen[col]; twice {
			return fmt.Errorf("column %d, %q, is column %d again: name each field once", i+1, col, first)
		}
		seen[col] = i + 1
		if _, declared := p.fields[col]; !declared && col != "external_id" {
			return fmt.Errorf("column %d: %w", i+1, unknownField(col, names))
		}
	}
	return nil
}

// ListSeparator separates the items of a list (tags, a list(string)
// field) in a CSV cell: "lead;trial".
const ListSeparator = ";"

// ContactFromRow reads a CSV row of contact fields, its columns named by
// header (checked by CheckColumns), with the rules of a contact file. A
// cell is text, read as its field's type: a number as "12.5", a bool as
// true or false, a list as items separated by ";", a date as a contact
// file writes it. An empty cell sets nothing.
func (p *Program) ContactFromRow(header, row []string) (ContactChanges, error) {
	raw := make(map[string]any, len(row))
	for i, cell := range row {
		if i >= len(header) {
			return ContactChanges{}, fmt.Errorf("the row has %d cells, the header %d columns", len(row), len(header))
		}
		if cell == "" {
			continue
		}
		name := header[i]
		v, err := p.cellValue(name, cell)
		if err != nil {
			return ContactChanges{}, fmt.Errorf("column %s: %v", name, err)
		}
		raw[name] = v
	}
	return p.CheckContact(raw)
}

// cellValue reads a CSV cell as the value of its field's type.
func (p *Program) cellValue(name, cell string) (any, error) {
	switch p.fields[name].Type {
	case "number":
		f, err := strconv.ParseFloat(strings.TrimSpace(cell), 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a number", cell)
		}
		return f, nil
	case "bool":
		switch strings.ToLower(strings.TrimSpace(cell)) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
		return nil, fmt.Errorf("%q is not true or false", cell)
	case "list(string)":
		items := []any{}
		for _, it := range strings.Split(cell, ListSeparator) {
			if it = strings.TrimSpace(it); it != "" {
				items = append(items, it)
			}
		}
		return items, nil
	}
	return cell, nil
}

// CellText is a value as a CSV cell, as ContactFromRow reads it back: text
// as it is, a number in its shortest decimal form (12.5, 1000000), true or
// false, a list's items joined by ListSeparator, nothing for no value.
// Anything else (an object) is written as its JSON.
func CellText(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case int:
		return strconv.Itoa(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case json.Number:
		return v.String()
	case bool:
		return strconv.FormatBool(v)
	case []string:
		return strings.Join(v, ListSeparator)
	case []any:
		items := make([]string, len(v))
		for i, it := range v {
			items[i] = CellText(it)
		}
		return strings.Join(items, ListSeparator)
	}
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(data)
}
