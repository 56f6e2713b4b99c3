package runtime

import (
	"context"

	"github.com/journeyhq/journey/compiler/plan"
)

// RunScenarioSteps is RunScenario with another bound on the run's steps,
// so that a test reaches the bound in a moment.
func RunScenarioSteps(ctx context.Context, prog *Program, store Store, sc *plan.Scenario, maxSteps int) (*ScenarioResult, error) {
	sim := NewSimulation(prog, store, sc.Start)
	sim.MaxSteps = maxSteps
	return runScenario(ctx, prog, sim, sc)
}
