package main

import "github.com/spf13/cobra"

// fmtCommand is being written; see the fmt issue.
func (c *CLI) fmtCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "fmt [PATH]",
		Short: "Rewrite campaign files in the canonical format",
		RunE: func(cmd *cobra.Command, args []string) error {
			return usage("journey fmt is not built yet")
		},
	}
}
