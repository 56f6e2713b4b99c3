package sinks

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/journeyhq/journey/runtime/delivery"
)

// HTTPOptions say what the HTTP sink checks.
type HTTPOptions struct {
	// Addr to listen on; "" is 127.0.0.1 on a free port.
	Addr string
	// Secret, when set, is the key every request's Journey-Signature is
	// verified with (Request.SignatureErr).
	Secret string
	// Tolerance of the signature's time; 0 is 5 minutes.
	Tolerance time.Duration
}

// Request is a request the HTTP sink received.
type Request struct {
	Method   string
	Path     string
	RawQuery string
	Header   http.Header
	Body     []byte
	// SignatureErr is what VerifySignature said of the request, with
	// HTTPOptions.Secret set: nil for a good signature.
	SignatureErr error
	// Reply is the status the sink answered, 0 if it stalled until the
	// client gave up.
	Reply      int
	ReceivedAt time.Time
}

// Response is how the sink answers one request.
type Response struct {
	Status int // 0 is 200
	Body   string
	Header http.Header
	// Stall answers nothing until the client gives up or the sink closes:
	// a receiver that hangs, for timeout tests that need no clock.
	Stall bool
}

// maxRequestBody bounds what the sink keeps of a request.
const maxRequestBody = 10 << 20

// HTTPSink is an HTTP server on 127.0.0.1 that records every request and
// answers 200 "ok", or the responses it is given. It is safe for
// concurrent use.
type HTTPSink struct {
	options  HTTPOptions
	server   *http.Server
	listener net.Listener
	served   chan struct{}
	closing  chan struct{}

	mu        sync.Mutex
	requests  []Request
	responses []Response
	always    *Response
	changed   chan struct{}
	closed    bool
}

// StartHTTP starts an HTTP sink.
func StartHTTP(options HTTPOptions) (*HTTPSink, error) {
	addr := options.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	listener, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("http sink: %w", err)
	}
	if options.Tolerance == 0 {
		options.Tolerance = 5 * time.Minute
	}
	s := &HTTPSink{options: options, listener: listener, served: make(chan struct{}),
		closing: make(chan struct{}), changed: make(chan struct{})}
	s.server = &http.Server{Handler: http.HandlerFunc(s.serveHTTP), ReadHeaderTimeout: time.Minute}
	go func() {
		defer close(s.served)
		_ = s.server.Serve(listener) // ends with http.ErrServerClosed at Close
	}()
	return s, nil
}

// Addr is the sink's host:port.
func (s *HTTPSink) Addr() string { return s.listener.Addr().String() }

// URL is the sink's base URL, "http://127.0.0.1:PORT".
func (s *HTTPSink) URL() string { return "http://" + s.Addr() }

// Respond queues answers, one per request, in order; after them the sink
// answers 200 "ok" again (or the RespondAll answer).
func (s *HTTPSink) Respond(responses ...Response) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.responses = append(s.responses, responses...)
}

// RespondAll answers every request with r, after the queued ones, until
// Heal.
func (s *HTTPSink) RespondAll(r Response) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.always = &r
}

// Heal forgets the answers it was given: 200 "ok" from now on.
func (s *HTTPSink) Heal() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.responses, s.always = nil, nil
}

// Requests are the requests received so far, in order.
func (s *HTTPSink) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// WaitRequests waits until n requests have been received, or ctx ends.
func (s *HTTPSink) WaitRequests(ctx context.Context, n int) ([]Request, error) {
	for {
		s.mu.Lock()
		requests, changed := append([]Request(nil), s.requests...), s.changed
		s.mu.Unlock()
		if len(requests) >= n {
			return requests, nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return requests, fmt.Errorf("http sink: %d of %d requests came before %w", len(requests), n, context.Cause(ctx))
		}
	}
}

// Close stops the sink, ending stalled requests, and waits for it.
func (s *HTTPSink) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	close(s.closing)
	s.mu.Unlock()
	err := s.server.Close()
	<-s.served
	return err
}

func (s *HTTPSink) serveHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRequestBody))
	if err != nil {
		http.Error(w, "reading the body: "+err.Error(), http.StatusBadRequest)
		return
	}
	req := Request{Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery,
		Header: r.Header.Clone(), Body: body, ReceivedAt: time.Now()}
	if s.options.Secret != "" {
		req.SignatureErr = delivery.VerifySignature(s.options.Secret, r.Header.Get(delivery.SignatureHeader),
			body, s.options.Tolerance, time.Now())
	}
	answer := s.nextResponse()
	if answer.Stall {
		s.record(req)
		select {
		case <-r.Context().Done():
		case <-s.closing:
		}
		return
	}
	req.Reply = answer.Status
	if req.Reply == 0 {
		req.Reply = http.StatusOK
	}
	s.record(req)
	for name, values := range answer.Header {
		w.Header()[name] = values
	}
	w.WriteHeader(req.Reply)
	_, _ = io.WriteString(w, answer.Body)
}

func (s *HTTPSink) nextResponse() Response {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.responses) > 0 {
		r := s.responses[0]
		s.responses = s.responses[1:]
		return r
	}
	if s.always != nil {
		return *s.always
	}
	return Response{Status: http.StatusOK, Body: "ok"}
}

func (s *HTTPSink) record(r Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, r)
	close(s.changed)
	s.changed = make(chan struct{})
}
