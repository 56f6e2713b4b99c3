package main

import (
	"github.com/spf13/cobra"

	"github.com/journeyhq/journey/internal/sinks"
)

func (c *CLI) mailsinkCommand() *cobra.Command {
	var listen string
	cmd := &cobra.Command{
		Use:   "mailsink",
		Short: "Run a local SMTP server that prints every email it receives",
		Long: `Run an SMTP server in the foreground that accepts every email and prints
it: the envelope's sender and recipients, the subject, the Message-ID and
idempotency key, and the body. Nothing is delivered anywhere. It stands in
for a real SMTP server while you try journey server locally; point the
server at it in journey.server.hcl:

  smtp {
    host = "127.0.0.1"
    port = 2525
    tls  = "none"
    from = "journey@localhost"   # the sender of notify_email
  }

It runs until Ctrl-C (SIGINT) or SIGTERM.`,
		Example: `  journey mailsink
  journey mailsink --listen 127.0.0.1:2526`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return sinks.Serve(cmd.Context(), sinks.SMTPOptions{Addr: listen}, c.Stdout)
		},
	}
	cmd.Flags().StringVar(&listen, "listen", "127.0.0.1:2525", "the address to listen on")
	return cmd
}
