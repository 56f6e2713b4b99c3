package main

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/journeyhq/journey/compiler/graph"
	"github.com/journeyhq/journey/compiler/plan"
	"github.com/journeyhq/journey/internal/suggest"
)

// graphFormats are the formats of journey graph, the default first.
var graphFormats = []string{"mermaid", "dot"}

type graphOptions struct {
	dir      string
	campaign string
	format   string
}

func (c *CLI) graphCommand() *cobra.Command {
	var o graphOptions
	cmd := &cobra.Command{
		Use:   "graph [DIR]",
		Short: "Draw each campaign as a diagram (mermaid or dot)",
		Long: `Validate and compile DIR (default .) and draw its campaigns from the
compiled plan: every campaign and every sequence in one diagram, or with
--campaign one campaign alone. Refused, with exit status 1, while any error
finding stands.

Nodes show each element's kind and name and its key setting (a wait's timer,
a condition, a trigger's event, what an action sends). Shapes by kind:
triggers and goals are stadiums, conditions and decisions diamonds, waits
hexagons, ends double circles, forks parallelograms, splits trapezoids,
actions boxes; draft elements are dashed. Edges carry then/else, yes/no,
fork paths and split weights; dotted edges lead from add_to_sequence and
add_to_campaign to what they add to.

Mermaid output (the default) is a flowchart that renders in GitHub comments
and Markdown files inside a mermaid code fence; dot output is for Graphviz
(dot -Tsvg, dot -Tpng). See docs/graph.md.`,
		Example: `  journey graph examples/onboarding                          # every campaign, mermaid
  journey graph . --campaign onboarding                      # one campaign
  journey graph . --format dot | dot -Tsvg > campaigns.svg   # Graphviz
  journey graph . --campaign onboarding --format dot | dot -Tpng > onboarding.png`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.dir = "."
			if len(args) == 1 {
				o.dir = args[0]
			}
			return c.graph(o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.campaign, "campaign", "", "draw only this campaign (default: every campaign and sequence)")
	f.StringVarP(&o.format, "format", "f", graphFormats[0], "output format: "+strings.Join(graphFormats, ", "))
	return cmd
}

func (c *CLI) graph(o graphOptions) error {
	if !slices.Contains(graphFormats, o.format) {
		msg := fmt.Sprintf("unknown format %q: use one of %s", o.format, strings.Join(graphFormats, ", "))
		switch f := strings.ToLower(o.format); {
		case f == "svg" || f == "png" || f == "pdf":
			msg += fmt.Sprintf("; for %s, render the dot output: journey graph --format dot %s | dot -T%s > graph.%s", f, o.dir, f, f)
		case suggest.Closest(o.format, graphFormats) != "":
			msg = fmt.Sprintf("unknown format %q; did you mean %q? (formats: %s)", o.format, suggest.Closest(o.format, graphFormats), strings.Join(graphFormats, ", "))
		}
		return usage("%s", msg)
	}
	p, err := c.compiledPlan(o.dir, "graph")
	if err != nil {
		return err
	}
	g, err := graph.Build(p, graph.Options{Campaign: o.campaign})
	var unknown *graph.UnknownCampaignError
	if errors.As(err, &unknown) {
		return usage("%s", unknownCampaign(p, o))
	}
	if err != nil {
		return &exitError{code: exitInternal, err: err}
	}
	var buf bytes.Buffer
	switch o.format {
	case "dot":
		err = graph.Dot(&buf, g)
	default:
		err = graph.Mermaid(&buf, g)
	}
	if err != nil {
		return &exitError{code: exitInternal, err: err}
	}
	if o.format == "mermaid" && (g.EdgeCount() > graph.MermaidMaxEdges || buf.Len() > graph.MermaidMaxTextSize) {
		fmt.Fprintf(c.Stderr, "journey graph: this diagram has %d edges and %d characters; Mermaid (GitHub's included) refuses more than %d edges or %d characters: draw one campaign at a time with --campaign, or use --format dot.\n",
			g.EdgeCount(), buf.Len(), graph.MermaidMaxEdges, graph.MermaidMaxTextSize)
	}
	_, err = c.Stdout.Write(buf.Bytes())
	return err
}

// unknownCampaign explains a --campaign that names no campaign.
func unknownCampaign(p *plan.Plan, o graphOptions) string {
	names := make([]string, 0, len(p.Campaigns))
	for _, cp := range p.Campaigns {
		names = append(names, cp.Name)
	}
	msg := fmt.Sprintf("%s has no campaign %q", o.dir, o.campaign)
	for _, s := range p.Sequences {
		if s.Name == o.campaign {
			return msg + fmt.Sprintf("; %q is a sequence, drawn with every campaign when --campaign is left out", o.campaign)
		}
	}
	switch {
	case len(names) == 0:
		return msg + " (it has none)"
	case suggest.Closest(o.campaign, names) != "":
		return msg + fmt.Sprintf("; did you mean %q?", suggest.Closest(o.campaign, names))
	}
	return msg + " (campaigns: " + strings.Join(names, ", ") + ")"
}
