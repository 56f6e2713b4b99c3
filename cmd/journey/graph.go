package main

import "github.com/spf13/cobra"

// graphCommand is being written; see the graph issue.
func (c *CLI) graphCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "graph [DIR]",
		Short: "Draw each campaign as a diagram (mermaid or dot)",
		RunE: func(cmd *cobra.Command, args []string) error {
			return usage("journey graph is not built yet")
		},
	}
}
