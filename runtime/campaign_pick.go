package runtime

import (
	"fmt"

	"github.com/journeyhq/journey/internal/suggest"
)

// CampaignNotNamedError is PickCampaign's answer to no name when the
// program has other than one campaign: the caller asks for a name in its
// own terms (a flag, a field of a request).
type CampaignNotNamedError struct {
	// Campaigns are the program's campaign names, in plan order.
	Campaigns []string
}

func (e *CampaignNotNamedError) Error() string {
	return fmt.Sprintf("name a campaign: the workspace has %d campaigns (%v)", len(e.Campaigns), e.Campaigns)
}

// PickCampaign returns the campaign to run a contact through: the one
// named, or, when name is "", the program's only campaign. An unknown name
// is an error with "did you mean", or the campaigns there are.
func (p *Program) PickCampaign(name string) (*Campaign, error) {
	names := make([]string, 0, len(p.Campaigns))
	for _, c := range p.Campaigns {
		if c.Name == name {
			return c, nil
		}
		names = append(names, c.Name)
	}
	switch {
	case name == "" && len(p.Campaigns) == 1:
		return p.Campaigns[0], nil
	case name == "":
		return nil, &CampaignNotNamedError{Campaigns: names}
	}
	if s := suggest.Closest(name, names); s != "" {
		return nil, fmt.Errorf("there is no campaign %q; did you mean %q?", name, s)
	}
	return nil, fmt.Errorf("there is no campaign %q; the workspace has %v", name, names)
}
