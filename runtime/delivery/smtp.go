package delivery

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	netmail "net/mail"
	"strconv"
	"strings"

	mail "github.com/wneessen/go-mail"
)

// IdempotencyHeader carries the delivery's idempotency key in every email.
const IdempotencyHeader = "X-Journey-Idempotency-Key"

// SMTPSender sends email and notify_email deliveries over a pool of open
// connections, several emails on each (docs/deliveries.md, "Email"). It
// is safe for concurrent use; Close closes the idle connections.
type SMTPSender struct {
	config SMTPConfig
	pool   *sessionPool
}

// NewSMTPSender checks the configuration and returns its sender.
func NewSMTPSender(config SMTPConfig) (*SMTPSender, error) {
	if err := config.Validate(); err != nil {
		return nil, err
	}
	return &SMTPSender{config: config, pool: &sessionPool{timeout: config.timeout()}}, nil
}

// Close ends the idle connections (QUIT); a send running meanwhile closes
// its own when it ends.
func (s *SMTPSender) Close() error {
	s.pool.close()
	return nil
}

// Send sends the message's email. Its payload holds to, subject and body,
// and optionally from (else smtp.from), from_name, reply_to and
// attachments (Attachment).
func (s *SMTPSender) Send(ctx context.Context, m *Message) Outcome {
	if err := checkMessage(m); err != nil {
		return Outcome{Status: Failed, Err: err}
	}
	msg, messageID, err := s.compose(m)
	if err != nil {
		return Outcome{Status: Failed, Err: fmt.Errorf("%s delivery %d: %w", m.Kind, m.ID, err)}
	}
	out := s.transmit(ctx, m, msg)
	out.MessageID = messageID
	return out
}

// compose builds the email. Its Message-ID comes from the idempotency key,
// so that every attempt sends the same message.
func (s *SMTPSender) compose(m *Message) (*mail.Msg, string, error) {
	to, from := text(m.Payload, "to"), text(m.Payload, "from")
	files, err := attachments(m.Payload)
	if err != nil {
		return nil, "", err
	}
	if to == "" {
		return nil, "", fmt.Errorf("the email has no to address")
	}
	if from == "" {
		from = s.config.From
	}
	if from == "" && m.Kind != "email" {
		// A message to the team (notify_email, a fulfillment batch) has
		// no from in the plan: smtp.from is its only sender.
		return nil, "", fmt.Errorf("a %s has no sender of its own, and smtp.from is not set: "+
			"set smtp.from in journey.server.hcl (e.g. from = \"Acme <journey@acme.example>\")", m.Kind)
	}
	if from == "" {
		return nil, "", fmt.Errorf("the email has no from address, and smtp.from is not set: " +
			"set the email's from, the account's senders, or smtp.from")
	}
	domain, err := senderDomain(from)
	if err != nil {
		return nil, "", fmt.Errorf("the from address %q is not an email address: %v", from, err)
	}
	msg := mail.NewMsg(mail.WithNoDefaultUserAgent())
	if err := setFrom(msg, from, oneLine(text(m.Payload, "from_name"))); err != nil {
		return nil, "", fmt.Errorf("the from address %q is not an email address: %v", from, err)
	}
	if err := msg.To(to); err != nil {
		return nil, "", fmt.Errorf("the to address %q is not an email address: %v", to, err)
	}
	if replyTo := text(m.Payload, "reply_to"); replyTo != "" {
		if err := msg.ReplyTo(replyTo); err != nil {
			return nil, "", fmt.Errorf("the reply_to address %q is not an email address: %v", replyTo, err)
		}
	}
	messageID := MessageID(m.Key, domain)
	msg.SetGenHeader(mail.HeaderMessageID, messageID)
	msg.SetGenHeader(mail.Header(IdempotencyHeader), m.Key)
	msg.Subject(oneLine(text(m.Payload, "subject")))
	msg.SetDate()
	body := text(m.Payload, "body")
	if isHTML(body) {
		msg.SetBodyString(mail.TypeTextPlain, htmlToText(body))
		msg.AddAlternativeString(mail.TypeTextHTML, body)
	} else {
		msg.SetBodyString(mail.TypeTextPlain, body)
	}
	if err := attach(msg, files); err != nil {
		return nil, "", err
	}
	return msg, messageID, nil
}

// setFrom sets the From header: the address, with the email's from_name
// as its display name when there is one (it replaces a name written in
// from itself).
func setFrom(msg *mail.Msg, from, name string) error {
	if strings.TrimSpace(name) == "" {
		return msg.From(from)
	}
	parsed, err := netmail.ParseAddress(from)
	if err != nil {
		return err
	}
	return msg.FromFormat(strings.TrimSpace(name), parsed.Address)
}

// transmit hands the email to the server over a session of the pool, or
// a new one, and classifies what happened.
func (s *SMTPSender) transmit(ctx context.Context, m *Message, msg *mail.Msg) Outcome {
	server := s.address()
	if sess := s.pool.take(); sess != nil {
		sess.conn.watch(ctx)
		out, beforeHandover := s.sendOn(sess, m, msg, server)
		if !beforeHandover || ctx.Err() != nil {
			return out
		}
		// The server dropped the idle connection (or it broke) before the
		// email was handed over: nothing left, so a new connection
		// carries it now rather than a retry after a backoff.
	}
	sess, err := s.dial(ctx, server)
	if err != nil {
		return retryBeforeHandover(server, err)
	}
	out, _ := s.sendOn(sess, m, msg, server)
	return out
}

func (s *SMTPSender) address() string {
	return net.JoinHostPort(s.config.Host, strconv.Itoa(s.config.port()))
}

// dial opens a session: connection, greeting, TLS and authentication as
// the configuration says. ctx bounds it, and watches the connection until
// the first email's send ends.
func (s *SMTPSender) dial(ctx context.Context, server string) (*session, error) {
	conn := &connWatch{}
	client, err := mail.NewClient(s.config.Host, s.clientOptions(ctx, server, conn)...)
	if err != nil {
		return nil, err
	}
	smtpClient, err := client.DialToSMTPClientWithContext(ctx)
	if err != nil {
		// go-mail leaves the connection open when the greeting, TLS or
		// auth fails.
		conn.unwatch()
		conn.close()
		return nil, err
	}
	return &session{client: client, smtp: smtpClient, conn: conn}, nil
}

// sendOn sends the email over the session, which goes back to the pool
// when the email was accepted and is closed otherwise. beforeHandover
// says the connection failed at its first command, before anything of
// the email was accepted: it is safe to send it over another one.
func (s *SMTPSender) sendOn(sess *session, m *Message, msg *mail.Msg, server string) (out Outcome, beforeHandover bool) {
	err := sess.client.SendWithSMTPClient(sess.smtp, msg)
	whole := sess.conn.unwatch()
	if err == nil || msg.IsDelivered() {
		sess.sent++
		if err == nil && whole {
			s.pool.put(sess)
		} else {
			sess.conn.close()
		}
		// The data's end is accepted with 250 only; go-mail keeps the text.
		return Outcome{Status: Sent, ResponseStatus: 250, ResponseBody: strings.TrimSpace("250 " + msg.ServerResponse())}, false
	}
	sess.conn.close()
	return classifySend(server, err, m.Marketing), brokeAtFirstCommand(err)
}

// brokeAtFirstCommand is a session that failed at MAIL FROM without an
// answer, or with 421 (the server closing it): how a connection the
// server dropped while it was idle shows.
func brokeAtFirstCommand(err error) bool {
	var sendErr *mail.SendError
	if !errors.As(err, &sendErr) || sendErr.Reason != mail.ErrSMTPMailFrom {
		return false
	}
	code, _ := replyOf(err)
	if code == 0 {
		code = sendErr.ErrorCode()
	}
	return code == 0 || code == 421
}

func (s *SMTPSender) clientOptions(ctx context.Context, server string, conn *connWatch) []mail.Option {
	tlsConfig := &tls.Config{ServerName: s.config.Host, RootCAs: s.config.RootCAs, MinVersion: tls.VersionTLS12}
	implicit := s.config.tlsMode() == TLSImplicit
	opts := []mail.Option{
		mail.WithTimeout(s.config.timeout()),
		// A session carries several emails: no NOOP before each (a
		// dropped connection shows at MAIL FROM, and the email goes over
		// a new one), no RSET after an accepted one (the next MAIL FROM
		// starts afresh, RFC 5321 4.1.4).
		mail.WithoutNoop(), mail.WithoutRset(),
		mail.WithTLSConfig(tlsConfig),
		mail.WithDialContextFunc(conn.dialer(ctx, server, implicit, tlsConfig)),
	}
	switch s.config.tlsMode() {
	case TLSStartTLS:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	case TLSOpportunistic:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSOpportunistic))
	case TLSNone:
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	case TLSImplicit:
		opts = append(opts, mail.WithSSL())
	}
	if s.config.HELO != "" {
		opts = append(opts, mail.WithHELO(s.config.HELO))
	}
	if s.config.Username != "" {
		mechanism := mail.SMTPAuthPlain
		if s.config.Auth == "login" {
			mechanism = mail.SMTPAuthLogin
		}
		opts = append(opts, mail.WithSMTPAuth(mechanism),
			mail.WithUsername(s.config.Username), mail.WithPassword(s.config.Password.Reveal()))
	}
	// Last: WithSSL sets a port of its own.
	return append(opts, mail.WithPort(s.config.port()))
}

// connWatch holds a session's connection, so that it can be closed when
// the context of the send using it ends (go-mail watches it only while
// dialing) and when go-mail gives up on it.
type connWatch struct {
	conn net.Conn
	stop func() bool
}

// dialer connects to server, host:port as net.JoinHostPort writes it:
// go-mail's own address leaves an IPv6 host without brackets. ctx is the
// first send's.
func (w *connWatch) dialer(ctx context.Context, server string, implicitTLS bool, config *tls.Config) mail.DialContextFunc {
	return func(dialCtx context.Context, network, _ string) (net.Conn, error) {
		var dialer net.Dialer
		conn, err := dialer.DialContext(dialCtx, network, server)
		if err != nil {
			return nil, err
		}
		if implicitTLS {
			tlsConn := tls.Client(conn, config)
			if err := tlsConn.HandshakeContext(dialCtx); err != nil {
				conn.Close()
				return nil, err
			}
			// go-mail sees a *tls.Conn, and so knows the session is encrypted.
			conn = tlsConn
		}
		w.conn = conn
		w.watch(ctx)
		return conn, nil
	}
}

// watch closes the connection if ctx ends before unwatch.
func (w *connWatch) watch(ctx context.Context) {
	conn := w.conn
	w.stop = context.AfterFunc(ctx, func() { conn.Close() })
}

// unwatch stops watching, and reports whether the connection is still
// open: false when the context ended and closed it.
func (w *connWatch) unwatch() bool {
	if w.stop == nil {
		return true
	}
	stopped := w.stop()
	w.stop = nil
	return stopped
}

func (w *connWatch) close() {
	if w.conn != nil {
		w.conn.Close()
	}
}
