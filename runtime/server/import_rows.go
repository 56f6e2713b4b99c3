package server

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/journeyhq/journey/internal/jsonread"
	"github.com/journeyhq/journey/runtime"
)

// maxRow is the most one row of an import may hold.
const maxRow = 64 << 10

// errRowTooLong stops a CSV import at a row longer than maxRow: the CSV
// reader cannot find where the next row starts without reading it all.
var errRowTooLong = fmt.Errorf("a row is longer than %d KiB", maxRow>>10)

// rowSource reads an import's rows one at a time. row is the line of the
// file the row starts on; rowErr is that row's own problem (the import
// goes on); err is io.EOF at the end, or what stops the import.
type rowSource interface {
	next() (row int, ch runtime.ContactChanges, rowErr, err error)
}

// csvRows reads a CSV whose header names the fields.
type csvRows struct {
	r      *csv.Reader
	in     *boundedRows
	header []string
	prog   *runtime.Program
}

// newCSVRows reads the header and checks its columns before any row, so
// that a typo in it fails the whole import (400) rather than every row.
func newCSVRows(body io.Reader, prog *runtime.Program) (*csvRows, error) {
	in := &boundedRows{r: body}
	r := csv.NewReader(in)
	header, err := r.Read()
	switch {
	case errors.Is(err, io.EOF):
		return nil, badRequest("the CSV is empty: its first line names the fields, e.g. email,first_name,tags")
	case err != nil:
		return nil, badRequest("the CSV's header: %v", err)
	}
	in.recordEnd = r.InputOffset()
	header[0] = strings.TrimPrefix(header[0], "\ufeff") // a spreadsheet's byte-order mark
	for i := range header {
		header[i] = strings.TrimSpace(header[i])
	}
	if err := prog.CheckColumns(header); err != nil {
		return nil, badRequest("the CSV's header: %v", err)
	}
	return &csvRows{r: r, in: in, header: header, prog: prog}, nil
}

func (c *csvRows) next() (int, runtime.ContactChanges, error, error) {
	rec, err := c.r.Read()
	c.in.recordEnd = c.r.InputOffset()
	var parse *csv.ParseError
	switch {
	case errors.Is(err, io.EOF):
		return 0, runtime.ContactChanges{}, nil, io.EOF
	case errors.Is(err, errRowTooLong):
		return 0, runtime.ContactChanges{}, nil, err
	case errors.As(err, &parse) && errors.Is(parse.Err, csv.ErrFieldCount):
		return parse.StartLine, runtime.ContactChanges{}, fmt.Errorf("the row has %d cells, the header %d columns", len(rec), len(c.header)), nil
	case errors.As(err, &parse):
		return parse.StartLine, runtime.ContactChanges{}, errors.New(parse.Err.Error()), nil
	case err != nil:
		return 0, runtime.ContactChanges{}, nil, err
	}
	line, _ := c.r.FieldPos(0)
	ch, rowErr := c.prog.ContactFromRow(c.header, rec)
	return line, ch, rowErr, nil
}

// boundedRows lets the CSV reader read at most maxRow (and its buffer)
// past the end of the last record: a file with no line ends is not held
// in memory whole.
type boundedRows struct {
	r         io.Reader
	read      int64
	recordEnd int64
}

func (b *boundedRows) Read(p []byte) (int, error) {
	if b.read-b.recordEnd > maxRow+(16<<10) {
		return 0, errRowTooLong
	}
	n, err := b.r.Read(p)
	b.read += int64(n)
	return n, err
}

// ndjsonRows reads one contact object a line.
type ndjsonRows struct {
	r    *bufio.Reader
	line int
	prog *runtime.Program
}

func newNDJSONRows(body io.Reader, prog *runtime.Program) *ndjsonRows {
	return &ndjsonRows{r: bufio.NewReaderSize(body, 64<<10), prog: prog}
}

func (n *ndjsonRows) next() (int, runtime.ContactChanges, error, error) {
	for {
		data, tooLong, err := readLine(n.r, maxRow)
		if err != nil && !errors.Is(err, io.EOF) {
			return 0, runtime.ContactChanges{}, nil, err
		}
		if len(bytes.TrimSpace(data)) == 0 && !tooLong {
			if err != nil {
				return 0, runtime.ContactChanges{}, nil, io.EOF
			}
			n.line++
			continue
		}
		n.line++
		if tooLong {
			return n.line, runtime.ContactChanges{}, fmt.Errorf("the line is longer than %d KiB", maxRow>>10), nil
		}
		ch, rowErr := n.contact(data)
		return n.line, ch, rowErr, nil
	}
}

// contact reads one line's contact, with a contact file's rules.
func (n *ndjsonRows) contact(data []byte) (runtime.ContactChanges, error) {
	if trimmed := bytes.TrimSpace(data); trimmed[0] != '{' {
		return runtime.ContactChanges{}, errors.New(`a line is one contact, a JSON object of its fields: {"email": "ada@example.com", "tags": ["lead"]}`)
	}
	var obj map[string]any
	if err := jsonread.Decode(data, &obj, jsonread.Options{UseNumber: true, RequestBody: true}); err != nil {
		var je *jsonread.Error
		if errors.As(err, &je) && je.Line > 0 {
			return runtime.ContactChanges{}, fmt.Errorf("column %d: %s", je.Column, je.Msg)
		}
		return runtime.ContactChanges{}, err
	}
	return n.prog.CheckContact(obj)
}

// readLine reads a line without its end; one longer than limit is read
// to its end and dropped (tooLong). err is io.EOF after the last line.
func readLine(r *bufio.Reader, limit int) (line []byte, tooLong bool, err error) {
	for {
		chunk, err := r.ReadSlice('\n')
		if !tooLong {
			if len(line)+len(chunk) > limit+2 {
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
