package nodeproof

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// mailSink is `journey mailsink` run as a process of its own, as a person
// trying journey would run it: the proof reads what it prints.
type mailSink struct {
	proc *process
	addr string
	// read closes once its output has been read to the end.
	read chan struct{}

	mu sync.Mutex
	// keys counts the mails received by their idempotency key
	// (X-Journey-Idempotency-Key, printed as "Key:").
	keys  map[string]int
	mails int
}

// startSink starts journey mailsink on a free port; what it prints is kept
// in dir/mailsink.out.
func startSink(ctx context.Context, bin, dir string) (*mailSink, error) {
	out, err := os.Create(filepath.Join(dir, "mailsink.out"))
	if err != nil {
		return nil, err
	}
	r, w := io.Pipe()
	s := &mailSink{keys: map[string]int{}, read: make(chan struct{})}
	s.proc, err = start("journey mailsink", filepath.Join(dir, "mailsink.log"), w, nil, bin, "mailsink", "--listen", "127.0.0.1:0")
	if err != nil {
		out.Close()
		return nil, err
	}
	go func() {
		<-s.proc.exited
		w.Close()
	}()
	first := make(chan string, 1)
	go func() {
		defer close(s.read)
		defer out.Close()
		s.scan(io.TeeReader(r, out), first)
	}()
	select {
	case line := <-first:
		// "SMTP sink listening on 127.0.0.1:PORT (no TLS, no AUTH); ..."
		rest, ok := strings.CutPrefix(line, "SMTP sink listening on ")
		addr, _, _ := strings.Cut(rest, " ")
		if !ok || addr == "" {
			s.proc.kill()
			return nil, fmt.Errorf("journey mailsink printed %q first, not the address it listens on", line)
		}
		s.addr = addr
		return s, nil
	case <-ctx.Done():
		s.proc.kill()
		return nil, fmt.Errorf("journey mailsink did not say its address: %w", ctx.Err())
	case <-time.After(time.Minute):
		s.proc.kill()
		return nil, fmt.Errorf("journey mailsink did not say its address within a minute:\n%s", s.proc.tail(10))
	}
}

// scan counts the mails and their keys as mailsink prints them.
func (s *mailSink) scan(r io.Reader, first chan<- string) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	if sc.Scan() {
		first <- sc.Text()
	} else {
		first <- ""
	}
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "--- mail "):
			s.mu.Lock()
			s.mails++
			s.mu.Unlock()
		case strings.HasPrefix(line, "Key:"):
			key := strings.TrimSpace(strings.TrimPrefix(line, "Key:"))
			s.mu.Lock()
			s.keys[key]++
			s.mu.Unlock()
		}
	}
	// The pipe ends when the sink exits; nothing else stops the scan.
	io.Copy(io.Discard, r)
}

// received is the number of mails received so far.
func (s *mailSink) received() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.mails
}

// close stops the sink and returns what it received, by key, once its
// output is read to the end.
func (s *mailSink) close() (map[string]int, int) {
	s.proc.stop(30 * time.Second)
	<-s.read
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.keys, s.mails
}
