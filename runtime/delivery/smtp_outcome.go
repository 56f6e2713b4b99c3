package delivery

import (
	"errors"
	"fmt"
	"net/textproto"
	"strconv"
	"strings"

	mail "github.com/wneessen/go-mail"
)

// retryBeforeHandover is the outcome of an attempt that failed before the
// email was handed over: connecting, the greeting, TLS, authentication.
// Nothing left, so it is always safe to try again, even for marketing
// mail; a wrong password or a server without STARTTLS is retried until the
// configuration is fixed or the attempts run out.
func retryBeforeHandover(server string, err error) Outcome {
	code, reply := replyOf(err)
	return Outcome{Status: Retry, ResponseStatus: code, ResponseBody: reply,
		Err: fmt.Errorf("smtp %s: %v; the email did not leave, and is retried "+
			"(check smtp.host, smtp.port, smtp.tls and the credentials if this goes on)", server, err)}
}

// classifySend reads where go-mail's send stopped. A reply of the server
// is an answer: 5xx refuses the email for good, 4xx for now, both before
// it was accepted. Without a reply, what matters is whether the data had
// started: before, nothing left; after, the server may have the email,
// so a marketing email is Unknown (at most once) and any other is retried
// with the same Message-ID (at least once).
func classifySend(server string, err error, marketing bool) Outcome {
	var sendErr *mail.SendError
	if !errors.As(err, &sendErr) {
		return ambiguous(server, err, marketing)
	}
	code, reply := replyOf(err)
	if code == 0 {
		// go-mail's SendError does not unwrap to the reply: read it back.
		code = sendErr.ErrorCode()
		reply = replyInText(err.Error(), code)
	}
	step := smtpStep(sendErr.Reason)
	out := Outcome{ResponseStatus: code, ResponseBody: reply}
	switch {
	case sendErr.Reason == mail.ErrGetSender || sendErr.Reason == mail.ErrGetRcpts || sendErr.Reason == mail.ErrNoUnencoded:
		out.Status = Failed
		out.Err = fmt.Errorf("smtp %s: the email cannot be sent: %v", server, err)
	case code >= 500 && code < 600:
		out.Status = Failed
		out.Err = fmt.Errorf("smtp %s refused the email for good at %s: %s; it is not sent again", server, step, replyText(reply, err))
	case code >= 400 && code < 500:
		out.Status = Retry
		out.Err = fmt.Errorf("smtp %s refused the email for now at %s: %s; it is retried", server, step, replyText(reply, err))
	case sendErr.Reason == mail.ErrWriteContent || sendErr.Reason == mail.ErrSMTPDataClose:
		return ambiguous(server, err, marketing)
	default:
		out.Status = Retry
		out.Err = fmt.Errorf("smtp %s: the connection failed at %s, before the email was handed over: %v; it is retried", server, step, err)
	}
	return out
}

// ambiguous is an attempt cut after the email's data started: the server
// may have it.
func ambiguous(server string, err error, marketing bool) Outcome {
	if marketing {
		return Outcome{Status: Unknown, Err: fmt.Errorf("smtp %s: the connection broke after the email's data was sent (%v): "+
			"it may have been delivered, and a marketing email is never sent twice", server, err)}
	}
	return Outcome{Status: Retry, Err: fmt.Errorf("smtp %s: the connection broke after the email's data was sent (%v): "+
		"it may have been delivered; it is retried with the same Message-ID", server, err)}
}

// replyOf is the server's reply inside an error, if the error is one.
func replyOf(err error) (int, string) {
	var reply *textproto.Error
	if errors.As(err, &reply) {
		return reply.Code, fmt.Sprintf("%03d %s", reply.Code, reply.Msg)
	}
	return 0, ""
}

// replyInText finds a reply such as "550 5.1.1 no such user" in an error's
// text, up to the details go-mail adds after it.
func replyInText(msg string, code int) string {
	if code == 0 {
		return ""
	}
	at := strings.Index(msg, strconv.Itoa(code)+" ")
	if at < 0 {
		return ""
	}
	reply := msg[at:]
	if end := strings.Index(reply, ", affected "); end >= 0 {
		reply = reply[:end]
	}
	return reply
}

func replyText(reply string, err error) string {
	if reply != "" {
		return reply
	}
	return err.Error()
}

func smtpStep(reason mail.SendErrReason) string {
	switch reason {
	case mail.ErrSMTPMailFrom:
		return "MAIL FROM"
	case mail.ErrSMTPRcptTo:
		return "RCPT TO"
	case mail.ErrSMTPData:
		return "DATA"
	case mail.ErrWriteContent:
		return "the message's data"
	case mail.ErrSMTPDataClose:
		return "the end of the data"
	case mail.ErrConnCheck:
		return "NOOP"
	}
	return reason.String()
}
