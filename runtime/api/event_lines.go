package api

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/journeyhq/journey/internal/jsonread"
)

// maxEventLine is the longest line of an events file: the server takes a
// body of at most 1 MiB.
const maxEventLine = 1 << 20

// EventLine is one event of an NDJSON events file, or why its line is not
// one (Err); Line counts the file's lines from 1.
type EventLine struct {
	Line  int
	Event Event
	// Key is the line's "idempotency_key", which is sent as the
	// Idempotency-Key header rather than in the event.
	Key string
	Err error
}

const wantEventLine = `a line is one event, a JSON object as POST /v1/events takes it: {"contact": {"email": "ada@example.com"}, "type": "tag_added", "tag": "attended"}`

// ReadEventLines reads an events file, one JSON event a line (blank lines
// skipped), and calls each with every line in order; an error from each,
// or from reading, stops it. A line that is not an event is passed with
// its Err: the lines after it are still read.
func ReadEventLines(r io.Reader, each func(EventLine) error) error {
	in := bufio.NewReaderSize(r, 64<<10)
	for n := 1; ; n++ {
		data, tooLong, err := readEventLine(in)
		if err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		if len(bytes.TrimSpace(data)) > 0 || tooLong {
			line := decodeEventLine(data)
			if tooLong {
				line = EventLine{Err: fmt.Errorf("the line is longer than the %d MiB a request takes", maxEventLine>>20)}
			}
			line.Line = n
			if cbErr := each(line); cbErr != nil {
				return cbErr
			}
		}
		if err != nil {
			return nil
		}
	}
}

// decodeEventLine reads one line's event and its idempotency_key.
func decodeEventLine(data []byte) EventLine {
	var obj map[string]json.RawMessage
	if err := jsonread.Decode(data, &obj, jsonread.Options{Want: wantEventLine}); err != nil {
		var je *jsonread.Error
		if errors.As(err, &je) && je.Line > 0 {
			return EventLine{Err: fmt.Errorf("column %d: %s", je.Column, je.Msg)}
		}
		return EventLine{Err: err}
	}
	if obj == nil {
		return EventLine{Err: errors.New(wantEventLine)}
	}
	var out EventLine
	if raw, ok := obj["idempotency_key"]; ok {
		if err := json.Unmarshal(raw, &out.Key); err != nil {
			return EventLine{Err: errors.New(`"idempotency_key" must be a string, e.g. "order-1042-paid"`)}
		}
		delete(obj, "idempotency_key")
	}
	rest, err := json.Marshal(obj)
	if err == nil {
		err = json.Unmarshal(rest, &out.Event)
	}
	if err != nil {
		return EventLine{Err: fmt.Errorf("%v: an event's arguments (tag, form, name...) are strings", err)}
	}
	return out
}

// readEventLine reads a line without its end; one longer than
// maxEventLine is read to its end and dropped (tooLong).
func readEventLine(r *bufio.Reader) (line []byte, tooLong bool, err error) {
	for {
		chunk, err := r.ReadSlice('\n')
		if !tooLong {
			if len(line)+len(chunk) > maxEventLine+2 {
				tooLong, line = true, nil
			} else {
				line = append(line, chunk...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return bytes.TrimRight(line, "\r\n"), tooLong, err
	}
}
