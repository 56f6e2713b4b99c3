package server

import (
	"bytes"
	"encoding/csv"
	"strconv"

	"github.com/journeyhq/journey/runtime"
)

// batchCSV is a batch as CSV (RFC 4180: CRLF line ends, a cell with a
// comma, a quote or a line break quoted): contact_id, then the batch's
// fields, a row per contact oldest first. A cell is written as a contact
// CSV reads it back (runtime.CellText): a list's items joined with ";".
// It is made whole before a byte is sent, so that a failure is an error,
// not a file cut short.
func batchCSV(fields []string, rows []*runtime.Record) ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	record := make([]string, 1+len(fields))
	record[0] = "contact_id"
	copy(record[1:], fields)
	if err := w.Write(record); err != nil {
		return nil, err
	}
	for _, r := range rows {
		record[0] = strconv.FormatInt(r.ContactID, 10)
		for i, f := range fields {
			record[1+i] = runtime.CellText(r.Data[f])
		}
		if err := w.Write(record); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

// batchFilename names a batch's CSV: the list and the batch's id.
func batchFilename(list string, id int64) string {
	return list + "-" + strconv.FormatInt(id, 10) + ".csv"
}
