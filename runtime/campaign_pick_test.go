package runtime_test

import (
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/journeyhq/journey/runtime"
)

func TestPickCampaign(t *testing.T) {
	const campaign = `
campaign "%s" {
  trigger "signup" {
    on   = form_submitted(form.signup)
    next = end.done
  }
  end "done" {}
}
`
	one := link(t, map[string]string{"main.journey.hcl": `form "signup" {}` + fmt.Sprintf(campaign, "onboarding")})
	two := link(t, map[string]string{"main.journey.hcl": `form "signup" {}` + fmt.Sprintf(campaign, "onboarding") + fmt.Sprintf(campaign, "win_back")})

	for _, c := range []struct {
		prog       *runtime.Program
		name, want string
	}{
		{one, "", "onboarding"},
		{one, "onboarding", "onboarding"},
		{two, "win_back", "win_back"},
	} {
		got, err := c.prog.PickCampaign(c.name)
		if err != nil || got.Name != c.want {
			t.Errorf("PickCampaign(%q) = %v, %v; want %s", c.name, got, err, c.want)
		}
	}
	for _, c := range []struct {
		prog       *runtime.Program
		name, want string
	}{
		{two, "winback", `there is no campaign "winback"; did you mean "win_back"?`},
		{two, "newsletter", `there is no campaign "newsletter"; the workspace has [onboarding win_back]`},
	} {
		if _, err := c.prog.PickCampaign(c.name); err == nil || err.Error() != c.want {
			t.Errorf("PickCampaign(%q): got %v, want %s", c.name, err, c.want)
		}
	}
	_, err := two.PickCampaign("")
	var notNamed *runtime.CampaignNotNamedError
	if !errors.As(err, &notNamed) || !reflect.DeepEqual(notNamed.Campaigns, []string{"onboarding", "win_back"}) {
		t.Errorf("no name among two: got %v, want a CampaignNotNamedError naming both", err)
	}
}
