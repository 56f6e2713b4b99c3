package loadgen

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/journeyhq/journey/runtime/api"
)

// importRows streams n rows of CSV to the server's import, row i made by
// row (header first), and returns how long it took.
func importRows(ctx context.Context, client *api.Client, header string, n int, row func(i int) string) (time.Duration, error) {
	r, w := io.Pipe()
	go func() {
		bw := newLineWriter(w)
		bw.line(header)
		for i := range n {
			if err := bw.line(row(i)); err != nil {
				break
			}
		}
		w.CloseWithError(bw.flush())
	}()
	// An import streams for as long as its rows last: no bound on the
	// whole call.
	streaming, httpClient := *client, *client.HTTP
	httpClient.Timeout = 0
	streaming.HTTP = &httpClient
	start := time.Now()
	counts, err := streaming.ImportContacts(ctx, r, api.ContentTypeCSV, api.ImportUpsert, func(l api.ImportLine) error {
		if l.Error != "" {
			return fmt.Errorf("row %d: %s", l.Row, l.Error)
		}
		return nil
	})
	r.Close()
	if err != nil {
		return 0, fmt.Errorf("importing %d rows: %w", n, err)
	}
	if counts.Failed > 0 || counts.Rows != n {
		return 0, fmt.Errorf("imported %d of %d rows, %d failed", counts.Rows-counts.Failed, n, counts.Failed)
	}
	return time.Since(start), nil
}

// lineWriter writes lines through a buffer.
type lineWriter struct {
	w   io.Writer
	buf []byte
}

func newLineWriter(w io.Writer) *lineWriter { return &lineWriter{w: w, buf: make([]byte, 0, 64<<10)} }

func (l *lineWriter) line(s string) error {
	l.buf = append(append(l.buf, s...), '\n')
	if len(l.buf) > 60<<10 {
		return l.flush()
	}
	return nil
}

func (l *lineWriter) flush() error {
	_, err := l.w.Write(l.buf)
	l.buf = l.buf[:0]
	return err
}
