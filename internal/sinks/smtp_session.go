package sinks

import (
	"bytes"
	"crypto/subtle"
	"errors"
	"io"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// session is one connection to the SMTP sink.
type session struct {
	sink  *SMTPSink
	conn  *smtp.Conn
	fault *Fault
	tls   bool
	user  string
	from  string
	to    []string
}

// errCut is returned once the sink has cut the connection: nobody reads
// the answer.
var errCut = &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 4, 2}, Message: "connection cut by the sink"}

// strike applies the session's fault if it is for this stage.
func (s *session) strike(stage Stage) error {
	if s.fault == nil || s.fault.Stage != stage {
		return nil
	}
	if s.fault.Code == 0 {
		s.conn.Conn().Close()
		return errCut
	}
	return &smtp.SMTPError{Code: s.fault.Code, EnhancedCode: smtp.NoEnhancedCode, Message: s.faultMessage()}
}

func (s *session) faultMessage() string {
	if s.fault.Message != "" {
		return s.fault.Message
	}
	return "refused by the sink"
}

func (s *session) authenticated() bool { return s.sink.options.Username == "" || s.user != "" }

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if !s.authenticated() {
		return smtp.ErrAuthRequired
	}
	s.fault = s.sink.takeFault(false)
	if err := s.strike(AtMail); err != nil {
		return err
	}
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if !s.authenticated() {
		return smtp.ErrAuthRequired
	}
	if err := s.strike(AtRcpt); err != nil {
		return err
	}
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	if s.fault != nil && s.fault.Stage == DuringData {
		// Take a little of the data, so that the cut is in the middle.
		_, _ = io.ReadFull(r, make([]byte, 64))
		s.conn.Conn().Close()
		return errCut
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m, _ := parseMail(data) // a message that does not parse is recorded as it came
	m.From, m.To, m.User, m.TLS, m.ReceivedAt = s.from, append([]string(nil), s.to...), s.user, s.tls, time.Now()
	m.Reply = 250
	if s.fault != nil && s.fault.Stage == AfterData {
		m.Reply = s.fault.Code
	}
	// Recorded before the client can hear anything: whoever waits on the
	// client's outcome finds the message here.
	s.sink.record(m)
	return s.strike(AfterData)
}

func (s *session) Reset() { s.from, s.to = "", nil }

func (s *session) Logout() error { return nil }

// authSession is a session of a sink that requires AUTH.
type authSession struct{ *session }

func (s *authSession) AuthMechanisms() []string { return []string{sasl.Plain, sasl.Login} }

func (s *authSession) Auth(mechanism string) (sasl.Server, error) {
	check := func(username, password string) error {
		options := s.sink.options
		userOK := subtle.ConstantTimeCompare([]byte(username), []byte(options.Username)) == 1
		passwordOK := subtle.ConstantTimeCompare([]byte(password), []byte(options.Password)) == 1
		if !userOK || !passwordOK {
			return smtp.ErrAuthFailed
		}
		s.user = username
		return nil
	}
	switch mechanism {
	case sasl.Plain:
		return sasl.NewPlainServer(func(_, username, password string) error { return check(username, password) }), nil
	case sasl.Login:
		return &loginServer{check: check}, nil
	}
	return nil, smtp.ErrAuthUnknownMechanism
}

// loginServer is the server side of AUTH LOGIN, which go-sasl does not
// have: it asks for the user name, then the password.
type loginServer struct {
	check    func(username, password string) error
	username []byte
	step     int
}

func (l *loginServer) Next(response []byte) (challenge []byte, done bool, err error) {
	switch l.step {
	case 0:
		l.step++
		if response != nil { // the user name as an initial response
			l.username = bytes.Clone(response)
			l.step++
			return []byte("Password:"), false, nil
		}
		return []byte("Username:"), false, nil
	case 1:
		l.username = bytes.Clone(response)
		l.step++
		return []byte("Password:"), false, nil
	case 2:
		l.step++
		return nil, true, l.check(string(l.username), string(response))
	}
	return nil, true, errors.New("unexpected AUTH LOGIN response")
}
