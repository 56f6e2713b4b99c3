// Package sinks holds test servers that stand for the outside world: an
// SMTP server and an HTTP server that record what journey sends them, and
// can be told to refuse it or to cut the connection. Tests of the
// deliveries, the server and crash recovery use them, and Serve runs the
// SMTP sink in the foreground for a person trying journey out.
package sinks

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/emersion/go-smtp"
)

// SMTPOptions say what the SMTP sink offers.
type SMTPOptions struct {
	// Addr to listen on; "" is 127.0.0.1 on a free port.
	Addr string
	// Username and Password, when set, are required (AUTH PLAIN or LOGIN)
	// before a message is taken.
	Username string
	Password string
	// STARTTLS offers STARTTLS with a self-signed certificate made in
	// memory (trust it with CertPool). With it, AUTH needs TLS first.
	STARTTLS bool
	// ImplicitTLS speaks TLS from the first byte, as on port 465.
	ImplicitTLS bool
	// OnMessage is called with every message received in full, in the
	// order they complete.
	OnMessage func(Mail)
}

// Stage is where a Fault strikes.
type Stage int

const (
	// AtHello: after EHLO.
	AtHello Stage = iota + 1
	// AtMail: at MAIL FROM.
	AtMail
	// AtRcpt: at RCPT TO.
	AtRcpt
	// DuringData: the connection is cut while the data comes in (Code is
	// not used).
	DuringData
	// AfterData: once the whole message is in, instead of 250. With Code
	// 0 the sink cuts the connection without answering: the message has
	// arrived, and the client cannot know it.
	AfterData
)

// Fault is how the sink misbehaves on one connection: at Stage it answers
// Code (a 4xx or 5xx refusal) with Message, or, with Code 0, cuts the
// connection.
type Fault struct {
	Stage   Stage
	Code    int
	Message string
}

// SMTPSink is an SMTP server on 127.0.0.1 that records every message. It
// is safe for concurrent use.
type SMTPSink struct {
	options  SMTPOptions
	server   *smtp.Server
	listener net.Listener
	pool     *x509.CertPool
	served   chan struct{}

	mu     sync.Mutex
	mails  []Mail
	faults []Fault // each strikes once, in order
	always *Fault  // strikes every connection or message
	// refused are the connections refused AtHello: a client that tries
	// HELO after EHLO is refused again.
	refused map[*smtp.Conn]*Fault
	// conns are the connections that ever greeted the sink.
	conns    map[*smtp.Conn]bool
	changed  chan struct{}
	serveErr error
}

// StartSMTP starts an SMTP sink.
func StartSMTP(options SMTPOptions) (*SMTPSink, error) {
	s := &SMTPSink{options: options, served: make(chan struct{}), changed: make(chan struct{}),
		refused: map[*smtp.Conn]*Fault{}, conns: map[*smtp.Conn]bool{}}
	var tlsConfig *tls.Config
	if options.STARTTLS || options.ImplicitTLS {
		cert, pool, err := selfSigned()
		if err != nil {
			return nil, fmt.Errorf("smtp sink: making its certificate: %w", err)
		}
		s.pool = pool
		tlsConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	addr := options.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	listener, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("smtp sink: %w", err)
	}
	if options.ImplicitTLS {
		listener = tls.NewListener(listener, tlsConfig)
	}
	s.listener = listener
	server := smtp.NewServer(smtp.BackendFunc(s.newSession))
	server.Domain = "localhost"
	server.AllowInsecureAuth = !options.STARTTLS
	if options.STARTTLS {
		server.TLSConfig = tlsConfig
	}
	server.ReadTimeout, server.WriteTimeout = time.Minute, time.Minute
	server.MaxMessageBytes = 32 << 20
	server.ErrorLog = log.New(io.Discard, "", 0)
	s.server = server
	go func() {
		defer close(s.served)
		err := server.Serve(listener)
		if err != nil && !errors.Is(err, smtp.ErrServerClosed) && !errors.Is(err, net.ErrClosed) {
			s.mu.Lock()
			s.serveErr = err
			s.mu.Unlock()
		}
	}()
	return s, nil
}

// Addr is the sink's host:port.
func (s *SMTPSink) Addr() string { return s.listener.Addr().String() }

// Host is the sink's IP address.
func (s *SMTPSink) Host() string {
	host, _, _ := net.SplitHostPort(s.Addr())
	return host
}

// Port is the sink's port.
func (s *SMTPSink) Port() int {
	_, port, _ := net.SplitHostPort(s.Addr())
	n, _ := strconv.Atoi(port)
	return n
}

// CertPool trusts the sink's certificate (nil without TLS).
func (s *SMTPSink) CertPool() *x509.CertPool { return s.pool }

// Fail queues faults, each to strike once, in order: a fault AtHello
// strikes the next connection, any other the next message (from its MAIL
// FROM on).
func (s *SMTPSink) Fail(faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, faults...)
}

// FailAll makes every connection (AtHello) or every message misbehave
// until Heal.
func (s *SMTPSink) FailAll(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.always = &f
}

// Heal forgets every fault.
func (s *SMTPSink) Heal() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults, s.always = nil, nil
}

// Connections is how many connections have greeted the sink so far.
func (s *SMTPSink) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}

// Messages are the messages received in full so far, in order.
func (s *SMTPSink) Messages() []Mail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Mail(nil), s.mails...)
}

// WaitMessages waits until n messages have been received, or ctx ends.
func (s *SMTPSink) WaitMessages(ctx context.Context, n int) ([]Mail, error) {
	for {
		s.mu.Lock()
		mails, changed := append([]Mail(nil), s.mails...), s.changed
		s.mu.Unlock()
		if len(mails) >= n {
			return mails, nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return mails, fmt.Errorf("smtp sink: %d of %d messages came before %w", len(mails), n, context.Cause(ctx))
		}
	}
}

// Close stops the sink, cutting open connections, and waits for it.
func (s *SMTPSink) Close() error {
	err := s.server.Close()
	// go-smtp closes the listeners its Serve has registered; a Close that
	// comes before Serve has started would leave Serve accepting forever.
	s.listener.Close()
	<-s.served
	if errors.Is(err, smtp.ErrServerClosed) || errors.Is(err, net.ErrClosed) {
		err = nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return errors.Join(err, s.serveErr)
}

func (s *SMTPSink) record(m Mail) {
	s.mu.Lock()
	s.mails = append(s.mails, m)
	close(s.changed)
	s.changed = make(chan struct{})
	s.mu.Unlock()
	if s.options.OnMessage != nil {
		s.options.OnMessage(m)
	}
}

// takeFault is the next fault for a new connection (hello) or a new
// message, if any. Faults are taken per message rather than per session:
// go-smtp starts a second session on a connection after STARTTLS.
func (s *SMTPSink) takeFault(hello bool) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.faults) > 0 && (s.faults[0].Stage == AtHello) == hello {
		f := s.faults[0]
		s.faults = s.faults[1:]
		return &f
	}
	if s.always != nil && (s.always.Stage == AtHello) == hello {
		f := *s.always
		return &f
	}
	return nil
}

// helloFault is the fault of a connection that greets the sink.
func (s *SMTPSink) helloFault(c *smtp.Conn) *Fault {
	s.mu.Lock()
	f, ok := s.refused[c]
	s.mu.Unlock()
	if ok {
		return f
	}
	f = s.takeFault(true)
	if f != nil {
		s.mu.Lock()
		s.refused[c] = f
		s.mu.Unlock()
	}
	return f
}

func (s *SMTPSink) newSession(c *smtp.Conn) (smtp.Session, error) {
	s.mu.Lock()
	s.conns[c] = true
	s.mu.Unlock()
	session := &session{sink: s, conn: c, fault: s.helloFault(c)}
	_, session.tls = c.TLSConnectionState()
	if err := session.strike(AtHello); err != nil {
		return nil, err
	}
	if s.options.Username != "" {
		return &authSession{session}, nil
	}
	return session, nil
}
