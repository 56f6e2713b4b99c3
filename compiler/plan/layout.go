package plan

import "encoding/json"

// The layout of a plan on disk: objects and arrays are spread over lines
// and indented by two spaces, as json.MarshalIndent would, down to the
// lists of elements, steps and actions; each element, step or action then
// stays on one line.
//
// A fully indented plan of 1,000 campaigns is 24 MB, 60% of it indentation
// inside expression trees, and reading it back took two and a half times
// as long as the same plan without it. One line per element keeps a
// changed element one changed line in a diff of two plans, and keeps an
// element findable with grep.
const (
	planSpreadDepth = 4 // plan, campaigns, a campaign, its elements
	fileSpreadDepth = 5 // a plan file holds the plan one level down
)

// marshalSpread marshals v and lays it out with spread.
func marshalSpread(v any, depth int) ([]byte, error) {
	compact, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return append(spread(compact, depth), '\n'), nil
}

// spread lays compact JSON (as json.Marshal writes it) out over lines: an
// object or array nested at most depth deep gets one line per member, one
// nested deeper stays on the line of its parent's member.
func spread(compact []byte, depth int) []byte {
	out := make([]byte, 0, len(compact)+len(compact)/4)
	newline := func(level int) {
		out = append(out, '\n')
		for range level {
			out = append(out, ' ', ' ')
		}
	}
	level := 0 // objects and arrays open around the current byte
	for i := 0; i < len(compact); i++ {
		c := compact[i]
		switch c {
		case '"':
			end := stringEnd(compact, i)
			out = append(out, compact[i:end]...)
			i = end - 1
		case '{', '[':
			level++
			out = append(out, c)
			if i+1 < len(compact) && (compact[i+1] == '}' || compact[i+1] == ']') {
				continue // empty: {} or [] as MarshalIndent writes them
			}
			if level <= depth {
				newline(level)
			}
		case '}', ']':
			if level <= depth && compact[i-1] != '{' && compact[i-1] != '[' {
				newline(level - 1)
			}
			level--
			out = append(out, c)
		case ',':
			out = append(out, c)
			if level <= depth {
				newline(level)
			}
		case ':':
			out = append(out, c)
			if level <= depth {
				out = append(out, ' ')
			}
		default:
			out = append(out, c)
		}
	}
	return out
}

// stringEnd returns the index just past the JSON string that starts at
// start.
func stringEnd(js []byte, start int) int {
	for i := start + 1; i < len(js); i++ {
		switch js[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(js)
}
