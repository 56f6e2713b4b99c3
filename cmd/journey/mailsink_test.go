package main

import (
	"context"
	"net/smtp"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestMailsinkPrintsEachMailUntilCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr lockedWriter
	done := make(chan int, 1)
	go func() {
		done <- NewCLI(nil, &stdout, &stderr).Run(ctx, []string{"mailsink", "--listen", "127.0.0.1:0"})
	}()

	listening := regexp.MustCompile(`SMTP sink listening on (\S+) `)
	var addr string
	for deadline := time.Now().Add(serverPatience); addr == ""; {
		if m := listening.FindStringSubmatch(stdout.String()); m != nil {
			addr = m[1]
			break
		}
		select {
		case code := <-done:
			t.Fatalf("journey mailsink exited %d before listening:\n%s%s", code, stdout.String(), stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("journey mailsink did not say where it listens within %s:\n%s", serverPatience, stdout.String())
		}
		time.Sleep(10 * time.Millisecond)
	}

	msg := "From: Acme <news@acme.example>\r\nTo: ada@example.com\r\nSubject: Welcome, Ada\r\n" +
		"Message-ID: <3f9c1a2b@acme.example>\r\n\r\nHello Ada,\r\nthanks for joining.\r\n"
	if err := smtp.SendMail(addr, nil, "news@acme.example", []string{"ada@example.com"}, []byte(msg)); err != nil {
		t.Fatalf("sending to the sink: %v", err)
	}
	for deadline := time.Now().Add(serverPatience); !strings.Contains(stdout.String(), "thanks for joining."); {
		if time.Now().After(deadline) {
			t.Fatalf("the mail was not printed within %s:\n%s", serverPatience, stdout.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	for _, want := range []string{"news@acme.example", "ada@example.com", "Subject:    Welcome, Ada", "Message-ID: <3f9c1a2b@acme.example>", "Hello Ada,\nthanks for joining.\n"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("the printed mail does not show %q:\n%q", want, stdout.String())
		}
	}
	// SMTP's CRLF line ends are the wire's: printed, they would end every
	// line of the body in a carriage return (grep and diff show it).
	if strings.Contains(stdout.String(), "\r") {
		t.Errorf("the printed mail has carriage returns:\n%q", stdout.String())
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("journey mailsink exited %d when stopped, want 0:\n%s", code, stderr.String())
		}
	case <-time.After(serverPatience):
		t.Fatalf("journey mailsink did not stop within %s", serverPatience)
	}
}
