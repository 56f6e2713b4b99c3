package delivery

import (
	"sync"
	"time"

	mail "github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"
)

// What the pool keeps. A connection goes back to the pool only after an
// email it carried was accepted; anything else closes it.
const (
	// maxIdleSessions bounds the connections kept open between emails; a
	// burst opens more, and closes those beyond it when it ends.
	maxIdleSessions = 16
	// idleSessionTimeout closes a connection nobody used for that long,
	// well before servers drop idle clients (RFC 5321 asks them to wait 5
	// minutes; Postfix under stress waits 10 s).
	idleSessionTimeout = 5 * time.Second
	// maxEmailsPerSession opens a new connection after that many emails:
	// some servers refuse more on one connection.
	maxEmailsPerSession = 100
)

// session is an open SMTP connection, greeted, encrypted and
// authenticated as the configuration says: ready for MAIL FROM.
type session struct {
	client *mail.Client
	smtp   *smtp.Client
	conn   *connWatch
	sent   int
	idle   time.Time // since when it waits in the pool
}

// close ends the session politely (QUIT) when it can, and the connection
// in any case.
func (s *session) close(timeout time.Duration) {
	if s.conn.conn != nil {
		_ = s.conn.conn.SetDeadline(time.Now().Add(timeout))
	}
	_ = s.client.CloseWithSMTPClient(s.smtp)
	s.conn.close()
}

// sessionPool holds the idle sessions of one SMTP configuration, the most
// recently used first out (so that the others age and close).
type sessionPool struct {
	timeout time.Duration // a QUIT's bound

	mu     sync.Mutex
	idle   []*session
	sweep  *time.Timer
	closed bool
}

// take is an idle session, or nil.
func (p *sessionPool) take() *session {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.idle) == 0 {
		return nil
	}
	s := p.idle[len(p.idle)-1]
	p.idle = p.idle[:len(p.idle)-1]
	return s
}

// put keeps a session that just carried an email, or closes it when the
// pool is full, closed, or the session has carried its share.
func (p *sessionPool) put(s *session) {
	p.mu.Lock()
	if p.closed || len(p.idle) >= maxIdleSessions || s.sent >= maxEmailsPerSession {
		p.mu.Unlock()
		s.close(p.timeout)
		return
	}
	s.idle = time.Now()
	p.idle = append(p.idle, s)
	if p.sweep == nil {
		p.sweep = time.AfterFunc(idleSessionTimeout, p.closeIdle)
	}
	p.mu.Unlock()
}

// closeIdle closes the sessions idle for idleSessionTimeout, and comes
// back while some remain.
func (p *sessionPool) closeIdle() {
	p.mu.Lock()
	p.sweep = nil
	cutoff := time.Now().Add(-idleSessionTimeout)
	var stale []*session
	kept := p.idle[:0]
	for _, s := range p.idle {
		if s.idle.After(cutoff) {
			kept = append(kept, s)
		} else {
			stale = append(stale, s)
		}
	}
	clear(p.idle[len(kept):])
	p.idle = kept
	if len(p.idle) > 0 && !p.closed {
		p.sweep = time.AfterFunc(idleSessionTimeout, p.closeIdle)
	}
	p.mu.Unlock()
	for _, s := range stale {
		s.close(p.timeout)
	}
}

// close closes every idle session, and every session put back later.
func (p *sessionPool) close() {
	p.mu.Lock()
	p.closed = true
	idle := p.idle
	p.idle = nil
	if p.sweep != nil {
		p.sweep.Stop()
		p.sweep = nil
	}
	p.mu.Unlock()
	for _, s := range idle {
		s.close(p.timeout)
	}
}
