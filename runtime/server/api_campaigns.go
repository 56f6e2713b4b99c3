package server

import (
	"net/http"

	"github.com/journeyhq/journey/internal/suggest"
	"github.com/journeyhq/journey/runtime"
	"github.com/journeyhq/journey/runtime/api"
)

// campaigns lists the deployed plan's campaigns (none before a plan).
func (s *Server) campaigns(w http.ResponseWriter, r *http.Request) error {
	if _, err := query(r); err != nil {
		return err
	}
	out := []api.Campaign{}
	if d := s.current(); d != nil {
		for _, c := range d.Program.Campaigns {
			out = append(out, api.Campaign{Name: c.Name, Elements: len(c.Elements)})
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// campaignStats counts a campaign's contacts: enrollments by status, and
// positions on every element of the plan (0 too), in plan order, as a
// campaign map shows them.
func (s *Server) campaignStats(w http.ResponseWriter, r *http.Request) error {
	d := s.current()
	if d == nil {
		return noDeployment(http.StatusNotFound)
	}
	name := r.PathValue("name")
	c := d.Program.Campaign(name)
	if c == nil {
		var names []string
		for _, c := range d.Program.Campaigns {
			names = append(names, c.Name)
		}
		if near := suggest.Closest(name, names); near != "" {
			return notFound("the deployed plan has no campaign %q; did you mean %q?", name, near)
		}
		return notFound("the deployed plan has no campaign %q (GET /v1/campaigns lists them)", name)
	}
	tx, err := s.store.Begin(r.Context())
	if err != nil {
		return err
	}
	defer tx.Rollback()
	enrolled, err := tx.EnrollmentCounts("campaign", name)
	if err != nil {
		return err
	}
	counts, err := tx.ElementCounts("campaign", name)
	if err != nil {
		return err
	}
	out := api.CampaignStats{
		Campaign:   name,
		Deployment: api.DeploymentRef{Serial: d.Serial, Hash: d.Hash},
		Enrolled: api.EnrolledCounts{
			Active: enrolled[runtime.StatusActive], Paused: enrolled[runtime.StatusPaused],
			Ended: enrolled[runtime.StatusEnded], Exited: enrolled[runtime.StatusExited],
		},
		Elements: make([]api.ElementStats, 0, len(c.Elements)),
	}
	at := map[string]int{}
	for _, el := range c.Elements {
		at[el.Name] = len(out.Elements)
		out.Elements = append(out.Elements, api.ElementStats{Element: el.Name, Kind: el.Kind, ByState: map[string]int{}})
	}
	for _, n := range counts {
		i, inPlan := at[n.Element]
		if !inPlan {
			// A position on an element this plan no longer has (an apply
			// in progress): shown after the plan's elements.
			i = len(out.Elements)
			at[n.Element] = i
			out.Elements = append(out.Elements, api.ElementStats{Element: n.Element, ByState: map[string]int{}})
		}
		out.Elements[i].Contacts += n.Count
		out.Elements[i].ByState[n.State] += n.Count
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
