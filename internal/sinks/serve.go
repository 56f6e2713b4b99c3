package sinks

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
)

// Serve runs an SMTP sink in the foreground until ctx ends, printing each
// mail it receives to out: a local stand-in for an SMTP server, to watch
// what journey sends. It prints the address first, so that a person (or
// a script) can point smtp.host and smtp.port at it.
func Serve(ctx context.Context, options SMTPOptions, out io.Writer) error {
	var mu sync.Mutex // mails complete on the sink's goroutines
	count := 0
	next := options.OnMessage
	options.OnMessage = func(m Mail) {
		mu.Lock()
		count++
		fmt.Fprintf(out, "--- mail %d\n%s", count, m.Format())
		mu.Unlock()
		if next != nil {
			next(m)
		}
	}
	// Held until the address is printed: a mail that comes at once is
	// printed after it.
	mu.Lock()
	sink, err := StartSMTP(options)
	if err != nil {
		mu.Unlock()
		return err
	}
	fmt.Fprintf(out, "SMTP sink listening on %s (%s); Ctrl-C stops it\n", sink.Addr(), describe(options))
	mu.Unlock()
	select {
	case <-ctx.Done():
	case <-sink.served:
		sink.Close()
		return fmt.Errorf("smtp sink on %s: %w", sink.Addr(), errSinkClosed)
	}
	return sink.Close()
}

// errSinkClosed is what Serve returns if the sink stopped on its own.
var errSinkClosed = errors.New("the sink stopped")

func describe(o SMTPOptions) string {
	var parts []string
	switch {
	case o.ImplicitTLS:
		parts = append(parts, "TLS from the first byte, self-signed certificate")
	case o.STARTTLS:
		parts = append(parts, "STARTTLS with a self-signed certificate")
	default:
		parts = append(parts, "no TLS")
	}
	if o.Username != "" {
		parts = append(parts, fmt.Sprintf("AUTH PLAIN or LOGIN as %q", o.Username))
	} else {
		parts = append(parts, "no AUTH")
	}
	return strings.Join(parts, ", ")
}
